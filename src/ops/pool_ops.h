// The fused pooling ops behind nn::functional's pooling family (not public API): inputs are
// (*, *spatial) with `nd` = 1 to 3 trailing spatial dims and any leading dims (N, C or just C).
// They check nothing about kernel settings: the functional layer validates and sizes outputs.
#pragma once

#include <tuple>

#include "wick/backend/pool_args.h"
#include "wick/core/tensor.h"

namespace wick::ops {

// -> (values, int64 indices) of shape (*, *out_size); backward scatters into the argmax cells.
std::tuple<Tensor, Tensor> max_pool(const Tensor& x, IntArrayRef out_size, const PoolArgs& args,
                                    const char* node_name);
// -> (*, *out_size); backward spreads each gradient evenly over its window.
Tensor avg_pool(const Tensor& x, IntArrayRef out_size, const PoolArgs& args, const char* node_name);
// Places x (*, *in) at `indices` in a zero tensor (*, *out_size) (max_unpool).
Tensor max_unpool(const Tensor& x, const Tensor& indices, IntArrayRef out_size, const char* node_name);

}  // namespace wick::ops

// Shared by the pooling functionals (not public API): input checks and output sizes with
// PyTorch's messages, and the N-d entry points that the 1d/2d/3d functions wrap.
#pragma once

#include <optional>
#include <tuple>
#include <vector>

#include "wick/backend/pool_args.h"
#include "wick/nn/functional/pooling.h"

namespace wick::nn::functional::detail {

// input is (C, *spatial) or (N, C, *spatial) with nd spatial dims, non-empty, float32/float64.
void check_pool_input(const Tensor& input, int64_t nd, const char* fn);
// Output spatial size of sliding windows (after validating kernel/stride/padding/dilation).
Shape sliding_output_size(const Tensor& input, const PoolArgs& args, bool ceil_mode, const char* fn);
PoolArgs sliding_args(IntArrayRef kernel, const std::optional<IntArrayRef>& stride, IntArrayRef padding,
                      IntArrayRef dilation);

template <size_t D>
std::optional<IntArrayRef> opt_ref(const OptionalExpandingArray<D>& a) {
  if (!a) return std::nullopt;
  return IntArrayRef(a->data(), D);
}

std::tuple<Tensor, Tensor> max_pool_nd(const Tensor& input, const PoolArgs& args, bool ceil_mode, const char* fn,
                                       const char* node);
Tensor avg_pool_nd(const Tensor& input, const PoolArgs& args, bool ceil_mode, const char* fn, const char* node);
// Adaptive average pooling to `size` (None entries keep the input size); interpolate's 'area' too.
Tensor adaptive_avg_pool_nd(const Tensor& input, const std::vector<std::optional<int64_t>>& size, const char* fn,
                            const char* node);

}  // namespace wick::nn::functional::detail

// Gather/scatter and friends, advanced indexing, and the sorting family, as torch.gather, ...
#pragma once

#include <tuple>
#include <vector>

#include "wick/core/tensor.h"

namespace wick {

Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Scalar& value);
Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha = 1);
// x[indices] with a tuple of index tensors (None entries keep a dim), as torch's advanced indexing.
Tensor index(const Tensor& x, const std::vector<Tensor>& indices);
Tensor index_put(const Tensor& x, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate = false);
Tensor nonzero(const Tensor& x);
std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim = -1, bool largest = true, bool sorted = true);
std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim = -1, bool descending = false);
Tensor argsort(const Tensor& x, int64_t dim = -1, bool descending = false);
// Class indices (int64) -> one-hot int64 with num_classes columns (-1: max + 1).
Tensor one_hot(const Tensor& x, int64_t num_classes = -1);

}  // namespace wick

// cosine_similarity and pairwise_distance as composites of Tensor ops (PyTorch 1.13's formulas:
// each norm clamped to eps separately; pairwise distance adds eps to the difference).
#include "wick/nn/functional/distance.h"

#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {

Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim, double eps) {
  Shape shape = broadcast_shapes(x1.sizes(), x2.sizes(), "cosine_similarity");
  WICK_CHECK(x1.is_floating_point() && x2.is_floating_point(),
             "cosine_similarity: expected floating point inputs, got ", dtype_name(x1.dtype()),
             " and ", dtype_name(x2.dtype()));
  Tensor a = x1.expand(shape), b = x2.expand(shape);
  int64_t d = wrap_dim(dim, std::max<int64_t>(static_cast<int64_t>(shape.size()), 1));
  if (shape.empty()) return (a / a.abs().clamp_min(eps)) * (b / b.abs().clamp_min(eps));
  Tensor na = a.norm(2, {d}, true).clamp_min(eps), nb = b.norm(2, {d}, true).clamp_min(eps);
  return ((a / na) * (b / nb)).sum({d});
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
  WICK_CHECK(x1.is_floating_point() && x2.is_floating_point(),
             "pairwise_distance: expected floating point inputs, got ", dtype_name(x1.dtype()),
             " and ", dtype_name(x2.dtype()));
  Tensor diff = x1 - x2 + eps;
  if (diff.dim() == 0) return diff.abs();
  return diff.norm(p, {-1}, keepdim);
}

}  // namespace wick::nn::functional

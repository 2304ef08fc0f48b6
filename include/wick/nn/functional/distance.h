// nn::functional distances (torch.nn.functional.cosine_similarity, pairwise_distance), composed
// of Tensor ops (their gradients come from those ops). Inputs broadcast against each other.
#pragma once

#include "wick/core/tensor.h"

namespace wick::nn::functional {

// sum(x1 * x2, dim) / (max(||x1||, eps) * max(||x2||, eps)), norms along dim (PyTorch 1.13).
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim = 1, double eps = 1e-8);
// ||x1 - x2 + eps||_p over the last dim.
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p = 2.0, double eps = 1e-6,
                         bool keepdim = false);

}  // namespace wick::nn::functional

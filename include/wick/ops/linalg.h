// Matrix products: matmul with PyTorch's broadcasting rules, mm, bmm, addmm, outer, dot.
#pragma once

#include "wick/core/tensor.h"

namespace wick {

Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
// beta * input + alpha * (m1 @ m2), input broadcast to (n, p).
Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, const Scalar& beta = 1, const Scalar& alpha = 1);
Tensor outer(const Tensor& a, const Tensor& b);
Tensor dot(const Tensor& a, const Tensor& b);

}  // namespace wick

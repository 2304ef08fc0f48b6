// Matrix products: matmul with PyTorch's broadcasting rules, mm, mv, bmm, addmm, outer, dot.
// float32/float64 are differentiable; integer dtypes compute without autograd; bool and the half
// types are rejected on the CPU, as in PyTorch.
#pragma once

#include "wick/core/tensor.h"

namespace wick {

Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& a, const Tensor& vec);
Tensor bmm(const Tensor& a, const Tensor& b);
// beta * input + alpha * (m1 @ m2), input broadcast to (n, p).
Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor outer(const Tensor& a, const Tensor& b);
Tensor dot(const Tensor& a, const Tensor& b);

}  // namespace wick

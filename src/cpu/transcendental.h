// Vectorised exp/sigmoid/tanh for contiguous float32 tensors through Eigen's packet math: glibc's
// scalar expf does not vectorise without -ffast-math, and sigmoid/tanh chains (LeNet, LSTM) spend
// most of their elementwise time there. Other dtypes and strided operands take the generic loops.
#pragma once

#include "wick/backend/backend.h"

namespace wick::cpu {

// Computes out = op(x) and returns true when op, dtypes and layout are covered; false (nothing
// written) otherwise.
bool unary_transcendental(UnaryOp op, const Tensor& out, const Tensor& x);

// y[0:n] = op(x[0:n]) for op Exp, Sigmoid or Tanh, on one thread; y may alias x. For kernels that
// apply these to rows of their own (the fused LSTM cell).
void transcendental_block(UnaryOp op, const float* x, float* y, int64_t n);

}  // namespace wick::cpu

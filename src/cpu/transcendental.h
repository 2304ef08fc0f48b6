// Vectorised exp/sigmoid/tanh for contiguous float32 tensors (exp through Eigen's packet math,
// sigmoid and tanh through fast_math.h): glibc's scalar expf does not vectorise without
// -ffast-math, and sigmoid/tanh chains (LeNet, a composed GRU) spend most of their elementwise
// time there. Other dtypes and strided operands take the generic loops.
#pragma once

#include "wick/backend/backend.h"

namespace wick::cpu {

// Computes out = op(x) and returns true when op, dtypes and layout are covered; false (nothing
// written) otherwise.
bool unary_transcendental(UnaryOp op, const Tensor& out, const Tensor& x);

}  // namespace wick::cpu

// The shared first step of elementwise ops: promote dtypes, broadcast shapes, allocate the
// result, call the backend kernel. No autograd here: callers record their own backward.
#pragma once

#include "op_utils.h"

namespace wick::ops {

// Broadcast a and b, cast both to `compute`, run `op`, result in `out_dtype` (compute or bool).
Tensor binary_kernel(BinaryOp op, const Tensor& a, const Tensor& b, DType compute, DType out_dtype, const char* name);
// x cast to `compute`, `op` applied, result in `out_dtype`.
Tensor unary_kernel(UnaryOp op, const Tensor& x, DType compute, DType out_dtype);
// A 0-dim tensor holding s in dtype on t's device (the "wrapped number" of x + 2).
Tensor scalar_like(const Scalar& s, DType dtype, const Tensor& t);
// The float dtype an op computes in when its input is integral (default dtype) or bool.
inline DType to_float_dtype(DType t) { return is_floating_point(t) ? t : default_dtype(); }

}  // namespace wick::ops

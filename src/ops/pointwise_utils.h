// The shared first step of elementwise ops: promote dtypes, broadcast shapes, allocate the
// result, call the backend kernel. No autograd here: callers record their own backward.
#pragma once

#include <optional>
#include <string>

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

// torch.result_type over any number of operands, as PyTorch's ResultTypeState: dimensioned
// tensors outrank 0-dim tensors, which outrank wrapped numbers, unless a lower rank is of a
// higher category (bool < integral < floating).
struct ResultTypeState {
  std::optional<DType> dim, zero, wrapped;
  ResultTypeState& add(const Tensor& t);  // undefined tensors (absent optional operands) are skipped
  ResultTypeState& add(const Scalar& s);
  DType result() const;
};

// PyTorch's canCast: in-place results may not go down a category (float -> int, int -> bool).
bool can_cast(DType from, DType to);
// PyTorch's ScalarType name ("Float", "Long") as its error messages print it.
std::string scalar_type_name(DType t);
// The gradient for an input of `shape`/`dtype` from a gradient of the broadcast result.
Tensor reduce_grad(const Tensor& g, IntArrayRef shape, DType dtype);
// An input's shape as its backward needs it: none when it equals the result's (nothing to sum, so
// a backward lambda need not hold a copy: one allocation less per recorded op), and reduce_grad
// for it (none = the result's own shape).
std::optional<Shape> grad_shape(const Tensor& input, const Tensor& result);
Tensor reduce_grad_to(const Tensor& g, const std::optional<Shape>& shape, DType dtype);
// An in-place op's epilogue: checks result's dtype and shape against self (PyTorch's messages),
// copies it into self and bumps self's version. The caller records autograd afterwards.
void commit_inplace(Tensor& self, const Tensor& result, const char* name);

}  // namespace wick::ops

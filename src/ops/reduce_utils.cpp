// Shared reduction helpers: raw kernel calls, result shapes, constant masks, exp/pow with backward.
#include "reduce_utils.h"

namespace wick::ops {

Tensor reduce_raw(ReduceOp op, const Tensor& x, const Shape& dims) {
  Tensor out = new_empty(keepdim_shape(x, dims), x.dtype(), x.device());
  backend_for(out).reduce(op, out, x, dims);
  return out;
}

Tensor finish_shape(Tensor out, const Shape& dims, bool keepdim) {
  if (keepdim) return out;
  Shape final_shape = drop_dims(out.sizes().vec(), dims);
  out.impl()->sizes = final_shape;  // a fresh contiguous result: reshaping in place is safe
  out.impl()->strides = contiguous_strides(final_shape);
  return out;
}

int64_t reduced_count(const Tensor& x, const Shape& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= x.size(d);
  return n;
}

Tensor expand_grad(const Tensor& g, const Shape& kshape, IntArrayRef in_shape) { return g.reshape(kshape).expand(in_shape); }

Tensor raw_binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  const bool to_bool = op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt || op == BinaryOp::Le ||
                       op == BinaryOp::Gt || op == BinaryOp::Ge;
  return binary_kernel(op, a, raw_cast(b, a.dtype()), a.dtype(), to_bool ? kBool : a.dtype(), "reduction");
}

Tensor raw_binary(BinaryOp op, const Tensor& a, double b) { return raw_binary(op, a, scalar_like(b, a.dtype(), a)); }

Tensor raw_unary(UnaryOp op, const Tensor& x) {
  return unary_kernel(op, x, x.dtype(), op == UnaryOp::IsNan || op == UnaryOp::LogicalNot ? kBool : x.dtype());
}

Tensor mask_as(const Tensor& mask, DType dtype) { return raw_cast(mask, dtype); }

}  // namespace wick::ops

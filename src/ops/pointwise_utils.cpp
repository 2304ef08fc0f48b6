// Elementwise plumbing and torch.result_type.
#include "pointwise_utils.h"

#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"

namespace wick {

namespace {
int category(DType t) { return t == kBool ? 0 : (is_floating_point(t) ? 2 : 1); }

// PyTorch's combine_categories: the higher-priority group's dtype wins unless the lower group is of
// a higher category (a float 0-dim tensor promotes an int tensor).
std::optional<DType> combine(std::optional<DType> higher, std::optional<DType> lower) {
  if (!higher) return lower;
  if (!lower) return higher;
  if (category(*higher) >= category(*lower) && *higher != kBool) return higher;
  if (category(*lower) > category(*higher) || *higher == kBool) return promote_types(*higher, *lower);
  return higher;
}
}  // namespace

DType result_type(const Tensor& a, const Tensor& b) {
  std::optional<DType> dim_r, zero_r;
  for (const Tensor* t : {&a, &b}) {
    auto& slot = t->dim() > 0 ? dim_r : zero_r;
    slot = slot ? promote_types(*slot, t->dtype()) : t->dtype();
  }
  return *combine(dim_r, zero_r);
}

DType result_type(const Tensor& a, const Scalar& b) {
  // A wrapped float number counts as the default dtype, an integer as int64.
  DType wrapped = b.is_floating_point() ? default_dtype() : b.kind();
  std::optional<DType> t = a.dtype();
  if (a.dim() > 0) return *combine(t, wrapped);
  return *combine(t, wrapped);
}

namespace ops {

Tensor binary_kernel(BinaryOp op, const Tensor& a, const Tensor& b, DType compute, DType out_dtype, const char* name) {
  check_same_device(name, {a, b});
  Shape shape = broadcast_shapes(a.sizes(), b.sizes(), name);
  Tensor out = new_empty(shape, out_dtype, a.device());
  if (out.numel() == 0) return out;
  Tensor ac = raw_expand(raw_cast(a, compute), shape);
  Tensor bc = raw_expand(raw_cast(b, compute), shape);
  backend_for(out).binary(op, out, ac, bc);
  return out;
}

Tensor unary_kernel(UnaryOp op, const Tensor& x, DType compute, DType out_dtype) {
  Tensor out = new_empty(x.sizes(), out_dtype, x.device());
  if (out.numel() == 0) return out;
  backend_for(out).unary(op, out, raw_cast(x, compute));
  return out;
}

Tensor scalar_like(const Scalar& s, DType dtype, const Tensor& t) {
  return full({}, s, {.dtype = dtype, .device = t.device()});
}

}  // namespace ops
}  // namespace wick

// Elementwise plumbing and torch.result_type.
#include "pointwise_utils.h"

#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick {

namespace {
int category(DType t) { return t == kBool ? 0 : (is_floating_point(t) ? 2 : 1); }

// PyTorch's combine_categories: the higher-priority group's dtype wins unless the lower group is of
// a higher category (a float 0-dim tensor promotes an int tensor).
std::optional<DType> combine(std::optional<DType> higher, std::optional<DType> lower) {
  if (!higher) return lower;
  if (!lower) return higher;
  if (category(*lower) > category(*higher) || *higher == kBool) return promote_types(*higher, *lower);
  return higher;
}

void fold(std::optional<DType>& slot, DType t) { slot = slot ? promote_types(*slot, t) : t; }
}  // namespace

DType result_type(const Tensor& a, const Tensor& b) { return ops::ResultTypeState().add(a).add(b).result(); }
DType result_type(const Tensor& a, const Scalar& b) { return ops::ResultTypeState().add(a).add(b).result(); }

namespace ops {

ResultTypeState& ResultTypeState::add(const Tensor& t) {
  if (t.defined()) fold(t.dim() > 0 ? dim : zero, t.dtype());
  return *this;
}

ResultTypeState& ResultTypeState::add(const Scalar& s) {
  // A wrapped float number counts as the default dtype, an integer as int64.
  fold(wrapped, s.is_floating_point() ? default_dtype() : s.kind());
  return *this;
}

DType ResultTypeState::result() const {
  auto r = combine(dim, combine(zero, wrapped));
  WICK_CHECK(r.has_value(), "result_type: no operands");
  return *r;
}

bool can_cast(DType from, DType to) {
  if (is_floating_point(from) && !is_floating_point(to)) return false;
  return !(from != kBool && to == kBool);
}

std::string scalar_type_name(DType t) {
  std::string s = legacy_type_name(t);  // "FloatTensor" -> "Float"
  return s.substr(0, s.size() - 6);
}

Tensor reduce_grad(const Tensor& g, IntArrayRef shape, DType dtype) {
  Tensor r = sum_to(g, shape);
  return r.dtype() == dtype ? r : r.to(dtype);
}

std::optional<Shape> grad_shape(const Tensor& input, const Tensor& result) {
  if (input.sizes() == result.sizes()) return std::nullopt;
  return input.sizes().vec();
}

Tensor reduce_grad_to(const Tensor& g, const std::optional<Shape>& shape, DType dtype) {
  if (shape) return reduce_grad(g, *shape, dtype);
  return g.dtype() == dtype ? g : g.to(dtype);
}

void commit_inplace(Tensor& self, const Tensor& result, const char* name) {
  WICK_CHECK(can_cast(result.dtype(), self.dtype()), "result type ", scalar_type_name(result.dtype()),
             " can't be cast to the desired output type ", scalar_type_name(self.dtype()));
  WICK_CHECK(result.sizes() == self.sizes(), "output with shape ", shape_str(self.sizes()),
             " doesn't match the broadcast shape ", shape_str(result.sizes()));
  check_same_device(name, {self, result});
  autograd::check_inplace(self, name);
  if (self.numel() > 0) backend_for(self).copy_(self, result);
  self.impl()->storage->bump_version();
}


Tensor binary_kernel(BinaryOp op, const Tensor& a, const Tensor& b, DType compute, DType out_dtype, const char* name) {
  if (!(a.device() == b.device())) check_same_device(name, {a, b});  // (it builds a vector: only to throw)
  Shape broadcast;  // only when the shapes differ: same-shape operands (the common case) need no copy
  IntArrayRef shape = a.sizes();
  if (!(a.sizes() == b.sizes())) {
    broadcast = broadcast_shapes(a.sizes(), b.sizes(), name);
    shape = broadcast;
  }
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

// add, sub, mul, div, neg and the arithmetic operators, with broadcasting backwards.
#include "pointwise_utils.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {
void check_alpha(const Scalar& alpha, DType dt, const char* op) {
  WICK_CHECK(is_floating_point(dt) || !alpha.is_floating_point(), "For integral input tensors, argument alpha must not be "
             "a floating point number. (", op, ")");
  WICK_CHECK(dt != kBool || alpha.is_bool() || alpha.to_long() == 1, "Boolean alpha only supported for Boolean results. (", op, ")");
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  DType dt = result_type(a, b);
  check_alpha(alpha, dt, "add");
  Tensor bb = b;
  if (alpha.to_double() != 1.0) bb = mul(b, scalar_like(alpha, dt, b));
  Tensor out = binary_kernel(BinaryOp::Add, a, bb, dt, dt, "add");
  if (!is_floating_point(dt) || !autograd::needs_grad({a, b})) return out;
  DType da = a.dtype(), db = b.dtype();
  double al = alpha.to_double();
  return autograd::record("AddBackward0", out, {a, b},
                          [=, sa = grad_shape(a, out), sb = grad_shape(b, out)](const variable_list& g) {
    Tensor gb = al == 1.0 ? g[0] : g[0] * al;
    return variable_list{reduce_grad_to(g[0], sa, da), reduce_grad_to(gb, sb, db)};
  });
}

Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  DType dt = result_type(a, b);
  WICK_CHECK(dt != kBool, "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
             "`logical_xor()` operator instead.");
  check_alpha(alpha, dt, "sub");
  Tensor bb = b;
  if (alpha.to_double() != 1.0) bb = mul(b, scalar_like(alpha, dt, b));
  Tensor out = binary_kernel(BinaryOp::Sub, a, bb, dt, dt, "sub");
  if (!is_floating_point(dt) || !autograd::needs_grad({a, b})) return out;
  DType da = a.dtype(), db = b.dtype();
  double al = alpha.to_double();
  return autograd::record("SubBackward0", out, {a, b},
                          [=, sa = grad_shape(a, out), sb = grad_shape(b, out)](const variable_list& g) {
    return variable_list{reduce_grad_to(g[0], sa, da), reduce_grad_to(-(al == 1.0 ? g[0] : g[0] * al), sb, db)};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  Tensor out = binary_kernel(BinaryOp::Mul, a, b, dt, dt, "mul");
  if (!is_floating_point(dt) || !autograd::needs_grad({a, b})) return out;
  DType da = a.dtype(), db = b.dtype();
  bool ga = a.requires_grad(), gb = b.requires_grad();
  // Each input is saved only if the other's gradient needs it.
  SavedTensor sa_t = gb ? SavedTensor(a) : SavedTensor(), sb_t = ga ? SavedTensor(b) : SavedTensor();
  return autograd::record("MulBackward0", out, {a, b},
                          [=, sa = grad_shape(a, out), sb = grad_shape(b, out)](const variable_list& g) {
    Tensor ra = ga ? reduce_grad_to(g[0] * sb_t.unpack(), sa, da) : Tensor();
    Tensor rb = gb ? reduce_grad_to(g[0] * sa_t.unpack(), sb, db) : Tensor();
    return variable_list{ra, rb};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  DType dt = to_float_dtype(result_type(a, b));  // true division, as torch.div
  Tensor out = binary_kernel(BinaryOp::Div, a, b, dt, dt, "div");
  if (!autograd::needs_grad({a, b})) return out;
  DType da = a.dtype(), db = b.dtype();
  bool gb = b.requires_grad();
  SavedTensor sa_t = gb ? SavedTensor(a) : SavedTensor(), sb_t(b);
  return autograd::record("DivBackward0", out, {a, b},
                          [=, sa = grad_shape(a, out), sb = grad_shape(b, out)](const variable_list& g) {
    Tensor bv = sb_t.unpack();
    Tensor ra = reduce_grad_to(g[0] / bv, sa, da);
    Tensor rb = gb ? reduce_grad_to(-g[0] * sa_t.unpack() / (bv * bv), sb, db) : Tensor();
    return variable_list{ra, rb};
  });
}

Tensor neg(const Tensor& x) {
  WICK_CHECK(x.dtype() != kBool, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
             "invert a mask, use the `~` or `logical_not()` operator instead.");
  Tensor out = unary_kernel(UnaryOp::Neg, x, x.dtype(), x.dtype());
  return autograd::record("NegBackward0", out, {x}, [](const variable_list& g) { return variable_list{-g[0]}; });
}

// ---- operators and methods ----
Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, scalar_like(b, result_type(a, b), a)); }
Tensor operator-(const Tensor& a, const Scalar& b) { return sub(a, scalar_like(b, result_type(a, b), a)); }
Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, scalar_like(b, result_type(a, b), a)); }
Tensor operator/(const Tensor& a, const Scalar& b) { return div(a, scalar_like(b, result_type(a, b), a)); }
Tensor operator+(const Scalar& a, const Tensor& b) { return add(scalar_like(a, result_type(b, a), b), b); }
Tensor operator-(const Scalar& a, const Tensor& b) { return sub(scalar_like(a, result_type(b, a), b), b); }
Tensor operator*(const Scalar& a, const Tensor& b) { return mul(scalar_like(a, result_type(b, a), b), b); }
Tensor operator/(const Scalar& a, const Tensor& b) { return div(scalar_like(a, result_type(b, a), b), b); }

Tensor Tensor::add(const Tensor& o, const Scalar& alpha) const { return wick::add(*this, o, alpha); }
Tensor Tensor::sub(const Tensor& o, const Scalar& alpha) const { return wick::sub(*this, o, alpha); }
Tensor Tensor::mul(const Tensor& o) const { return wick::mul(*this, o); }
Tensor Tensor::div(const Tensor& o) const { return wick::div(*this, o); }
Tensor Tensor::neg() const { return wick::neg(*this); }

}  // namespace wick

// Comparisons (eq, ne, lt, le, gt, ge), logical ops and their operators, all giving bool tensors
// that record no autograd; plus equal, isclose and allclose. Operands are compared in their
// promoted dtype (int tensor == 2.5 compares as float).
#include <algorithm>
#include <cmath>

#include "pointwise_utils.h"
#include "wick/ops/pointwise.h"

namespace wick {

using namespace ops;

namespace {
Tensor predicate(BinaryOp op, const Tensor& a, const Tensor& b, const char* name) {
  return binary_kernel(op, a, b, result_type(a, b), kBool, name);
}
Tensor predicate(BinaryOp op, const Tensor& a, const Scalar& b, const char* name) {
  DType dt = result_type(a, b);
  return binary_kernel(op, a, scalar_like(b, dt, a), dt, kBool, name);
}
}  // namespace

#define WICK_PREDICATE(fn, op, sym)                                                          \
  Tensor fn(const Tensor& a, const Tensor& b) { return predicate(BinaryOp::op, a, b, #fn); } \
  Tensor fn(const Tensor& a, const Scalar& b) { return predicate(BinaryOp::op, a, b, #fn); } \
  Tensor operator sym(const Tensor& a, const Tensor& b) { return fn(a, b); }                 \
  Tensor operator sym(const Tensor& a, const Scalar& b) { return fn(a, b); }                 \
  Tensor Tensor::fn(const Tensor& o) const { return wick::fn(*this, o); }                    \
  Tensor Tensor::fn(const Scalar& o) const { return wick::fn(*this, o); }
WICK_PREDICATE(eq, Eq, ==)
WICK_PREDICATE(ne, Ne, !=)
WICK_PREDICATE(lt, Lt, <)
WICK_PREDICATE(le, Le, <=)
WICK_PREDICATE(gt, Gt, >)
WICK_PREDICATE(ge, Ge, >=)
#undef WICK_PREDICATE

Tensor logical_and(const Tensor& a, const Tensor& b) {
  return predicate(BinaryOp::LogicalAnd, a, b, "logical_and");
}
Tensor logical_or(const Tensor& a, const Tensor& b) {
  return predicate(BinaryOp::LogicalOr, a, b, "logical_or");
}
Tensor logical_xor(const Tensor& a, const Tensor& b) {
  return predicate(BinaryOp::LogicalXor, a, b, "logical_xor");
}
Tensor logical_not(const Tensor& x) {
  return unary_kernel(UnaryOp::LogicalNot, x, x.dtype(), kBool);
}

Tensor operator&&(const Tensor& a, const Tensor& b) { return logical_and(a, b); }
Tensor operator||(const Tensor& a, const Tensor& b) { return logical_or(a, b); }
Tensor operator!(const Tensor& a) { return logical_not(a); }

Tensor Tensor::logical_and(const Tensor& o) const { return wick::logical_and(*this, o); }
Tensor Tensor::logical_or(const Tensor& o) const { return wick::logical_or(*this, o); }
Tensor Tensor::logical_xor(const Tensor& o) const { return wick::logical_xor(*this, o); }
Tensor Tensor::logical_not() const { return wick::logical_not(*this); }

namespace {
bool all_true(const Tensor& mask) {
  std::vector<bool> v = mask.tolist<bool>();
  return std::all_of(v.begin(), v.end(), [](bool b) { return b; });
}
}  // namespace

// torch.equal: same shape and the same values (compared in the promoted dtype; NaN != NaN).
bool equal(const Tensor& a, const Tensor& b) {
  check_same_device("equal", {a, b});
  if (a.sizes() != b.sizes()) return false;
  return all_true(eq(a.detach(), b.detach()));
}

// PyTorch's isclose: |a - b| <= atol + rtol * |b|, or a == b (which covers equal infinities).
Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  WICK_CHECK(a.dtype() == b.dtype(), scalar_type_name(a.dtype()), " did not match ",
             scalar_type_name(b.dtype()));
  WICK_CHECK(rtol >= 0, "rtol must be greater than or equal to zero, but got ", rtol);
  WICK_CHECK(atol >= 0, "atol must be greater than or equal to zero, but got ", atol);
  Tensor x = a.detach(), y = b.detach();
  Tensor close = x == y;
  if (equal_nan && x.is_floating_point()) close = logical_or(close, logical_and(x != x, y != y));
  if (rtol == 0 && atol == 0) return close;
  if (x.dtype() == kBool) {
    x = x.to(default_dtype());
    y = y.to(default_dtype());
  }
  Tensor allowed = atol + abs(rtol * y);
  Tensor actual = abs(x - y);
  Tensor within = actual <= allowed;  // false for NaN
  if (actual.is_floating_point()) within = logical_and(within, actual != INFINITY);
  return logical_or(close, within);
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  return all_true(isclose(a, b, rtol, atol, equal_nan));
}

bool Tensor::equal(const Tensor& other) const { return wick::equal(*this, other); }
Tensor Tensor::isclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return wick::isclose(*this, other, rtol, atol, equal_nan);
}
bool Tensor::allclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return wick::allclose(*this, other, rtol, atol, equal_nan);
}

}  // namespace wick

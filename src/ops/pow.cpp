// torch.pow in its three forms (tensor ** tensor, tensor ** number, number ** tensor) and square,
// with PowBackward0/1/2. Integer powers stay integer; a float exponent promotes to float.
#include "pointwise_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"

namespace wick {

using namespace ops;

namespace {

// d(base ** e)/d e = result * log(base), taken as 0 where base == 0 and e >= 0 (PyTorch's
// pow_backward_exponent: the limit from the right, not log(0) * 0 = nan).
Tensor grad_wrt_exponent(const Tensor& g, const Tensor& base, const Tensor& exponent,
                         const Tensor& result) {
  Tensor zero_base = logical_and(base == 0, exponent >= 0);
  return g * where(zero_base, 0, result * log(base));
}

}  // namespace

Tensor pow(const Tensor& a, const Scalar& exponent) {
  DType dt = result_type(a, exponent);
  WICK_CHECK(dt != kBool, "\"pow\" not implemented for 'Bool'");
  WICK_CHECK(is_floating_point(dt) || exponent.to_long() >= 0,
             "Integers to negative integer powers are not allowed.");
  // x ** 2 and x ** 0.5 are common enough (square, norms) to skip the general pow.
  Tensor out;
  if (exponent.to_double() == 2.0)
    out = unary_kernel(UnaryOp::Square, a, dt, dt);
  else if (exponent.to_double() == 0.5)
    out = unary_kernel(UnaryOp::Sqrt, a, dt, dt);
  else
    out = binary_kernel(BinaryOp::Pow, a, scalar_like(exponent, dt, a), dt, dt, "pow");
  if (!is_floating_point(dt) || !autograd::needs_grad({a})) return out;
  double e = exponent.to_double();
  return autograd::record("PowBackward0", out, {a},
                          [s = SavedTensor(a), e](const variable_list& g) {
                            if (e == 0.0) return variable_list{zeros_like(g[0])};
                            Tensor x = s.unpack();
                            return variable_list{g[0] * (e * pow(x, e - 1.0))};
                          });
}

Tensor pow(const Tensor& a, const Tensor& exponent) {
  DType dt = result_type(a, exponent);
  WICK_CHECK(dt != kBool, "\"pow\" not implemented for 'Bool'");
  Tensor out = binary_kernel(BinaryOp::Pow, a, exponent, dt, dt, "pow");
  if (!is_floating_point(dt) || !autograd::needs_grad({a, exponent})) return out;
  Shape sa = a.sizes().vec(), se = exponent.sizes().vec();
  DType da = a.dtype(), de = exponent.dtype();
  bool ga = a.requires_grad(), ge = exponent.requires_grad();
  return autograd::record(
      "PowBackward1", out, {a, exponent},
      [=, sa_t = SavedTensor(a), se_t = SavedTensor(exponent),
       so_t = ge ? SavedTensor(out, /*is_output=*/true) : SavedTensor()](const variable_list& g) {
        Tensor x = sa_t.unpack(), e = se_t.unpack();
        Tensor gx, gexp;
        if (ga) gx = reduce_grad(where(e == 0, 0, g[0] * (e * pow(x, e - 1))), sa, da);
        if (ge) gexp = reduce_grad(grad_wrt_exponent(g[0], x.to(dt), e, so_t.unpack()), se, de);
        return variable_list{gx, gexp};
      });
}

Tensor pow(const Scalar& base, const Tensor& exponent) {
  DType dt = result_type(exponent, base);
  WICK_CHECK(dt != kBool, "\"pow\" not implemented for 'Bool'");
  Tensor b = scalar_like(base, dt, exponent);
  Tensor out = binary_kernel(BinaryOp::Pow, b, exponent, dt, dt, "pow");
  if (!is_floating_point(dt) || !autograd::needs_grad({exponent})) return out;
  DType de = exponent.dtype();
  return autograd::record(
      "PowBackward2", out, {exponent},
      [b, de, se_t = SavedTensor(exponent), so_t = SavedTensor(out, true)](const variable_list& g) {
        Tensor r = grad_wrt_exponent(g[0], b, se_t.unpack(), so_t.unpack());
        return variable_list{r.dtype() == de ? r : r.to(de)};
      });
}

Tensor square(const Tensor& x) { return pow(x, 2); }

Tensor Tensor::pow(const Tensor& exponent) const { return wick::pow(*this, exponent); }
Tensor Tensor::pow(const Scalar& exponent) const { return wick::pow(*this, exponent); }
Tensor Tensor::square() const { return wick::square(*this); }

}  // namespace wick

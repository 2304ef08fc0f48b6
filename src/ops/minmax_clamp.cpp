// minimum, maximum and clamp (number or tensor bounds, clamp_min/clamp_max, clamp_) with backward.
// Bounds apply as max(x, min) then min(., max), so min > max gives max, and NaN propagates.
#include "pointwise_utils.h"
#include "wick/autograd/grad_mode.h"
#include "wick/ops/pointwise.h"

namespace wick {

using namespace ops;

namespace {

// maximum: the larger input takes the gradient, ties split it in half (and NaN pairs pass it to
// both).
variable_list minmax_backward(const Tensor& g, const Tensor& a, const Tensor& b, bool is_max,
                              const Shape& sa, const Shape& sb, DType da, DType db) {
  Tensor shared = where(a == b, g / 2, g);
  Tensor a_loses = is_max ? a < b : a > b;
  Tensor b_loses = is_max ? a > b : a < b;
  return {reduce_grad(masked_fill(shared, a_loses, 0), sa, da),
          reduce_grad(masked_fill(shared, b_loses, 0), sb, db)};
}

Tensor minmax(BinaryOp op, const char* name, const char* node, const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  Tensor out = binary_kernel(op, a, b, dt, dt, name);
  if (!is_floating_point(dt) || !autograd::needs_grad({a, b})) return out;
  Shape sa = a.sizes().vec(), sb = b.sizes().vec();
  DType da = a.dtype(), db = b.dtype();
  bool is_max = op == BinaryOp::Maximum;
  return autograd::record(
      node, out, {a, b}, [=, a_t = SavedTensor(a), b_t = SavedTensor(b)](const variable_list& g) {
        return minmax_backward(g[0], a_t.unpack(), b_t.unpack(), is_max, sa, sb, da, db);
      });
}

// Where the gradient passes: min <= x <= max (an undefined bound is absent; NaN x blocks it).
Tensor inside(const Tensor& x, const Tensor& min, const Tensor& max) {
  if (min.defined() && max.defined()) return logical_and(x >= min, x <= max);
  return min.defined() ? x >= min : x <= max;
}

// The forward of every clamp form, in dtype dt; no autograd.
Tensor clamp_forward(const Tensor& x, const Tensor& min, const Tensor& max, DType dt) {
  Tensor out = x;
  if (min.defined()) out = binary_kernel(BinaryOp::Maximum, out, min, dt, dt, "clamp");
  if (max.defined()) out = binary_kernel(BinaryOp::Minimum, out, max, dt, dt, "clamp");
  return out;
}

// Number bounds as 0-dim tensors of the result dtype (undefined when absent).
struct ScalarBounds {
  DType dt;
  Tensor lo, hi;
};
ScalarBounds scalar_bounds(const Tensor& x, const std::optional<Scalar>& min,
                           const std::optional<Scalar>& max) {
  WICK_CHECK(min || max, "torch.clamp: At least one of 'min' or 'max' must not be None");
  ResultTypeState st;
  st.add(x);
  if (min) st.add(*min);
  if (max) st.add(*max);
  DType dt = st.result();
  return {dt, min ? scalar_like(*min, dt, x) : Tensor(), max ? scalar_like(*max, dt, x) : Tensor()};
}

// Clamp with number bounds; node names the PyTorch function (ClampBackward1, ClampMinBackward0,
// ...).
Tensor clamp_scalar(const Tensor& x, const std::optional<Scalar>& min,
                    const std::optional<Scalar>& max, const char* node) {
  auto [dt, lo, hi] = scalar_bounds(x, min, max);
  Tensor out = clamp_forward(x, lo, hi, dt);
  if (!is_floating_point(dt) || !autograd::needs_grad({x})) return out;
  return autograd::record(node, out, {x}, [lo, hi, x_t = SavedTensor(x)](const variable_list& g) {
    return variable_list{where(inside(x_t.unpack(), lo, hi), g[0], 0)};
  });
}

}  // namespace

Tensor minimum(const Tensor& a, const Tensor& b) {
  return minmax(BinaryOp::Minimum, "minimum", "MinimumBackward0", a, b);
}
Tensor maximum(const Tensor& a, const Tensor& b) {
  return minmax(BinaryOp::Maximum, "maximum", "MaximumBackward0", a, b);
}

Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max) {
  return clamp_scalar(x, min, max, "ClampBackward1");
}
Tensor clamp_min(const Tensor& x, const Scalar& min) {
  return clamp_scalar(x, min, std::nullopt, "ClampMinBackward0");
}
Tensor clamp_max(const Tensor& x, const Scalar& max) {
  return clamp_scalar(x, std::nullopt, max, "ClampMaxBackward0");
}

// Tensor bounds (an undefined Tensor means None): the result broadcasts x, min and max.
Tensor clamp(const Tensor& x, const Tensor& min, const Tensor& max) {
  const bool has_min = min.defined(), has_max = max.defined();
  WICK_CHECK(has_min || has_max, "torch.clamp: At least one of 'min' or 'max' must not be None");
  check_same_device("clamp", {x, has_min ? min : x, has_max ? max : x});
  DType dt = ResultTypeState().add(x).add(min).add(max).result();
  Tensor out = clamp_forward(x, min, max, dt);
  if (!is_floating_point(dt) || !autograd::needs_grad({x, min, max})) return out;
  Shape sx = x.sizes().vec(), smin = has_min ? min.sizes().vec() : Shape{},
        smax = has_max ? max.sizes().vec() : Shape{};
  DType dx = x.dtype(), dmin = has_min ? min.dtype() : dt, dmax = has_max ? max.dtype() : dt;
  bool gmin = has_min && min.requires_grad(), gmax = has_max && max.requires_grad();
  return autograd::record("ClampBackward0", out, {x, min, max},
                          [=, x_t = SavedTensor(x), min_t = SavedTensor(min),
                           max_t = SavedTensor(max)](const variable_list& g) {
                            Tensor xv = x_t.unpack(), lo = min_t.unpack(), hi = max_t.unpack();
                            Tensor gx = reduce_grad(where(inside(xv, lo, hi), g[0], 0), sx, dx);
                            Tensor glo, ghi;
                            // A bound takes the gradient where it is the one that decided the
                            // result.
                            if (gmin) {
                              Tensor m = has_max ? logical_and(xv < lo, lo < hi) : xv < lo;
                              glo = reduce_grad(where(m, g[0], 0), smin, dmin);
                            }
                            if (gmax) {
                              Tensor m = has_min ? logical_or(xv > hi, hi < lo) : xv > hi;
                              ghi = reduce_grad(where(m, g[0], 0), smax, dmax);
                            }
                            return variable_list{gx, glo, ghi};
                          });
}

Tensor& Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max) {
  auto [dt, lo, hi] = scalar_bounds(*this, min, max);
  const bool need_mask = autograd::needs_grad({*this});
  Tensor result, mask;
  {
    autograd::NoGradGuard no_grad;
    result = clamp_forward(*this, lo, hi, dt);
    if (need_mask)
      mask = inside(*this, lo, hi);  // from self's old values, before they are overwritten
  }
  commit_inplace(*this, result, "clamp_");
  autograd::record_inplace("ClampBackward1", *this, {}, [mask](const variable_list& g) {
    return variable_list{where(mask, g[0], 0)};
  });
  return *this;
}

Tensor Tensor::clamp(std::optional<Scalar> min, std::optional<Scalar> max) const {
  return wick::clamp(*this, min, max);
}
Tensor Tensor::clamp_min(const Scalar& min) const { return wick::clamp_min(*this, min); }
Tensor Tensor::clamp_max(const Scalar& max) const { return wick::clamp_max(*this, max); }
Tensor Tensor::minimum(const Tensor& other) const { return wick::minimum(*this, other); }
Tensor Tensor::maximum(const Tensor& other) const { return wick::maximum(*this, other); }

}  // namespace wick

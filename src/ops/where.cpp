// Selection ops: where (tensor or number branches), masked_fill(_) and lerp(_), with backward.
// Conditions and masks are bool (where also takes the deprecated uint8 condition, as PyTorch 1.13).
#include <cmath>

#include "pointwise_utils.h"
#include "wick/autograd/grad_mode.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

// out (broadcast of cond, x, y) = cond ? x : y in dtype dt; no autograd.
Tensor where_kernel(const Tensor& cond, const Tensor& x, const Tensor& y, DType dt) {
  check_same_device("where", {cond, x, y});
  Shape shape =
      broadcast_shapes(broadcast_shapes(cond.sizes(), x.sizes(), "where"), y.sizes(), "where");
  Tensor out = new_empty(shape, dt, x.device());
  if (out.numel() == 0) return out;
  backend_for(out).where(out, raw_expand(raw_cast(cond, kBool), shape),
                         raw_expand(raw_cast(x, dt), shape), raw_expand(raw_cast(y, dt), shape));
  return out;
}

Tensor where_impl(const Tensor& cond, const Tensor& x, const Tensor& y, DType dt) {
  WICK_CHECK(cond.dtype() == kBool || cond.dtype() == kUInt8,
             "where expected condition to be a boolean tensor, but got a tensor with dtype ",
             scalar_type_name(cond.dtype()));
  Tensor out = where_kernel(cond, x, y, dt);
  if (!is_floating_point(dt) || !autograd::needs_grad({x, y})) return out;
  Shape sx = x.sizes().vec(), sy = y.sizes().vec();
  DType dx = x.dtype(), dy = y.dtype();
  bool gx = x.requires_grad(), gy = y.requires_grad();
  return autograd::record(
      "WhereBackward0", out, {x, y}, [=, c_t = SavedTensor(cond)](const variable_list& g) {
        Tensor c = c_t.unpack();
        return variable_list{gx ? reduce_grad(where(c, g[0], 0), sx, dx) : Tensor(),
                             gy ? reduce_grad(where(c, 0, g[0]), sy, dy) : Tensor()};
      });
}

void check_mask(const Tensor& mask) {
  WICK_CHECK(mask.dtype() == kBool,
             "masked_fill_ only supports boolean masks, but got mask with dtype ",
             scalar_type_name(mask.dtype()));
}

// The C++ type name PyTorch's lerp error prints ("float", "double").
const char* c_type_name(DType t) {
  switch (t) {
    case kFloat32:
      return "float";
    case kFloat64:
      return "double";
    case kFloat16:
      return "c10::Half";
    case kBFloat16:
      return "c10::BFloat16";
    case kInt64:
      return "long int";
    case kInt32:
      return "int";
    case kUInt8:
      return "unsigned char";
    case kBool:
      return "bool";
  }
  return "?";
}

void check_lerp(const Tensor& start, const Tensor& end, const Tensor* weight) {
  WICK_CHECK(start.is_floating_point(), "\"lerp_kernel_", weight ? "tensor" : "scalar",
             "\" not implemented for '", scalar_type_name(start.dtype()), "'");
  WICK_CHECK(end.dtype() == start.dtype(), "expected dtype ", c_type_name(start.dtype()),
             " for `end` but got dtype ", c_type_name(end.dtype()));
  WICK_CHECK(!weight || weight->dtype() == start.dtype(), "expected dtype ",
             c_type_name(start.dtype()), " for `weight` but got dtype ",
             c_type_name(weight->dtype()));
}

// PyTorch's two-sided formula: exact at weight 0 and 1 and monotone across 0.5. No autograd.
Tensor lerp_forward(const Tensor& start, const Tensor& end, double w) {
  autograd::NoGradGuard no_grad;
  Tensor diff = end - start;
  return std::abs(w) < 0.5 ? start + w * diff : end - diff * (1 - w);
}
Tensor lerp_forward(const Tensor& start, const Tensor& end, const Tensor& w) {
  autograd::NoGradGuard no_grad;
  Tensor diff = end - start;
  return where(abs(w) < 0.5, start + w * diff, end - diff * (1 - w));
}

}  // namespace

Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y) {
  return where_impl(condition, x, y, result_type(x, y));
}
Tensor where(const Tensor& condition, const Scalar& x, const Tensor& y) {
  DType dt = result_type(y, x);
  return where_impl(condition, scalar_like(x, dt, y), y, dt);
}
Tensor where(const Tensor& condition, const Tensor& x, const Scalar& y) {
  DType dt = result_type(x, y);
  return where_impl(condition, x, scalar_like(y, dt, x), dt);
}

// Out of place, the result broadcasts x with mask (as PyTorch's masked_fill); value takes x's
// dtype.
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value) {
  check_mask(mask);
  Tensor out = where_kernel(mask, scalar_like(value, x.dtype(), x), x, x.dtype());
  if (!x.is_floating_point() || !autograd::needs_grad({x})) return out;
  Shape sx = x.sizes().vec();
  return autograd::record("MaskedFillBackward0", out, {x},
                          [sx, m_t = SavedTensor(mask)](const variable_list& g) {
                            return variable_list{sum_to(masked_fill(g[0], m_t.unpack(), 0), sx)};
                          });
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, const Tensor& value) {
  check_mask(mask);
  WICK_CHECK(value.dim() == 0,
             "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
             value.dim(), " dimension(s).");
  Tensor out = where_kernel(mask, value, x, x.dtype());
  if (!x.is_floating_point() || !autograd::needs_grad({x, value})) return out;
  Shape sx = x.sizes().vec();
  DType dv = value.dtype();
  return autograd::record("MaskedFillBackward1", out, {x, value},
                          [sx, dv, m_t = SavedTensor(mask)](const variable_list& g) {
                            Tensor m = m_t.unpack();
                            return variable_list{sum_to(masked_fill(g[0], m, 0), sx),
                                                 reduce_grad(where(m, g[0], 0), {}, dv)};
                          });
}

Tensor& Tensor::masked_fill_(const Tensor& mask, const Scalar& value) {
  check_mask(mask);
  check_same_device("masked_fill_", {*this, mask});
  Shape shape = broadcast_shapes(sizes(), mask.sizes(), "masked_fill_");
  WICK_CHECK(IntArrayRef(shape) == sizes(), "output with shape ", shape_str(sizes()),
             " doesn't match the broadcast shape ", shape_str(shape));
  autograd::check_inplace(*this, "masked_fill_");
  if (numel() > 0) {
    backend_for(*this).where(*this, raw_expand(mask, shape),
                             raw_expand(scalar_like(value, dtype(), *this), shape), *this);
  }
  impl()->storage->bump_version();
  if (!is_floating_point()) return *this;
  autograd::record_inplace("MaskedFillBackward0", *this, {},
                           [m_t = SavedTensor(mask)](const variable_list& g) {
                             return variable_list{wick::masked_fill(g[0], m_t.unpack(), 0)};
                           });
  return *this;
}

Tensor lerp(const Tensor& start, const Tensor& end, const Scalar& weight) {
  check_lerp(start, end, nullptr);
  double w = weight.to_double();
  Tensor out = lerp_forward(start, end, w);
  if (!autograd::needs_grad({start, end})) return out;
  Shape ss = start.sizes().vec(), se = end.sizes().vec();
  DType dt = start.dtype();
  return autograd::record("LerpBackward0", out, {start, end}, [=](const variable_list& g) {
    return variable_list{reduce_grad(g[0] * (1 - w), ss, dt), reduce_grad(g[0] * w, se, dt)};
  });
}

Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight) {
  check_lerp(start, end, &weight);
  check_same_device("lerp", {start, end, weight});
  Tensor out = lerp_forward(start, end, weight);
  if (!autograd::needs_grad({start, end, weight})) return out;
  Shape ss = start.sizes().vec(), se = end.sizes().vec(), sw = weight.sizes().vec();
  DType dt = start.dtype();
  bool gw = weight.requires_grad();
  return autograd::record(
      "LerpBackward1", out, {start, end, weight},
      [=, s_t = gw ? SavedTensor(start) : SavedTensor(),
       e_t = gw ? SavedTensor(end) : SavedTensor(),
       w_t = SavedTensor(weight)](const variable_list& g) {
        Tensor w = w_t.unpack();
        Tensor gweight = gw ? reduce_grad(g[0] * (e_t.unpack() - s_t.unpack()), sw, dt) : Tensor();
        return variable_list{reduce_grad(g[0] * (1 - w), ss, dt), reduce_grad(g[0] * w, se, dt),
                             gweight};
      });
}

Tensor& Tensor::lerp_(const Tensor& end, const Scalar& weight) {
  check_lerp(*this, end, nullptr);
  double w = weight.to_double();
  commit_inplace(*this, lerp_forward(*this, end, w), "lerp_");
  Shape se = end.sizes().vec();
  DType dt = dtype();
  autograd::record_inplace("LerpBackward0", *this, {end}, [=](const variable_list& g) {
    return variable_list{g[0] * (1 - w), reduce_grad(g[0] * w, se, dt)};
  });
  return *this;
}

Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const {
  return wick::masked_fill(*this, mask, value);
}
Tensor Tensor::masked_fill(const Tensor& mask, const Tensor& value) const {
  return wick::masked_fill(*this, mask, value);
}
Tensor Tensor::lerp(const Tensor& end, const Scalar& weight) const {
  return wick::lerp(*this, end, weight);
}
Tensor Tensor::lerp(const Tensor& end, const Tensor& weight) const {
  return wick::lerp(*this, end, weight);
}

}  // namespace wick

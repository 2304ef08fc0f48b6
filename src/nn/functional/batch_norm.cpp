// batch_norm as a fused op (NativeBatchNormBackward0) over input viewed as (N, C, S): the backend
// kernel computes statistics, updates running stats in place, and normalizes; backward uses the
// backward kernel, or Tensor ops when backward itself is recorded (double backward).
#include <vector>

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/nn/functional/normalization.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {
namespace {

using autograd::SavedTensor;
using autograd::variable_list;

// dims other than the channel dim (1).
std::vector<int64_t> reduce_dims(int64_t ndim) {
  std::vector<int64_t> v{0};
  for (int64_t d = 2; d < ndim; ++d) v.push_back(d);
  return v;
}

// (C) -> (1, C, 1, ...) for broadcasting against x.
Tensor per_channel(const Tensor& t, int64_t ndim) {
  Shape s(static_cast<size_t>(ndim), 1);
  s[1] = t.numel();
  return t.reshape(s);
}

// Tensor-op gradients (differentiable in x and weight), for double backward. In eval the
// statistics are constants.
variable_list composite_backward(const Tensor& x, const Tensor& w, const Tensor& g,
                                 const Tensor& save_mean, const Tensor& save_invstd, bool training,
                                 double eps) {
  std::vector<int64_t> dims = reduce_dims(x.dim());
  Tensor xhat, dx;
  Tensor gw = w.defined() ? g * per_channel(w, x.dim()) : g;
  if (training) {
    Tensor xc = x - x.mean(dims, true);
    Tensor invstd = rsqrt((xc * xc).mean(dims, true) + eps);
    xhat = xc * invstd;
    dx = invstd * (gw - gw.mean(dims, true) - xhat * (gw * xhat).mean(dims, true));
  } else {
    Tensor invstd = per_channel(save_invstd, x.dim());
    xhat = (x - per_channel(save_mean, x.dim())) * invstd;
    dx = gw * invstd;
  }
  return {dx, (g * xhat).sum(dims), g.sum(dims)};
}

void check_channels(const Tensor& t, const char* name, int64_t c, const Tensor& input) {
  if (!t.defined()) return;
  WICK_CHECK(t.numel() == c, "batch_norm: ", name, " should contain ", c, " elements not ",
             t.numel());
  WICK_CHECK(t.dtype() == input.dtype(), "batch_norm: expected ", name, " of dtype ",
             dtype_name(input.dtype()), " (the input's), got ", dtype_name(t.dtype()));
}

}  // namespace

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, double momentum,
                  double eps) {
  WICK_CHECK(input.dim() >= 2,
             "batch_norm: expected input of shape (N, C, *) with at least 2 dims, got ",
             input.sizes());
  WICK_CHECK(input.dtype() == kFloat32 || input.dtype() == kFloat64,
             "batch_norm: expected a float32 or float64 input, got ", dtype_name(input.dtype()));
  const int64_t n = input.size(0), c = input.size(1),
                s = c > 0 && n > 0 ? input.numel() / (n * c) : 0;
  if (training)
    WICK_CHECK(n * s > 1, "Expected more than 1 value per channel when training, got input size ",
               input.sizes());
  else
    WICK_CHECK(running_mean.defined() && running_var.defined(),
               "batch_norm: running_mean and running_var must be defined in evaluation mode");
  check_channels(running_mean, "running_mean", c, input);
  check_channels(running_var, "running_var", c, input);
  check_channels(weight, "weight", c, input);
  check_channels(bias, "bias", c, input);

  Tensor x = input.contiguous();
  Tensor out = empty(x.sizes(), x.options());
  Tensor save_mean = empty({c}, x.options()), save_invstd = empty({c}, x.options());
  // The kernel updates running stats in place; a strided buffer goes through a contiguous copy.
  auto flat = [](const Tensor& t) {
    return t.defined() && !t.is_contiguous() ? t.contiguous() : t;
  };
  Tensor rm = flat(running_mean), rv = flat(running_var);
  auto param = [c](const Tensor& t) { return t.defined() ? t.contiguous().view({c}) : t; };
  if (x.numel() > 0) {
    backend_for(x).batch_norm(out.view({n, c, s}), save_mean, save_invstd, x.view({n, c, s}),
                              param(weight), param(bias), param(rm), param(rv), training, momentum,
                              eps);
  } else if (c > 0) {
    save_mean.zero_();
    save_invstd.zero_();
  }
  if (training) {
    NoGradGuard ng;
    for (auto [buf, tmp] : {std::pair{running_mean, rm}, std::pair{running_var, rv}}) {
      if (!buf.defined()) continue;
      if (!buf.is_same(tmp))
        Tensor(buf).copy_(tmp);
      else
        buf.impl()->storage->bump_version();
    }
  }

  const bool need_w = weight.defined() && weight.requires_grad(),
             need_b = bias.defined() && bias.requires_grad();
  return autograd::record(
      "NativeBatchNormBackward0", out, {x, weight, bias},
      [sx = SavedTensor(x), sw = SavedTensor(weight), save_mean, save_invstd, training, eps, need_w,
       need_b, n, c, s](const variable_list& grads) {
        Tensor xv = sx.unpack(), wv = sw.unpack();
        if (autograd::GradMode::is_enabled()) {
          variable_list r =
              composite_backward(xv, wv, grads[0], save_mean, save_invstd, training, eps);
          return variable_list{r[0], need_w ? r[1] : Tensor(), need_b ? r[2] : Tensor()};
        }
        Tensor g = grads[0].contiguous();
        Tensor dx = empty(xv.sizes(), xv.options());
        Tensor dw = need_w ? empty({c}, xv.options()) : Tensor();
        Tensor db = need_b ? empty({c}, xv.options()) : Tensor();
        if (xv.numel() > 0) {
          backend_for(xv).batch_norm_backward(
              dx.view({n, c, s}), dw, db, g.view({n, c, s}), xv.view({n, c, s}),
              wv.defined() ? wv.contiguous().view({c}) : wv, save_mean, save_invstd, training);
        } else {
          if (need_w) dw.zero_();
          if (need_b) db.zero_();
        }
        if (need_w && wv.dim() != 1) dw = dw.view(wv.sizes());
        return variable_list{dx, dw, db};
      });
}

}  // namespace wick::nn::functional

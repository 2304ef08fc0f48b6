// layer_norm as a fused op (NativeLayerNormBackward0): the forward and backward run the backend's
// row kernels. When backward itself is being recorded (create_graph), the gradient is written
// with Tensor ops instead, so double backward works; the kernels are the fast path.
#include <string>
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

std::vector<int64_t> iota(int64_t from, int64_t to) {
  std::vector<int64_t> v;
  for (int64_t d = from; d < to; ++d) v.push_back(d);
  return v;
}

// The gradients as Tensor ops of x (differentiable), for double backward: lead dims are summed
// for weight/bias, the trailing `norm_dims` are normalized.
variable_list composite_backward(const Tensor& x, const Tensor& w, const Tensor& g,
                                 int64_t norm_dims, double eps) {
  std::vector<int64_t> dims = iota(x.dim() - norm_dims, x.dim()),
                       lead = iota(0, x.dim() - norm_dims);
  Tensor xc = x - x.mean(dims, true);
  Tensor rstd = rsqrt((xc * xc).mean(dims, true) + eps);
  Tensor xhat = xc * rstd;
  Tensor gw = w.defined() ? g * w : g;
  Tensor dx = rstd * (gw - gw.mean(dims, true) - xhat * (gw * xhat).mean(dims, true));
  Tensor dw = lead.empty() ? g * xhat : (g * xhat).sum(lead);
  Tensor db = lead.empty() ? g : g.sum(lead);
  return {dx, dw, db};
}

void check_param(const Tensor& p, const char* name, IntArrayRef normalized_shape,
                 const Tensor& input) {
  if (!p.defined()) return;
  WICK_CHECK(p.sizes() == normalized_shape, "layer_norm: Expected ", name,
             " to be of same shape as normalized_shape, but got ", name, " of shape ", p.sizes(),
             " and normalized_shape = ", normalized_shape);
  WICK_CHECK(p.dtype() == input.dtype(), "layer_norm: expected ", name, " of dtype ",
             dtype_name(input.dtype()), " (the input's), got ", dtype_name(p.dtype()));
}

}  // namespace

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight,
                  const Tensor& bias, double eps) {
  const int64_t k = static_cast<int64_t>(normalized_shape.size());
  WICK_CHECK(
      k >= 1,
      "layer_norm: Expected normalized_shape to be at least 1-dimensional, i.e., containing at "
      "least one element, but got normalized_shape = ",
      normalized_shape);
  bool fits = input.dim() >= k;
  for (int64_t i = 0; fits && i < k; ++i)
    fits = input.size(input.dim() - k + i) == normalized_shape[static_cast<size_t>(i)];
  WICK_CHECK(fits, "layer_norm: Given normalized_shape=", normalized_shape,
             ", expected input with shape [*, ", shape_str(normalized_shape).substr(1),
             ", but got input of size", input.sizes());
  WICK_CHECK(input.dtype() == kFloat32 || input.dtype() == kFloat64,
             "layer_norm: expected a float32 or float64 input, got ", dtype_name(input.dtype()));
  check_param(weight, "weight", normalized_shape, input);
  check_param(bias, "bias", normalized_shape, input);

  int64_t n = 1;
  for (int64_t s : normalized_shape) n *= s;
  const int64_t m = n > 0 ? input.numel() / n : 0;
  Tensor x = input.contiguous();
  Tensor w = weight.defined() ? weight.contiguous().view({n}) : Tensor();
  Tensor b = bias.defined() ? bias.contiguous().view({n}) : Tensor();
  Tensor out = empty(x.sizes(), x.options());
  Tensor mean = empty({m}, x.options()), rstd = empty({m}, x.options());
  Backend& be = backend_for(x);
  if (x.numel() > 0) be.layer_norm(out.view({m, n}), mean, rstd, x.view({m, n}), w, b, eps);

  const bool need_w = weight.defined() && weight.requires_grad(),
             need_b = bias.defined() && bias.requires_grad();
  Shape pshape = normalized_shape.vec();
  return autograd::record(
      "NativeLayerNormBackward0", out, {x, weight, bias},
      [sx = SavedTensor(x), sw = SavedTensor(weight), mean, rstd, k, m, n, eps, need_w, need_b,
       pshape](const variable_list& grads) {
        Tensor xv = sx.unpack(), wv = sw.unpack();
        if (autograd::GradMode::is_enabled()) {
          variable_list r = composite_backward(xv, wv, grads[0], k, eps);
          return variable_list{r[0], need_w ? r[1] : Tensor(), need_b ? r[2] : Tensor()};
        }
        Tensor g = grads[0].contiguous();
        Tensor dx = empty(xv.sizes(), xv.options());
        Tensor dw = need_w ? empty(pshape, xv.options()) : Tensor();
        Tensor db = need_b ? empty(pshape, xv.options()) : Tensor();
        if (xv.numel() > 0) {
          backend_for(xv).layer_norm_backward(dx.view({m, n}), need_w ? dw.view({n}) : dw,
                                              need_b ? db.view({n}) : db, g.view({m, n}),
                                              xv.view({m, n}), mean, rstd,
                                              wv.defined() ? wv.contiguous().view({n}) : wv);
        } else {
          if (need_w) dw.zero_();
          if (need_b) db.zero_();
        }
        return variable_list{dx, dw, db};
      });
}

}  // namespace wick::nn::functional

// softmax / log_softmax: fused ops with their own backward (PyTorch's SoftmaxBackward0 and
// LogSoftmaxBackward0). Along the last dim the backend's fused kernel runs both passes when it has
// one (a row at a time, in cache); otherwise, and for double backward (create_graph), they are
// composed of Tensor ops: forward subtracts the max along dim (stable for large inputs), backward
// is differentiable again. Softmin is softmax(-x).
#include <tuple>

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/nn/functional/activation.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {
namespace {

using autograd::SavedTensor;
using autograd::variable_list;

Tensor prepare(const Tensor& input, std::optional<DType> dtype, const char* op) {
  Tensor x = dtype ? input.to(*dtype) : input;
  WICK_CHECK(x.is_floating_point(), op, ": expected a floating point tensor, got ",
             dtype_name(x.dtype()));
  return x;
}

// x - max(x, dim): every row's largest entry becomes 0 (a 0-d input counts as one row).
Tensor shifted(const Tensor& x, int64_t d) { return x - std::get<0>(x.max(d, /*keepdim=*/true)); }

// Whether softmax of x along d runs the backend's fused kernel: along the last dim (an empty
// input needs no kernel). A backend without one makes fused_forward return an undefined tensor.
bool is_fused(const Tensor& x, int64_t d) { return d == x.dim() - 1 && x.numel() > 0; }

// The fused kernel's result, or an undefined tensor.
Tensor fused_forward(const Tensor& x, int64_t d, bool log) {
  if (!is_fused(x, d)) return {};
  Tensor xc = x.contiguous();
  Tensor y = empty(xc.sizes(), xc.options());
  if (!backend_for(xc).softmax_forward(y, xc, log)) return {};
  return y;
}

// The fused backward when the forward was fused and no graph of the backward is wanted (double
// backward needs the Tensor-op form), else an undefined tensor.
Tensor fused_backward(const Tensor& g, const Tensor& y, bool fused, bool log) {
  if (!fused || autograd::GradMode::is_enabled()) return {};
  Tensor gi = empty(y.sizes(), y.options());
  if (!backend_for(y).softmax_backward(gi, g.contiguous(), y, log)) return {};
  return gi;
}

// A 0-d input is a single row: softmax 1, log_softmax 0, gradient 0.
Tensor zero_grad_result(const char* name, const Tensor& y, const Tensor& x) {
  return autograd::record(name, y, {x},
                          [](const variable_list& g) { return variable_list{zeros_like(g[0])}; });
}

}  // namespace

namespace {

// softmax (take_log false) or log_softmax of x along dim.
Tensor softmax_along(const Tensor& input, int64_t dim, std::optional<DType> dtype, bool take_log) {
  Tensor x = prepare(input, dtype, take_log ? "log_softmax" : "softmax");
  int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1));
  const char* node = take_log ? "LogSoftmaxBackward0" : "SoftmaxBackward0";
  if (x.dim() == 0) return zero_grad_result(node, take_log ? zeros_like(x) : ones_like(x), x);
  Tensor y;
  {
    NoGradGuard ng;
    y = x.numel() == 0 ? x.clone() : fused_forward(x, d, take_log);
    if (!y.defined()) {
      Tensor z = shifted(x, d);
      if (take_log) {
        y = z - log(exp(z).sum({d}, /*keepdim=*/true));
      } else {
        Tensor e = exp(z);
        y = e / e.sum({d}, /*keepdim=*/true);
      }
    }
  }
  // softmax: dx = y * (g - sum(g * y, dim)); log_softmax: dx = g - exp(y) * sum(g, dim)
  return autograd::record(
      node, y, {x},
      [s = SavedTensor(y, true), d, fused = is_fused(x, d), take_log](const variable_list& g) {
        Tensor yv = s.unpack();
        if (Tensor gi = fused_backward(g[0], yv, fused, take_log); gi.defined())
          return variable_list{gi};
        if (take_log) return variable_list{g[0] - exp(yv) * g[0].sum({d}, true)};
        return variable_list{yv * (g[0] - (g[0] * yv).sum({d}, true))};
      });
}

}  // namespace

Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
  return softmax_along(input, dim, dtype, false);
}

Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
  return softmax_along(input, dim, dtype, true);
}

Tensor softmin(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
  return softmax(-prepare(input, dtype, "softmin"), dim, std::nullopt);
}

}  // namespace wick::nn::functional

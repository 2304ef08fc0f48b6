// softmax / log_softmax: fused ops with their own backward (PyTorch's SoftmaxBackward0 and
// LogSoftmaxBackward0). Forward subtracts the max along dim (stable for large inputs) and runs
// without recording; backward is written with Tensor ops, so double backward works. Softmin is
// softmax(-x). No dedicated kernel: a few passes over memory, which is fine at these sizes.
#include <tuple>

#include "wick/autograd/record.h"
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

// A 0-d input is a single row: softmax 1, log_softmax 0, gradient 0.
Tensor zero_grad_result(const char* name, const Tensor& y, const Tensor& x) {
  return autograd::record(name, y, {x},
                          [](const variable_list& g) { return variable_list{zeros_like(g[0])}; });
}

}  // namespace

Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
  Tensor x = prepare(input, dtype, "softmax");
  int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1));
  if (x.dim() == 0) return zero_grad_result("SoftmaxBackward0", ones_like(x), x);
  Tensor y;
  {
    NoGradGuard ng;
    if (x.numel() == 0) {
      y = x.clone();
    } else {
      Tensor e = exp(shifted(x, d));
      y = e / e.sum({d}, /*keepdim=*/true);
    }
  }
  // dx = y * (g - sum(g * y, dim))
  return autograd::record("SoftmaxBackward0", y, {x},
                          [s = SavedTensor(y, true), d](const variable_list& g) {
                            Tensor yv = s.unpack();
                            return variable_list{yv * (g[0] - (g[0] * yv).sum({d}, true))};
                          });
}

Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
  Tensor x = prepare(input, dtype, "log_softmax");
  int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1));
  if (x.dim() == 0) return zero_grad_result("LogSoftmaxBackward0", zeros_like(x), x);
  Tensor y;
  {
    NoGradGuard ng;
    if (x.numel() == 0) {
      y = x.clone();
    } else {
      Tensor z = shifted(x, d);
      y = z - log(exp(z).sum({d}, /*keepdim=*/true));
    }
  }
  // dx = g - exp(y) * sum(g, dim)
  return autograd::record("LogSoftmaxBackward0", y, {x},
                          [s = SavedTensor(y, true), d](const variable_list& g) {
                            Tensor yv = s.unpack();
                            return variable_list{g[0] - exp(yv) * g[0].sum({d}, true)};
                          });
}

Tensor softmin(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
  return softmax(-prepare(input, dtype, "softmin"), dim, std::nullopt);
}

}  // namespace wick::nn::functional

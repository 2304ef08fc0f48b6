// dropout as a fused op (NativeDropoutBackward0, as PyTorch 2's CPU dropout): one kernel writes
// the output and the scaled mask; backward is g * mask (a Tensor op, so double backward works).
// The mask is kept only when autograd will need it. Channel-wise and alpha variants draw a small
// Bernoulli mask and apply it with broadcasting Tensor ops (their gradients come from those).
#include "wick/nn/functional/dropout.h"

#include <cmath>

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"
#include "wick/cuda.h"

namespace wick::nn::functional {
namespace {

using autograd::variable_list;

void check_p(double p, const char* op) {
  WICK_CHECK(p >= 0 && p <= 1, op, ": dropout probability has to be between 0 and 1, but got ", p);
}

void check_floating(const Tensor& x, const char* op) {
  WICK_CHECK(x.dtype() == kFloat32 || x.dtype() == kFloat64, op,
             ": expected a float32 or float64 input, got ", dtype_name(x.dtype()));
}

// Runs f out of place, then writes the result into input when inplace (as activation.cpp).
template <typename F>
Tensor maybe_inplace(const Tensor& input, bool inplace, F&& f) {
  if (!inplace) return f(input);
  Tensor y = f(autograd::needs_grad({input}) ? input.clone() : input);
  Tensor out = input;
  out.copy_(y);
  return out;
}

// Bernoulli(1 - p) keep-mask in x's dtype: x's shape (feature = false) or one draw per channel,
// (N, C, 1, ...) or unbatched (C, 1, ...).
Tensor keep_mask(const Tensor& x, double p, bool feature, bool batched) {
  Shape s = x.sizes().vec();
  if (feature)
    for (size_t d = batched ? 2 : 1; d < s.size(); ++d) s[d] = 1;
  Tensor m = empty(s, x.options());
  m.bernoulli_(1 - p);
  return m;
}

Tensor feature_dropout(const Tensor& input, double p, bool training, bool inplace, bool batched,
                       const char* op) {
  check_p(p, op);
  if (!training || p == 0 || input.numel() == 0) return input;
  check_floating(input, op);
  return maybe_inplace(input, inplace, [&](const Tensor& x) {
    if (p == 1) return x * 0.0;
    return x * keep_mask(x, p, true, batched).div_(1 - p);
  });
}

constexpr double kSeluSaturation = 1.7580993408473766;  // SELU's -alpha * scale, negated

// x * a * keep + a * alpha' * (p - (1 - keep)): dropped values go to SELU's saturation, and the
// affine map (a, offset) restores mean 0 and variance 1 for SELU-normalized input.
Tensor alpha_dropout_impl(const Tensor& input, double p, bool training, bool inplace, bool feature,
                          const char* op) {
  check_p(p, op);
  if (!training || p == 0 || input.numel() == 0) return input;
  check_floating(input, op);
  WICK_CHECK(!feature || input.dim() >= 2, op,
             ": expected input with at least 2 dims (N, C, *), got ", input.sizes());
  return maybe_inplace(input, inplace, [&](const Tensor& x) {
    if (p == 1) return x * 0.0;
    const double a = 1.0 / std::sqrt((kSeluSaturation * kSeluSaturation * p + 1) * (1 - p));
    Tensor keep = keep_mask(x, p, feature, true);
    Tensor offset = (keep - 1) * (kSeluSaturation * a) + kSeluSaturation * a * p;
    return x * (keep * a) + offset;
  });
}

void check_rank(const Tensor& x, int64_t batched_rank, const char* op) {
  WICK_CHECK(x.dim() == batched_rank || x.dim() == batched_rank - 1, op, ": Expected ",
             batched_rank - 1, "D or ", batched_rank, "D input, but received a ", x.dim(),
             "D input. Note that ", op, " exists to provide channel-wise dropout on inputs with ",
             batched_rank - 2, " spatial dimension", batched_rank > 3 ? "s" : "",
             ", a channel dimension, and an optional batch dimension (i.e. ", batched_rank - 1,
             "D or ", batched_rank, "D inputs).");
}

}  // namespace

Tensor dropout(const Tensor& input, double p, bool training, bool inplace) {
  check_p(p, "dropout");
  if (!training || p == 0 || input.numel() == 0) return input;
  check_floating(input, "dropout");
  Backend& be = backend_for(input);
  const bool grad = autograd::needs_grad({input});
  if (inplace && !grad && input.is_contiguous()) {
    // The kernel reads element i before writing it, so it may run in place.
    be.dropout(input, Tensor(), input, p, default_generator(input.device()));
    input.impl()->storage->bump_version();
    return input;
  }
  Tensor x = input.contiguous();
  Tensor out = empty(x.sizes(), x.options());
  Tensor mask = grad ? empty(x.sizes(), x.options()) : Tensor();
  be.dropout(out, mask, x, p, default_generator(x.device()));
  out = autograd::record("NativeDropoutBackward0", out, {x},
                         [mask](const variable_list& g) { return variable_list{g[0] * mask}; });
  if (!inplace) return out;
  Tensor self = input;
  self.copy_(out);
  return self;
}

Tensor dropout1d(const Tensor& input, double p, bool training, bool inplace) {
  check_rank(input, 3, "dropout1d");
  return feature_dropout(input, p, training, inplace, input.dim() == 3, "dropout1d");
}

Tensor dropout2d(const Tensor& input, double p, bool training, bool inplace) {
  check_rank(input, 4, "dropout2d");
  return feature_dropout(input, p, training, inplace, input.dim() == 4, "dropout2d");
}

Tensor dropout3d(const Tensor& input, double p, bool training, bool inplace) {
  check_rank(input, 5, "dropout3d");
  return feature_dropout(input, p, training, inplace, input.dim() == 5, "dropout3d");
}

Tensor alpha_dropout(const Tensor& input, double p, bool training, bool inplace) {
  return alpha_dropout_impl(input, p, training, inplace, false, "alpha_dropout");
}

Tensor feature_alpha_dropout(const Tensor& input, double p, bool training, bool inplace) {
  return alpha_dropout_impl(input, p, training, inplace, true, "feature_alpha_dropout");
}

}  // namespace wick::nn::functional

// Regression and probabilistic losses: l1, mse, smooth_l1, huber, binary_cross_entropy (with and
// without logits), kl_div, poisson_nll, gaussian_nll. Composites of Tensor ops (their gradients
// come from those ops, double backward included), except binary_cross_entropy, which records
// PyTorch's clamped gradient (x - t) / max(x (1 - x), 1e-12) beside its forward.
#include <cmath>
#include <numbers>

#include "loss_utils.h"
#include "wick/autograd/record.h"
#include "wick/nn/functional/activation.h"
#include "wick/nn/functional/loss.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"

namespace wick::nn::functional {

using detail::check_floating;
using detail::reduce_loss;

Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossOptions& o) {
  check_floating(input, "l1_loss");
  return reduce_loss(abs(input - target), o.reduction);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossOptions& o) {
  check_floating(input, "mse_loss");
  return reduce_loss(square(input - target), o.reduction);
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossOptions& o) {
  check_floating(input, "smooth_l1_loss");
  WICK_CHECK(o.beta >= 0, "smooth_l1_loss does not support negative values for beta.");
  if (o.beta == 0.0) return l1_loss(input, target, {o.reduction});
  Tensor d = input - target, z = abs(d);
  return reduce_loss(where(z < o.beta, d * d * (0.5 / o.beta), z - 0.5 * o.beta), o.reduction);
}

Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossOptions& o) {
  check_floating(input, "huber_loss");
  WICK_CHECK(o.delta > 0, "huber_loss does not support non-positive values for delta.");
  Tensor d = input - target, z = abs(d);
  return reduce_loss(where(z < o.delta, d * d * 0.5, (z - 0.5 * o.delta) * o.delta), o.reduction);
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const BCELossOptions& o) {
  check_floating(input, "binary_cross_entropy");
  const LossReduction reduction = parse_reduction(o.reduction);
  WICK_CHECK(input.sizes() == target.sizes(), "Using a target size (", target.sizes(),
             ") that is different to the input size (", input.sizes(),
             ") is deprecated. Please ensure they have the same size.");
  Tensor loss;
  {
    NoGradGuard ng;
    WICK_CHECK(input.numel() == 0 || logical_and(input >= 0, input <= 1).all().item<bool>(),
               "binary_cross_entropy: all elements of input should be between 0 and 1");
    // -(t log x + (1 - t) log(1 - x)), each log clamped to >= -100 so 0 and 1 stay finite.
    Tensor lx = clamp_min(log(input), -100), l1x = clamp_min(log(1 - input), -100);
    loss = -(target * lx + (1 - target) * l1x);
    if (o.weight.defined()) loss = loss * o.weight;
  }
  Tensor w = o.weight.defined() ? o.weight.detach() : Tensor();
  loss = autograd::record(
      "BinaryCrossEntropyBackward0", loss, {input, target},
      [x = autograd::SavedTensor(input), t = autograd::SavedTensor(target), w](const autograd::variable_list& g) {
        Tensor xv = x.unpack(), tv = t.unpack();
        Tensor gw = w.defined() ? g[0] * w : g[0];
        Tensor gx = gw * (xv - tv) / clamp_min((1 - xv) * xv, 1e-12);
        Tensor gt = gw * (clamp_min(log(1 - xv), -100) - clamp_min(log(xv), -100));
        return autograd::variable_list{gx, gt};
      });
  return reduce_loss(loss, reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BCEWithLogitsLossOptions& o) {
  check_floating(input, "binary_cross_entropy_with_logits");
  WICK_CHECK(input.sizes() == target.sizes(), "Target size (", target.sizes(),
             ") must be the same as input size (", input.sizes(), ")");
  // (1 - t) x + (1 + (pw - 1) t) softplus(-x), with softplus(-x) = -logsigmoid(x) (stable).
  Tensor sp = -logsigmoid(input);
  Tensor loss = o.pos_weight.defined() ? (1 - target) * input + (1 + (o.pos_weight - 1) * target) * sp
                                       : (1 - target) * input + sp;
  if (o.weight.defined()) loss = loss * o.weight;
  return reduce_loss(loss, o.reduction);
}

Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivLossOptions& o) {
  check_floating(input, "kl_div");
  const bool batchmean = o.reduction == "batchmean";
  const LossReduction reduction = batchmean ? LossReduction::Sum : parse_reduction(o.reduction);
  Tensor loss;
  if (o.log_target) {
    loss = exp(target) * (target - input);
  } else {
    // xlogy(t, t) - t x: 0 where t == 0 (a safe log argument keeps the unused branch finite).
    Tensor positive = target > 0;
    loss = target * log(where(positive, target, 1.0)) - target * input;
  }
  Tensor out = reduce_loss(loss, reduction);
  if (batchmean && input.dim() != 0) out = out / static_cast<double>(input.size(0));
  return out;
}

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, const PoissonNLLLossOptions& o) {
  check_floating(input, "poisson_nll_loss");
  const LossReduction reduction = parse_reduction(o.reduction);
  Tensor loss = o.log_input ? exp(input) - target * input : input - target * log(input + o.eps);
  if (o.full) {
    // Stirling's approximation of log(t!), counted only where t > 1.
    Tensor safe = where(target > 1, target, 1.0);
    Tensor stirling = safe * log(safe) - safe + 0.5 * log(safe * (2 * std::numbers::pi));
    loss = loss + masked_fill(stirling, target <= 1, 0.0);
  }
  return reduce_loss(loss, reduction);
}

Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         const GaussianNLLLossOptions& o) {
  check_floating(input, "gaussian_nll_loss");
  Tensor v = var;
  if (var.sizes() != input.sizes()) {
    const IntArrayRef in = input.sizes(), vs = var.sizes();
    const bool drop_last = input.dim() >= 1 && IntArrayRef(in.data(), in.size() - 1) == vs;
    const bool last_one = input.dim() >= 1 && var.dim() == input.dim() && vs.back() == 1 &&
                          IntArrayRef(in.data(), in.size() - 1) == IntArrayRef(vs.data(), vs.size() - 1);
    WICK_CHECK(drop_last || last_one, "gaussian_nll_loss: var is of incorrect size: input ", in,
               ", var ", vs);
    if (drop_last) v = v.unsqueeze(-1);
  }
  const LossReduction reduction = parse_reduction(o.reduction);
  {
    NoGradGuard ng;
    WICK_CHECK(var.numel() == 0 || !(var < 0).any().item<bool>(), "var has negative entry/entries");
  }
  // var clamped to >= eps in value only: the gradient passes through unchanged, as PyTorch's
  // in-place clamp under no_grad.
  Tensor vd = v.detach();
  v = v + (clamp_min(vd, o.eps) - vd);
  Tensor loss = 0.5 * (log(v) + square(input - target) / v);
  if (o.full) loss = loss + 0.5 * std::log(2 * std::numbers::pi);
  return reduce_loss(loss, reduction);
}

}  // namespace wick::nn::functional

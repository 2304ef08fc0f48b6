// F::cross_entropy: log_softmax over the class dim followed by nll_loss (class indices), or by a
// weighted sum against class probabilities (a float target shaped like the input), with PyTorch's
// label smoothing. The common case (2-D logits, class indices, no smoothing) is one fused op over
// the backend's cross-entropy kernels; the others are composites whose gradient flows through
// LogSoftmaxBackward0 and NllLossBackward0.
#include <limits>
#include <memory>

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"

#include "loss_utils.h"
#include "wick/nn/functional/activation.h"
#include "wick/nn/functional/loss.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {
namespace {

// weight (C) reshaped to broadcast along the class dim of an input with `dim` dims.
Tensor class_weight_view(const Tensor& weight, int64_t dim, int64_t class_dim) {
  Shape s(static_cast<size_t>(dim), 1);
  s[static_cast<size_t>(class_dim)] = weight.numel();
  return weight.view(s);
}

void check_weight(const Tensor& weight, int64_t classes) {
  WICK_CHECK(!weight.defined() || (weight.dim() == 1 && weight.numel() == classes),
             "cross_entropy: weight tensor should be defined either for all ", classes,
             " classes or no classes but got weight tensor of shape: ",
             weight.defined() ? weight.sizes() : IntArrayRef{});
}

Tensor probability_target(const Tensor& logp, const Tensor& target, const CrossEntropyFuncOptions& o,
                          LossReduction reduction, int64_t class_dim) {
  const int64_t classes = logp.size(class_dim);
  check_weight(o.weight, classes);
  Tensor t = target;
  if (o.label_smoothing > 0.0) t = t * (1 - o.label_smoothing) + o.label_smoothing / static_cast<double>(classes);
  Tensor prod = logp * t;
  if (o.weight.defined()) prod = prod * class_weight_view(o.weight, logp.dim(), class_dim);
  switch (reduction) {
    case LossReduction::None: return -prod.sum({class_dim});
    case LossReduction::Sum: return -prod.sum();
    case LossReduction::Mean: {
      // Divided by the number of samples (every element but the class dim); nan when empty.
      const double samples = static_cast<double>(logp.numel() / std::max<int64_t>(classes, 1));
      if (logp.numel() == 0) return -prod.sum() * std::numeric_limits<double>::quiet_NaN();
      return -prod.sum() / samples;
    }
  }
  return {};
}

// (1 - s) * nll + s / C * (the loss against a uniform target), PyTorch's formula.
Tensor label_smoothed(const Tensor& logp, const Tensor& target, const CrossEntropyFuncOptions& o,
                      LossReduction reduction, int64_t class_dim) {
  const int64_t classes = logp.size(class_dim);
  Tensor nll = nll_loss(logp, target, {o.weight, o.ignore_index, o.reduction});
  Tensor ignored = target.eq(o.ignore_index);
  Tensor smooth = o.weight.defined()
                      ? -(logp * class_weight_view(o.weight, logp.dim(), class_dim)).sum({class_dim})
                      : -logp.sum({class_dim});
  smooth = smooth.masked_fill(ignored, 0.0);
  Tensor ret;
  switch (reduction) {
    case LossReduction::None: ret = smooth; break;
    case LossReduction::Sum: ret = smooth.sum(); break;
    case LossReduction::Mean:
      if (o.weight.defined()) {
        // Normalised by the weights of the counted targets, as nll_loss's mean.
        Tensor kept = logical_not(ignored);
        Tensor w = index_select(o.weight.to(logp.dtype()), 0, where(kept, target, 0).flatten());
        ret = smooth.sum() / (w * kept.flatten().to(w.dtype())).sum();
      } else {
        ret = smooth.sum() / logical_not(ignored).sum().to(smooth.dtype());
      }
      break;
  }
  return nll * (1 - o.label_smoothing) + ret * (o.label_smoothing / static_cast<double>(classes));
}

// A fused call qualifies when the composite would run log_softmax + nll_loss on (N, C) without
// raising: anything unusual takes the composite path, which reports it with PyTorch's messages.
bool fusable(const Tensor& input, const Tensor& target, const CrossEntropyFuncOptions& o) {
  return input.dim() == 2 && input.is_floating_point() && target.dim() == 1 &&
         target.dtype() == kInt64 && target.size(0) == input.size(0) &&
         target.device() == input.device() && input.numel() > 0 && o.label_smoothing == 0.0 &&
         (!o.weight.defined() || (o.weight.dim() == 1 && o.weight.numel() == input.size(1)));
}

struct FusedArgs {
  Tensor target, weight, lse, total_weight;  // target (N), weight (C) or undefined, lse (N), 0-d
  LossReduction reduction;
  int64_t ignore_index;
};

// d loss / d input with Tensor ops, for double backward: (softmax - onehot) * weight[t] * g.
Tensor composite_grad(const Tensor& x, const Tensor& g, const FusedArgs& a) {
  const int64_t classes = x.size(1);
  Tensor counted = a.target.ne(a.ignore_index);
  Tensor t = where(counted, a.target, 0);
  Tensor w = counted.to(x.dtype());
  if (a.weight.defined()) w = w * index_select(a.weight, 0, t);
  // g is (N) for reduction none, 0-d otherwise; mean divides by the counted weight.
  Tensor coef = a.reduction == LossReduction::Mean ? w * (g / a.total_weight) : w * g;
  return (softmax(x, 1) - one_hot(t, classes).to(x.dtype())) * coef.unsqueeze(1);
}

// The fused op, or an undefined tensor when the backend has no fused kernel. Its node keeps
// PyTorch's name for a cross-entropy result (NllLossBackward0), but leads straight to the logits.
Tensor fused_cross_entropy(const Tensor& input, const Tensor& target,
                           const CrossEntropyFuncOptions& o, LossReduction reduction) {
  Tensor x = input.contiguous();
  auto a = std::make_shared<FusedArgs>();
  a->target = target.contiguous();
  if (o.weight.defined()) a->weight = o.weight.detach().to(x.dtype()).contiguous();
  a->reduction = reduction;
  a->ignore_index = o.ignore_index;
  const int64_t n = x.size(0);
  Tensor out = reduction == LossReduction::None ? empty({n}, x.options()) : empty({}, x.options());
  a->lse = empty({n}, x.options());
  a->total_weight = empty({}, x.options());
  {
    NoGradGuard ng;
    if (!backend_for(x).cross_entropy_forward(out, a->total_weight, a->lse, x, a->target,
                                              a->weight, reduction, o.ignore_index))
      return {};
  }
  return autograd::record(
      "NllLossBackward0", out, {x}, [sx = autograd::SavedTensor(x), a](const autograd::variable_list& g) {
        Tensor xv = sx.unpack();
        if (autograd::GradMode::is_enabled()) return autograd::variable_list{composite_grad(xv, g[0], *a)};
        Tensor gi = empty(xv.sizes(), xv.options());
        backend_for(xv).cross_entropy_backward(gi, g[0].contiguous(), xv.detach(), a->lse, a->target,
                                               a->weight, a->reduction, a->ignore_index,
                                               a->total_weight);
        return autograd::variable_list{gi};
      });
}

}  // namespace

Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyFuncOptions& o) {
  const LossReduction reduction = parse_reduction(o.reduction);
  WICK_CHECK(input.dim() >= 1, "Expected 1 or more dimensions (got ", input.dim(), ")");
  const int64_t class_dim = input.dim() == 1 ? 0 : 1;
  if (input.sizes() == target.sizes()) {
    WICK_CHECK(target.is_floating_point(),
               "Expected floating point type for target with class probabilities, got ",
               dtype_name(target.dtype()));
    WICK_CHECK(o.ignore_index < 0, "ignore_index is not supported for floating point target");
    WICK_CHECK(o.label_smoothing >= 0.0 && o.label_smoothing <= 1.0,
               "label_smoothing must be between 0.0 and 1.0. Got: ", o.label_smoothing);
    return probability_target(log_softmax(input, class_dim), target, o, reduction, class_dim);
  }
  if (o.label_smoothing > 0.0) {
    WICK_CHECK(o.label_smoothing <= 1.0, "label_smoothing must be between 0.0 and 1.0. Got: ",
               o.label_smoothing);
    return label_smoothed(log_softmax(input, class_dim), target, o, reduction, class_dim);
  }
  if (fusable(input, target, o)) {
    Tensor fused = fused_cross_entropy(input, target, o, reduction);
    if (fused.defined()) return fused;
  }
  return nll_loss(log_softmax(input, class_dim), target, {o.weight, o.ignore_index, o.reduction});
}

}  // namespace wick::nn::functional

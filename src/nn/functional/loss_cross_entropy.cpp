// F::cross_entropy: log_softmax over the class dim followed by nll_loss (class indices), or by a
// weighted sum against class probabilities (a float target shaped like the input), with PyTorch's
// label smoothing. Composite: its gradient flows through LogSoftmaxBackward0 and NllLossBackward0.
#include <limits>

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
  return nll_loss(log_softmax(input, class_dim), target, {o.weight, o.ignore_index, o.reduction});
}

}  // namespace wick::nn::functional

// Margin and embedding losses: margin_ranking, hinge_embedding, cosine_embedding, soft_margin,
// multilabel_soft_margin, multi_margin, multilabel_margin, triplet_margin (with and without a
// custom distance). Composites of Tensor ops, so gradients (and double backward) come from them;
// multilabel_margin reads its targets on the host to build masks (targets take no gradient).
#include <functional>
#include <vector>

#include "loss_utils.h"
#include "wick/autograd/grad_mode.h"
#include "wick/nn/functional/activation.h"
#include "wick/nn/functional/loss.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/pointwise.h"

namespace wick::nn::functional {

using detail::check_floating;
using detail::reduce_loss;

namespace {

// ||x1 - x2 + eps||_p over the last dim, as torch.pairwise_distance.
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps) {
  return norm(x1 - x2 + eps, p, {-1});
}

// (N, C) or (C) input with (N) or () class-index target: the checks multi_margin shares.
int64_t check_class_target(const Tensor& input, const Tensor& target, const char* op) {
  check_floating(input, op);
  WICK_CHECK(input.dim() == 1 || input.dim() == 2, op, ": expected 1D or 2D input, got ", input.sizes());
  WICK_CHECK(target.dtype() == kInt64, op, ": expected an int64 target, got ", dtype_name(target.dtype()));
  const int64_t rows = input.dim() == 2 ? input.size(0) : 1;
  WICK_CHECK(target.dim() <= 1 && target.numel() == rows, "inconsistent target size, got: ", target.sizes());
  return rows;
}

}  // namespace

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossOptions& o) {
  WICK_CHECK(input1.dim() == input2.dim() && input1.dim() == target.dim(),
             "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ",
             input1.sizes(), ", input2: ", input2.sizes(), ", target: ", target.sizes());
  return reduce_loss(clamp_min(-target * (input1 - input2) + o.margin, 0), o.reduction);
}

Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, const HingeEmbeddingLossOptions& o) {
  check_floating(input, "hinge_embedding_loss");
  Tensor zero = zeros_like(input);
  Tensor margin_part = where(target != 1, clamp_min(o.margin - input, 0), zero);
  Tensor self_part = where(target != -1, input, zero);
  return reduce_loss(margin_part + self_part, o.reduction);
}

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             const CosineEmbeddingLossOptions& o) {
  const int64_t td = target.dim();
  WICK_CHECK(td == 0 || td == 1, "0D or 1D target tensor expected, multi-target not supported");
  if (td == 1) {
    WICK_CHECK(input1.dim() == 2 && input2.dim() == 2,
               "1D target tensor expects 2D input tensors, but found inputs with sizes ", input1.sizes(),
               " and ", input2.sizes(), ".");
  } else {
    WICK_CHECK(input1.dim() == 1 && input2.dim() == 1,
               "0D target tensor expects 1D input tensors, but found inputs with sizes ", input1.sizes(),
               " and ", input2.sizes(), ".");
  }
  constexpr double kEps = 1e-12;  // PyTorch's, keeps zero vectors finite
  Tensor dot = (input1 * input2).sum({td});
  Tensor m1 = (input1 * input1).sum({td}) + kEps, m2 = (input2 * input2).sum({td}) + kEps;
  Tensor cos = dot / sqrt(m1 * m2);
  Tensor zero = zeros_like(cos);
  Tensor pos = where(target == 1, 1 - cos, zero);
  Tensor neg = where(target == -1, clamp_min(cos - o.margin, 0), zero);
  return reduce_loss(pos + neg, o.reduction);
}

Tensor soft_margin_loss(const Tensor& input, const Tensor& target, const SoftMarginLossOptions& o) {
  check_floating(input, "soft_margin_loss");
  return reduce_loss(log1p(exp(-input * target)), o.reduction);
}

Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultiLabelSoftMarginLossOptions& o) {
  check_floating(input, "multilabel_soft_margin_loss");
  const LossReduction reduction = parse_reduction(o.reduction);
  Tensor loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input));
  if (o.weight.defined()) loss = loss * o.weight;
  const int64_t class_dim = input.dim() - 1;
  loss = loss.sum({class_dim}) / static_cast<double>(input.size(class_dim));
  return reduce_loss(loss, reduction);
}

Tensor multi_margin_loss(const Tensor& input, const Tensor& target, const MultiMarginLossOptions& o) {
  WICK_CHECK(o.p == 1 || o.p == 2, "only p == 1 and p == 2 supported");
  const LossReduction reduction = parse_reduction(o.reduction);
  check_class_target(input, target, "multi_margin_loss");
  const int64_t classes = input.size(-1);
  WICK_CHECK(!o.weight.defined() || (o.weight.dim() == 1 && o.weight.numel() == classes),
             "multi_margin_loss: expected weight of shape [", classes, "], got ", o.weight.defined() ? o.weight.sizes() : IntArrayRef{});
  Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;  // (N, C)
  Tensor y = target.reshape({-1, 1});                          // (N, 1)
  {
    NoGradGuard ng;
    WICK_CHECK(y.numel() == 0 || logical_and(y >= 0, y < classes).all().item<bool>(), "target out of range");
  }
  Tensor z = clamp_min(o.margin - gather(x, 1, y) + x, 0);
  if (o.p == 2) z = z * z;
  if (o.weight.defined()) z = z * index_select(o.weight, 0, y.flatten()).unsqueeze(1);
  // The target's own column never counts.
  z = z.masked_fill(eq(arange(classes, {.device = x.device()}).view({1, classes}), y), 0.0);
  Tensor loss = z.sum({1}) / static_cast<double>(classes);
  if (input.dim() == 1) loss = loss.squeeze(0);
  return reduce_loss(loss, reduction);
}

Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target, const MultiLabelMarginLossOptions& o) {
  check_floating(input, "multilabel_margin_loss");
  const LossReduction reduction = parse_reduction(o.reduction);
  WICK_CHECK(input.dim() == 1 || input.dim() == 2, "multilabel_margin_loss: expected 1D or 2D input, got ",
             input.sizes());
  WICK_CHECK(target.sizes() == input.sizes(), "inconsistent size ", target.sizes(), " for argument #2 'target'");
  WICK_CHECK(target.dtype() == kInt64, "multilabel_margin_loss: expected an int64 target, got ",
             dtype_name(target.dtype()));
  Tensor x = input.dim() == 1 ? input.unsqueeze(0) : input;  // (N, C)
  const int64_t n = x.size(0), c = x.size(1);
  // slot (N, C): target j is valid (before the first -1); is_target (N, C): class i is a target.
  std::vector<int64_t> t = target.reshape({n, c}).cpu().contiguous().tolist<int64_t>();
  std::vector<uint8_t> slot(static_cast<size_t>(n * c), 0), is_target(static_cast<size_t>(n * c), 0);
  std::vector<int64_t> cls(static_cast<size_t>(n * c), 0);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t j = 0; j < c; ++j) {
      const int64_t v = t[static_cast<size_t>(r * c + j)];
      if (v < 0) break;
      WICK_CHECK(v < c, "argument #2 'target' is out of range");
      slot[static_cast<size_t>(r * c + j)] = 1;
      cls[static_cast<size_t>(r * c + j)] = v;
      is_target[static_cast<size_t>(r * c + v)] = 1;
    }
  }
  auto mask = [&](const std::vector<uint8_t>& v) {
    return tensor(std::vector<double>(v.begin(), v.end()), {.dtype = x.dtype()}).view({n, c}).to(x.device());
  };
  Tensor xt = gather(x, 1, tensor(cls).view({n, c}).to(x.device()));  // x[y_j], (N, C)
  // (N, j, i): max(0, 1 - (x[y_j] - x[i])) for valid target slots j and non-target classes i.
  Tensor hinge = clamp_min(1 - (xt.unsqueeze(2) - x.unsqueeze(1)), 0);
  Tensor pair_mask = mask(slot).unsqueeze(2) * (1 - mask(is_target)).unsqueeze(1);
  Tensor loss = (hinge * pair_mask).sum({1, 2}) / static_cast<double>(c);
  if (input.dim() == 1) loss = loss.squeeze(0);
  return reduce_loss(loss, reduction);
}

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossOptions& o) {
  WICK_CHECK(anchor.dim() == positive.dim() && anchor.dim() == negative.dim(),
             "All inputs should have same dimension but got ", anchor.dim(), "D, ", positive.dim(), "D and ",
             negative.dim(), "D inputs.");
  Tensor d_pos = pairwise_distance(anchor, positive, o.p, o.eps);
  Tensor d_neg = pairwise_distance(anchor, negative, o.p, o.eps);
  if (o.swap) d_neg = minimum(d_neg, pairwise_distance(positive, negative, o.p, o.eps));
  return reduce_loss(clamp_min(o.margin + d_pos - d_neg, 0), o.reduction);
}

Tensor triplet_margin_with_distance_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                                         const TripletMarginWithDistanceLossOptions& o) {
  WICK_CHECK(o.margin > 0, "triplet_margin_with_distance_loss: expected margin to be greater than 0, got ",
             o.margin, " instead");
  std::function<Tensor(const Tensor&, const Tensor&)> dist = o.distance_function;
  if (!dist) dist = [](const Tensor& a, const Tensor& b) { return pairwise_distance(a, b, 2.0, 1e-6); };
  Tensor d_pos = dist(anchor, positive), d_neg = dist(anchor, negative);
  if (o.swap) d_neg = minimum(d_neg, dist(positive, negative));
  return reduce_loss(clamp_min(o.margin + d_pos - d_neg, 0), o.reduction);
}

}  // namespace wick::nn::functional

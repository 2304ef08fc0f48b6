// nn::functional losses (torch.nn.functional.cross_entropy ... ctc_loss) with PyTorch's argument
// order, defaults and reduction semantics ("none", "mean", "sum"; mean and sum give a 0-d tensor).
// Optional arguments sit in options structs shared with the loss modules (modules/loss.h):
// `F::cross_entropy(logits, target, {.weight = w, .label_smoothing = 0.1})`. The deprecated
// size_average / reduce arguments are left out.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "wick/core/tensor.h"

namespace wick::nn {

// ---- options (fields in PyTorch's order; shared by the functional form and the module) ----
struct NLLLossOptions {
  Tensor weight = {};  // (C) per-class rescaling
  int64_t ignore_index = -100;
  std::string reduction = "mean";
};
struct CrossEntropyLossOptions {
  Tensor weight = {};
  int64_t ignore_index = -100;
  std::string reduction = "mean";
  double label_smoothing = 0.0;
};

struct ReductionOptions {
  std::string reduction = "mean";
};
using L1LossOptions = ReductionOptions;
using MSELossOptions = ReductionOptions;
using SoftMarginLossOptions = ReductionOptions;
using MultiLabelMarginLossOptions = ReductionOptions;
struct SmoothL1LossOptions {
  std::string reduction = "mean";
  double beta = 1.0;
};
struct HuberLossOptions {
  std::string reduction = "mean";
  double delta = 1.0;
};
struct BCELossOptions {
  Tensor weight = {};  // rescales each element (broadcast to the input)
  std::string reduction = "mean";
};
struct BCEWithLogitsLossOptions {
  Tensor weight = {};
  std::string reduction = "mean";
  Tensor pos_weight = {};  // weight of positive examples, broadcast along the last (class) dim
};
// reduction also takes "batchmean" (the sum divided by the batch size: the true KL divergence).
struct KLDivLossOptions {
  std::string reduction = "mean";
  bool log_target = false;
};
struct PoissonNLLLossOptions {
  bool log_input = true;
  bool full = false;
  double eps = 1e-8;
  std::string reduction = "mean";
};
struct GaussianNLLLossOptions {
  bool full = false;
  double eps = 1e-6;
  std::string reduction = "mean";
};

struct MarginRankingLossOptions {
  double margin = 0.0;
  std::string reduction = "mean";
};
struct HingeEmbeddingLossOptions {
  double margin = 1.0;
  std::string reduction = "mean";
};
struct CosineEmbeddingLossOptions {
  double margin = 0.0;
  std::string reduction = "mean";
};
struct MultiLabelSoftMarginLossOptions {
  Tensor weight = {};  // (C)
  std::string reduction = "mean";
};
struct MultiMarginLossOptions {
  int64_t p = 1;  // 1 or 2
  double margin = 1.0;
  Tensor weight = {};  // (C)
  std::string reduction = "mean";
};
struct TripletMarginLossOptions {
  double margin = 1.0;
  double p = 2.0;
  double eps = 1e-6;
  bool swap = false;
  std::string reduction = "mean";
};
// distance_function(x1, x2) -> per-sample distances; empty: pairwise_distance (p = 2).
struct TripletMarginWithDistanceLossOptions {
  std::function<Tensor(const Tensor&, const Tensor&)> distance_function = {};
  double margin = 1.0;
  bool swap = false;
  std::string reduction = "mean";
};

struct CTCLossOptions {
  int64_t blank = 0;
  std::string reduction = "mean";  // mean: each loss divided by its target length, then averaged
  bool zero_infinity = false;      // impossible alignments give 0 (and gradient 0), not inf
};

}  // namespace wick::nn

namespace wick::nn::functional {

using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;

// input (N, C), (N, C, d1, ...) or unbatched (C) log-probabilities; target (N), (N, d1, ...) or
// () int64 class indices. Mean divides by the summed weight of the counted targets.
Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options = {});
// log_softmax over the class dim, then nll_loss. A target shaped like input holds class
// probabilities (floating point) instead of indices.
Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyFuncOptions& options = {});

// ---- regression and binary losses (input and target of one shape; a different target shape is
// broadcast as PyTorch does, except where PyTorch refuses) ----
Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossOptions& options = {});
Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossOptions& options = {});
// 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (beta = 0: l1_loss).
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossOptions& options = {});
// 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta).
Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossOptions& options = {});
// input holds probabilities in [0, 1]; each log is clamped to >= -100, as PyTorch.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const BCELossOptions& options = {});
// sigmoid + binary_cross_entropy in one stable expression (no overflow for large logits).
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BCEWithLogitsLossOptions& options = {});
// input holds log-probabilities; target probabilities (log-probabilities with log_target).
Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivLossOptions& options = {});
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, const PoissonNLLLossOptions& options = {});
// var: input's shape, or input's shape without its last dim (or with it 1): one variance per row.
Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         const GaussianNLLLossOptions& options = {});

// ---- margin and embedding losses ----
// max(0, -target (input1 - input2) + margin); target holds 1 or -1.
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossOptions& options = {});
// input where target is 1, max(0, margin - input) where it is -1.
Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target,
                            const HingeEmbeddingLossOptions& options = {});
// input1, input2 (N, D) with target (N), or (D) with target (): 1 - cos for target 1,
// max(0, cos - margin) for target -1.
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             const CosineEmbeddingLossOptions& options = {});
// log(1 + exp(-target input)).
Tensor soft_margin_loss(const Tensor& input, const Tensor& target, const SoftMarginLossOptions& options = {});
// input and target (N, C) (target 0/1): per-sample mean over classes of the logistic loss.
Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultiLabelSoftMarginLossOptions& options = {});
// input (N, C) or (C), target (N) or () class indices: sum over i != y of
// max(0, margin - x[y] + x[i])^p / C.
Tensor multi_margin_loss(const Tensor& input, const Tensor& target, const MultiMarginLossOptions& options = {});
// input (N, C) or (C), target of the same shape (int64): each row's target classes first, then -1
// (the rest is ignored). Sum over targets j and non-targets i of max(0, 1 - (x[j] - x[i])) / C.
Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                              const MultiLabelMarginLossOptions& options = {});
// max(0, margin + d(anchor, positive) - d(anchor, negative)) with d the p-norm distance over the
// last dim (plus eps); swap uses min(d(a, n), d(p, n)).
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossOptions& options = {});
Tensor triplet_margin_with_distance_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                                         const TripletMarginWithDistanceLossOptions& options = {});

// ---- sequence losses ----
// log_probs (T, N, C) (or unbatched (T, C)) log-softmax outputs; targets (N, S) padded or 1-d
// concatenated (sum of target_lengths) int64 labels, never the blank; input_lengths and
// target_lengths one per batch item (IntArrayRef: `{50, 48}`, or int tensors).
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                IntArrayRef target_lengths, const CTCLossOptions& options = {});
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, const CTCLossOptions& options = {});

}  // namespace wick::nn::functional

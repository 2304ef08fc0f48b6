// Loss modules (torch.nn.CrossEntropyLoss ... CTCLoss): each holds its PyTorch settings, forwards
// to nn::functional, and prints as PyTorch does (`CrossEntropyLoss()`: no settings shown). Class
// weights are buffers named as PyTorch's (weight, pos_weight), so they appear in state_dict and
// follow .to(); an absent weight is no entry.
#pragma once

#include <string>

#include "wick/backend/loss_args.h"
#include "wick/nn/functional/loss.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

namespace detail {
// The checks PyTorch's loss constructors make (most make none).
template <typename Options>
void check_loss_options(const Options&) {}
inline void check_loss_options(const NLLLossOptions& o) { parse_reduction(o.reduction); }
inline void check_loss_options(const CrossEntropyLossOptions& o) { parse_reduction(o.reduction); }
inline void check_loss_options(const MultiMarginLossOptions& o) {
  WICK_CHECK(o.p == 1 || o.p == 2, "only p == 1 and p == 2 supported");
}
}  // namespace detail

// Losses whose settings are all in their options struct and whose forward is (input, target).
#define WICK_LOSS_MODULE(Name, fn)                                                              \
  struct Name##Impl : Module {                                                                  \
    explicit Name##Impl(Name##Options o = {}) : Module(#Name), options(std::move(o)) {          \
      detail::check_loss_options(options);                                                      \
    }                                                                                           \
    Tensor forward(const Tensor& input, const Tensor& target) {                                 \
      return functional::fn(input, target, options);                                            \
    }                                                                                           \
    Name##Options options;                                                                      \
  };                                                                                            \
  WICK_OPTIONS_MODULE(Name, Name##Options)

// The same with a class-weight buffer `weight` (undefined: none), which forward uses.
#define WICK_WEIGHTED_LOSS_MODULE(Name, fn)                                                     \
  struct Name##Impl : Module {                                                                  \
    explicit Name##Impl(Name##Options o = {}) : Module(#Name), options(std::move(o)) {          \
      detail::check_loss_options(options);                                                      \
      weight = register_buffer("weight", options.weight);                                       \
    }                                                                                           \
    Tensor forward(const Tensor& input, const Tensor& target) {                                 \
      Name##Options o = options;                                                                \
      o.weight = weight;                                                                        \
      return functional::fn(input, target, o);                                                  \
    }                                                                                           \
    Name##Options options;                                                                      \
    Tensor weight;                                                                              \
  };                                                                                            \
  WICK_OPTIONS_MODULE(Name, Name##Options)

WICK_WEIGHTED_LOSS_MODULE(NLLLoss, nll_loss);
WICK_WEIGHTED_LOSS_MODULE(CrossEntropyLoss, cross_entropy);
WICK_WEIGHTED_LOSS_MODULE(BCELoss, binary_cross_entropy);
WICK_WEIGHTED_LOSS_MODULE(MultiLabelSoftMarginLoss, multilabel_soft_margin_loss);
WICK_WEIGHTED_LOSS_MODULE(MultiMarginLoss, multi_margin_loss);
#undef WICK_WEIGHTED_LOSS_MODULE

WICK_LOSS_MODULE(L1Loss, l1_loss);
WICK_LOSS_MODULE(MSELoss, mse_loss);
WICK_LOSS_MODULE(SmoothL1Loss, smooth_l1_loss);
WICK_LOSS_MODULE(HuberLoss, huber_loss);
WICK_LOSS_MODULE(KLDivLoss, kl_div);
WICK_LOSS_MODULE(PoissonNLLLoss, poisson_nll_loss);

struct BCEWithLogitsLossImpl : Module {
  explicit BCEWithLogitsLossImpl(BCEWithLogitsLossOptions o = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  BCEWithLogitsLossOptions options;
  Tensor weight, pos_weight;
};
WICK_OPTIONS_MODULE(BCEWithLogitsLoss, BCEWithLogitsLossOptions);

struct GaussianNLLLossImpl : Module {
  explicit GaussianNLLLossImpl(GaussianNLLLossOptions o = {}) : Module("GaussianNLLLoss"), options(o) {}
  Tensor forward(const Tensor& input, const Tensor& target, const Tensor& var) {
    return functional::gaussian_nll_loss(input, target, var, options);
  }
  GaussianNLLLossOptions options;
};
WICK_OPTIONS_MODULE(GaussianNLLLoss, GaussianNLLLossOptions);

WICK_LOSS_MODULE(HingeEmbeddingLoss, hinge_embedding_loss);
WICK_LOSS_MODULE(SoftMarginLoss, soft_margin_loss);
WICK_LOSS_MODULE(MultiLabelMarginLoss, multilabel_margin_loss);
#undef WICK_LOSS_MODULE

// Losses of three tensors (forward argument names as PyTorch's).
#define WICK_LOSS_MODULE3(Name, fn, a, b, c)                                                    \
  struct Name##Impl : Module {                                                                  \
    explicit Name##Impl(Name##Options o = {}) : Module(#Name), options(std::move(o)) {}         \
    Tensor forward(const Tensor& a, const Tensor& b, const Tensor& c) {                         \
      return functional::fn(a, b, c, options);                                                  \
    }                                                                                           \
    Name##Options options;                                                                      \
  };                                                                                            \
  WICK_OPTIONS_MODULE(Name, Name##Options)

WICK_LOSS_MODULE3(MarginRankingLoss, margin_ranking_loss, input1, input2, target);
WICK_LOSS_MODULE3(CosineEmbeddingLoss, cosine_embedding_loss, input1, input2, target);
WICK_LOSS_MODULE3(TripletMarginLoss, triplet_margin_loss, anchor, positive, negative);
WICK_LOSS_MODULE3(TripletMarginWithDistanceLoss, triplet_margin_with_distance_loss, anchor, positive,
                  negative);
#undef WICK_LOSS_MODULE3

struct CTCLossImpl : Module {
  explicit CTCLossImpl(CTCLossOptions o = {}) : Module("CTCLoss"), options(std::move(o)) {}
  Tensor forward(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                 IntArrayRef target_lengths) {
    return functional::ctc_loss(log_probs, targets, input_lengths, target_lengths, options);
  }
  Tensor forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                 const Tensor& target_lengths) {
    return functional::ctc_loss(log_probs, targets, input_lengths, target_lengths, options);
  }
  CTCLossOptions options;
};
WICK_OPTIONS_MODULE(CTCLoss, CTCLossOptions);

}  // namespace wick::nn

// Loss modules defined out of line: BCEWithLogitsLoss, the one with two buffers (weight and
// pos_weight). The others are declared whole in the header. No computation of their own.
#include "wick/nn/modules/loss.h"

namespace wick::nn {

BCEWithLogitsLossImpl::BCEWithLogitsLossImpl(BCEWithLogitsLossOptions o)
    : Module("BCEWithLogitsLoss"), options(std::move(o)) {
  weight = register_buffer("weight", options.weight);
  pos_weight = register_buffer("pos_weight", options.pos_weight);
}

Tensor BCEWithLogitsLossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::binary_cross_entropy_with_logits(input, target,
                                                      {weight, options.reduction, pos_weight});
}

WICK_OPTIONS_MODULE_CTOR(NLLLoss, NLLLossOptions)
WICK_OPTIONS_MODULE_CTOR(CrossEntropyLoss, CrossEntropyLossOptions)
WICK_OPTIONS_MODULE_CTOR(BCELoss, BCELossOptions)
WICK_OPTIONS_MODULE_CTOR(MultiLabelSoftMarginLoss, MultiLabelSoftMarginLossOptions)
WICK_OPTIONS_MODULE_CTOR(MultiMarginLoss, MultiMarginLossOptions)
WICK_OPTIONS_MODULE_CTOR(L1Loss, L1LossOptions)
WICK_OPTIONS_MODULE_CTOR(MSELoss, MSELossOptions)
WICK_OPTIONS_MODULE_CTOR(SmoothL1Loss, SmoothL1LossOptions)
WICK_OPTIONS_MODULE_CTOR(HuberLoss, HuberLossOptions)
WICK_OPTIONS_MODULE_CTOR(KLDivLoss, KLDivLossOptions)
WICK_OPTIONS_MODULE_CTOR(PoissonNLLLoss, PoissonNLLLossOptions)
WICK_OPTIONS_MODULE_CTOR(BCEWithLogitsLoss, BCEWithLogitsLossOptions)
WICK_OPTIONS_MODULE_CTOR(GaussianNLLLoss, GaussianNLLLossOptions)
WICK_OPTIONS_MODULE_CTOR(HingeEmbeddingLoss, HingeEmbeddingLossOptions)
WICK_OPTIONS_MODULE_CTOR(SoftMarginLoss, SoftMarginLossOptions)
WICK_OPTIONS_MODULE_CTOR(MultiLabelMarginLoss, MultiLabelMarginLossOptions)
WICK_OPTIONS_MODULE_CTOR(MarginRankingLoss, MarginRankingLossOptions)
WICK_OPTIONS_MODULE_CTOR(CosineEmbeddingLoss, CosineEmbeddingLossOptions)
WICK_OPTIONS_MODULE_CTOR(TripletMarginLoss, TripletMarginLossOptions)
WICK_OPTIONS_MODULE_CTOR(TripletMarginWithDistanceLoss, TripletMarginWithDistanceLossOptions)
WICK_OPTIONS_MODULE_CTOR(CTCLoss, CTCLossOptions)

}  // namespace wick::nn

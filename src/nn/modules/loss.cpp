// Loss modules: construction (settings checked, weights registered as buffers) and forward to
// nn::functional. No computation of their own.
#include "wick/nn/modules/loss.h"

#include "wick/backend/loss_args.h"

namespace wick::nn {

NLLLossImpl::NLLLossImpl(NLLLossOptions o) : Module("NLLLoss"), options(std::move(o)) {
  parse_reduction(options.reduction);
  weight = register_buffer("weight", options.weight);
}

Tensor NLLLossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::nll_loss(input, target, {weight, options.ignore_index, options.reduction});
}

CrossEntropyLossImpl::CrossEntropyLossImpl(CrossEntropyLossOptions o)
    : Module("CrossEntropyLoss"), options(std::move(o)) {
  parse_reduction(options.reduction);
  weight = register_buffer("weight", options.weight);
}

Tensor CrossEntropyLossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::cross_entropy(input, target, {weight, options.ignore_index, options.reduction,
                                                   options.label_smoothing});
}

BCELossImpl::BCELossImpl(BCELossOptions o) : Module("BCELoss"), options(std::move(o)) {
  weight = register_buffer("weight", options.weight);
}

Tensor BCELossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::binary_cross_entropy(input, target, {weight, options.reduction});
}

BCEWithLogitsLossImpl::BCEWithLogitsLossImpl(BCEWithLogitsLossOptions o)
    : Module("BCEWithLogitsLoss"), options(std::move(o)) {
  weight = register_buffer("weight", options.weight);
  pos_weight = register_buffer("pos_weight", options.pos_weight);
}

Tensor BCEWithLogitsLossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::binary_cross_entropy_with_logits(input, target,
                                                      {weight, options.reduction, pos_weight});
}

MultiLabelSoftMarginLossImpl::MultiLabelSoftMarginLossImpl(MultiLabelSoftMarginLossOptions o)
    : Module("MultiLabelSoftMarginLoss"), options(std::move(o)) {
  weight = register_buffer("weight", options.weight);
}

Tensor MultiLabelSoftMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::multilabel_soft_margin_loss(input, target, {weight, options.reduction});
}

MultiMarginLossImpl::MultiMarginLossImpl(MultiMarginLossOptions o)
    : Module("MultiMarginLoss"), options(std::move(o)) {
  WICK_CHECK(options.p == 1 || options.p == 2, "only p == 1 and p == 2 supported");
  weight = register_buffer("weight", options.weight);
}

Tensor MultiMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return functional::multi_margin_loss(input, target,
                                       {options.p, options.margin, weight, options.reduction});
}

}  // namespace wick::nn

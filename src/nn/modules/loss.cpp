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

}  // namespace wick::nn

// InstanceNorm1d/2d/3d: rank checks with PyTorch's messages, unbatched input, then
// functional::instance_norm with batch statistics in training (or without running stats).
#include "wick/nn/modules/instancenorm.h"

namespace wick::nn {
namespace {

BatchNormOptions as_batchnorm(const InstanceNormOptions& o) {
  return {.eps = o.eps,
          .momentum = o.momentum,
          .affine = o.affine,
          .track_running_stats = o.track_running_stats,
          .device = o.device,
          .dtype = o.dtype};
}

}  // namespace

InstanceNormImplBase::InstanceNormImplBase(std::string name, int64_t num_features_,
                                           const InstanceNormOptions& o, int64_t batched_rank)
    : NormBase(std::move(name), num_features_, as_batchnorm(o)), batched_rank_(batched_rank) {}

Tensor InstanceNormImplBase::forward(const Tensor& input) {
  WICK_CHECK(input.dim() == batched_rank_ || input.dim() == batched_rank_ - 1, name(),
             ": expected ", batched_rank_ - 1, "D or ", batched_rank_, "D input (got ", input.dim(),
             "D input)");
  const bool batched = input.dim() == batched_rank_;
  Tensor x = batched ? input : input.unsqueeze(0);
  // Without parameters or buffers the channel count does not matter (PyTorch only warns).
  if (affine || track_running_stats)
    WICK_CHECK(x.size(1) == num_features, name(),
               ": expected input's size at dim=", batched ? 1 : 0, " to match num_features (",
               num_features, "), but got: ", x.size(1), ".");
  bool use_input_stats = is_training() || !track_running_stats;
  Tensor y = functional::instance_norm(x, running_mean, running_var, weight, bias, use_input_stats,
                                       momentum.value_or(0.1), eps);
  return batched ? y : y.squeeze(0);
}

#define WICK_INSTANCENORM_HOLDER_CTOR(Name)                     \
  Name::Name(int64_t num_features, InstanceNormOptions options) \
      : ModuleHolder<Name##Impl>(num_features, options) {}
WICK_INSTANCENORM_HOLDER_CTOR(InstanceNorm1d)
WICK_INSTANCENORM_HOLDER_CTOR(InstanceNorm2d)
WICK_INSTANCENORM_HOLDER_CTOR(InstanceNorm3d)
#undef WICK_INSTANCENORM_HOLDER_CTOR

}  // namespace wick::nn

// NormBase (parameters, buffers, printing, running-stat bookkeeping) and BatchNorm's forward with
// PyTorch's input-rank messages; the arithmetic is functional::batch_norm.
#include "wick/nn/modules/batchnorm.h"

#include "wick/autograd/grad_mode.h"
#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {

NormBase::NormBase(std::string name, int64_t num_features_, const BatchNormOptions& o)
    : Module(std::move(name)),
      num_features(num_features_),
      eps(o.eps),
      momentum(o.momentum),
      affine(o.affine),
      track_running_stats(o.track_running_stats) {
  WICK_CHECK(num_features >= 0, this->name(), ": num_features must be non-negative, got ",
             num_features);
  TensorOptions f{.dtype = o.dtype.value_or(default_dtype()),
                  .device = o.device.value_or(Device(kCPU))};
  if (affine) {
    weight = register_parameter("weight", empty({num_features}, f));
    bias = register_parameter("bias", empty({num_features}, f));
  }
  if (track_running_stats) {
    running_mean = register_buffer("running_mean", zeros({num_features}, f));
    running_var = register_buffer("running_var", ones({num_features}, f));
    num_batches_tracked =
        register_buffer("num_batches_tracked", zeros({}, {.dtype = kInt64, .device = f.device}));
  }
  reset_parameters();
}

void NormBase::reset_running_stats() {
  if (!track_running_stats) return;
  NoGradGuard ng;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

void NormBase::reset_parameters() {
  reset_running_stats();
  if (affine) {
    init::ones_(weight);
    init::zeros_(bias);
  }
}

double NormBase::step_average_factor() {
  double factor = momentum.value_or(0.0);
  if (is_training() && track_running_stats && num_batches_tracked.defined()) {
    NoGradGuard ng;
    num_batches_tracked.add_(1);
    if (!momentum) factor = 1.0 / static_cast<double>(num_batches_tracked.item<int64_t>());
  }
  return factor;
}

std::string NormBase::extra_repr() const {
  return std::to_string(num_features) + ", eps=" + detail::py_repr(eps) +
         ", momentum=" + (momentum ? detail::py_repr(*momentum) : std::string("None")) +
         ", affine=" + detail::py_bool(affine) +
         ", track_running_stats=" + detail::py_bool(track_running_stats);
}

BatchNormImplBase::BatchNormImplBase(std::string name, int64_t num_features_,
                                     const BatchNormOptions& options,
                                     std::initializer_list<int64_t> ranks)
    : NormBase(std::move(name), num_features_, options), ranks_(ranks) {}

Tensor BatchNormImplBase::forward(const Tensor& input) {
  bool ok = false;
  for (int64_t r : ranks_) ok = ok || input.dim() == r;
  if (!ok) {
    std::string want = std::to_string(ranks_[0]) + "D";
    for (size_t i = 1; i < ranks_.size(); ++i) want += " or " + std::to_string(ranks_[i]) + "D";
    WICK_FAIL(name(), ": expected ", want, " input (got ", input.dim(), "D input)");
  }
  double factor = step_average_factor();
  // Batch statistics in training, and also in eval when there are no running stats.
  bool use_batch_stats = is_training() || !running_mean.defined();
  bool pass_stats = !is_training() || track_running_stats;
  return functional::batch_norm(input, pass_stats ? running_mean : Tensor(),
                                pass_stats ? running_var : Tensor(), weight, bias, use_batch_stats,
                                factor, eps);
}

#define WICK_BATCHNORM_HOLDER_CTOR(Name)                     \
  Name::Name(int64_t num_features, BatchNormOptions options) \
      : ModuleHolder<Name##Impl>(num_features, options) {}
WICK_BATCHNORM_HOLDER_CTOR(BatchNorm1d)
WICK_BATCHNORM_HOLDER_CTOR(BatchNorm2d)
WICK_BATCHNORM_HOLDER_CTOR(BatchNorm3d)
#undef WICK_BATCHNORM_HOLDER_CTOR

}  // namespace wick::nn

// BatchNorm1d/2d/3d (torch.nn.BatchNorm*): weight/bias (ones/zeros) when affine, buffers
// running_mean/running_var/num_batches_tracked when track_running_stats, with PyTorch's state_dict
// keys and printing. momentum = nullopt is a cumulative moving average. NormBase is shared with
// the InstanceNorm modules (instancenorm.h), as PyTorch's _NormBase.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "wick/core/device.h"
#include "wick/nn/functional/normalization.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

struct BatchNormOptions {
  double eps = 1e-5;
  std::optional<double> momentum = 0.1;
  bool affine = true;
  bool track_running_stats = true;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

// Parameters, buffers, printing and the running-stat bookkeeping of the norm layers.
struct NormBase : Module {
  NormBase(std::string name, int64_t num_features, const BatchNormOptions& options);
  void reset_running_stats();  // mean 0, var 1, num_batches_tracked 0
  void reset_parameters();     // running stats reset, weight 1, bias 0
  std::string extra_repr() const override;

  int64_t num_features;
  double eps;
  std::optional<double> momentum;
  bool affine, track_running_stats;
  Tensor weight, bias;                                    // undefined unless affine
  Tensor running_mean, running_var, num_batches_tracked;  // undefined unless track_running_stats

 protected:
  // In training with running stats: counts the batch and returns the running-stat factor
  // (momentum, or 1 / num_batches_tracked for a cumulative average); else momentum or 0.
  double step_average_factor();
};

// The shared body of BatchNorm1d/2d/3d; `ranks` lists the accepted input ranks.
struct BatchNormImplBase : NormBase {
  BatchNormImplBase(std::string name, int64_t num_features, const BatchNormOptions& options,
                    std::initializer_list<int64_t> ranks);
  Tensor forward(const Tensor& input);

 private:
  std::vector<int64_t> ranks_;
};

#define WICK_BATCHNORM_MODULE(Name, ...)                                     \
  struct Name##Impl : BatchNormImplBase {                                    \
    explicit Name##Impl(int64_t num_features, BatchNormOptions options = {}) \
        : BatchNormImplBase(#Name, num_features, options, {__VA_ARGS__}) {}  \
  };                                                                         \
  class Name : public ModuleHolder<Name##Impl> {                             \
   public:                                                                   \
    using ModuleHolder<Name##Impl>::ModuleHolder;                            \
    Name(int64_t num_features, BatchNormOptions options = {}); /* NOLINT */  \
  }

WICK_BATCHNORM_MODULE(BatchNorm1d, 2, 3);
WICK_BATCHNORM_MODULE(BatchNorm2d, 4);
WICK_BATCHNORM_MODULE(BatchNorm3d, 5);
#undef WICK_BATCHNORM_MODULE

}  // namespace wick::nn

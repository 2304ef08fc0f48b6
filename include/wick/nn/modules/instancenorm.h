// InstanceNorm1d/2d/3d (torch.nn.InstanceNorm*): NormBase (batchnorm.h) with PyTorch's defaults
// affine=False, track_running_stats=False; also accept unbatched input (C, *) as PyTorch does.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "wick/nn/modules/batchnorm.h"

namespace wick::nn {

struct InstanceNormOptions {
  double eps = 1e-5;
  std::optional<double> momentum = 0.1;
  bool affine = false;
  bool track_running_stats = false;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

// The shared body; `batched_rank` is 3, 4 or 5 (unbatched input has one dim fewer).
struct InstanceNormImplBase : NormBase {
  InstanceNormImplBase(std::string name, int64_t num_features, const InstanceNormOptions& options,
                       int64_t batched_rank);
  Tensor forward(const Tensor& input);

 private:
  int64_t batched_rank_;
};

#define WICK_INSTANCENORM_MODULE(Name, rank)                                    \
  struct Name##Impl : InstanceNormImplBase {                                    \
    explicit Name##Impl(int64_t num_features, InstanceNormOptions options = {}) \
        : InstanceNormImplBase(#Name, num_features, options, rank) {}           \
  };                                                                            \
  class Name : public ModuleHolder<Name##Impl> {                                \
   public:                                                                      \
    using ModuleHolder<Name##Impl>::ModuleHolder;                               \
    Name(int64_t num_features, InstanceNormOptions options = {}); /* NOLINT */  \
  }

WICK_INSTANCENORM_MODULE(InstanceNorm1d, 3);
WICK_INSTANCENORM_MODULE(InstanceNorm2d, 4);
WICK_INSTANCENORM_MODULE(InstanceNorm3d, 5);
#undef WICK_INSTANCENORM_MODULE

}  // namespace wick::nn

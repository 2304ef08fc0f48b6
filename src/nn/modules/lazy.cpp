// The lazy modules' input-size rule and their holders' constructors (lazy.h).
#include "wick/nn/modules/lazy.h"

namespace wick::nn {

int64_t detail::lazy_input_size(const Tensor& input, LazyInput where, int64_t batched_rank,
                                const std::string& lazy_name) {
  switch (where) {
    case LazyInput::kLastDim:
      WICK_CHECK(input.dim() >= 1, lazy_name, ": expected an input with at least 1 dimension, got ",
                 input.sizes());
      return input.size(-1);
    case LazyInput::kChannelDim:
      WICK_CHECK(input.dim() == batched_rank || input.dim() == batched_rank - 1, "Expected ",
                 batched_rank - 1, "D (unbatched) or ", batched_rank, "D (batched) input to ",
                 lazy_name, ", but got input of size: ", input.sizes());
      return input.size(input.dim() == batched_rank ? 1 : 0);
    case LazyInput::kBatchChannel:
      WICK_CHECK(input.dim() >= 2, lazy_name, ": expected an input (N, C, *) with at least 2 ",
                 "dimensions, got ", input.sizes());
      return input.size(1);
  }
  WICK_FAIL(lazy_name, ": unknown input rule");
}

LazyLinear::LazyLinear(int64_t out_features, LinearOptions options)
    : ModuleHolder<LazyLinearImpl>(out_features, options) {}

#define WICK_LAZY_CONV_HOLDER_CTOR(Name, Kind, D)                                           \
  Name::Name(int64_t out_channels, ExpandingArray<D> kernel_size, Kind##Options<D> options) \
      : ModuleHolder<Name##Impl>(out_channels, kernel_size, std::move(options)) {}
WICK_LAZY_CONV_HOLDER_CTOR(LazyConv1d, Conv, 1)
WICK_LAZY_CONV_HOLDER_CTOR(LazyConv2d, Conv, 2)
WICK_LAZY_CONV_HOLDER_CTOR(LazyConv3d, Conv, 3)
WICK_LAZY_CONV_HOLDER_CTOR(LazyConvTranspose1d, ConvTranspose, 1)
WICK_LAZY_CONV_HOLDER_CTOR(LazyConvTranspose2d, ConvTranspose, 2)
WICK_LAZY_CONV_HOLDER_CTOR(LazyConvTranspose3d, ConvTranspose, 3)
#undef WICK_LAZY_CONV_HOLDER_CTOR

WICK_OPTIONS_MODULE_CTOR(LazyBatchNorm1d, BatchNormOptions)
WICK_OPTIONS_MODULE_CTOR(LazyBatchNorm2d, BatchNormOptions)
WICK_OPTIONS_MODULE_CTOR(LazyBatchNorm3d, BatchNormOptions)
WICK_OPTIONS_MODULE_CTOR(LazyInstanceNorm1d, LazyInstanceNormOptions)
WICK_OPTIONS_MODULE_CTOR(LazyInstanceNorm2d, LazyInstanceNormOptions)
WICK_OPTIONS_MODULE_CTOR(LazyInstanceNorm3d, LazyInstanceNormOptions)

}  // namespace wick::nn

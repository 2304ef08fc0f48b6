// Conv1d/2d/3d and ConvTranspose1d/2d/3d (torch.nn): one template each over the number of
// spatial dims, with PyTorch's parameters, default initialisation and printing. Conv takes the
// padding modes zeros/reflect/replicate/circular (through F::pad); ConvTranspose only zeros, as in
// PyTorch.
#pragma once

#include <optional>
#include <string>

#include "wick/core/device.h"
#include "wick/nn/expanding_array.h"
#include "wick/nn/functional/conv.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

template <size_t D>
struct ConvOptions {
  ExpandingArray<D> stride = 1;
  ConvPadding<D> padding = 0;  // int, tuple, "same" or "valid"
  ExpandingArray<D> dilation = 1;
  int64_t groups = 1;
  bool bias = true;
  std::string padding_mode = "zeros";  // "zeros", "reflect", "replicate" or "circular"
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};
using Conv1dOptions = ConvOptions<1>;
using Conv2dOptions = ConvOptions<2>;
using Conv3dOptions = ConvOptions<3>;

// x (N, in, *in) or (in, *in) -> (N, out, *out); weight (out, in/groups, *kernel_size).
template <size_t D>
struct ConvImpl : Module {
  ConvImpl(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size,
           ConvOptions<D> options = {});
  Tensor forward(const Tensor& input);
  // kaiming_uniform_(weight, a=sqrt(5)); bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  void reset_parameters();
  std::string extra_repr() const override;

  int64_t in_channels, out_channels;
  ExpandingArray<D> kernel_size;
  ConvOptions<D> options;
  Tensor weight, bias;  // bias undefined when options.bias is false
};
using Conv1dImpl = ConvImpl<1>;
using Conv2dImpl = ConvImpl<2>;
using Conv3dImpl = ConvImpl<3>;

#define WICK_CONV_HOLDER(Name, D)                                                  \
  class Name : public ModuleHolder<ConvImpl<D>> {                                  \
   public:                                                                         \
    using ModuleHolder<ConvImpl<D>>::ModuleHolder;                                 \
    Name(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size, \
         ConvOptions<D> options = {});                                             \
  }
WICK_CONV_HOLDER(Conv1d, 1);
WICK_CONV_HOLDER(Conv2d, 2);
WICK_CONV_HOLDER(Conv3d, 3);
#undef WICK_CONV_HOLDER

template <size_t D>
struct ConvTransposeOptions {
  ExpandingArray<D> stride = 1;
  ExpandingArray<D> padding = 0;
  ExpandingArray<D> output_padding = 0;
  int64_t groups = 1;
  bool bias = true;
  ExpandingArray<D> dilation = 1;
  std::string padding_mode = "zeros";  // only "zeros" is supported, as in PyTorch
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};
using ConvTranspose1dOptions = ConvTransposeOptions<1>;
using ConvTranspose2dOptions = ConvTransposeOptions<2>;
using ConvTranspose3dOptions = ConvTransposeOptions<3>;

// x (N, in, *in) or (in, *in) -> (N, out, *out); weight (in, out/groups, *kernel_size).
template <size_t D>
struct ConvTransposeImpl : Module {
  ConvTransposeImpl(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size,
                    ConvTransposeOptions<D> options = {});
  // output_size: the wanted output size (spatial dims, or with batch/channels in front); it picks
  // output_padding within the range the stride allows, as PyTorch's forward(input, output_size).
  Tensor forward(const Tensor& input, const std::optional<Shape>& output_size = std::nullopt);
  void reset_parameters();
  std::string extra_repr() const override;

  int64_t in_channels, out_channels;
  ExpandingArray<D> kernel_size;
  ConvTransposeOptions<D> options;
  Tensor weight, bias;
};
using ConvTranspose1dImpl = ConvTransposeImpl<1>;
using ConvTranspose2dImpl = ConvTransposeImpl<2>;
using ConvTranspose3dImpl = ConvTransposeImpl<3>;

#define WICK_CONV_TRANSPOSE_HOLDER(Name, D)                                        \
  class Name : public ModuleHolder<ConvTransposeImpl<D>> {                         \
   public:                                                                         \
    using ModuleHolder<ConvTransposeImpl<D>>::ModuleHolder;                        \
    Name(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size, \
         ConvTransposeOptions<D> options = {});                                    \
  }
WICK_CONV_TRANSPOSE_HOLDER(ConvTranspose1d, 1);
WICK_CONV_TRANSPOSE_HOLDER(ConvTranspose2d, 2);
WICK_CONV_TRANSPOSE_HOLDER(ConvTranspose3d, 3);
#undef WICK_CONV_TRANSPOSE_HOLDER

extern template struct ConvImpl<1>;
extern template struct ConvImpl<2>;
extern template struct ConvImpl<3>;
extern template struct ConvTransposeImpl<1>;
extern template struct ConvTransposeImpl<2>;
extern template struct ConvTransposeImpl<3>;

}  // namespace wick::nn

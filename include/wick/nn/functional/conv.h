// nn::functional convolutions (torch.nn.functional.conv1d/2d/3d and conv_transpose1d/2d/3d) and
// torch.convolution underneath them. One N-d implementation serves every dimension; the fused op
// records ConvolutionBackward0 (input, weight and bias gradients, double backward included).
// Padding modes other than zeros belong to the Conv modules (through F::pad), as in PyTorch.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "wick/backend/conv_args.h"
#include "wick/core/tensor.h"
#include "wick/nn/expanding_array.h"

namespace wick {

// torch.convolution: input (N, C, *in) batched only, weight (O, C/groups, *k) for a convolution or
// (C, O/groups, *k) when transposed; symmetric padding.
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                   IntArrayRef padding, IntArrayRef dilation, bool transposed,
                   IntArrayRef output_padding, int64_t groups);

namespace detail {
// The fused op behind convolution: args.padding is the leading padding and out_spatial the
// output's spatial size (so asymmetric "same" padding needs no copy). No argument checks.
Tensor convolution_nd(const Tensor& input, const Tensor& weight, const Tensor& bias,
                      const ConvArgs& args, IntArrayRef out_spatial, bool transposed);
}  // namespace detail

}  // namespace wick

namespace wick::nn {

// A convolution's padding: an int, a tuple, or the strings "same" / "valid".
template <size_t D>
class ConvPadding {
 public:
  ConvPadding(int64_t all) : values_(all) {}                          // NOLINT
  ConvPadding(std::initializer_list<int64_t> list) : values_(list) {}  // NOLINT
  ConvPadding(const ExpandingArray<D>& values) : values_(values) {}    // NOLINT
  template <size_t N>
  ConvPadding(const char (&mode)[N]) : mode_(mode) {}          // NOLINT: "same", "valid"
  ConvPadding(std::string mode) : mode_(std::move(mode)) {}   // NOLINT

  bool is_string() const { return !mode_.empty(); }
  const std::string& mode() const { return mode_; }
  const ExpandingArray<D>& values() const { return values_; }

 private:
  ExpandingArray<D> values_{0};
  std::string mode_;
};

}  // namespace wick::nn

namespace wick::nn::functional {

template <size_t D>
struct ConvFuncOptions {
  ExpandingArray<D> stride = 1;
  ConvPadding<D> padding = 0;
  ExpandingArray<D> dilation = 1;
  int64_t groups = 1;
};
using Conv1dFuncOptions = ConvFuncOptions<1>;
using Conv2dFuncOptions = ConvFuncOptions<2>;
using Conv3dFuncOptions = ConvFuncOptions<3>;

// input (N, C, *in) or unbatched (C, *in); weight (O, C/groups, *k); bias (O) or undefined.
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
              Conv1dFuncOptions options = {});
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
              Conv2dFuncOptions options = {});
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
              Conv3dFuncOptions options = {});
// Without a bias: F::conv2d(x, w, {.padding = 1}).
inline Tensor conv1d(const Tensor& input, const Tensor& weight, Conv1dFuncOptions options) {
  return conv1d(input, weight, Tensor(), options);
}
inline Tensor conv2d(const Tensor& input, const Tensor& weight, Conv2dFuncOptions options) {
  return conv2d(input, weight, Tensor(), options);
}
inline Tensor conv3d(const Tensor& input, const Tensor& weight, Conv3dFuncOptions options) {
  return conv3d(input, weight, Tensor(), options);
}

template <size_t D>
struct ConvTransposeFuncOptions {
  ExpandingArray<D> stride = 1;
  ExpandingArray<D> padding = 0;
  ExpandingArray<D> output_padding = 0;
  int64_t groups = 1;
  ExpandingArray<D> dilation = 1;
};
using ConvTranspose1dFuncOptions = ConvTransposeFuncOptions<1>;
using ConvTranspose2dFuncOptions = ConvTransposeFuncOptions<2>;
using ConvTranspose3dFuncOptions = ConvTransposeFuncOptions<3>;

// input (N, C, *in) or (C, *in); weight (C, O/groups, *k); bias (O) or undefined. Output size per
// dim: (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1.
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
                        ConvTranspose1dFuncOptions options = {});
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
                        ConvTranspose2dFuncOptions options = {});
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
                        ConvTranspose3dFuncOptions options = {});
inline Tensor conv_transpose1d(const Tensor& input, const Tensor& weight,
                               ConvTranspose1dFuncOptions options) {
  return conv_transpose1d(input, weight, Tensor(), options);
}
inline Tensor conv_transpose2d(const Tensor& input, const Tensor& weight,
                               ConvTranspose2dFuncOptions options) {
  return conv_transpose2d(input, weight, Tensor(), options);
}
inline Tensor conv_transpose3d(const Tensor& input, const Tensor& weight,
                               ConvTranspose3dFuncOptions options) {
  return conv_transpose3d(input, weight, Tensor(), options);
}

}  // namespace wick::nn::functional

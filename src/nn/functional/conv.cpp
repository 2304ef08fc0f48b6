// F::conv1d/2d/3d and F::conv_transpose1d/2d/3d: argument checks with PyTorch's messages,
// unbatched inputs, and "same"/"valid" padding (asymmetric "same" for even kernels is passed to the
// fused op as leading padding plus an output size, never as a padded copy). The computation is
// wick::detail::convolution_nd.
#include <array>
#include <string>

#include "wick/nn/functional/conv.h"
#include "wick/nn/modules/common.h"

namespace wick::nn::functional {
namespace {

std::string join_x(const Shape& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s.append(i ? " x " : "").append(std::to_string(v[i]));
  return s + ")";
}

// Checks shared by both directions. in_c: the weight dim that must match input channels (0 for a
// transposed weight (C, O/g, *k), 1 for a convolution's (O, C/g, *k), times groups).
template <size_t D>
ConvArgs check_common(const char* name, const Tensor& x, const Tensor& input, const Tensor& weight,
                      const Tensor& bias, IntArrayRef stride, IntArrayRef dilation, int64_t groups,
                      bool transposed) {
  constexpr auto d = static_cast<int64_t>(D);
  WICK_CHECK(weight.dim() == d + 2, name, ": expected ", d + 2, "-dimensional weight, but got ",
             weight.dim(), "-dimensional weight of size ", weight.sizes(), " instead");
  WICK_CHECK(input.is_floating_point() && input.dtype() == weight.dtype() &&
                 (!bias.defined() || bias.dtype() == input.dtype()),
             name, ": expected floating point input, weight and bias of one dtype, got ",
             dtype_name(input.dtype()), " input and ", dtype_name(weight.dtype()), " weight");
  WICK_CHECK(input.device() == weight.device() &&
                 (!bias.defined() || bias.device() == input.device()),
             name, ": expected input, weight and bias on one device");
  WICK_CHECK(groups > 0, "non-positive groups is not supported");
  ConvArgs a;
  a.dims = d;
  a.groups = groups;
  for (size_t i = 0; i < D; ++i) {
    a.stride[i] = stride[i];
    a.dilation[i] = dilation[i];
    WICK_CHECK(a.stride[i] > 0, "non-positive stride is not supported");
    WICK_CHECK(a.dilation[i] > 0, "dilation should be greater than zero");
  }
  WICK_CHECK(weight.size(0) % groups == 0, "Given groups=", groups,
             ", expected weight to be divisible by ", groups,
             " at dimension 0, but got weight of size ", weight.sizes(), " instead");
  const int64_t want_c = transposed ? weight.size(0) : weight.size(1) * groups;
  WICK_CHECK(x.size(1) == want_c, "Given ", transposed ? "transposed=1" : "groups=" + std::to_string(groups),
             ", weight of size ", weight.sizes(), ", expected input", x.sizes(), " to have ", want_c,
             " channels, but got ", x.size(1), " channels instead");
  const int64_t out_c = transposed ? weight.size(1) * groups : weight.size(0);
  WICK_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == out_c),
             "Given weight of size ", weight.sizes(), ", expected bias to be 1-dimensional with ",
             out_c, " elements, but got bias of size ", bias.sizes(), " instead");
  return a;
}

template <size_t D>
void check_rank(const char* name, const Tensor& input) {
  constexpr auto d = static_cast<int64_t>(D);
  WICK_CHECK(input.dim() == d + 1 || input.dim() == d + 2, "Expected ", d + 1, "D (unbatched) or ",
             d + 2, "D (batched) input to ", name, ", but got input of size: ", input.sizes());
}

template <size_t D>
Tensor conv_nd(const char* name, const Tensor& input, const Tensor& weight, const Tensor& bias,
               const ConvFuncOptions<D>& o) {
  check_rank<D>(name, input);
  const bool batched = input.dim() == static_cast<int64_t>(D) + 2;
  Tensor x = batched ? input : input.unsqueeze(0);
  ConvArgs a = check_common<D>(name, x, input, weight, bias, o.stride, o.dilation, o.groups, false);
  // Leading and trailing padding per dim.
  std::array<int64_t, D> lo{}, hi{};
  const auto& p = o.padding;
  if (p.is_string()) {
    WICK_CHECK(p.mode() == "same" || p.mode() == "valid", "Invalid padding string: '", p.mode(),
               "'");
    if (p.mode() == "same") {
      for (size_t i = 0; i < D; ++i)
        WICK_CHECK(a.stride[i] == 1, "padding='same' is not supported for strided convolutions");
      for (size_t i = 0; i < D; ++i) {
        const int64_t total = a.dilation[i] * (weight.size(2 + static_cast<int64_t>(i)) - 1);
        lo[i] = total / 2;
        hi[i] = total - lo[i];
      }
    }
  } else {
    for (size_t i = 0; i < D; ++i) {
      WICK_CHECK(p.values()[i] >= 0, "negative padding is not supported");
      lo[i] = hi[i] = p.values()[i];
    }
  }
  Shape padded, kernel, out;
  bool fits = true;
  for (size_t i = 0; i < D; ++i) {
    const int64_t id = 2 + static_cast<int64_t>(i);
    a.padding[i] = lo[i];
    padded.push_back(x.size(id) + lo[i] + hi[i]);
    kernel.push_back(a.dilation[i] * (weight.size(id) - 1) + 1);
    fits = fits && kernel.back() <= padded.back();
    out.push_back((padded.back() - kernel.back()) / a.stride[i] + 1);
  }
  WICK_CHECK(fits, "Calculated padded input size per channel: ", join_x(padded),
             ". Kernel size: ", join_x(kernel),
             ". Kernel size can't be greater than actual input size");
  Tensor y = wick::detail::convolution_nd(x, weight, bias, a, out, /*transposed=*/false);
  return batched ? y : y.squeeze(0);
}

template <size_t D>
Tensor conv_transpose_nd(const char* name, const Tensor& input, const Tensor& weight,
                         const Tensor& bias, const ConvTransposeFuncOptions<D>& o) {
  check_rank<D>(name, input);
  const bool batched = input.dim() == static_cast<int64_t>(D) + 2;
  Tensor x = batched ? input : input.unsqueeze(0);
  ConvArgs a = check_common<D>(name, x, input, weight, bias, o.stride, o.dilation, o.groups, true);
  Shape in, out;
  bool ok_padding = true, positive = true;
  for (size_t i = 0; i < D; ++i) {
    const int64_t id = 2 + static_cast<int64_t>(i);
    WICK_CHECK(o.padding[i] >= 0, "negative padding is not supported");
    WICK_CHECK(o.output_padding[i] >= 0, "negative output_padding is not supported");
    ok_padding = ok_padding && (o.output_padding[i] < a.stride[i] || o.output_padding[i] < a.dilation[i]);
    a.padding[i] = o.padding[i];
    in.push_back(x.size(id));
    out.push_back((x.size(id) - 1) * a.stride[i] - 2 * a.padding[i] +
                  a.dilation[i] * (weight.size(id) - 1) + o.output_padding[i] + 1);
    positive = positive && out.back() > 0;
  }
  WICK_CHECK(ok_padding,
             "output padding must be smaller than either stride or dilation, but got "
             "output_padding=",
             nn::detail::py_tuple(o.output_padding), ", stride=", nn::detail::py_tuple(o.stride),
             ", dilation=", nn::detail::py_tuple(o.dilation));
  WICK_CHECK(positive, "Given input size per channel: ", join_x(in),
             ". Calculated output size per channel: ", join_x(out), ". Output size is too small");
  Tensor y = wick::detail::convolution_nd(x, weight, bias, a, out, /*transposed=*/true);
  return batched ? y : y.squeeze(0);
}

}  // namespace

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias,
              Conv1dFuncOptions options) {
  return conv_nd<1>("conv1d", input, weight, bias, options);
}
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
              Conv2dFuncOptions options) {
  return conv_nd<2>("conv2d", input, weight, bias, options);
}
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias,
              Conv3dFuncOptions options) {
  return conv_nd<3>("conv3d", input, weight, bias, options);
}
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        ConvTranspose1dFuncOptions options) {
  return conv_transpose_nd<1>("conv_transpose1d", input, weight, bias, options);
}
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        ConvTranspose2dFuncOptions options) {
  return conv_transpose_nd<2>("conv_transpose2d", input, weight, bias, options);
}
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                        ConvTranspose3dFuncOptions options) {
  return conv_transpose_nd<3>("conv_transpose3d", input, weight, bias, options);
}

}  // namespace wick::nn::functional

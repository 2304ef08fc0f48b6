// Conv1d/2d/3d and ConvTranspose1d/2d/3d: construction checks (PyTorch's ValueError texts),
// default init, printing, and forward through F::conv*/F::conv_transpose*. Errors raised inside
// forward are re-thrown with the module's printed form in front, so a failing layer in a deep
// model names itself.
#include "wick/nn/modules/conv.h"

#include <cmath>

#include "wick/nn/functional/padding.h"
#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {
namespace {

template <size_t D>
std::string dim_name(const char* base) {
  return base + std::to_string(D) + "d";
}

template <size_t D>
Tensor run_conv(const Tensor& x, const Tensor& w, const Tensor& b,
                functional::ConvFuncOptions<D> o) {
  if constexpr (D == 1) return functional::conv1d(x, w, b, o);
  if constexpr (D == 2) return functional::conv2d(x, w, b, o);
  if constexpr (D == 3) return functional::conv3d(x, w, b, o);
}

template <size_t D>
Tensor run_conv_transpose(const Tensor& x, const Tensor& w, const Tensor& b,
                          functional::ConvTransposeFuncOptions<D> o) {
  if constexpr (D == 1) return functional::conv_transpose1d(x, w, b, o);
  if constexpr (D == 2) return functional::conv_transpose2d(x, w, b, o);
  if constexpr (D == 3) return functional::conv_transpose3d(x, w, b, o);
}

void check_channels(const std::string& name, int64_t in, int64_t out, int64_t groups) {
  WICK_CHECK(groups > 0, name, ": groups must be a positive integer, got ", groups);
  WICK_CHECK(in % groups == 0, name, ": in_channels must be divisible by groups, got ", in,
             " and groups=", groups);
  WICK_CHECK(out % groups == 0, name, ": out_channels must be divisible by groups, got ", out,
             " and groups=", groups);
}

// weight (lead, second, *kernel) and, when wanted, bias (nbias), both uninitialised.
void make_parameters(Module& m, Tensor& weight, Tensor& bias, int64_t lead, int64_t second,
                     IntArrayRef kernel, bool with_bias, int64_t nbias, std::optional<Device> dev,
                     std::optional<DType> dt) {
  TensorOptions f{.dtype = dt.value_or(default_dtype()), .device = dev.value_or(Device(kCPU))};
  Shape wshape{lead, second};
  wshape.insert(wshape.end(), kernel.begin(), kernel.end());
  weight = m.register_parameter("weight", empty(wshape, f));
  if (with_bias) bias = m.register_parameter("bias", empty({nbias}, f));
}

// kaiming_uniform_(weight, a=sqrt(5)); bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
void init_parameters(Tensor& weight, Tensor& bias) {
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)});
  if (bias.defined()) {
    auto fan_in = init::calculate_fan_in_and_fan_out(weight).first;
    double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
    init::uniform_(bias, -bound, bound);
  }
}

bool all_equal(IntArrayRef v, int64_t x) {
  for (int64_t e : v)
    if (e != x) return false;
  return true;
}

// PyTorch's _ConvNd.extra_repr; padding is already formatted (empty when all zeros).
std::string conv_repr(int64_t in, int64_t out, IntArrayRef kernel, IntArrayRef stride,
                      const std::string& padding, IntArrayRef dilation, IntArrayRef output_padding,
                      int64_t groups, bool bias, const std::string& padding_mode) {
  std::string s = std::to_string(in) + ", " + std::to_string(out) +
                  ", kernel_size=" + detail::py_tuple(kernel) +
                  ", stride=" + detail::py_tuple(stride);
  if (!padding.empty()) s += ", padding=" + padding;
  if (!all_equal(dilation, 1)) s += ", dilation=" + detail::py_tuple(dilation);
  if (!all_equal(output_padding, 0)) s += ", output_padding=" + detail::py_tuple(output_padding);
  if (groups != 1) s += ", groups=" + std::to_string(groups);
  if (!bias) s += ", bias=False";
  if (padding_mode != "zeros") s += ", padding_mode=" + padding_mode;
  return s;
}

}  // namespace

template <size_t D>
ConvImpl<D>::ConvImpl(int64_t in, int64_t out, ExpandingArray<D> k, ConvOptions<D> opts)
    : Module(dim_name<D>("Conv")), in_channels(in), out_channels(out), kernel_size(k),
      options(std::move(opts)) {
  const std::string n = dim_name<D>("Conv");
  check_channels(n, in, out, options.groups);
  const auto& p = options.padding;
  if (p.is_string()) {
    WICK_CHECK(p.mode() == "same" || p.mode() == "valid", n, ": Invalid padding string '",
               p.mode(), "', should be one of {'valid', 'same'}");
    if (p.mode() == "same")
      WICK_CHECK(all_equal(options.stride, 1), n,
                 ": padding='same' is not supported for strided convolutions");
  }
  const auto& m = options.padding_mode;
  WICK_CHECK(m == "zeros" || m == "reflect" || m == "replicate" || m == "circular", n,
             ": padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got "
             "padding_mode='",
             m, "'");
  make_parameters(*this, weight, bias, out, in / options.groups, kernel_size, options.bias, out,
                  options.device, options.dtype);
  reset_parameters();
}

template <size_t D>
void ConvImpl<D>::reset_parameters() {
  init_parameters(weight, bias);
}

template <size_t D>
Tensor ConvImpl<D>::forward(const Tensor& input) {
  functional::ConvFuncOptions<D> o{.stride = options.stride,
                                   .padding = options.padding,
                                   .dilation = options.dilation,
                                   .groups = options.groups};
  try {
    if (options.padding_mode == "zeros") return run_conv<D>(input, weight, bias, o);
    // Other modes pad explicitly (last dim first, as F::pad wants) and convolve without padding.
    Shape pads;
    const auto& p = options.padding;
    for (size_t i = D; i-- > 0;) {
      int64_t lo = 0, hi = 0;
      if (!p.is_string()) {
        lo = hi = p.values()[i];
      } else if (p.mode() == "same") {
        const int64_t total = options.dilation[i] * (kernel_size[i] - 1);
        lo = total / 2;
        hi = total - lo;
      }
      pads.push_back(lo);
      pads.push_back(hi);
    }
    o.padding = 0;
    return run_conv<D>(functional::pad(input, pads, {.mode = options.padding_mode}), weight, bias,
                       o);
  } catch (const Error& e) {
    throw Error(name() + "(" + extra_repr() + "): " + e.what());
  }
}

template <size_t D>
std::string ConvImpl<D>::extra_repr() const {
  const auto& p = options.padding;
  std::string pad = p.is_string() ? p.mode()
                    : all_equal(p.values(), 0) ? std::string()
                                               : detail::py_tuple(p.values());
  return conv_repr(in_channels, out_channels, kernel_size, options.stride, pad, options.dilation,
                   ExpandingArray<D>(0), options.groups, bias.defined(), options.padding_mode);
}

template <size_t D>
ConvTransposeImpl<D>::ConvTransposeImpl(int64_t in, int64_t out, ExpandingArray<D> k,
                                        ConvTransposeOptions<D> opts)
    : Module(dim_name<D>("ConvTranspose")), in_channels(in), out_channels(out), kernel_size(k),
      options(std::move(opts)) {
  const std::string n = dim_name<D>("ConvTranspose");
  check_channels(n, in, out, options.groups);
  WICK_CHECK(options.padding_mode == "zeros", "Only \"zeros\" padding mode is supported for ", n);
  make_parameters(*this, weight, bias, in, out / options.groups, kernel_size, options.bias, out,
                  options.device, options.dtype);
  reset_parameters();
}

template <size_t D>
void ConvTransposeImpl<D>::reset_parameters() {
  init_parameters(weight, bias);
}

template <size_t D>
Tensor ConvTransposeImpl<D>::forward(const Tensor& input, const std::optional<Shape>& output_size) {
  try {
    functional::ConvTransposeFuncOptions<D> o{.stride = options.stride,
                                              .padding = options.padding,
                                              .output_padding = options.output_padding,
                                              .groups = options.groups,
                                              .dilation = options.dilation};
    if (output_size) {
      // PyTorch's _output_padding: output_size may carry leading batch/channel dims.
      const auto& want = *output_size;
      const auto nd = static_cast<int64_t>(D);
      WICK_CHECK(static_cast<int64_t>(want.size()) >= nd &&
                     static_cast<int64_t>(want.size()) <= nd + 2,
                 "ConvTranspose", D, "D: for ", input.dim(), "D input, output_size must have ", nd,
                 " or ", nd + 2, " elements (got ", want.size(), ")");
      const size_t off = want.size() - D;
      for (size_t i = 0; i < D; ++i) {
        const int64_t in = input.size(input.dim() - nd + static_cast<int64_t>(i));
        const int64_t lo = (in - 1) * options.stride[i] - 2 * options.padding[i] +
                           options.dilation[i] * (kernel_size[i] - 1) + 1;
        const int64_t hi = lo + options.stride[i] - 1;
        WICK_CHECK(want[off + i] >= lo && want[off + i] <= hi, "requested an output size of ",
                   IntArrayRef(want), ", but valid sizes range from ", lo, " to ", hi, " (for an input of ",
                   input.sizes(), ")");
        o.output_padding[i] = want[off + i] - lo;
      }
    }
    return run_conv_transpose<D>(input, weight, bias, o);
  } catch (const Error& e) {
    throw Error(name() + "(" + extra_repr() + "): " + e.what());
  }
}

template <size_t D>
std::string ConvTransposeImpl<D>::extra_repr() const {
  std::string pad =
      all_equal(options.padding, 0) ? std::string() : detail::py_tuple(options.padding);
  return conv_repr(in_channels, out_channels, kernel_size, options.stride, pad, options.dilation,
                   options.output_padding, options.groups, bias.defined(), options.padding_mode);
}

template struct ConvImpl<1>;
template struct ConvImpl<2>;
template struct ConvImpl<3>;
template struct ConvTransposeImpl<1>;
template struct ConvTransposeImpl<2>;
template struct ConvTransposeImpl<3>;

#define WICK_CONV_HOLDER_CTOR(Name, Kind, D)                                           \
  Name::Name(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size, \
             Kind##Options<D> options)                                                 \
      : ModuleHolder<Kind##Impl<D>>(in_channels, out_channels, kernel_size, std::move(options)) {}
WICK_CONV_HOLDER_CTOR(Conv1d, Conv, 1)
WICK_CONV_HOLDER_CTOR(Conv2d, Conv, 2)
WICK_CONV_HOLDER_CTOR(Conv3d, Conv, 3)
WICK_CONV_HOLDER_CTOR(ConvTranspose1d, ConvTranspose, 1)
WICK_CONV_HOLDER_CTOR(ConvTranspose2d, ConvTranspose, 2)
WICK_CONV_HOLDER_CTOR(ConvTranspose3d, ConvTranspose, 3)
#undef WICK_CONV_HOLDER_CTOR

}  // namespace wick::nn

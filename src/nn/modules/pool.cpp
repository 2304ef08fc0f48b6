// Pooling modules: settings, printing as PyTorch's print(module), and forward through
// nn::functional. Explicitly instantiated for D = 1, 2, 3 (LPPool: 1, 2).
#include "wick/nn/modules/pooling.h"

#include <cmath>

namespace wick::nn {
namespace F = functional;

namespace {

// PyTorch prints the value the user passed: an int stays an int. ExpandingArray forgets which it
// was, so a tuple of equal entries prints as the int (the common case: kernel_size=3).
template <size_t D>
std::string py_arg(const ExpandingArray<D>& a) {
  for (size_t i = 1; i < D; ++i)
    if (a[i] != a[0]) return detail::py_tuple(a);
  return std::to_string(a[0]);
}

std::string pool_name(const char* family, size_t d) { return family + std::to_string(d) + "d"; }

}  // namespace

// ---- MaxPool ----
template <size_t D>
MaxPoolImpl<D>::MaxPoolImpl(ExpandingArray<D> k, MaxPoolOptions<D> o)
    : Module(pool_name("MaxPool", D)),
      kernel_size(k),
      stride(o.stride ? *o.stride : k),
      padding(o.padding),
      dilation(o.dilation),
      return_indices(o.return_indices),
      ceil_mode(o.ceil_mode) {}

template <size_t D>
std::tuple<Tensor, Tensor> MaxPoolImpl<D>::forward_with_indices(const Tensor& input) {
  F::MaxPoolFuncOptions<D> o{.stride = stride, .padding = padding, .dilation = dilation, .ceil_mode = ceil_mode};
  if constexpr (D == 1) return F::max_pool1d_with_indices(input, kernel_size, o);
  else if constexpr (D == 2) return F::max_pool2d_with_indices(input, kernel_size, o);
  else return F::max_pool3d_with_indices(input, kernel_size, o);
}

template <size_t D>
Tensor MaxPoolImpl<D>::forward(const Tensor& input) {
  return std::get<0>(forward_with_indices(input));
}

template <size_t D>
std::string MaxPoolImpl<D>::extra_repr() const {
  return "kernel_size=" + py_arg(kernel_size) + ", stride=" + py_arg(stride) + ", padding=" + py_arg(padding) +
         ", dilation=" + py_arg(dilation) + ", ceil_mode=" + detail::py_bool(ceil_mode);
}

// ---- AvgPool ----
template <size_t D>
AvgPoolImpl<D>::AvgPoolImpl(ExpandingArray<D> k, AvgPoolOptions<D> o)
    : Module(pool_name("AvgPool", D)),
      kernel_size(k),
      stride(o.stride ? *o.stride : k),
      padding(o.padding),
      ceil_mode(o.ceil_mode),
      count_include_pad(o.count_include_pad),
      divisor_override(o.divisor_override) {}

template <size_t D>
Tensor AvgPoolImpl<D>::forward(const Tensor& input) {
  F::AvgPoolFuncOptions<D> o{.stride = stride, .padding = padding, .ceil_mode = ceil_mode,
                             .count_include_pad = count_include_pad, .divisor_override = divisor_override};
  if constexpr (D == 1) return F::avg_pool1d(input, kernel_size, o);
  else if constexpr (D == 2) return F::avg_pool2d(input, kernel_size, o);
  else return F::avg_pool3d(input, kernel_size, o);
}

template <size_t D>
std::string AvgPoolImpl<D>::extra_repr() const {
  // PyTorch's AvgPool1d stores its settings as 1-tuples; 2d and 3d keep what was passed.
  auto arg = [](const ExpandingArray<D>& a) { return D == 1 ? detail::py_tuple(a) : py_arg(a); };
  return "kernel_size=" + arg(kernel_size) + ", stride=" + arg(stride) + ", padding=" + arg(padding);
}

// ---- adaptive ----
template <size_t D>
AdaptiveAvgPoolImpl<D>::AdaptiveAvgPoolImpl(AdaptiveSize<D> size)
    : Module(pool_name("AdaptiveAvgPool", D)), output_size(std::move(size)) {}

template <size_t D>
Tensor AdaptiveAvgPoolImpl<D>::forward(const Tensor& input) {
  if constexpr (D == 1) return F::adaptive_avg_pool1d(input, output_size);
  else if constexpr (D == 2) return F::adaptive_avg_pool2d(input, output_size);
  else return F::adaptive_avg_pool3d(input, output_size);
}

template <size_t D>
AdaptiveMaxPoolImpl<D>::AdaptiveMaxPoolImpl(AdaptiveSize<D> size, AdaptiveMaxPoolOptions o)
    : Module(pool_name("AdaptiveMaxPool", D)), output_size(std::move(size)), return_indices(o.return_indices) {}

template <size_t D>
std::tuple<Tensor, Tensor> AdaptiveMaxPoolImpl<D>::forward_with_indices(const Tensor& input) {
  if constexpr (D == 1) return F::adaptive_max_pool1d_with_indices(input, output_size);
  else if constexpr (D == 2) return F::adaptive_max_pool2d_with_indices(input, output_size);
  else return F::adaptive_max_pool3d_with_indices(input, output_size);
}

template <size_t D>
Tensor AdaptiveMaxPoolImpl<D>::forward(const Tensor& input) {
  return std::get<0>(forward_with_indices(input));
}

// ---- MaxUnpool ----
template <size_t D>
MaxUnpoolImpl<D>::MaxUnpoolImpl(ExpandingArray<D> k, MaxUnpoolOptions<D> o)
    : Module(pool_name("MaxUnpool", D)), kernel_size(k), stride(o.stride ? *o.stride : k), padding(o.padding) {}

template <size_t D>
Tensor MaxUnpoolImpl<D>::forward(const Tensor& input, const Tensor& indices,
                                 const std::optional<std::vector<int64_t>>& output_size) {
  F::MaxUnpoolFuncOptions<D> o{.stride = stride, .padding = padding, .output_size = output_size};
  if constexpr (D == 1) return F::max_unpool1d(input, indices, kernel_size, o);
  else if constexpr (D == 2) return F::max_unpool2d(input, indices, kernel_size, o);
  else return F::max_unpool3d(input, indices, kernel_size, o);
}

template <size_t D>
std::string MaxUnpoolImpl<D>::extra_repr() const {
  return "kernel_size=" + detail::py_tuple(kernel_size) + ", stride=" + detail::py_tuple(stride) +
         ", padding=" + detail::py_tuple(padding);
}

// ---- LPPool ----
template <size_t D>
LPPoolImpl<D>::LPPoolImpl(Scalar p, ExpandingArray<D> k, LPPoolOptions<D> o)
    : Module(pool_name("LPPool", D)), norm_type(p), kernel_size(k), stride(o.stride), ceil_mode(o.ceil_mode) {}

template <size_t D>
Tensor LPPoolImpl<D>::forward(const Tensor& input) {
  F::LPPoolFuncOptions<D> o{.stride = stride, .ceil_mode = ceil_mode};
  if constexpr (D == 1) return F::lp_pool1d(input, norm_type.to_double(), kernel_size, o);
  else return F::lp_pool2d(input, norm_type.to_double(), kernel_size, o);
}

template <size_t D>
std::string LPPoolImpl<D>::extra_repr() const {
  return "norm_type=" + detail::py_repr(norm_type) + ", kernel_size=" + py_arg(kernel_size) +
         ", stride=" + (stride ? py_arg(*stride) : std::string("None")) + ", ceil_mode=" + detail::py_bool(ceil_mode);
}

#define WICK_POOL_INSTANTIATE(D)          \
  template class MaxPoolImpl<D>;          \
  template class AvgPoolImpl<D>;          \
  template class AdaptiveAvgPoolImpl<D>;  \
  template class AdaptiveMaxPoolImpl<D>;  \
  template class MaxUnpoolImpl<D>
WICK_POOL_INSTANTIATE(1);
WICK_POOL_INSTANTIATE(2);
WICK_POOL_INSTANTIATE(3);
#undef WICK_POOL_INSTANTIATE
template class LPPoolImpl<1>;
template class LPPoolImpl<2>;

#define WICK_POOL_HOLDER_CTOR(Name, First, Options) \
  Name::Name(First first, Options options) : ModuleHolder<Name##Impl>(first, options) {}
#define WICK_POOL_HOLDER_CTORS(D)                                                       \
  WICK_POOL_HOLDER_CTOR(MaxPool##D##d, ExpandingArray<D>, MaxPoolOptions<D>)            \
  WICK_POOL_HOLDER_CTOR(AvgPool##D##d, ExpandingArray<D>, AvgPoolOptions<D>)            \
  WICK_POOL_HOLDER_CTOR(AdaptiveMaxPool##D##d, AdaptiveSize<D>, AdaptiveMaxPoolOptions) \
  WICK_POOL_HOLDER_CTOR(MaxUnpool##D##d, ExpandingArray<D>, MaxUnpoolOptions<D>)        \
  AdaptiveAvgPool##D##d::AdaptiveAvgPool##D##d(AdaptiveSize<D> output_size)             \
      : ModuleHolder<AdaptiveAvgPool##D##dImpl>(output_size) {}
WICK_POOL_HOLDER_CTORS(1)
WICK_POOL_HOLDER_CTORS(2)
WICK_POOL_HOLDER_CTORS(3)
#undef WICK_POOL_HOLDER_CTORS
#undef WICK_POOL_HOLDER_CTOR

LPPool1d::LPPool1d(Scalar norm_type, ExpandingArray<1> kernel_size, LPPoolOptions<1> options)
    : ModuleHolder<LPPool1dImpl>(norm_type, kernel_size, options) {}
LPPool2d::LPPool2d(Scalar norm_type, ExpandingArray<2> kernel_size, LPPoolOptions<2> options)
    : ModuleHolder<LPPool2dImpl>(norm_type, kernel_size, options) {}

}  // namespace wick::nn

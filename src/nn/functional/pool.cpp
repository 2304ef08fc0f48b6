// nn::functional max/avg/adaptive pooling for 1 to 3 spatial dims: one N-d checker and output-size
// rule (PyTorch's pooling_output_shape and its error messages), then the fused ops in
// src/ops/pool.cpp. max_unpool and lp_pool live in pool_unpool.cpp.
#include "pool_common.h"

#include <sstream>

#include "../../ops/pool_ops.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {
namespace detail {

namespace {

std::string tuple_str(IntArrayRef v) {
  std::ostringstream s;
  s << "(";
  for (size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << v[i];
  s << (v.size() == 1 ? ",)" : ")");
  return s.str();
}

// "3x2x2": the non-batch sizes (C, *spatial) as PyTorch's "Given input size" message prints them.
std::string plane_str(int64_t c, IntArrayRef spatial) {
  std::ostringstream s;
  s << c;
  for (int64_t v : spatial) s << "x" << v;
  return s.str();
}

PoolArgs adaptive_args() {
  PoolArgs a;
  a.adaptive = true;
  return a;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

void check_pool_input(const Tensor& input, int64_t nd, const char* fn) {
  WICK_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, fn, "(): expected a non-empty ", nd + 1, "D or ",
             nd + 2, "D (batch mode) tensor for input, got ", input.sizes());
  for (int64_t d = input.dim() - nd - 1; d < input.dim(); ++d)
    WICK_CHECK(input.size(d) > 0, fn, "(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ",
               input.sizes(), " with dimension ", d, " being empty");
  WICK_CHECK(input.is_floating_point() && (input.dtype() == kFloat32 || input.dtype() == kFloat64), fn,
             "(): expected a float32 or float64 input, got ", dtype_name(input.dtype()));
}

Shape sliding_output_size(const Tensor& input, const PoolArgs& a, bool ceil_mode, const char* fn) {
  const int64_t nd = static_cast<int64_t>(a.kernel.size());
  check_pool_input(input, nd, fn);
  for (int64_t d = 0; d < nd; ++d) {
    WICK_CHECK(a.kernel[d] > 0, fn, "(): kernel size should be greater than zero, but got kernel_size=", tuple_str(a.kernel));
    WICK_CHECK(a.stride[d] != 0, fn, "(): stride should not be zero");
    WICK_CHECK(a.stride[d] > 0, fn, "(): stride should be greater than zero, but got stride=", tuple_str(a.stride));
    WICK_CHECK(a.dilation.empty() || a.dilation[d] > 0, fn,
               "(): dilation should be greater than zero, but got dilation=", tuple_str(a.dilation));
    WICK_CHECK(a.padding[d] >= 0, fn, "(): pad must be non-negative, but got pad=", tuple_str(a.padding));
    WICK_CHECK(a.padding[d] <= a.kernel[d] / 2, fn, "(): pad should be at most half of kernel size, but got pad=",
               a.padding[d], " and kernel_size=", a.kernel[d]);
  }
  Shape out(static_cast<size_t>(nd));
  bool too_small = false;
  for (int64_t d = 0; d < nd; ++d) {
    const int64_t in = input.size(input.dim() - nd + d), k = a.kernel[d], s = a.stride[d], p = a.padding[d];
    const int64_t dil = a.dilation.empty() ? 1 : a.dilation[d];
    int64_t o = floor_div(in + 2 * p - dil * (k - 1) - 1 + (ceil_mode ? s - 1 : 0), s) + 1;
    // The last window must start inside the input or its left padding.
    if (ceil_mode && (o - 1) * s >= in + p) --o;
    out[static_cast<size_t>(d)] = o;
    too_small = too_small || o < 1;
  }
  if (too_small) {
    const int64_t c = input.size(input.dim() - nd - 1);
    Shape in_sp(input.sizes().end() - nd, input.sizes().end());
    WICK_FAIL(fn, "(): Given input size: (", plane_str(c, in_sp), "). Calculated output size: (", plane_str(c, out),
              "). Output size is too small");
  }
  return out;
}

Shape adaptive_output_size(const Tensor& input, const std::vector<std::optional<int64_t>>& size, const char* fn) {
  const int64_t nd = static_cast<int64_t>(size.size());
  WICK_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, fn, "(): Expected ", nd + 1, "D or ", nd + 2,
             "D tensor, but got ", input.sizes());
  check_pool_input(input, nd, fn);
  Shape out;
  for (int64_t d = 0; d < nd; ++d) {
    const auto& v = size[static_cast<size_t>(d)];
    out.push_back(v ? *v : input.size(input.dim() - nd + d));
    WICK_CHECK(out.back() >= 0, fn, "(): elements of output_size must be greater than or equal to 0 but received ",
               out.back());
  }
  return out;
}

PoolArgs sliding_args(IntArrayRef kernel, const std::optional<IntArrayRef>& stride, IntArrayRef padding,
                      IntArrayRef dilation) {
  PoolArgs a;
  a.kernel.assign(kernel.begin(), kernel.end());
  const IntArrayRef s = stride ? *stride : kernel;
  a.stride.assign(s.begin(), s.end());
  a.padding.assign(padding.begin(), padding.end());
  a.dilation.assign(dilation.begin(), dilation.end());
  return a;
}

std::tuple<Tensor, Tensor> max_pool_nd(const Tensor& input, const PoolArgs& args, bool ceil_mode, const char* fn,
                                       const char* node) {
  Shape out = sliding_output_size(input, args, ceil_mode, fn);
  return ops::max_pool(input, out, args, node);
}

Tensor avg_pool_nd(const Tensor& input, const PoolArgs& args, bool ceil_mode, const char* fn, const char* node) {
  Shape out = sliding_output_size(input, args, ceil_mode, fn);
  WICK_CHECK(!args.divisor_override || *args.divisor_override != 0, fn, "(): divisor must be not zero");
  return ops::avg_pool(input, out, args, node);
}

std::tuple<Tensor, Tensor> adaptive_max_pool_nd(const Tensor& input, const std::vector<std::optional<int64_t>>& size,
                                                const char* fn, const char* node) {
  Shape out = adaptive_output_size(input, size, fn);
  return ops::max_pool(input, out, adaptive_args(), node);
}

Tensor adaptive_avg_pool_nd(const Tensor& input, const std::vector<std::optional<int64_t>>& size, const char* fn,
                            const char* node) {
  Shape out = adaptive_output_size(input, size, fn);
  return ops::avg_pool(input, out, adaptive_args(), node);
}

}  // namespace detail

using detail::sliding_args;

#define WICK_MAX_POOL(D, node)                                                                                  \
  std::tuple<Tensor, Tensor> max_pool##D##d_with_indices(const Tensor& input, ExpandingArray<D> kernel_size,    \
                                                         MaxPool##D##dFuncOptions o) {                           \
    return detail::max_pool_nd(input, sliding_args(kernel_size, detail::opt_ref(o.stride), o.padding, o.dilation), \
                               o.ceil_mode, "max_pool" #D "d", node);                                           \
  }                                                                                                             \
  Tensor max_pool##D##d(const Tensor& input, ExpandingArray<D> kernel_size, MaxPool##D##dFuncOptions o) {        \
    return std::get<0>(max_pool##D##d_with_indices(input, kernel_size, o));                                      \
  }
// PyTorch computes 1d pooling through 2d, so 1d nodes carry 2d names.
WICK_MAX_POOL(1, "MaxPool2DWithIndicesBackward0")
WICK_MAX_POOL(2, "MaxPool2DWithIndicesBackward0")
WICK_MAX_POOL(3, "MaxPool3DWithIndicesBackward0")
#undef WICK_MAX_POOL

#define WICK_AVG_POOL(D, node)                                                                                    \
  Tensor avg_pool##D##d(const Tensor& input, ExpandingArray<D> kernel_size, AvgPool##D##dFuncOptions o) {          \
    PoolArgs a = sliding_args(kernel_size, detail::opt_ref(o.stride), o.padding, {});                              \
    a.count_include_pad = o.count_include_pad;                                                                    \
    a.divisor_override = o.divisor_override;                                                                      \
    return detail::avg_pool_nd(input, a, o.ceil_mode, "avg_pool" #D "d", node);                                    \
  }
WICK_AVG_POOL(1, "AvgPool2DBackward0")
WICK_AVG_POOL(2, "AvgPool2DBackward0")
WICK_AVG_POOL(3, "AvgPool3DBackward0")
#undef WICK_AVG_POOL

#define WICK_ADAPTIVE_POOL(D, max_node, avg_node)                                                                 \
  std::tuple<Tensor, Tensor> adaptive_max_pool##D##d_with_indices(const Tensor& input, AdaptiveSize<D> size) {    \
    return detail::adaptive_max_pool_nd(input, size.values(), "adaptive_max_pool" #D "d", max_node);              \
  }                                                                                                               \
  Tensor adaptive_max_pool##D##d(const Tensor& input, AdaptiveSize<D> size) {                                     \
    return std::get<0>(adaptive_max_pool##D##d_with_indices(input, size));                                        \
  }                                                                                                               \
  Tensor adaptive_avg_pool##D##d(const Tensor& input, AdaptiveSize<D> size) {                                     \
    return detail::adaptive_avg_pool_nd(input, size.values(), "adaptive_avg_pool" #D "d", avg_node);              \
  }
WICK_ADAPTIVE_POOL(1, "AdaptiveMaxPool2DBackward0", "AdaptiveAvgPool2DBackward0")
WICK_ADAPTIVE_POOL(2, "AdaptiveMaxPool2DBackward0", "AdaptiveAvgPool2DBackward0")
WICK_ADAPTIVE_POOL(3, "AdaptiveMaxPool3DBackward0", "AdaptiveAvgPool3DBackward0")
#undef WICK_ADAPTIVE_POOL

}  // namespace wick::nn::functional

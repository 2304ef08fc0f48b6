// nn::functional::interpolate: output size and scale rules, then one separable pass per spatial
// axis: out = sum_k index_select(x, axis, idx_k) * w_k with 1 (nearest), 2 (linear) or 4 (cubic)
// taps. Source coordinates are computed in the input's precision (float or double), as PyTorch's
// kernels do, so nearest indices and linear weights agree with PyTorch's bit for bit in the index.
#include "wick/nn/functional/upsampling.h"

#include <cmath>
#include <sstream>

#include "pool_common.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"

namespace wick::nn::functional {
namespace {

template <typename T>
std::string list_str(const std::vector<T>& v) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size(); ++i) {
    s << (i ? ", " : "");
    if constexpr (std::is_floating_point_v<T>) {
      s << v[i] << (v[i] == std::floor(v[i]) ? ".0" : "");
    } else {
      s << v[i];
    }
  }
  s << "]";
  return s.str();
}

// One axis's taps: out cell o reads idx[k][o] with weight w[k][o].
struct Taps {
  std::vector<std::vector<int64_t>> idx;
  std::vector<std::vector<double>> w;
};

// in/out, or 1/scale_factor when the user's scale is used (PyTorch's compute_scales_value).
template <typename T>
T axis_scale(int64_t in, int64_t out, std::optional<double> scale, bool align_corners) {
  if (align_corners) return out > 1 ? static_cast<T>(in - 1) / static_cast<T>(out - 1) : T(0);
  return scale && *scale > 0 ? static_cast<T>(1.0 / *scale) : static_cast<T>(in) / static_cast<T>(out);
}

template <typename T>
Taps axis_taps(const std::string& mode, int64_t in, int64_t out, std::optional<double> scale, bool align_corners) {
  Taps t;
  const bool cubic = mode == "bicubic", nearest = mode == "nearest" || mode == "nearest-exact";
  const size_t k = nearest ? 1 : cubic ? 4 : 2;
  t.idx.assign(k, std::vector<int64_t>(static_cast<size_t>(out)));
  t.w.assign(k, std::vector<double>(static_cast<size_t>(out)));
  if (nearest) {
    // PyTorch computes nearest indices in float32 whatever the dtype.
    const float s = axis_scale<float>(in, out, scale, false);
    const float shift = mode == "nearest-exact" ? 0.5f : 0.0f;
    for (int64_t o = 0; o < out; ++o) {
      const int64_t i = static_cast<int64_t>(std::floor((static_cast<float>(o) + shift) * s));
      t.idx[0][static_cast<size_t>(o)] = std::min(i, in - 1);
      t.w[0][static_cast<size_t>(o)] = 1.0;
    }
    return t;
  }
  const T s = axis_scale<T>(in, out, scale, align_corners);
  for (int64_t o = 0; o < out; ++o) {
    const size_t u = static_cast<size_t>(o);
    T src = align_corners ? s * static_cast<T>(o) : s * (static_cast<T>(o) + T(0.5)) - T(0.5);
    if (!cubic) {
      if (src < 0) src = 0;
      const int64_t i0 = static_cast<int64_t>(src);
      const T l1 = src - static_cast<T>(i0);
      t.idx[0][u] = i0;
      t.idx[1][u] = i0 + (i0 < in - 1 ? 1 : 0);
      t.w[0][u] = static_cast<double>(T(1) - l1);
      t.w[1][u] = static_cast<double>(l1);
      continue;
    }
    // Keys' cubic convolution with A = -0.75; taps i-1 .. i+2 clamped into the input.
    const int64_t i = static_cast<int64_t>(std::floor(src));
    const T x = src - static_cast<T>(i), A = T(-0.75);
    auto near = [&](T d) { return ((A + 2) * d - (A + 3)) * d * d + 1; };
    auto far = [&](T d) { return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A; };
    const T ws[4] = {far(x + 1), near(x), near(1 - x), far(2 - x)};
    for (size_t j = 0; j < 4; ++j) {
      t.idx[j][u] = std::clamp<int64_t>(i - 1 + static_cast<int64_t>(j), 0, in - 1);
      t.w[j][u] = static_cast<double>(ws[j]);
    }
  }
  return t;
}

// x resampled along `axis` by the taps.
Tensor resample_axis(const Tensor& x, int64_t axis, const Taps& t) {
  Tensor out;
  Shape wshape(static_cast<size_t>(x.dim()), 1);
  wshape[static_cast<size_t>(axis)] = static_cast<int64_t>(t.idx[0].size());
  for (size_t k = 0; k < t.idx.size(); ++k) {
    Tensor idx = tensor(t.idx[k], {.device = x.device()});
    Tensor part = index_select(x, axis, idx);
    if (t.idx.size() > 1) part = part * tensor(t.w[k], {.dtype = x.dtype(), .device = x.device()}).reshape(wshape);
    out = out.defined() ? out + part : part;
  }
  return out;
}

const char* kModes = "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact";

}  // namespace

Tensor interpolate(const Tensor& input, InterpolateFuncOptions o) {
  const std::string& mode = o.mode;
  const int64_t nd = input.dim() - 2;
  WICK_CHECK(nd >= 1 && nd <= 3, "interpolate(): Input Error: Only 3D, 4D and 5D input Tensors supported (got ",
             input.dim(), "D) for the modes: ", kModes, " (got ", mode, ")");
  const bool interpolating = mode == "linear" || mode == "bilinear" || mode == "bicubic" || mode == "trilinear";
  WICK_CHECK(interpolating || mode == "nearest" || mode == "nearest-exact" || mode == "area",
             "interpolate(): Input Error: Only 3D, 4D and 5D input Tensors supported (got ", input.dim(),
             "D) for the modes: ", kModes, " (got ", mode, ")");
  WICK_CHECK(!o.align_corners || interpolating,
             "interpolate(): align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  const int64_t need = mode == "linear" ? 1 : mode == "bilinear" || mode == "bicubic" ? 2 : mode == "trilinear" ? 3 : nd;
  WICK_CHECK(need == nd, "interpolate(): Got ", input.dim(), "D input, but ", mode, " mode needs ", need + 2, "D input");
  WICK_CHECK(o.size || o.scale_factor, "interpolate(): either size or scale_factor should be defined");
  WICK_CHECK(!(o.size && o.scale_factor), "interpolate(): only one of size or scale_factor should be defined");
  WICK_CHECK(input.is_floating_point(), "interpolate(): expected a floating point input, got ", dtype_name(input.dtype()));
  const bool align = o.align_corners.value_or(false);
  Shape in_sp(input.sizes().begin() + 2, input.sizes().end());
  Shape out_sp;
  std::vector<std::optional<double>> scales(static_cast<size_t>(nd));
  if (o.size) {
    const auto sizes = o.size.expand(static_cast<size_t>(nd));
    WICK_CHECK(static_cast<int64_t>(sizes.size()) == nd,
               "interpolate(): Input and output must have the same number of spatial dimensions, but got input with "
               "spatial dimensions of ", list_str(std::vector<int64_t>(in_sp.begin(), in_sp.end())), " and output size of ",
               list_str(sizes), ". Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.");
    out_sp.assign(sizes.begin(), sizes.end());
  } else {
    const auto sf = o.scale_factor.expand(static_cast<size_t>(nd));
    WICK_CHECK(static_cast<int64_t>(sf.size()) == nd,
               "interpolate(): Input and scale_factor must have the same number of spatial dimensions, but got input "
               "with spatial dimensions of ", list_str(std::vector<int64_t>(in_sp.begin(), in_sp.end())),
               " and scale_factor of shape ", list_str(sf),
               ". Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.");
    for (size_t d = 0; d < sf.size(); ++d) {
      out_sp.push_back(static_cast<int64_t>(std::floor(static_cast<double>(in_sp[d]) * sf[d])));
      // Without recompute_scale_factor the kernels use the user's scale rather than in/out.
      if (!o.recompute_scale_factor.value_or(false)) scales[d] = sf[d];
    }
  }
  bool positive = true;
  for (size_t d = 0; d < out_sp.size(); ++d) positive = positive && out_sp[d] > 0 && in_sp[d] > 0;
  WICK_CHECK(positive, "interpolate(): Input and output sizes should be greater than 0, but got input ",
             list_str(std::vector<int64_t>(in_sp.begin(), in_sp.end())), " output ", list_str(std::vector<int64_t>(out_sp.begin(), out_sp.end())));
  if (mode == "area") {
    static const char* const kNodes[] = {"AdaptiveAvgPool2DBackward0", "AdaptiveAvgPool2DBackward0", "AdaptiveAvgPool3DBackward0"};
    return detail::adaptive_avg_pool_nd(input, std::vector<std::optional<int64_t>>(out_sp.begin(), out_sp.end()),
                                        "interpolate", kNodes[nd - 1]);
  }
  Tensor x = input;
  for (int64_t d = 0; d < nd; ++d) {
    const size_t u = static_cast<size_t>(d);
    if (in_sp[u] == out_sp[u] && (mode == "nearest" || mode == "nearest-exact" || align || !scales[u])) continue;
    const Taps t = input.dtype() == kFloat64 ? axis_taps<double>(mode, in_sp[u], out_sp[u], scales[u], align)
                                            : axis_taps<float>(mode, in_sp[u], out_sp[u], scales[u], align);
    x = resample_axis(x, d + 2, t);
  }
  return x.is_same(input) ? input.clone() : x;
}

}  // namespace wick::nn::functional

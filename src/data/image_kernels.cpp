// Image kernels for data::transforms: plane-by-plane loops over contiguous buffers with the
// per-column and per-row source indices and weights computed once per call. Resize follows the
// index and weight formulas of PyTorch's CPU upsample kernels, in float for uint8/float32 inputs.
#include "image_kernels.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "wick/core/error.h"
#include "wick/core/generator.h"
#include "wick/ops/creation.h"

namespace wick::data::detail {

namespace {

// Linear taps as PyTorch's compute_source_index_and_lambda (align_corners=False).
template <typename Op>
std::vector<LinearTap<Op>> linear_taps(int64_t in, int64_t out) {
  std::vector<LinearTap<Op>> taps(static_cast<size_t>(out));
  Op scale = static_cast<Op>(in) / static_cast<Op>(out);
  for (int64_t o = 0; o < out; ++o) {
    auto& t = taps[static_cast<size_t>(o)];
    if (in == out) {
      t = {o, o, Op(1), Op(0)};
      continue;
    }
    Op src = std::max(scale * (static_cast<Op>(o) + Op(0.5)) - Op(0.5), Op(0));
    auto i0 = static_cast<int64_t>(src);
    Op l1 = std::min(std::max(src - static_cast<Op>(i0), Op(0)), Op(1));
    t = {i0, i0 + (i0 < in - 1 ? 1 : 0), Op(1) - l1, l1};
  }
  return taps;
}

// One bilinear output from source rows r0 and r1: along w within each row, then along h (the
// order of PyTorch's kernel); `load` reads a source value as Op.
template <typename Op, typename Src, typename Load>
inline Op bilinear(const Src* r0, const Src* r1, const LinearTap<Op>& tx, const LinearTap<Op>& ty,
                   Load load) {
  Op t0 = load(r0[tx.i0]) * tx.w0 + load(r0[tx.i1]) * tx.w1;
  Op t1 = load(r1[tx.i0]) * tx.w0 + load(r1[tx.i1]) * tx.w1;
  return t0 * ty.w0 + t1 * ty.w1;
}

// Nearest source index as PyTorch's nearest_idx (float scale, floor).
std::vector<int64_t> nearest_taps(int64_t in, int64_t out) {
  std::vector<int64_t> idx(static_cast<size_t>(out));
  float scale = static_cast<float>(in) / static_cast<float>(out);
  for (int64_t o = 0; o < out; ++o) {
    int64_t s = in == out ? o
                          : (out == 2 * in
                                 ? o >> 1
                                 : static_cast<int64_t>(std::floor(static_cast<float>(o) * scale)));
    idx[static_cast<size_t>(o)] = std::min(s, in - 1);
  }
  return idx;
}

template <typename T, typename Op>
T store_op(Op v) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    // torchvision rounds (half to even) and casts back; bilinear never leaves [0, 255], clamp
    // anyway.
    return static_cast<uint8_t>(std::clamp(std::nearbyint(v), Op(0), Op(255)));
  } else {
    return static_cast<T>(v);
  }
}

template <typename T>
void resize_planes(const T* src, T* dst, int64_t planes, int64_t h, int64_t w, int64_t oh,
                   int64_t ow, bool linear) {
  if (!linear) {
    auto ys = nearest_taps(h, oh), xs = nearest_taps(w, ow);
    for (int64_t p = 0; p < planes; ++p, src += h * w) {
      for (int64_t y = 0; y < oh; ++y) {
        const T* row = src + ys[static_cast<size_t>(y)] * w;
        for (int64_t x = 0; x < ow; ++x) *dst++ = row[xs[static_cast<size_t>(x)]];
      }
    }
    return;
  }
  using Op = std::conditional_t<std::is_same_v<T, double>, double, float>;
  auto ys = linear_taps<Op>(h, oh), xs = linear_taps<Op>(w, ow);
  for (int64_t p = 0; p < planes; ++p, src += h * w) {
    for (int64_t y = 0; y < oh; ++y) {
      const auto& ty = ys[static_cast<size_t>(y)];
      const T* r0 = src + ty.i0 * w;
      const T* r1 = src + ty.i1 * w;
      for (int64_t x = 0; x < ow; ++x) {
        *dst++ = store_op<T>(bilinear(r0, r1, xs[static_cast<size_t>(x)], ty,
                                      [](T v) { return static_cast<Op>(v); }));
      }
    }
  }
}

void check_image(const Tensor& x, const char* who) {
  WICK_CHECK(x.defined() && x.dim() >= 2, who,
             ": expected a tensor image of shape (..., H, W), got ",
             x.defined() ? x.sizes() : IntArrayRef{});
  WICK_CHECK(x.is_cpu(), who, ": expected a CPU tensor image");
  WICK_CHECK(x.dtype() == kUInt8 || x.dtype() == kFloat32 || x.dtype() == kFloat64, who,
             ": expected a uint8, float32 or float64 image, got ", x.dtype());
}

// The number of (H, W) planes: the product of the leading dims.
int64_t num_planes(const Tensor& x) {
  int64_t p = 1;
  for (int64_t i = 0; i + 2 < x.dim(); ++i) p *= x.size(i);
  return p;
}

std::vector<int64_t> with_hw(const Tensor& x, int64_t h, int64_t w) {
  std::vector<int64_t> s(x.sizes().begin(), x.sizes().end());
  s[s.size() - 2] = h;
  s[s.size() - 1] = w;
  return s;
}

template <typename F>
void dispatch_image(DType t, F&& f) {
  if (t == kUInt8) {
    f(uint8_t{});
  } else if (t == kFloat32) {
    f(float{});
  } else {
    f(double{});
  }
}

}  // namespace

Tensor resize_image(const Tensor& x, int64_t oh, int64_t ow, bool bilinear, const char* who) {
  check_image(x, who);
  WICK_CHECK(oh > 0 && ow > 0, who, ": expected a positive output size, got (", oh, ", ", ow, ")");
  int64_t h = x.size(-2), w = x.size(-1);
  WICK_CHECK(h > 0 && w > 0, who, ": expected a non-empty image, got ", x.sizes());
  Tensor src = x.contiguous();
  Tensor out = empty(with_hw(x, oh, ow), {.dtype = x.dtype()});
  int64_t planes = num_planes(x);
  dispatch_image(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    resize_planes<T>(src.data_ptr<T>(), out.data_ptr<T>(), planes, h, w, oh, ow, bilinear);
  });
  return out;
}

Tensor crop_pad(const Tensor& x, int64_t top, int64_t left, int64_t oh, int64_t ow, double fill,
                bool edge, const char* who) {
  check_image(x, who);
  int64_t h = x.size(-2), w = x.size(-1);
  WICK_CHECK(!edge || (h > 0 && w > 0), who, ": edge padding needs a non-empty image");
  Tensor src = x.contiguous();
  Tensor out = empty(with_hw(x, oh, ow), {.dtype = x.dtype()});
  int64_t planes = num_planes(x);
  dispatch_image(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* s = src.data_ptr<T>();
    T* d = out.data_ptr<T>();
    T f = std::is_same_v<T, uint8_t> ? static_cast<T>(std::clamp(fill, 0.0, 255.0))
                                     : static_cast<T>(fill);
    for (int64_t p = 0; p < planes; ++p, s += h * w) {
      for (int64_t y = 0; y < oh; ++y) {
        int64_t sy = top + y;
        bool row_in = sy >= 0 && sy < h;
        if (edge) sy = std::clamp<int64_t>(sy, 0, h - 1);
        for (int64_t xx = 0; xx < ow; ++xx) {
          int64_t sx = left + xx;
          if (edge) {
            *d++ = s[sy * w + std::clamp<int64_t>(sx, 0, w - 1)];
          } else {
            *d++ = row_in && sx >= 0 && sx < w ? s[sy * w + sx] : f;
          }
        }
      }
    }
  });
  return out;
}

Tensor flip_last(const Tensor& x, const char* who) {
  check_image(x, who);
  int64_t w = x.size(-1);
  Tensor src = x.contiguous();
  Tensor out = empty(x.sizes(), {.dtype = x.dtype()});
  int64_t rows = w == 0 ? 0 : x.numel() / w;
  dispatch_image(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* s = src.data_ptr<T>();
    T* d = out.data_ptr<T>();
    for (int64_t r = 0; r < rows; ++r, s += w, d += w) std::reverse_copy(s, s + w, d);
  });
  return out;
}

Tensor uint8_to_unit_float(const Tensor& x) {
  Tensor src = x.contiguous();
  Tensor out = empty(x.sizes(), {.dtype = kFloat32});
  const uint8_t* s = src.data_ptr<uint8_t>();
  float* d = out.data_ptr<float>();
  for (int64_t i = 0, n = x.numel(); i < n; ++i) d[i] = static_cast<float>(s[i]) / 255.0f;
  return out;
}

U8ToFloatPlane::U8ToFloatPlane(int64_t h, int64_t w, int64_t oh, int64_t ow, Resample resample,
                               bool resize_before_scaling, float mean, float stdev)
    : h_(h),
      w_(w),
      oh_(oh),
      ow_(ow),
      resample_(resample),
      round_(resize_before_scaling),
      mean_(mean),
      std_(stdev) {
  for (int v = 0; v < 256; ++v) unit_[static_cast<size_t>(v)] = static_cast<float>(v) / 255.0f;
  if (resample_ == Resample::kBilinear) {
    ys_ = linear_taps<float>(h, oh);
    xs_ = linear_taps<float>(w, ow);
  } else if (resample_ == Resample::kNearest) {
    yn_ = nearest_taps(h, oh);
    xn_ = nearest_taps(w, ow);
  }
}

void U8ToFloatPlane::operator()(const uint8_t* src, float* dst) const {
  const float* unit = unit_.data();
  // (x - mean) / std as Normalize computes it; mean 0 and std 1 leave x unchanged.
  auto finish = [&](float x) { return (x - mean_) / std_; };
  if (resample_ == Resample::kNone) {
    for (int64_t i = 0, n = h_ * w_; i < n; ++i) dst[i] = finish(unit[src[i]]);
    return;
  }
  if (resample_ == Resample::kNearest) {
    for (int64_t y = 0; y < oh_; ++y) {
      const uint8_t* row = src + yn_[static_cast<size_t>(y)] * w_;
      for (int64_t x = 0; x < ow_; ++x) *dst++ = finish(unit[row[xn_[static_cast<size_t>(x)]]]);
    }
    return;
  }
  // Separable: every source row along w once into `rows`, then pairs of rows along h with
  // contiguous (vectorisable) loops. Each output is still (x00 w0 + x01 w1) h0 + (x10 w0 + x11 w1)
  // h1, the values of the per-pixel form in resize_planes.
  thread_local std::vector<float> rows;
  rows.resize(static_cast<size_t>(h_ * ow_));
  for (int64_t r = 0; r < h_; ++r) {
    const uint8_t* s = src + r * w_;
    float* o = rows.data() + r * ow_;
    for (int64_t x = 0; x < ow_; ++x) {
      const auto& tx = xs_[static_cast<size_t>(x)];
      // Resize on uint8 interpolates the integers; ToTensor first interpolates the [0, 1] floats.
      o[x] = round_ ? static_cast<float>(s[tx.i0]) * tx.w0 + static_cast<float>(s[tx.i1]) * tx.w1
                    : unit[s[tx.i0]] * tx.w0 + unit[s[tx.i1]] * tx.w1;
    }
  }
  const float mean = mean_, stdev = std_;
  for (int64_t y = 0; y < oh_; ++y, dst += ow_) {
    const auto& ty = ys_[static_cast<size_t>(y)];
    const float* a = rows.data() + ty.i0 * ow_;
    const float* b = rows.data() + ty.i1 * ow_;
    const float h0 = ty.w0, h1 = ty.w1;
    if (round_) {
      // Rounded back to uint8 (half to even, as store_op), then ToTensor's v / 255.
      for (int64_t x = 0; x < ow_; ++x) {
        float v = std::min(std::max(std::nearbyint(a[x] * h0 + b[x] * h1), 0.0f), 255.0f);
        dst[x] = (v / 255.0f - mean) / stdev;
      }
    } else {
      for (int64_t x = 0; x < ow_; ++x) dst[x] = (a[x] * h0 + b[x] * h1 - mean) / stdev;
    }
  }
}

double uniform(Generator& gen) {
  auto r = philox4x32(gen.seed(), gen.reserve(1));
  uint64_t bits = (static_cast<uint64_t>(r[0]) << 21) ^ r[1];  // 53 random bits
  return static_cast<double>(bits & ((uint64_t{1} << 53) - 1)) * 0x1p-53;
}

int64_t randint(Generator& gen, int64_t low, int64_t high) {
  auto r = philox4x32(gen.seed(), gen.reserve(1));
  uint64_t bits = static_cast<uint64_t>(r[0]) << 32 | r[1];
  return low + static_cast<int64_t>(bits % static_cast<uint64_t>(high - low));
}

}  // namespace wick::data::detail

// Raw loops behind data::transforms over (..., H, W) images: resize (bilinear/nearest as
// torch.nn.functional.interpolate, align_corners=False), crop with padding, flip, uint8 -> float.
// Internal to src/data; these never record autograd and never use the intra-op thread pool.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "wick/core/generator.h"
#include "wick/core/tensor.h"

namespace wick::data::detail {

// x (..., H, W) of uint8/float32/float64 -> (..., oh, ow) of the same dtype; uint8 rounds half to
// even.
Tensor resize_image(const Tensor& x, int64_t oh, int64_t ow, bool bilinear, const char* who);
// out[..., y, x] = x[..., top + y, left + x] inside the image; outside: `fill` or, with edge, the
// nearest border pixel. Negative top/left and sizes past the border pad.
Tensor crop_pad(const Tensor& x, int64_t top, int64_t left, int64_t h, int64_t w, double fill,
                bool edge, const char* who);
// Reverses the last dim.
Tensor flip_last(const Tensor& x, const char* who);
// uint8 -> float32 / 255 (the values of ToTensor).
Tensor uint8_to_unit_float(const Tensor& x);
// Source indices and weights of one output coordinate of a bilinear resize along one axis.
template <typename Op>
struct LinearTap {
  int64_t i0, i1;
  Op w0, w1;
};

// One uint8 (H, W) plane through [Resize] + ToTensor + [Normalize] straight into a float buffer,
// with the same values as the separate transforms (the fast path of MNIST::get_batch). With
// resize_before_scaling, Resize runs on uint8 and rounds (Resize then ToTensor); otherwise it
// interpolates the [0, 1] floats (ToTensor then Resize).
class U8ToFloatPlane {
 public:
  enum class Resample { kNone, kNearest, kBilinear };
  U8ToFloatPlane(int64_t h, int64_t w, int64_t oh, int64_t ow, Resample resample,
                 bool resize_before_scaling, float mean, float stdev);
  // src (h, w) uint8 -> dst (oh, ow) float32.
  void operator()(const uint8_t* src, float* dst) const;

 private:
  int64_t h_, w_, oh_, ow_;
  Resample resample_;
  bool round_;
  float mean_, std_;
  std::array<float, 256> unit_;  // v / 255.0f, ToTensor's values
  std::vector<LinearTap<float>> ys_, xs_;
  std::vector<int64_t> yn_, xn_;
};

// A uniform double in [0, 1) and an integer in [low, high) from a generator (one counter each).
double uniform(Generator& gen);
int64_t randint(Generator& gen, int64_t low, int64_t high);

}  // namespace wick::data::detail

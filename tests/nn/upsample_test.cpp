// interpolate / Upsample against PyTorch goldens (all modes, size or scale_factor, align_corners,
// recompute_scale_factor): output and input gradient of sum(out * G) in float64 (1e-10) and
// float32 (1e-5); float64 gradchecks; printing; error messages.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/nn/modules/pixelshuffle.h"
#include "wick/nn/modules/upsampling.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using Fn = std::function<Tensor(const Tensor&)>;

Fn interp(F::InterpolateFuncOptions o) {
  return [o](const Tensor& x) { return F::interpolate(x, o); };
}

std::vector<std::pair<std::string, Fn>> cases() {
  return {
      {"nearest2d_x2", interp({.scale_factor = 2})},
      {"nearest2d_size", interp({.size = {7, 3}})},
      {"nearest2d_scale_frac", interp({.scale_factor = {1.7, 0.6}})},
      {"nearest2d_recompute", interp({.scale_factor = {1.7, 0.6}, .recompute_scale_factor = true})},
      {"nearest_exact2d", interp({.size = {8, 7}, .mode = "nearest-exact"})},
      {"nearest1d", interp({.size = 9})},
      {"nearest3d", interp({.scale_factor = {2, 1.5, 2}})},
      {"linear", interp({.size = 8, .mode = "linear"})},
      {"linear_ac", interp({.size = 8, .mode = "linear", .align_corners = true})},
      {"linear_down", interp({.scale_factor = 0.45, .mode = "linear"})},
      {"bilinear", interp({.size = {7, 8}, .mode = "bilinear"})},
      {"bilinear_ac", [m = nn::UpsamplingBilinear2d({.scale_factor = 2})](const Tensor& x) mutable { return m(x); }},
      {"bilinear_scale", interp({.scale_factor = {1.5, 2.3}, .mode = "bilinear"})},
      {"bilinear_down", [m = nn::Upsample({.size = {3, 4}, .mode = "bilinear"})](const Tensor& x) mutable { return m(x); }},
      {"bicubic", interp({.size = {7, 9}, .mode = "bicubic"})},
      {"bicubic_ac", interp({.scale_factor = 2, .mode = "bicubic", .align_corners = true})},
      {"bicubic_down", interp({.size = {5, 3}, .mode = "bicubic"})},
      {"trilinear", interp({.size = {5, 6, 4}, .mode = "trilinear"})},
      {"trilinear_ac", interp({.scale_factor = 2, .mode = "trilinear", .align_corners = true})},
      {"pixel_shuffle", [m = nn::PixelShuffle(2)](const Tensor& x) mutable { return m(x); }},
      {"pixel_shuffle_5d", [](const Tensor& x) { return F::pixel_shuffle(x, 3); }},
      {"pixel_unshuffle", [m = nn::PixelUnshuffle(2)](const Tensor& x) mutable { return m(x); }},
      {"area2d", interp({.size = {3, 2}, .mode = "area"})},
      {"area1d", interp({.scale_factor = 0.5, .mode = "area"})},
  };
}

TEST(NnUpsample, MatchesPyTorch) {
  testing::Golden gold("nn_upsample");
  for (const auto& [name, f] : cases()) {
    SCOPED_TRACE(name);
    for (DType dt : {kFloat64, kFloat32}) {
      Tensor x = gold[name + "_x"].to(dt).detach().requires_grad_();
      Tensor out = f(x);
      (out * gold[name + "_g"].to(dt)).sum().backward();
      const bool is64 = dt == kFloat64;
      const std::string tag = is64 || !gold.has(name + "_out32") ? "64" : "32";
      const double rtol = is64 ? 1e-10 : 1e-5, atol = is64 ? 1e-12 : 1e-5;
      EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[name + "_out" + tag], rtol, atol);
      EXPECT_TENSOR_CLOSE(x.grad().to(kFloat64), gold[name + "_gx" + tag], rtol, atol);
    }
  }
}

TEST(NnUpsample, Gradcheck) {
  manual_seed(5);
  std::vector<std::pair<std::string, Fn>> fns = {
      {"nearest", interp({.scale_factor = {1.5, 2}})},
      {"bilinear", interp({.size = {5, 3}, .mode = "bilinear"})},
      {"bilinear_ac", interp({.size = {5, 3}, .mode = "bilinear", .align_corners = true})},
      {"bicubic", interp({.size = {5, 6}, .mode = "bicubic"})},
      {"linear", [](const Tensor& x) { return F::interpolate(x.flatten(2), {.size = 7, .mode = "linear"}); }},
      {"trilinear", [](const Tensor& x) { return F::interpolate(x.unsqueeze(2), {.size = {2, 4, 5}, .mode = "trilinear"}); }},
      {"pixel_shuffle", [](const Tensor& x) { return F::pixel_shuffle(x.reshape({1, 4, 3, 2}), 2); }},
      {"pixel_unshuffle", [](const Tensor& x) { return F::pixel_unshuffle(x.reshape({1, 1, 4, 6}), 2); }},
  };
  for (const auto& [name, f] : fns) {
    SCOPED_TRACE(name);
    Tensor x = randn({1, 2, 3, 4}, {.dtype = kFloat64, .requires_grad = true});
    auto r = autograd::gradcheck([&](const autograd::variable_list& in) { return f(in[0]); }, {x},
                                 {.check_grad_grad = true});
    EXPECT_TRUE(r) << r.message;
  }
}

template <typename M>
std::string str(const M& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

TEST(NnUpsample, PrintsAsPyTorch) {
  EXPECT_EQ(str(nn::Upsample({.scale_factor = 2})), "Upsample(scale_factor=2.0, mode=nearest)");
  EXPECT_EQ(str(nn::Upsample({.scale_factor = {2, 3}})), "Upsample(scale_factor=(2.0, 3.0), mode=nearest)");
  EXPECT_EQ(str(nn::Upsample({.size = 5})), "Upsample(size=5, mode=nearest)");
  EXPECT_EQ(str(nn::Upsample({.size = {3, 4}, .mode = "bilinear", .align_corners = true})),
            "Upsample(size=(3, 4), mode=bilinear)");
  EXPECT_EQ(str(nn::UpsamplingNearest2d({.scale_factor = 2})), "UpsamplingNearest2d(scale_factor=2.0, mode=nearest)");
  EXPECT_EQ(str(nn::UpsamplingBilinear2d({.scale_factor = 2})), "UpsamplingBilinear2d(scale_factor=2.0, mode=bilinear)");
  EXPECT_EQ(str(nn::PixelShuffle(2)), "PixelShuffle(upscale_factor=2)");
  EXPECT_EQ(str(nn::PixelUnshuffle(2)), "PixelUnshuffle(downscale_factor=2)");
}

TEST(NnUpsample, ErrorsMatchPyTorch) {
  using testing::expect_error;
  Tensor x = randn({1, 2, 4, 4});
  expect_error([&] { F::interpolate(x); }, "either size or scale_factor should be defined");
  expect_error([&] { F::interpolate(x, {.size = 3, .scale_factor = 2}); }, "only one of size or scale_factor should be defined");
  expect_error([&] { F::interpolate(x, {.size = 3, .align_corners = true}); },
               "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  expect_error([&] { F::interpolate(x, {.size = 3, .mode = "linear"}); }, "Got 4D input, but linear mode needs 3D input");
  expect_error([&] { F::interpolate(x, {.size = {3}, .mode = "bilinear"}); },
               "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions "
               "of [4, 4] and output size of [3]");
  expect_error([&] { F::interpolate(x, {.scale_factor = {3.0}, .mode = "bilinear"}); },
               "Input and scale_factor must have the same number of spatial dimensions, but got input with spatial "
               "dimensions of [4, 4] and scale_factor of shape [3.0]");
  expect_error([&] { F::interpolate(x, {.size = {3, 3}, .mode = "foo"}); }, "(got foo)");
  expect_error([&] { F::interpolate(x, {.scale_factor = 0.1}); }, "Input and output sizes should be greater than 0");
  expect_error([&] { F::pixel_shuffle(randn({2, 3}), 2); },
               "pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)");
  expect_error([&] { F::pixel_shuffle(randn({1, 5, 2, 2}), 2); },
               "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, "
               "but input.size(-3)=5 is not divisible by 4");
  expect_error([&] { F::pixel_shuffle(x, 0); }, "pixel_shuffle expects a positive upscale_factor, but got 0");
  expect_error([&] { F::pixel_unshuffle(randn({1, 4, 5, 2}), 2); },
               "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2");
  expect_error([&] { F::pixel_unshuffle(randn({1, 4, 4, 5}), 2); },
               "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=5 is not divisible by 2");
}

}  // namespace
}  // namespace wick

// Float32 3x3 layers with unit stride and at least 8 channels each side run by Winograd's
// F(2x2, 3x3) on the CPU (src/cpu/winograd.cpp): forward, input and weight gradients. Float64
// runs the im2col kernels, so each case is checked against the same conv in float64: outputs, the
// input gradient and the weight/bias gradients, on odd sizes (tiles hanging over the edge),
// paddings 0 to 2 (the input gradient then runs with padding 2 - p), unequal paddings, and enough
// tiles for several chunks over 1 and 2 threads (the weight gradient then sums per-thread parts),
// and more input channels than one depth block of the packed kernel (U is packed once per call).
#include <gtest/gtest.h>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

struct Case {
  int64_t batch, in, out, h, w, pad_h, pad_w;
};

void check(const Case& c) {
  SCOPED_TRACE(::testing::Message() << c.batch << "x" << c.in << "x" << c.h << "x" << c.w << " -> "
                                    << c.out << " pad " << c.pad_h << "," << c.pad_w);
  manual_seed(11);
  Tensor x = randn({c.batch, c.in, c.h, c.w}, {.dtype = kFloat64});
  Tensor w = randn({c.out, c.in, 3, 3}, {.dtype = kFloat64}),
         b = randn({c.out}, {.dtype = kFloat64});
  const F::Conv2dFuncOptions o{.padding = {c.pad_h, c.pad_w}};
  auto run = [&](DType dt, const Tensor& g) {
    Tensor xs = x.to(dt).detach().requires_grad_(true), ws = w.to(dt).detach().requires_grad_(true),
           bs = b.to(dt).detach().requires_grad_(true);
    Tensor y = F::conv2d(xs, ws, bs, o);
    if (g.defined()) (y * g.to(dt)).sum().backward();
    return std::vector<Tensor>{y.detach().to(kFloat64),
                               g.defined() ? xs.grad().to(kFloat64) : Tensor(),
                               g.defined() ? ws.grad().to(kFloat64) : Tensor(),
                               g.defined() ? bs.grad().to(kFloat64) : Tensor()};
  };
  Tensor g = randn(run(kFloat64, Tensor())[0].sizes(), {.dtype = kFloat64});
  const std::vector<Tensor> want = run(kFloat64, g), got = run(kFloat32, g);
  // Sums of 9 * C products of unit normals: float32 rounding of a few 1e-6 of their size.
  const double tol = 2e-4 * std::sqrt(9.0 * static_cast<double>(std::max(c.in, c.out)));
  EXPECT_TENSOR_CLOSE(got[0], want[0], 1e-4, tol);
  EXPECT_TENSOR_CLOSE(got[1], want[1], 1e-4, tol);
  EXPECT_TENSOR_CLOSE(got[2], want[2], 1e-4,
                      tol * std::sqrt(static_cast<double>(c.batch * c.h * c.w)));
  EXPECT_TENSOR_CLOSE(got[3], want[3], 1e-4,
                      tol * std::sqrt(static_cast<double>(c.batch * c.h * c.w)));
}

TEST(ConvWinograd, MatchesFloat64Im2col) {
  const int threads = get_num_threads();
  for (int t : {1, 2}) {
    set_num_threads(t);
    SCOPED_TRACE(t);
    check({3, 16, 24, 9, 9, 1, 1});    // odd output: the last tile row and column hang over
    check({2, 17, 16, 8, 11, 0, 0});   // no padding (the input gradient pads by 2)
    check({2, 16, 16, 5, 6, 2, 2});    // padding 2 (the input gradient has none)
    check({2, 16, 20, 7, 10, 1, 2});   // unequal paddings
    check({4, 32, 32, 20, 20, 1, 1});  // 400 tiles: several chunks, split over threads
    check({9, 192, 160, 6, 6, 1, 1});  // wide layer: chunks of 9 small images (U's packing)
    check({2, 272, 24, 6, 6, 1, 1});   // U over two depth blocks of the packed kernel
    check({3, 9, 10, 7, 9, 1, 1});     // 8 to 15 channels each side (Winograd from 8)
    check({2, 384, 10, 5, 5, 1, 1});   // NiN's last 3x3 layer: 10 output channels
  }
  set_num_threads(threads);
}

// The ResNet block's layer in float32 against the float64 result, on one sample's 16x16 image.
TEST(ConvWinograd, Conv2dModuleMatchesFloat64) {
  manual_seed(3);
  nn::Conv2d conv(64, 64, 3, {.padding = 1, .bias = false});
  Tensor x = randn({1, 64, 16, 16});
  Tensor want = F::conv2d(x.to(kFloat64), conv->weight.to(kFloat64), Tensor(), {.padding = 1});
  EXPECT_TENSOR_CLOSE(conv(x).to(kFloat64), want, 1e-4, 1e-4);
}

}  // namespace
}  // namespace wick

// The CPU conv kernels put several samples side by side in one GEMM when the output image is
// small (src/cpu/conv.cpp, "units"). A batch whose size does not divide evenly into units must
// give, sample for sample, what each sample gives alone (batch 1 never groups samples): forward,
// input gradient, and the weight/bias gradients summed over the samples. At 1 and 2 threads.
#include <gtest/gtest.h>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

struct Grads {
  Tensor y, gx, gw, gb;
};

Grads run(const Tensor& x0, const Tensor& w0, const Tensor& b0, const Tensor& g,
          const F::Conv2dFuncOptions& o) {
  Tensor x = x0.clone().requires_grad_(true), w = w0.clone().requires_grad_(true),
         b = b0.clone().requires_grad_(true);
  Tensor y = F::conv2d(x, w, b, o);
  (y * g).sum().backward();
  return {y.detach(), x.grad(), w.grad(), b.grad()};
}

void check(int64_t batch, int64_t side, F::Conv2dFuncOptions o, int64_t in = 4, int64_t out = 6) {
  const int64_t groups = o.groups;
  manual_seed(7);
  Tensor x = randn({batch, in, side, side}, {.dtype = kFloat64});
  Tensor w = randn({out, in / groups, 3, 3}, {.dtype = kFloat64}),
         b = randn({out}, {.dtype = kFloat64});
  Grads all = run(x, w, b, ones({1}), o);
  Tensor g = randn(all.y.sizes(), {.dtype = kFloat64});
  all = run(x, w, b, g, o);
  Tensor gw_sum = zeros_like(w), gb_sum = zeros_like(b);
  for (int64_t n = 0; n < batch; ++n) {
    Grads one = run(x.narrow(0, n, 1), w, b, g.narrow(0, n, 1), o);
    EXPECT_TENSOR_CLOSE(all.y.narrow(0, n, 1), one.y, 1e-12, 1e-12);
    EXPECT_TENSOR_CLOSE(all.gx.narrow(0, n, 1), one.gx, 1e-12, 1e-12);
    gw_sum = gw_sum + one.gw;
    gb_sum = gb_sum + one.gb;
  }
  EXPECT_TENSOR_CLOSE(all.gw, gw_sum, 1e-10, 1e-10);
  EXPECT_TENSOR_CLOSE(all.gb, gb_sum, 1e-10, 1e-10);
}

TEST(ConvBatching, UnevenUnitsMatchOneSampleAtATime) {
  const int threads = get_num_threads();
  for (int t : {1, 2}) {
    set_num_threads(t);
    SCOPED_TRACE(t);
    check(13, 3, {.padding = 1});                            // L = 9: units of 13 samples or fewer
    check(37, 5, {.stride = 2, .padding = 1, .groups = 2});  // L = 9, two groups
    check(11, 6, {});                                        // L = 16
    check(5, 17, {.padding = 1});                            // L = 289: one sample per GEMM
    check(45, 3, {.padding = 1}, 32, 32);  // large enough for the units to run in parallel
  }
  set_num_threads(threads);
}

TEST(ConvBatching, PointwiseConvGroupsSamplesToo) {
  manual_seed(3);
  Tensor x = randn({9, 8, 3, 3}, {.dtype = kFloat64}), w = randn({5, 8, 1, 1}, {.dtype = kFloat64});
  Tensor y = F::conv2d(x, w);
  // A 1x1 conv is a matmul over channels at every position.
  Tensor want = w.view({5, 8})
                    .matmul(x.permute({1, 0, 2, 3}).reshape({8, -1}))
                    .view({5, 9, 3, 3})
                    .permute({1, 0, 2, 3});
  EXPECT_TENSOR_CLOSE(y, want, 1e-12, 1e-12);
}

// Large enough images run a pointwise conv a sample at a time on the image itself, with the
// weights packed once for all samples in float32 (conv.cpp, PackedWeights): over two depth blocks
// of the packed kernel and a row count that leaves a partial panel, at 1 and 2 threads.
TEST(ConvBatching, PointwiseConvOverLargeImagesIsAMatmulPerPosition) {
  const int threads = get_num_threads();
  for (int t : {1, 2}) {
    set_num_threads(t);
    SCOPED_TRACE(t);
    manual_seed(5);
    Tensor x = randn({3, 300, 16, 17}), w = randn({30, 300, 1, 1}), b = randn({30});
    Tensor want = w.to(kFloat64)
                      .view({30, 300})
                      .matmul(x.to(kFloat64).permute({1, 0, 2, 3}).reshape({300, -1}))
                      .view({30, 3, 16, 17})
                      .permute({1, 0, 2, 3}) +
                  b.to(kFloat64).view({1, 30, 1, 1});
    EXPECT_TENSOR_CLOSE(F::conv2d(x, w, b).to(kFloat64), want, 1e-4, 1e-3);
  }
  set_num_threads(threads);
}

// Deep layers' column matrices are built and multiplied a block of rows at a time (conv.cpp,
// rows_per_block): every block must land in its place, in the forward, the input gradient (col2im
// accumulating block after block) and the weight gradient. Against unfold + matmul, which builds
// the whole column matrix, in float64, and float32 to float32's precision (12 output channels keep
// float32 off Winograd, which takes 16 or more; the weight gradient packs gy once for the blocks).
TEST(ConvBlocks, DeepColumnMatricesMatchUnfoldAndMatmul) {
  const int threads = get_num_threads();
  for (int t : {1, 2}) {
    set_num_threads(t);
    SCOPED_TRACE(t);
    // L = 400 and 625 (one sample per GEMM) and L = 25 (9-sample units), in several row blocks
    // each (a block takes 3/8 of the L2: two or more of these 1152 rows with up to 2.7 MB of L2;
    // with 2 MB, L = 625 makes blocks of 256 rows, which the float32 forward takes from weights
    // packed once).
    for (auto [batch, side] : {std::pair<int64_t, int64_t>{2, 20}, {2, 25}, {9, 5}}) {
      manual_seed(3);
      Tensor x0 = randn({batch, 128, side, side}, {.dtype = kFloat64});
      Tensor w0 = randn({12, 128, 3, 3}, {.dtype = kFloat64}),
             b0 = randn({12}, {.dtype = kFloat64});
      Tensor g = randn({batch, 12, side, side}, {.dtype = kFloat64});
      Tensor x = x0.clone().requires_grad_(true), w = w0.clone().requires_grad_(true);
      Tensor cols = F::unfold(x, 3, {.padding = 1});  // (batch, 1152, L)
      Tensor ref =
          (w.view({12, 1152}).matmul(cols) + b0.view({12, 1})).view({batch, 12, side, side});
      (ref * g).sum().backward();
      for (DType dt : {kFloat64, kFloat32}) {
        const double tol = dt == kFloat64 ? 1e-10 : 2e-4;
        Grads got = run(x0.to(dt), w0.to(dt), b0.to(dt), g.to(dt), {.padding = 1});
        EXPECT_TENSOR_CLOSE(got.y.to(kFloat64), ref.detach(), tol, tol);
        EXPECT_TENSOR_CLOSE(got.gx.to(kFloat64), x.grad(), tol, tol);
        EXPECT_TENSOR_CLOSE(got.gw.to(kFloat64), w.grad(), tol, tol);
      }
    }
  }
  set_num_threads(threads);
}

}  // namespace
}  // namespace wick

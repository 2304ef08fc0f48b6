// The CPU reduction kernel's loops checked against each other on shapes large enough to take them:
// column sums (vertical loop) vs row sums of the transpose (contiguous runs), one long sum split in
// fixed chunks (same result with 1 and 2 threads), strided inputs, integer and bool reductions.
#include <gtest/gtest.h>

#include <limits>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

Tensor rand_input(IntArrayRef shape, uint64_t seed, DType dtype = kFloat32) {
  Generator gen(seed);
  return randn(shape, {.dtype = dtype}, &gen);
}

TEST(ReductionKernel, ColumnSumsMatchRowSumsOfTheTranspose) {
  Tensor x = rand_input({300, 1500}, 1);
  Tensor xt = x.t().contiguous();
  EXPECT_TENSOR_CLOSE(x.sum({0}), xt.sum({1}), 1e-5, 1e-4);
  EXPECT_TENSOR_CLOSE(amax(x, {0}), amax(xt, {1}), 0, 0);
  EXPECT_TENSOR_CLOSE(amin(x, {0}), std::get<0>(xt.min(1)), 0, 0);
  EXPECT_TENSOR_CLOSE(x.sum({0}).to(kFloat64), x.to(kFloat64).sum({0}), 1e-5, 1e-4);
  // Reduce the middle dim of (A, R, K): vertical per outer slice.
  Tensor y = rand_input({3, 200, 130}, 2);
  EXPECT_TENSOR_CLOSE(y.sum({1}), y.permute({0, 2, 1}).contiguous().sum({2}), 1e-5, 1e-4);
  EXPECT_TENSOR_CLOSE(y.mean({0, 1}), y.permute({2, 0, 1}).contiguous().mean({1, 2}), 1e-5, 1e-5);
}

TEST(ReductionKernel, LongSumIsAccurateAndThreadIndependent) {
  Tensor x = rand_input({1 << 19}, 3) + 1.0;
  double ref = x.to(kFloat64).reshape({512, 1024}).sum({1}).sum().item<double>();
  const int saved = get_num_threads();
  set_num_threads(1);
  float one = x.sum().item<float>();
  set_num_threads(2);
  float two = x.sum().item<float>();
  set_num_threads(saved);
  EXPECT_EQ(one, two);
  EXPECT_NEAR(one, ref, std::abs(ref) * 1e-6);
  EXPECT_FLOAT_EQ(x.max().item<float>(), std::get<0>(x.reshape({512, 1024}).max(1)).max().item<float>());
}

TEST(ReductionKernel, RowsReducedSideBySideEqualEachRowAlone) {
  // x.sum(-1) takes rows four at a time; 7 rows leave three alone. Every row's sum, max and
  // product must be bit for bit what that row gives as a tensor of its own (a tail of 4100 - 4096
  // elements and a block boundary included), and the same at 1 and 2 threads.
  Tensor x = rand_input({7, 4100}, 6);
  const int saved = get_num_threads();
  for (int t : {1, 2}) {
    set_num_threads(t);
    Tensor s = x.sum({1}), m = amax(x, {1}), p = (x * 0.01 + 1.0).prod(1);
    for (int64_t r = 0; r < 7; ++r) {
      Tensor row = x.select(0, r).clone();
      EXPECT_EQ(s[r].item<float>(), row.sum().item<float>()) << "row " << r;
      EXPECT_EQ(m[r].item<float>(), row.max().item<float>()) << "row " << r;
      EXPECT_EQ(p[r].item<float>(), (row * 0.01 + 1.0).prod().item<float>()) << "row " << r;
    }
  }
  set_num_threads(saved);
}

TEST(ReductionKernel, StridedAndExpandedInputs) {
  Tensor x = rand_input({64, 48, 10}, 4, kFloat64);
  Tensor p = x.permute({2, 0, 1});  // (10, 64, 48), no contiguous dim reduced first
  EXPECT_TENSOR_CLOSE(p.sum({0, 2}), x.sum({1, 2}), 1e-12, 1e-10);
  EXPECT_TENSOR_CLOSE(p.sum({1}), x.sum({0}).t(), 1e-12, 1e-10);
  Tensor e = x.select(2, 0).unsqueeze(0).expand({5, 64, 48});  // stride-0 dim
  EXPECT_TENSOR_CLOSE(e.sum({0}), x.select(2, 0) * 5.0, 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(e.prod(0), x.select(2, 0) * x.select(2, 0) * x.select(2, 0) * x.select(2, 0) * x.select(2, 0),
                      1e-12, 1e-12);
}

TEST(ReductionKernel, IntegerAndBoolReductions) {
  Tensor x = randint(-50, 50, {400, 300}, {.dtype = kInt32});
  Tensor xt = x.t().contiguous();
  EXPECT_EQ(x.sum({0}).tolist<int64_t>(), xt.sum({1}).tolist<int64_t>());
  EXPECT_EQ(std::get<0>(x.max(0)).tolist<int32_t>(), amax(xt, {1}).tolist<int32_t>());
  EXPECT_EQ(x.argmax(0).tolist<int64_t>(), xt.argmax(1).tolist<int64_t>());
  Tensor nz = x.any(0);  // vertical loop over bool
  EXPECT_EQ(nz.tolist<bool>(), xt.any(1).tolist<bool>());
  EXPECT_EQ(x.all(0).tolist<bool>(), xt.all(1).tolist<bool>());
  EXPECT_EQ(x.cumsum(0).tolist<int64_t>(), xt.cumsum(1).t().contiguous().tolist<int64_t>());
}

// PyTorch: the max of infinities is infinity (the reduction must not start from the largest finite).
TEST(ReductionKernel, MaxMinOfInfinitiesAreInfinite) {
  const double inf = std::numeric_limits<double>::infinity();
  Tensor x = full({2, 70}, -inf);  // long enough for the lane loop
  EXPECT_EQ(x.max().item<double>(), -inf);
  EXPECT_EQ(amax(x, {1}).tolist<double>(), (std::vector<double>{-inf, -inf}));
  EXPECT_EQ((-x).min().item<double>(), inf);
  EXPECT_EQ(amin(-x.t(), {0}).tolist<double>(), (std::vector<double>{inf, inf}));
}

}  // namespace
}  // namespace wick

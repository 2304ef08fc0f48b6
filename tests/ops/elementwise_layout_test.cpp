// Elementwise kernels on every operand layout: all-contiguous operands take a flat loop, others the
// strided iterator, so both are checked against plain per-element arithmetic: tiny, broadcast,
// transposed, sliced (offset) and strided views, 0-dim operands, and a size split across threads.
#include <gtest/gtest.h>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

Tensor rand_input(IntArrayRef shape, uint64_t seed) {
  Generator gen(seed);
  return randn(shape, {}, &gen);
}

// a * b + a computed element by element in float64 (the kernels compute in float32).
Tensor reference(const Tensor& a, const Tensor& b) {
  Tensor ad = a.to(kFloat64), bd = b.to(kFloat64);
  Tensor out = zeros(broadcast_shapes(a.sizes(), b.sizes()), {.dtype = kFloat64});
  Tensor ae = ad.expand(out.sizes()).contiguous(), be = bd.expand(out.sizes()).contiguous();
  const double* pa = ae.data_ptr<double>();
  const double* pb = be.data_ptr<double>();
  double* po = out.data_ptr<double>();
  for (int64_t i = 0; i < out.numel(); ++i) po[i] = pa[i] * pb[i] + pa[i];
  return out;
}

void check(const Tensor& a, const Tensor& b) {
  Tensor got = a * b + a;
  EXPECT_EQ(got.sizes(), reference(a, b).sizes());
  EXPECT_TRUE(got.is_contiguous());
  EXPECT_TENSOR_CLOSE(got.to(kFloat64), reference(a, b), 1e-6, 1e-6);
}

TEST(ElementwiseLayout, TinyAndZeroDimOperands) {
  check(tensor({1.5f}), tensor({-2.0f}));
  check(tensor(3.0f), tensor(0.25f));             // 0-dim with 0-dim
  check(tensor({1.5f}), tensor(2.0f));            // (1) with 0-dim
  check(rand_input({1, 1, 1}, 1), tensor({4.0f}));  // size-1 dims broadcast to nothing
}

TEST(ElementwiseLayout, BroadcastOperandsTakeTheStridedLoop) {
  check(rand_input({5, 7}, 2), rand_input({7}, 3));
  check(rand_input({5, 1}, 4), rand_input({1, 7}, 5));
  check(rand_input({3, 4, 5}, 6), rand_input({4, 1}, 7));
}

TEST(ElementwiseLayout, NonContiguousAndOffsetViews) {
  Tensor x = rand_input({6, 8}, 8), y = rand_input({8, 6}, 9);
  check(x, y.t());                                          // transposed operand
  check(x.t(), y);                                          // transposed first operand, same shape
  check(x.narrow(1, 2, 6), y.t().narrow(1, 0, 6));          // offset views
  check(slice(x, 1, 0, 8, 2), slice(y, 0, 1, 8, 2).t());    // strided
  check(x.narrow(0, 2, 3), y.t().narrow(0, 1, 3).contiguous());  // contiguous rows at an offset
  Tensor row = x.select(0, 3);                              // contiguous with a storage offset
  check(row, y.select(1, 2).contiguous());
}

TEST(ElementwiseLayout, LargeContiguousSplitAcrossThreadsMatchesOneThread) {
  Tensor a = rand_input({1 << 19}, 10), b = rand_input({1 << 19}, 11);
  const int saved = get_num_threads();
  set_num_threads(1);
  Tensor one = a * b + a;
  set_num_threads(2);
  Tensor two = a * b + a;
  set_num_threads(saved);
  EXPECT_TENSOR_CLOSE(one, two, 0, 0);
  EXPECT_TENSOR_CLOSE(one.to(kFloat64), reference(a, b), 1e-6, 1e-6);
}

TEST(ElementwiseLayout, InplaceOnAnOffsetViewWritesOnlyTheView) {
  Tensor x = zeros({4, 4});
  Tensor v = x.select(0, 1);
  v.add_(tensor({1.0f, 2.0f, 3.0f, 4.0f}));
  EXPECT_FLOAT_EQ(x.sum().item<float>(), 10.0f);
  EXPECT_FLOAT_EQ(x[1][3].item<float>(), 4.0f);
}

}  // namespace
}  // namespace wick

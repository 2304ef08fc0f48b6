// The host-compilable logic inside cuda-core's kernels, checked on any machine: the strided indexer
// (dim merging and offsets against the tensor's own strides), the device copy of Philox (word for
// word against the CPU's), and the merge step of the CUDA sort (stable, NaN order, any length).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "../../cuda/indexer.h"  // host-only headers of cuda/: no CUDA header behind them
#include "../../cuda/merge_sort.h"
#include "../../cuda/philox.h"
#include "support/expect_error.h"
#include "wick/wick.h"

namespace {

using namespace wick;

// The element offset of row-major index i of t, straight from its sizes and strides.
int64_t naive_offset(const Tensor& t, int64_t i) {
  int64_t off = 0;
  for (int64_t d = t.dim() - 1; d >= 0; --d) {
    off += (i % t.size(d)) * t.stride(d);
    i /= t.size(d);
  }
  return off;
}

TEST(CudaKernelLogic, IndexerMatchesStridesOfEveryView) {
  Tensor base = zeros({4, 5, 6, 3});
  const std::vector<Tensor> views = {
      base, base.permute({2, 0, 3, 1}), base.narrow(2, 1, 4), base.select(1, 2).transpose(0, 2),
      base.narrow(0, 0, 1).expand({7, 5, 6, 3}), base.unsqueeze(2).expand({4, 5, 2, 6, 3}),
      base.transpose(0, 3).narrow(1, 1, 3), zeros({}), zeros({1, 1, 9})};
  for (const Tensor& v : views) {
    // Two operands: the view itself and a contiguous tensor of the same shape.
    Tensor c = zeros(v.sizes());
    auto ix = cuda::make_indexer<2>(v.sizes(), {&v, &c});
    EXPECT_LE(ix.ndim, v.dim());
    for (int64_t i = 0; i < v.numel(); ++i) {
      int64_t off[2];
      ix.get(i, off);
      ASSERT_EQ(off[0], naive_offset(v, i)) << shape_str(v.sizes()) << " element " << i;
      ASSERT_EQ(off[1], i);
    }
  }
  // Contiguous operands collapse to one dim; 17 unmergeable dims are refused with a message.
  Tensor x = zeros({2, 3, 4});
  EXPECT_EQ((cuda::make_indexer<1>(x.sizes(), {&x}).ndim), 1);
  Shape big(17, 2), st(17, 0);
  for (size_t d = 0; d < 17; ++d) st[d] = int64_t{1} << (2 * (16 - d));  // gaps: never mergeable
  wick::testing::expect_error([&] { (void)cuda::make_indexer<1>(big, {st}); }, "more than 16 non-mergeable dims");
}

TEST(CudaKernelLogic, DevicePhiloxIsTheCpuPhilox) {
  for (uint64_t seed : {0ull, 7ull, 67280421310721ull, ~0ull}) {
    for (uint64_t c : {0ull, 1ull, 12345ull, (1ull << 32) + 5, ~0ull}) {
      const auto cpu = philox4x32(seed, c);
      const auto dev = cuda::philox4x32(seed, c);
      for (int k = 0; k < 4; ++k) EXPECT_EQ(dev.w[k], cpu[static_cast<size_t>(k)]) << seed << " " << c;
    }
  }
  EXPECT_EQ(cuda::u53(0, 0), 0.0);
  EXPECT_LT(cuda::u53(~0u, ~0u), 1.0);
}

// Bottom-up merge sort of one line with merge_slot, as the kernel runs it.
std::vector<int64_t> merge_sort_order(const std::vector<double>& keys, bool descending) {
  const int64_t n = static_cast<int64_t>(keys.size());
  std::vector<double> k = keys, k2(keys.size());
  std::vector<int64_t> idx(keys.size()), idx2(keys.size());
  std::iota(idx.begin(), idx.end(), 0);
  for (int64_t width = 1; width < n; width *= 2) {
    for (int64_t pos = 0; pos < n; ++pos) {
      const int64_t dst = cuda::merge_slot(k.data(), n, width, pos, descending);
      k2[static_cast<size_t>(dst)] = k[static_cast<size_t>(pos)];
      idx2[static_cast<size_t>(dst)] = idx[static_cast<size_t>(pos)];
    }
    std::swap(k, k2);
    std::swap(idx, idx2);
  }
  return idx;
}

TEST(CudaKernelLogic, MergeSortIsStableWithPyTorchsNanOrder) {
  std::mt19937 rng(3);
  for (int n : {1, 2, 3, 5, 8, 17, 100, 257}) {
    std::vector<double> keys(static_cast<size_t>(n));
    for (auto& v : keys) v = static_cast<double>(rng() % 5);
    if (n > 4) keys[2] = keys[static_cast<size_t>(n - 1)] = NAN;
    for (bool desc : {false, true}) {
      std::vector<int64_t> expected(static_cast<size_t>(n));
      std::iota(expected.begin(), expected.end(), 0);
      std::stable_sort(expected.begin(), expected.end(), [&](int64_t a, int64_t b) {
        return cuda::sort_before(keys[static_cast<size_t>(a)], keys[static_cast<size_t>(b)], desc);
      });
      EXPECT_EQ(merge_sort_order(keys, desc), expected) << "n=" << n << " descending=" << desc;
    }
  }
  EXPECT_TRUE(cuda::sort_before<double>(1.0, NAN, false));   // NaN last ascending
  EXPECT_TRUE(cuda::sort_before<double>(NAN, 1.0, true));    // and first descending
  EXPECT_FALSE(cuda::sort_before<double>(NAN, NAN, false));
}

}  // namespace

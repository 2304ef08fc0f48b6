// DimVector: inline up to five dims, on the heap beyond, and tensors of more dims than fit inline.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "wick/wick.h"

namespace wick {
namespace {

TEST(DimVector, HoldsInlineAndHeapSizesAndConvertsToIntArrayRef) {
  DimVector small = {2, 3, 4};
  EXPECT_EQ(small.size(), 3u);
  EXPECT_EQ(small.vec(), (std::vector<int64_t>{2, 3, 4}));
  DimVector big(std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(big.size(), 7u);
  EXPECT_EQ(big[6], 7);
  EXPECT_EQ(big.back(), 7);
  IntArrayRef r = big;
  EXPECT_EQ(r.size(), 7u);
  EXPECT_EQ(r.data(), big.data());
  EXPECT_EQ(shape_str(small), "[2, 3, 4]");
}

TEST(DimVector, CopiesMovesAndReassignsAcrossTheInlineLimit) {
  DimVector a = {1, 2, 3, 4, 5, 6};
  DimVector b = a;  // heap copy
  EXPECT_EQ(b, a);
  EXPECT_NE(b.data(), a.data());
  const int64_t* heap = a.data();
  DimVector c = std::move(a);  // steals the buffer
  EXPECT_EQ(c.data(), heap);
  EXPECT_TRUE(a.empty());
  c = IntArrayRef({9, 8});  // shrinks into the same buffer
  EXPECT_EQ(c.vec(), (std::vector<int64_t>{9, 8}));
  DimVector d = {1};
  d = b;  // grows past the inline storage
  EXPECT_EQ(d.vec(), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  d = DimVector{};
  EXPECT_TRUE(d.empty());
  EXPECT_FALSE(DimVector({1, 2}) == DimVector({1, 2, 3}));
  EXPECT_FALSE(DimVector({1, 2}) == DimVector({1, 3}));
}

TEST(DimVector, TensorsWithMoreDimsThanFitInlineKeepTheirShape) {
  Tensor x = arange(2 * 3 * 1 * 2 * 1 * 2 * 3, {.dtype = kFloat64}).reshape({2, 3, 1, 2, 1, 2, 3});
  EXPECT_EQ(x.sizes().vec(), (std::vector<int64_t>{2, 3, 1, 2, 1, 2, 3}));
  EXPECT_EQ(x.strides().vec(), (std::vector<int64_t>{36, 12, 12, 6, 6, 3, 1}));
  Tensor p = x.permute({6, 5, 4, 3, 2, 1, 0}).contiguous();
  EXPECT_EQ(p.sizes().vec(), (std::vector<int64_t>{3, 2, 1, 2, 1, 3, 2}));
  // p[i6, i5, 0, i3, 0, i1, i0] == x[i0, i1, 0, i3, 0, i5, i6] == the flat index in x.
  EXPECT_EQ(p.index({2, 1, 0, 1, 0, 2, 1}).item<double>(), 1 * 36 + 2 * 12 + 1 * 6 + 1 * 3 + 2);
  Tensor y = x.to(kFloat32).requires_grad_();
  (y * y).sum().backward();
  EXPECT_EQ(y.grad().sizes(), y.sizes());
  EXPECT_FLOAT_EQ(y.grad().flatten().index({71}).item<float>(), 142.0f);
}

}  // namespace
}  // namespace wick

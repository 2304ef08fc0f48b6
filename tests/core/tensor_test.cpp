// Tensor handle basics: metadata, item(), tolist(), and the version counter that in-place ops bump
// (autograd's saved-tensor check relies on it).
#include <gtest/gtest.h>

#include "wick/wick.h"

namespace wick {
namespace {

TEST(Tensor, Metadata) {
  Tensor t = zeros({2, 3, 4}, {.dtype = kFloat64});
  EXPECT_EQ(t.dim(), 3);
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.sizes().vec(), (Shape{2, 3, 4}));
  EXPECT_EQ(t.strides().vec(), (Shape{12, 4, 1}));
  EXPECT_EQ(t.size(-1), 4);
  EXPECT_EQ(t.stride(0), 12);
  EXPECT_EQ(t.nbytes(), 24u * 8u);
  EXPECT_TRUE(t.is_cpu());
  EXPECT_FALSE(t.is_cuda());
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_TRUE(t.is_floating_point());
  EXPECT_EQ(t.storage_offset(), 0);
  EXPECT_THROW(t.size(3), Error);
  EXPECT_THROW(t.size(-4), Error);
  Tensor undefined;
  EXPECT_FALSE(undefined.defined());
  EXPECT_THROW(undefined.dim(), Error);
}

TEST(Tensor, ItemAndTolist) {
  EXPECT_DOUBLE_EQ(tensor(2.5).item<double>(), 2.5);
  EXPECT_EQ(tensor({{7}}).item<int64_t>(), 7);
  EXPECT_TRUE(tensor(true).item<bool>());
  Scalar s = tensor(3).item();
  EXPECT_TRUE(s.is_integral());
  EXPECT_EQ(s.to_long(), 3);
  EXPECT_TRUE(tensor(1.5).item().is_floating_point());
  EXPECT_TRUE(tensor(false).item().is_bool());
  EXPECT_FLOAT_EQ(tensor({0.5}).to(kFloat16).item<float>(), 0.5f);
  EXPECT_THROW(tensor({1.0, 2.0}).item(), Error);
  try {
    zeros({2, 2}).item();
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "a Tensor with 4 elements cannot be converted to Scalar");
  }
  // tolist flattens in row-major order (also for non-contiguous views) and converts the dtype.
  Tensor m = arange(6).reshape({2, 3});
  EXPECT_EQ(m.tolist<int64_t>(), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(m.t().tolist<int64_t>(), (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(m.tolist<double>(), (std::vector<double>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(tensor({true, false}).tolist<int32_t>(), (std::vector<int32_t>{1, 0}));
}

TEST(Tensor, VersionCounterCountsInPlaceWrites) {
  Tensor x = zeros({3});
  EXPECT_EQ(x._version(), 0u);
  x.add_(1.0);
  EXPECT_EQ(x._version(), 1u);
  x.mul_(tensor({2.0, 2.0, 2.0}));
  EXPECT_EQ(x._version(), 2u);
  x.fill_(3);
  x.zero_();
  EXPECT_EQ(x._version(), 4u);
  x.copy_(ones({3}));
  EXPECT_EQ(x._version(), 5u);
  x.uniform_();
  x.normal_();
  x.bernoulli_(0.5);
  EXPECT_EQ(x._version(), 8u);
  // Views share the counter with their base, as in PyTorch.
  Tensor v = x.view({3, 1});
  v.sub_(1.0);
  EXPECT_EQ(x._version(), 9u);
  EXPECT_EQ(v._version(), 9u);
  // Out-of-place ops do not touch it; a clone has its own counter.
  Tensor y = x + 1.0;
  Tensor c = x.clone();
  EXPECT_EQ(x._version(), 9u);
  EXPECT_EQ(y._version(), 0u);
  c.add_(1.0);
  EXPECT_EQ(x._version(), 9u);
}

TEST(Tensor, ModifiedSavedTensorIsRejectedByBackward) {
  Tensor a = tensor({1.0, 2.0}, {.requires_grad = true});
  Tensor b = tensor({3.0, 4.0});
  Tensor y = (a * b).sum();  // saves b
  b.add_(1.0);
  EXPECT_THROW(y.backward(), Error);
}

}  // namespace
}  // namespace wick

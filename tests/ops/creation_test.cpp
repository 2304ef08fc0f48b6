// Tensor factories: empty/zeros/ones/full and the *_like forms, arange, linspace and eye against
// PyTorch's values, torch.tensor from nested lists (dtype inference, ragged lists), from_blob and
// scalar_tensor.
#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

TEST(Creation, FilledFactoriesShapesAndDtypes) {
  Tensor z = zeros({2, 3});
  EXPECT_EQ(z.dtype(), kFloat32);
  EXPECT_EQ(z.sizes().vec(), (Shape{2, 3}));
  EXPECT_EQ(z.tolist<float>(), std::vector<float>(6, 0.0f));
  Tensor o = ones({4}, {.dtype = kInt32});
  EXPECT_EQ(o.dtype(), kInt32);
  EXPECT_EQ(o.tolist<int32_t>(), std::vector<int32_t>(4, 1));
  EXPECT_EQ(ones({2}, {.dtype = kBool}).tolist<bool>(), (std::vector<bool>{true, true}));
  EXPECT_EQ(empty({0, 5}).numel(), 0);
  EXPECT_EQ(empty({3, 1}, {.dtype = kFloat64}).dtype(), kFloat64);
  EXPECT_EQ(zeros({}).dim(), 0);
  EXPECT_EQ(zeros({}).numel(), 1);
  // torch.full infers the dtype from the fill value.
  EXPECT_EQ(full({2}, 7).dtype(), kInt64);
  EXPECT_EQ(full({2}, 2.5).dtype(), kFloat32);
  EXPECT_EQ(full({2}, true).dtype(), kBool);
  EXPECT_EQ(full({2, 2}, 2.5, {.dtype = kFloat64}).tolist<double>(), std::vector<double>(4, 2.5));
  EXPECT_EQ(full({2}, 3.9, {.dtype = kInt64}).tolist<int64_t>(), (std::vector<int64_t>{3, 3}));
  EXPECT_TRUE(zeros({2}, {.requires_grad = true}).requires_grad());
  EXPECT_THROW(zeros({2, -1}), Error);
}

TEST(Creation, LikeFactoriesKeepShapeAndDtype) {
  Tensor src = arange(6, {.dtype = kInt32}).reshape({2, 3}).t();  // non-contiguous
  for (const Tensor& t : {empty_like(src), zeros_like(src), ones_like(src), full_like(src, 4)}) {
    EXPECT_EQ(t.sizes().vec(), (Shape{3, 2}));
    EXPECT_EQ(t.dtype(), kInt32);
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_FALSE(t.requires_grad());
  }
  EXPECT_EQ(ones_like(src).tolist<int32_t>(), std::vector<int32_t>(6, 1));
  EXPECT_EQ(full_like(src, 4).tolist<int32_t>(), std::vector<int32_t>(6, 4));
  EXPECT_EQ(zeros_like(src, {.dtype = kFloat64}).dtype(), kFloat64);
  Tensor f = rand_like(zeros({3, 2}, {.dtype = kFloat64}));
  EXPECT_EQ(f.dtype(), kFloat64);
  EXPECT_EQ(randn_like(f).sizes().vec(), (Shape{3, 2}));
  // A parameter's requires_grad is not inherited.
  EXPECT_FALSE(zeros_like(ones({2}, {.requires_grad = true})).requires_grad());
}

TEST(Creation, ArangeMatchesPyTorch) {
  testing::Golden g("core");
  EXPECT_EQ(arange(5).dtype(), kInt64);
  EXPECT_EQ(arange(5).tolist<int64_t>(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(arange(2, 8, 2).tolist<int64_t>(), (std::vector<int64_t>{2, 4, 6}));
  Tensor neg = arange(10, 0, -3);
  EXPECT_EQ(neg.dtype(), kInt64);
  EXPECT_EQ(neg.tolist<int64_t>(), g["arange_negative_step"].tolist<int64_t>());
  Tensor f = arange(0, 1, 0.1);
  EXPECT_EQ(f.dtype(), kFloat32);
  EXPECT_EQ(f.numel(), 10);
  EXPECT_EQ(f.to(kFloat64).tolist<double>(), g["arange_float_step"].tolist<double>());
  EXPECT_EQ(arange(1, -1, -0.25).to(kFloat64).tolist<double>(),
            g["arange_float_negative"].tolist<double>());
  Tensor d = arange(0, 2, 1.0 / 3, {.dtype = kFloat64});
  EXPECT_EQ(d.tolist<double>(), g["arange_float64_third"].tolist<double>());
  EXPECT_EQ(arange(3.0).dtype(), kFloat32);
  EXPECT_EQ(arange(0).numel(), 0);
  EXPECT_THROW(arange(0, 5, 0), Error);
  EXPECT_THROW(arange(5, 0, 1), Error);
  EXPECT_THROW(arange(0, 5, -1), Error);
}

TEST(Creation, LinspaceMatchesPyTorch) {
  testing::Golden g("core");
  auto as_f64 = [](const Tensor& t) { return t.to(kFloat64).tolist<double>(); };
  EXPECT_EQ(as_f64(linspace(-1, 1, 7)), g["linspace_7"].tolist<double>());
  Tensor l11 = linspace(0, 1, 11);
  EXPECT_EQ(l11.dtype(), kFloat32);
  EXPECT_EQ(as_f64(l11), g["linspace_11"].tolist<double>());
  EXPECT_EQ(l11.tolist<float>().back(), 1.0f);  // the last value is exactly `end`
  EXPECT_EQ(linspace(0, 1, 0).numel(), 0);
  EXPECT_EQ(as_f64(linspace(3, 5, 1)), (std::vector<double>{3.0}));
  Tensor l64 = linspace(0.1, 0.7, 5, {.dtype = kFloat64});
  EXPECT_EQ(l64.tolist<double>(), g["linspace_float64"].tolist<double>());
  EXPECT_EQ(l64.tolist<double>().back(), 0.7);
  EXPECT_THROW(linspace(0, 1, -1), Error);
}

TEST(Creation, Eye) {
  EXPECT_EQ(eye(3).tolist<float>(), (std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  Tensor r = eye(2, 4, {.dtype = kInt64});
  EXPECT_EQ(r.sizes().vec(), (Shape{2, 4}));
  EXPECT_EQ(r.tolist<int64_t>(), (std::vector<int64_t>{1, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(eye(3, 2).tolist<float>(), (std::vector<float>{1, 0, 0, 1, 0, 0}));
  EXPECT_EQ(eye(0).numel(), 0);
  EXPECT_THROW(eye(-1), Error);
  EXPECT_THROW(eye(2, -2), Error);
}

TEST(Creation, TensorFromNestedLists) {
  Tensor f = tensor({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}});
  EXPECT_EQ(f.dtype(), kFloat32);
  EXPECT_EQ(f.sizes().vec(), (Shape{3, 2}));
  EXPECT_EQ(f.tolist<float>(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  Tensor i = tensor({{1, 2, 3}});
  EXPECT_EQ(i.dtype(), kInt64);
  EXPECT_EQ(i.sizes().vec(), (Shape{1, 3}));
  EXPECT_EQ(tensor({true, false}).dtype(), kBool);
  EXPECT_EQ(tensor(5).dim(), 0);
  EXPECT_EQ(tensor(2.5).dtype(), kFloat32);
  // Mixed ints and floats promote to float; bools and ints to int64.
  Tensor mixed = tensor({TensorData(1), TensorData(2.5)});
  EXPECT_EQ(mixed.dtype(), kFloat32);
  EXPECT_EQ(mixed.tolist<float>(), (std::vector<float>{1.0f, 2.5f}));
  EXPECT_EQ(tensor({TensorData(true), TensorData(3)}).dtype(), kInt64);
  // An explicit dtype wins; large int64 values survive.
  EXPECT_EQ(tensor({1.7, -1.7}, {.dtype = kInt32}).tolist<int32_t>(),
            (std::vector<int32_t>{1, -1}));
  EXPECT_EQ(tensor({int64_t{1} << 60}).tolist<int64_t>()[0], int64_t{1} << 60);
  Tensor empty1 = tensor(TensorData(std::initializer_list<double>{}));
  EXPECT_EQ(empty1.sizes().vec(), (Shape{0}));
  EXPECT_EQ(empty1.dtype(), kFloat32);
  Tensor g = tensor({1.0, 2.0}, {.dtype = kFloat64, .requires_grad = true});
  EXPECT_TRUE(g.requires_grad());
  EXPECT_TRUE(g.is_leaf());
}

TEST(Creation, RaggedListsThrow) {
  EXPECT_THROW(tensor({{1.0, 2.0}, {3.0}}), Error);
  EXPECT_THROW(tensor({TensorData({1.0, 2.0}), TensorData(3.0)}), Error);
  EXPECT_THROW(tensor({TensorData(3.0), TensorData({1.0, 2.0})}), Error);
  EXPECT_THROW(tensor({{{1, 2}}, {{3}}}), Error);
  try {
    tensor({{1, 2}, {3}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected sequence of length 2 at dim 1 (got 1)"),
              std::string::npos)
        << e.what();
  }
}

// Sizes whose product does not fit in int64 throw PyTorch's errors instead of wrapping around
// (signed overflow: undefined behaviour, caught by UBSan on a malformed file's shape).
TEST(Creation, HugeShapesThrowInsteadOfWrapping) {
  using testing::expect_error;
  constexpr int64_t k32 = int64_t{1} << 32;
  expect_error([&] { empty({k32, k32}); },
               "Storage size calculation overflowed with sizes=[4294967296, 4294967296]");
  // The elements fit, the bytes do not.
  expect_error([&] { empty({int64_t{1} << 61, 4}); },
               "Storage size calculation overflowed with sizes=[2305843009213693952, 4]");
  // An empty shape whose other sizes overflow: refused, as PyTorch does.
  expect_error([&] { zeros({k32, k32, 0}); }, "Storage size calculation overflowed");
  expect_error([&] { ones({1, 1}).expand({k32, k32}); },
               "numel: integer multiplication overflow (sizes [4294967296, 4294967296])");
  // Large but representable: an empty tensor and a broadcast view.
  EXPECT_EQ(empty({k32, 0, k32 / 16}).numel(), 0);
  Tensor wide = ones({1, 1}).expand({k32, k32 / 4});
  EXPECT_EQ(wide.numel(), int64_t{1} << 62);
  EXPECT_EQ(wide.stride(0), 0);
}

TEST(Creation, TensorFromVector) {
  Tensor t = tensor(std::vector<double>{1.5, 2.5});
  EXPECT_EQ(t.dtype(), kFloat64);
  EXPECT_EQ(tensor(std::vector<int32_t>{1, 2}, {.dtype = kFloat32}).tolist<float>(),
            (std::vector<float>{1, 2}));
}

TEST(Creation, FromBlobSharesMemory) {
  std::vector<float> data = {0, 1, 2, 3, 4, 5};
  Tensor t = from_blob(data.data(), {2, 3}, {.dtype = kFloat32});
  EXPECT_EQ(t.data_ptr(), data.data());
  t.add_(10.0);
  EXPECT_EQ(data[4], 14.0f);
  data[0] = -1;
  EXPECT_EQ(t.tolist<float>()[0], -1.0f);
  // Strides in elements: a column-major 2x3 view of the same memory.
  Tensor s = from_blob(data.data(), {2, 3}, {1, 2}, {.dtype = kFloat32});
  EXPECT_FALSE(s.is_contiguous());
  EXPECT_EQ(s.tolist<float>(), (std::vector<float>{-1, 12, 14, 11, 13, 15}));
  EXPECT_THROW(from_blob(data.data(), {2, 3}, {1}, {.dtype = kFloat32}), Error);
}

TEST(Creation, FromBlobDeleterRunsWhenLastViewDies) {
  int calls = 0;
  auto* buf = new int64_t[4]{1, 2, 3, 4};
  {
    Tensor t = from_blob(buf, {4}, {.dtype = kInt64}, [&calls](void* p) {
      ++calls;
      delete[] static_cast<int64_t*>(p);
    });
    Tensor v = t.narrow(0, 1, 2);
    t = Tensor();
    EXPECT_EQ(calls, 0);  // the view still holds the storage
    EXPECT_EQ(v.tolist<int64_t>(), (std::vector<int64_t>{2, 3}));
  }
  EXPECT_EQ(calls, 1);
}

TEST(Creation, ScalarTensor) {
  Tensor a = scalar_tensor(2.5);
  EXPECT_EQ(a.dim(), 0);
  EXPECT_EQ(a.dtype(), kFloat32);
  EXPECT_FLOAT_EQ(a.item<float>(), 2.5f);
  // torch.scalar_tensor(3) and (True) are float32, unlike torch.full.
  EXPECT_EQ(scalar_tensor(3).dtype(), kFloat32);
  EXPECT_EQ(scalar_tensor(true).dtype(), kFloat32);
  EXPECT_FLOAT_EQ(scalar_tensor(true).item<float>(), 1.0f);
  EXPECT_EQ(scalar_tensor(3, {.dtype = kFloat64}).dtype(), kFloat64);
}

}  // namespace
}  // namespace wick

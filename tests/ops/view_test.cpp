// View ops: values, shared storage (writes through a view reach the base), strides and contiguity,
// float64 gradchecks of each backward, and the errors for invalid shapes and dims.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>

#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;

Tensor base23() { return arange(6.0).reshape({2, 3}); }  // [[0, 1, 2], [3, 4, 5]]

// Checks that `v` views `base`'s memory: a write through v shows in base.
void expect_shares_storage(Tensor base, Tensor v) {
  EXPECT_EQ(base.impl()->storage.get(), v.impl()->storage.get());
  EXPECT_TRUE(v.is_view());
  v.fill_(42);
  auto b = base.tolist<double>();
  EXPECT_NE(std::find(b.begin(), b.end(), 42.0), b.end());
}

TEST(Views, ViewReshapeFlattenUnflatten) {
  Tensor x = arange(24.0).reshape({2, 3, 4});
  Tensor v = x.view({4, -1});
  EXPECT_EQ(v.sizes().vec(), (Shape{4, 6}));
  EXPECT_EQ(v.strides().vec(), (Shape{6, 1}));
  EXPECT_EQ(v.tolist<float>(), x.tolist<float>());
  EXPECT_EQ(x.flatten().sizes().vec(), (Shape{24}));
  EXPECT_EQ(x.flatten(1).sizes().vec(), (Shape{2, 12}));
  EXPECT_EQ(x.flatten(0, 1).sizes().vec(), (Shape{6, 4}));
  EXPECT_EQ(tensor(3.0).flatten().sizes().vec(), (Shape{1}));
  EXPECT_EQ(x.unflatten(2, {2, 2}).sizes().vec(), (Shape{2, 3, 2, 2}));
  EXPECT_EQ(x.unflatten(-1, {-1, 2}).sizes().vec(), (Shape{2, 3, 2, 2}));
  expect_shares_storage(x, x.view({24}));
  // reshape views when it can and copies when it must.
  Tensor y = arange(6.0).reshape({2, 3});
  Tensor r = y.reshape({3, 2});
  EXPECT_EQ(r.impl()->storage.get(), y.impl()->storage.get());
  Tensor tr = y.t().reshape({6});
  EXPECT_NE(tr.impl()->storage.get(), y.impl()->storage.get());
  EXPECT_EQ(tr.tolist<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(Views, ViewErrors) {
  Tensor x = base23();
  try {
    x.view({4, 2});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "shape '[4, 2]' is invalid for input of size 6");
  }
  EXPECT_THROW(x.view({-1, -1}), Error);
  EXPECT_THROW(x.view({-1, 4}), Error);
  EXPECT_THROW(x.reshape({-2, 3}), Error);
  try {
    x.t().view({6});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Use .reshape(...) instead."), std::string::npos);
  }
  EXPECT_THROW(x.flatten(1, 0), Error);
  EXPECT_THROW(x.unflatten(1, {2, 2}), Error);
}

TEST(Views, SqueezeUnsqueeze) {
  Tensor x = zeros({2, 1, 3, 1});
  EXPECT_EQ(x.squeeze().sizes().vec(), (Shape{2, 3}));
  EXPECT_EQ(x.squeeze(1).sizes().vec(), (Shape{2, 3, 1}));
  EXPECT_EQ(x.squeeze(-1).sizes().vec(), (Shape{2, 1, 3}));
  EXPECT_EQ(x.squeeze(0).sizes().vec(), (Shape{2, 1, 3, 1}));  // size 2: unchanged
  Tensor y = base23();
  EXPECT_EQ(y.unsqueeze(0).sizes().vec(), (Shape{1, 2, 3}));
  EXPECT_EQ(y.unsqueeze(1).strides().vec(), (Shape{3, 3, 1}));
  EXPECT_EQ(y.unsqueeze(-1).sizes().vec(), (Shape{2, 3, 1}));
  EXPECT_EQ(y.unsqueeze(-1).strides().vec(), (Shape{3, 1, 1}));
  EXPECT_EQ(tensor(1.0).unsqueeze(0).sizes().vec(), (Shape{1}));
  EXPECT_THROW(y.unsqueeze(3), Error);
  EXPECT_THROW(y.unsqueeze(-4), Error);
  EXPECT_THROW(x.squeeze(4), Error);
  expect_shares_storage(y, y.unsqueeze(1));
}

TEST(Views, PermuteTransposeT) {
  Tensor x = arange(24.0).reshape({2, 3, 4});
  Tensor p = x.permute({2, 0, 1});
  EXPECT_EQ(p.sizes().vec(), (Shape{4, 2, 3}));
  EXPECT_EQ(p.strides().vec(), (Shape{1, 12, 4}));
  EXPECT_FALSE(p.is_contiguous());
  EXPECT_EQ(p.contiguous().tolist<float>()[1], 4.0f);  // p[0][0][1] = x[0][1][0]
  EXPECT_EQ(x.permute({-1, 0, 1}).sizes().vec(), (Shape{4, 2, 3}));
  Tensor t = x.transpose(0, 2);
  EXPECT_EQ(t.sizes().vec(), (Shape{4, 3, 2}));
  EXPECT_EQ(t.strides().vec(), (Shape{1, 4, 12}));
  Tensor m = base23();
  EXPECT_EQ(m.t().tolist<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(m.t().t().is_contiguous(), true);
  EXPECT_EQ(tensor({1.0, 2.0}).t().sizes().vec(), (Shape{2}));
  EXPECT_EQ(m.mT().sizes().vec(), (Shape{3, 2}));
  EXPECT_THROW(x.t(), Error);
  EXPECT_THROW(x.permute({0, 1}), Error);
  EXPECT_THROW(x.permute({0, 1, 1}), Error);
  EXPECT_THROW(x.permute({0, 1, 3}), Error);
  EXPECT_THROW(x.transpose(0, 3), Error);
  expect_shares_storage(m, m.t());
}

TEST(Views, ExpandNarrowSelectSlice) {
  Tensor x = tensor({1.0, 2.0, 3.0});
  Tensor e = x.expand({2, 3});
  EXPECT_EQ(e.strides().vec(), (Shape{0, 1}));
  EXPECT_EQ(e.tolist<float>(), (std::vector<float>{1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(x.unsqueeze(1).expand({-1, 4}).sizes().vec(), (Shape{3, 4}));
  EXPECT_THROW(x.expand({2, 4}), Error);
  EXPECT_THROW(x.expand({-1, 3}), Error);
  Tensor m = arange(12.0).reshape({3, 4});
  Tensor n = m.narrow(1, 1, 2);
  EXPECT_EQ(n.sizes().vec(), (Shape{3, 2}));
  EXPECT_EQ(n.storage_offset(), 1);
  EXPECT_EQ(n.tolist<float>(), (std::vector<float>{1, 2, 5, 6, 9, 10}));
  EXPECT_EQ(m.narrow(0, -1, 1).tolist<float>(), (std::vector<float>{8, 9, 10, 11}));
  EXPECT_THROW(m.narrow(1, 3, 2), Error);
  Tensor s = m.select(1, -1);
  EXPECT_EQ(s.tolist<float>(), (std::vector<float>{3, 7, 11}));
  EXPECT_EQ(s.strides().vec(), (Shape{4}));
  EXPECT_EQ(m[1].tolist<float>(), (std::vector<float>{4, 5, 6, 7}));
  EXPECT_THROW(m.select(0, 3), Error);
  EXPECT_THROW(m.select(2, 0), Error);
  EXPECT_THROW(tensor(1.0).select(0, 0), Error);
  Tensor sl = slice(m, 1, 1, std::nullopt, 2);
  EXPECT_EQ(sl.tolist<float>(), (std::vector<float>{1, 3, 5, 7, 9, 11}));
  EXPECT_EQ(sl.strides().vec(), (Shape{4, 2}));
  EXPECT_EQ(slice(m, 0, -2, 100).sizes().vec(), (Shape{2, 4}));  // clamped like Python
  EXPECT_EQ(slice(m, 0, 3, 1).numel(), 0);
  EXPECT_THROW(slice(m, 0, 0, 2, 0), Error);
  // Writes through each view reach the base.
  expect_shares_storage(m, m.narrow(1, 1, 2));
  expect_shares_storage(m, m.select(0, 2));
  expect_shares_storage(m, slice(m, 1, 0, 4, 3));
  Tensor b = zeros({2, 3});
  b.select(0, 1).narrow(0, 1, 2).fill_(7);
  EXPECT_EQ(b.tolist<float>(), (std::vector<float>{0, 0, 0, 0, 7, 7}));
}

// as_strided: values, a shared storage, and the bounds check (also against int64 overflow).
TEST(Views, AsStrided) {
  using testing::expect_error;
  Tensor x = arange(12.0);
  // torch.as_strided(torch.arange(12.), (3, 2), (4, 1)) and (2, 2), (1, 3), 1.
  Tensor rows = as_strided(x, {3, 2}, {4, 1});
  EXPECT_EQ(rows.tolist<double>(), (std::vector<double>{0, 1, 4, 5, 8, 9}));
  Tensor offset = as_strided(x, {2, 2}, {1, 3}, 1);
  EXPECT_EQ(offset.tolist<double>(), (std::vector<double>{1, 4, 2, 5}));
  offset.fill_(-1.0);  // a view: the writes reach x
  EXPECT_EQ(x.tolist<double>(), (std::vector<double>{0, -1, -1, 3, -1, -1, 6, 7, 8, 9, 10, 11}));
  EXPECT_EQ(as_strided(x, {0, 5}, {100, 100}).numel(), 0);  // an empty view needs no memory
  expect_error([&] { as_strided(x, {4, 4}, {4, 1}); },
               "setStorage: sizes [4, 4], strides [4, 1] and storage offset 0 require more memory "
               "than the storage holds (48 bytes)");
  // A span past int64 is out of bounds too, not a wrapped (and negative) end.
  const int64_t big = std::numeric_limits<int64_t>::max() / 2;
  expect_error([&] { as_strided(x, {3, 2}, {big, 1}); }, "require more memory");
  expect_error([&] { as_strided(x, {2}, {1}, big * 2); }, "require more memory");
  expect_error([&] { as_strided(x, {2, -1}, {1, 1}); }, "negative sizes or strides");
  expect_error([&] { as_strided(x, {2}, {1, 1}); }, "mismatch in length of strides and shape");
}

// Each view op's backward against finite differences (and the backward's own backward).
TEST(Views, Gradcheck) {
  Tensor x = arange(24, {.dtype = kFloat64}).reshape({2, 3, 4}) / 7.0;
  x.requires_grad_();
  const autograd::GradcheckOptions opts{.check_grad_grad = true};
  auto check = [&](const char* what, std::function<Tensor(const Tensor&)> f) {
    auto r = autograd::gradcheck(
        [&](const variable_list& in) -> Tensor { return f(in[0]) * f(in[0]); }, {x}, opts);
    EXPECT_TRUE(r.ok) << what << ": " << r.message;
  };
  check("view", [](const Tensor& t) { return t.view({4, 6}); });
  check("reshape of a transpose", [](const Tensor& t) { return t.transpose(0, 2).reshape({-1}); });
  check("flatten", [](const Tensor& t) { return t.flatten(1); });
  check("unflatten", [](const Tensor& t) { return t.unflatten(2, {2, 2}); });
  check("squeeze", [](const Tensor& t) { return t.unsqueeze(1).squeeze(); });
  check("squeeze dim", [](const Tensor& t) { return t.unsqueeze(0).squeeze(0); });
  check("permute", [](const Tensor& t) { return t.permute({1, 2, 0}); });
  check("transpose", [](const Tensor& t) { return t.transpose(-1, 0); });
  check("t", [](const Tensor& t) { return t.select(0, 1).t(); });
  check("expand", [](const Tensor& t) { return t.narrow(1, 0, 1).expand({2, 5, 4}); });
  check("narrow", [](const Tensor& t) { return t.narrow(2, 1, 2); });
  check("select", [](const Tensor& t) { return t.select(1, -1); });
  check("slice", [](const Tensor& t) { return slice(t, 2, 1, std::nullopt, 2); });
}

TEST(Views, GradientNodeNames) {
  Tensor x = zeros({2, 3}, {.requires_grad = true});
  EXPECT_EQ(x.view({6}).grad_fn()->name(), "ViewBackward0");
  EXPECT_EQ(x.t().grad_fn()->name(), "TBackward0");
  EXPECT_EQ(zeros({3}, {.requires_grad = true}).t().grad_fn()->name(), "TBackward0");
  EXPECT_EQ(x.reshape({3, 2}).grad_fn()->name(), "ReshapeAliasBackward0");
  EXPECT_EQ(x.flatten().grad_fn()->name(), "ReshapeAliasBackward0");
  EXPECT_EQ(x.t().reshape({6}).grad_fn()->name(), "UnsafeViewBackward0");
  EXPECT_EQ(x.narrow(1, 0, 2).grad_fn()->name(), "SliceBackward0");
  EXPECT_EQ(x.permute({1, 0}).grad_fn()->name(), "PermuteBackward0");
  EXPECT_EQ(x.transpose(0, 1).grad_fn()->name(), "TransposeBackward0");
  EXPECT_EQ(x.expand({4, 2, 3}).grad_fn()->name(), "ExpandBackward0");
  EXPECT_EQ(x.select(0, 0).grad_fn()->name(), "SelectBackward0");
  EXPECT_EQ(x.unsqueeze(0).grad_fn()->name(), "UnsqueezeBackward0");
  EXPECT_EQ(x.unsqueeze(0).squeeze().grad_fn()->name(), "SqueezeBackward0");
  EXPECT_EQ(x.unsqueeze(0).squeeze(0).grad_fn()->name(), "SqueezeBackward1");
}

}  // namespace
}  // namespace wick

// Reduction values against PyTorch goldens: several dims and keepdim, a transposed input, ties,
// NaN, integer inputs; and PyTorch's errors (dim out of range, mean of ints, max of nothing).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::Golden;

const Golden& gold() {
  static Golden g("reduction");
  return g;
}

std::string k(const std::string& op, const std::string& tag, bool keep) { return op + "_" + tag + "_k" + (keep ? "1" : "0"); }

void expect_indices(const Tensor& actual, const Tensor& expected) {
  EXPECT_EQ(actual.dtype(), kInt64);
  EXPECT_EQ(actual.sizes(), expected.sizes());
  EXPECT_EQ(actual.tolist<int64_t>(), expected.tolist<int64_t>());
}

TEST(Reduction, MeanVarStdAmaxNormLogsumexpOverDims) {
  const Golden& g = gold();
  Tensor x = g["x"];
  const std::vector<std::pair<Shape, std::string>> cases = {{{1}, "d1"}, {{0, 2}, "d02"}};
  for (const auto& [dims, tag] : cases) {
    for (bool keep : {false, true}) {
      SCOPED_TRACE(tag + (keep ? " keepdim" : ""));
      EXPECT_TENSOR_CLOSE(x.mean(dims, keep), g[k("mean", tag, keep)]);
      EXPECT_TENSOR_CLOSE(x.var(dims, {.keepdim = keep}), g[k("var", tag, keep)]);
      EXPECT_TENSOR_CLOSE(x.std(dims, {.keepdim = keep}), g[k("std", tag, keep)]);
      EXPECT_TENSOR_CLOSE(var(x, dims, {.correction = 0, .keepdim = keep}), g[k("var0", tag, keep)]);
      EXPECT_TENSOR_CLOSE(amax(x, dims, keep), g[k("amax", tag, keep)]);
      EXPECT_TENSOR_CLOSE(amin(x, dims, keep), g[k("amin", tag, keep)]);
      EXPECT_TENSOR_CLOSE(x.norm(2, dims, keep), g[k("norm2", tag, keep)]);
      EXPECT_TENSOR_CLOSE(x.norm(3, dims, keep), g[k("norm3", tag, keep)]);
      EXPECT_TENSOR_CLOSE(x.logsumexp(dims, keep), g[k("lse", tag, keep)]);
    }
  }
  EXPECT_TENSOR_CLOSE(x.mean(), g["mean_all"]);
  EXPECT_TENSOR_CLOSE(x.var(), g["var_all"]);
  EXPECT_TENSOR_CLOSE(x.std(), g["std_all"]);
}

TEST(Reduction, NormForEveryP) {
  const Golden& g = gold();
  Tensor x = g["x"];
  const double inf = INFINITY;
  const std::vector<std::pair<double, std::string>> ps = {{2, "2"}, {1, "1"}, {inf, "inf"}, {-inf, "ninf"},
                                                          {0, "0"}, {3, "3"}, {0.5, "half"}};
  for (const auto& [p, tag] : ps) {
    SCOPED_TRACE("p = " + tag);
    EXPECT_TENSOR_CLOSE(x.norm(p), g["norm" + tag + "_all"]);
    EXPECT_TENSOR_CLOSE(x.norm(p, {1}), g["norm" + tag + "_d1"]);
  }
}

TEST(Reduction, MaxMinArgmaxProdCumsumAlongEachDim) {
  const Golden& g = gold();
  Tensor x = g["x"];
  for (int64_t d = 0; d < 3; ++d) {
    for (bool keep : {false, true}) {
      const std::string s = "_d" + std::to_string(d) + "_k" + (keep ? "1" : "0");
      SCOPED_TRACE(s);
      auto [v, i] = x.max(d, keep);
      EXPECT_TENSOR_CLOSE(v, g["max_v" + s]);
      expect_indices(i, g["max_i" + s]);
      auto [mv, mi] = x.min(d, keep);
      EXPECT_TENSOR_CLOSE(mv, g["min_v" + s]);
      expect_indices(mi, g["min_i" + s]);
      expect_indices(x.argmax(d, keep), g["argmax" + s]);
      expect_indices(x.argmin(d, keep), g["argmin" + s]);
    }
    EXPECT_TENSOR_CLOSE(x.prod(d), g["prod_d" + std::to_string(d)]);
    EXPECT_TENSOR_CLOSE(x.cumsum(d), g["cumsum_d" + std::to_string(d)]);
  }
  EXPECT_TENSOR_CLOSE(x.max(), g["max_all"]);
  EXPECT_TENSOR_CLOSE(x.min(), g["min_all"]);
  expect_indices(x.argmax(), g["argmax_all"]);
  expect_indices(x.argmin(), g["argmin_all"]);
  EXPECT_EQ(x.argmax(std::nullopt, /*keepdim=*/true).sizes(), (Shape{1, 1, 1}));
  EXPECT_TENSOR_CLOSE(x.prod(), g["prod_all"]);
}

TEST(Reduction, TransposedInput) {
  const Golden& g = gold();
  Tensor xt = g["x"].select(2, 0).t();
  ASSERT_FALSE(xt.is_contiguous());
  EXPECT_TENSOR_CLOSE(xt.sum({0}), g["xt_sum0"]);
  EXPECT_TENSOR_CLOSE(xt.sum({1}), g["xt_sum1"]);
  EXPECT_TENSOR_CLOSE(xt.mean({1}), g["xt_mean1"]);
  EXPECT_TENSOR_CLOSE(xt.var(Shape{0}), g["xt_var0"]);
  auto [v, i] = xt.max(1);
  EXPECT_TENSOR_CLOSE(v, g["xt_max_v1"]);
  expect_indices(i, g["xt_max_i1"]);
  expect_indices(xt.argmin(0), g["xt_argmin0"]);
  EXPECT_TENSOR_CLOSE(amax(xt, {0}), g["xt_amax0"]);
  EXPECT_TENSOR_CLOSE(xt.norm(2, {1}), g["xt_norm1"]);
  EXPECT_TENSOR_CLOSE(xt.logsumexp({0}), g["xt_lse0"]);
  EXPECT_TENSOR_CLOSE(xt.cumsum(0), g["xt_cumsum0"]);
  EXPECT_TENSOR_CLOSE(xt.cumsum(1), g["xt_cumsum1"]);
  EXPECT_TENSOR_CLOSE(xt.prod(1), g["xt_prod1"]);
}

TEST(Reduction, TiesPickTheFirstIndexAndShareGradients) {
  const Golden& g = gold();
  Tensor ties = g["ties"];
  auto [v, i] = ties.max(1);
  EXPECT_TENSOR_CLOSE(v, g["ties_max_v1"]);
  expect_indices(i, g["ties_max_i1"]);
  expect_indices(std::get<1>(ties.min(0)), g["ties_min_i0"]);
  expect_indices(ties.argmax(1), g["ties_argmax1"]);
  expect_indices(ties.argmax(), g["ties_argmax_all"]);

  Tensor t = ties.clone().detach().requires_grad_();
  amax(t, {1}).sum().backward();
  EXPECT_TENSOR_CLOSE(t.grad(), g["ties_amax_grad"]);
  Tensor t2 = ties.clone().detach().requires_grad_();
  t2.max().backward();
  EXPECT_TENSOR_CLOSE(t2.grad(), g["ties_max_all_grad"]);
  Tensor t3 = ties.clone().detach().requires_grad_();
  std::get<0>(t3.max(1)).sum().backward();
  EXPECT_TENSOR_CLOSE(t3.grad(), g["ties_max1_grad"]);
}

TEST(Reduction, NanPropagates) {
  const Golden& g = gold();
  Tensor nan = g["nan"];
  auto same_nans = [](const Tensor& a, const Tensor& b) {
    std::vector<double> av = a.tolist<double>(), bv = b.tolist<double>();
    ASSERT_EQ(av.size(), bv.size());
    for (size_t j = 0; j < av.size(); ++j) {
      EXPECT_EQ(std::isnan(av[j]), std::isnan(bv[j])) << j;
      if (!std::isnan(bv[j])) {
        EXPECT_EQ(av[j], bv[j]) << j;
      }
    }
  };
  auto [v, i] = nan.max(1);
  same_nans(v, g["nan_max_v1"]);
  expect_indices(i, g["nan_max_i1"]);
  EXPECT_TRUE(std::isnan(nan.max().item<double>()));
  EXPECT_TRUE(std::isnan(nan.to(kFloat32).max().item<float>()));
  EXPECT_TRUE(std::isnan(nan.to(kFloat32).min().item<float>()));
  same_nans(amax(nan, {0}), g["nan_amax0"]);
  expect_indices(nan.argmin(1), g["nan_argmin1"]);
}

TEST(Reduction, IntegerAndBoolInputs) {
  const Golden& g = gold();
  Tensor xi = g["xi"];
  ASSERT_EQ(xi.dtype(), kInt64);
  EXPECT_EQ(xi.prod().item<int64_t>(), g["xi_prod"].item<int64_t>());
  EXPECT_EQ(xi.to(kInt32).prod().dtype(), kInt64);
  EXPECT_EQ(xi.to(kInt32).cumsum(1).tolist<int64_t>(), g["xi_cumsum1"].tolist<int64_t>());
  EXPECT_EQ(xi.to(kInt32).cumsum(1).dtype(), kInt64);
  EXPECT_EQ(xi.all(1).dtype(), kBool);
  EXPECT_EQ(xi.all(1).tolist<bool>(), g["xi_all1"].tolist<bool>());
  EXPECT_EQ(xi.any(0).tolist<bool>(), g["xi_any0"].tolist<bool>());
  EXPECT_EQ(xi.all().item<bool>(), g["xi_all"].item<bool>());
  EXPECT_TRUE(tensor({0.5, 2.0}).all().item<bool>());
  EXPECT_FALSE(tensor({0.0, 0.0}).any().item<bool>());
  Tensor b = tensor({{true, false}, {true, true}});
  EXPECT_EQ(b.all(0, /*keepdim=*/true).sizes(), (Shape{1, 2}));
  EXPECT_EQ(b.all(0).tolist<bool>(), (std::vector<bool>{true, false}));
  EXPECT_EQ(b.any(1).tolist<bool>(), (std::vector<bool>{true, true}));
  EXPECT_TRUE(b.max().item<bool>());
  auto [v, i] = xi.max(1);
  EXPECT_EQ(v.tolist<int64_t>(), g["xi_max_v1"].tolist<int64_t>());
  expect_indices(i, g["xi_max_i1"]);
  Tensor lse = xi.logsumexp({1});
  EXPECT_EQ(lse.dtype(), kFloat32);
  EXPECT_TENSOR_CLOSE(lse.to(kFloat64), g["xi_lse1"], 1e-6, 1e-6);
  Tensor inf_rows = tensor({{-INFINITY, -INFINITY}, {INFINITY, 1.0}});
  EXPECT_EQ(inf_rows.logsumexp({1}).tolist<float>(), g["lse_inf"].tolist<float>());
}

TEST(Reduction, EmptyInputs) {
  Tensor e = zeros({3, 0});
  EXPECT_EQ(e.prod(1).tolist<float>(), (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(e.all(1).tolist<bool>(), (std::vector<bool>{true, true, true}));
  EXPECT_EQ(e.any(1).tolist<bool>(), (std::vector<bool>{false, false, false}));
  EXPECT_EQ(e.cumsum(1).sizes(), (Shape{3, 0}));
  EXPECT_TRUE(std::isnan(e.mean().item<float>()));
  auto [v, i] = e.max(0);
  EXPECT_EQ(v.sizes(), (Shape{0}));
  EXPECT_EQ(e.logsumexp({1}).tolist<float>(), (std::vector<float>{-INFINITY, -INFINITY, -INFINITY}));
  EXPECT_EQ(zeros({0}).norm().item<float>(), 0.0f);
  EXPECT_EQ(zeros({2, 0}).norm(-INFINITY, {1}).tolist<float>(), (std::vector<float>{0, 0}));
}

void expect_error(const std::function<void()>& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << text;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(Reduction, Errors) {
  Tensor x = ones({2, 3});
  const std::string range = "Dimension out of range (expected to be in range of [-2, 1], but got 2)";
  expect_error([&] { x.mean({2}); }, range);
  expect_error([&] { x.var(Shape{2}); }, range);
  expect_error([&] { x.max(2); }, range);
  expect_error([&] { x.argmax(2); }, range);
  expect_error([&] { x.prod(2); }, range);
  expect_error([&] { x.cumsum(2); }, range);
  expect_error([&] { x.all(-3); }, "but got -3");
  expect_error([&] { x.logsumexp({2}); }, range);
  expect_error([&] { ones({3}, {.dtype = kInt64}).mean(); },
               "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long");
  expect_error([&] { ones({3}, {.dtype = kInt64}).var(); }, "std and var only support floating point and complex dtypes");
  expect_error([&] { ones({3}, {.dtype = kInt32}).norm(); },
               "norm(): input dtype should be either floating point or complex. Got Int instead.");
  expect_error([&] { zeros({0}).max(); }, "max(): Expected reduction dim to be specified for input.numel() == 0.");
  expect_error([&] { zeros({0}).min(); }, "min(): Expected reduction dim to be specified for input.numel() == 0.");
  expect_error([&] { zeros({3, 0}).max(1); }, "max(): Expected reduction dim 1 to have non-zero size.");
  expect_error([&] { amax(zeros({3, 0}), {1}); }, "amax(): Expected reduction dim 1 to have non-zero size.");
  expect_error([&] { zeros({3, 0}).argmax(); }, "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
  expect_error([&] { x.mean({0, 0}); }, "dim 0 appears multiple times in the list of dims");
}

}  // namespace
}  // namespace wick

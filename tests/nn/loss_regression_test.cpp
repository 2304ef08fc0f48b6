// Regression and probabilistic losses (L1 ... GaussianNLL) and their modules against PyTorch
// goldens for every reduction (values and gradients of input and target), gradchecks, printing,
// buffers and errors.
#include <gtest/gtest.h>

#include <sstream>

#include "loss_test_util.h"
#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using testing::LossCase;
using V = std::vector<Tensor>;

std::vector<LossCase> regression_cases() {
  std::vector<LossCase> c;
  for (std::string r : {"none", "mean", "sum"}) {
    c.push_back({"l1_" + r, [r](const V& x) { return F::l1_loss(x[0], x[1], {r}); }});
    c.push_back({"l1_bcast_" + r, [r](const V& x) { return F::l1_loss(x[0], x[1], {r}); }});
    c.push_back({"mse_" + r, [r](const V& x) { return F::mse_loss(x[0], x[1], {r}); }});
    c.push_back({"smooth_l1_" + r, [r](const V& x) { return F::smooth_l1_loss(x[0], x[1], {.reduction = r}); }});
    c.push_back({"smooth_l1_b_" + r, [r](const V& x) {
                   return F::smooth_l1_loss(x[0], x[1], {.reduction = r, .beta = 0.7});
                 }});
    c.push_back({"smooth_l1_b0_" + r, [r](const V& x) {
                   return F::smooth_l1_loss(x[0], x[1], {.reduction = r, .beta = 0.0});
                 }});
    c.push_back({"huber_" + r, [r](const V& x) { return F::huber_loss(x[0], x[1], {.reduction = r}); }});
    c.push_back({"huber_d_" + r, [r](const V& x) {
                   return F::huber_loss(x[0], x[1], {.reduction = r, .delta = 1.8});
                 }});
    c.push_back({"bce_" + r, [r](const V& x) { return F::binary_cross_entropy(x[0], x[1], {.reduction = r}); }});
    c.push_back({"bce_w_" + r, [r](const V& x) {
                   return F::binary_cross_entropy(x[0], x[1], {.weight = x[2], .reduction = r});
                 }});
    c.push_back({"bcel_" + r, [r](const V& x) {
                   return F::binary_cross_entropy_with_logits(x[0], x[1], {.reduction = r});
                 }});
    c.push_back({"bcel_w_pw_" + r, [r](const V& x) {
                   return F::binary_cross_entropy_with_logits(x[0], x[1],
                                                              {.weight = x[2], .reduction = r, .pos_weight = x[3]});
                 }});
    c.push_back({"kl_" + r, [r](const V& x) { return F::kl_div(x[0], x[1], {.reduction = r}); }});
    c.push_back({"kl_zero_" + r, [r](const V& x) { return F::kl_div(x[0], x[1], {.reduction = r}); }});
    c.push_back({"kl_log_" + r, [r](const V& x) {
                   return F::kl_div(x[0], x[1], {.reduction = r, .log_target = true});
                 }});
    c.push_back({"poisson_" + r, [r](const V& x) { return F::poisson_nll_loss(x[0], x[1], {.reduction = r}); }});
    c.push_back({"poisson_full_" + r, [r](const V& x) {
                   return F::poisson_nll_loss(x[0], x[1], {.log_input = false, .full = true, .reduction = r});
                 }});
    c.push_back({"gauss_" + r, [r](const V& x) { return F::gaussian_nll_loss(x[0], x[1], x[2], {.reduction = r}); }});
    c.push_back({"gauss_row_full_" + r, [r](const V& x) {
                   return F::gaussian_nll_loss(x[0], x[1], x[2], {.full = true, .reduction = r});
                 }});
    c.push_back({"gauss_eps_" + r, [r](const V& x) {
                   return F::gaussian_nll_loss(x[0], x[1], x[2], {.eps = 1e-3, .reduction = r});
                 }});
  }
  c.push_back({"kl_batchmean", [](const V& x) { return F::kl_div(x[0], x[1], {.reduction = "batchmean"}); }});
  c.push_back({"bce_edge", [](const V& x) { return F::binary_cross_entropy(x[0], x[1], {.reduction = "none"}); }});
  c.push_back({"bcel_big", [](const V& x) {
                 return F::binary_cross_entropy_with_logits(x[0], x[1], {.reduction = "none"});
               }});
  return c;
}

TEST(LossRegression, MatchesPyTorch) { testing::check_loss_cases("nn_loss_regression", regression_cases()); }

TEST(LossRegression, ModulesMatchFunctional) {
  Tensor x = randn({3, 4}, {.dtype = kFloat64}), t = randn({3, 4}, {.dtype = kFloat64});
  Tensor p = rand({3, 4}, {.dtype = kFloat64}) * 0.9 + 0.05, y = rand({3, 4}, {.dtype = kFloat64});
  Tensor w = rand({4}, {.dtype = kFloat64}), v = rand({3, 4}, {.dtype = kFloat64}) + 0.1;
  auto same = [](const Tensor& a, const Tensor& b) { EXPECT_TENSOR_CLOSE(a, b, 1e-12, 1e-14); };
  same(nn::L1Loss({"sum"})(x, t), F::l1_loss(x, t, {"sum"}));
  same(nn::MSELoss()(x, t), F::mse_loss(x, t));
  same(nn::SmoothL1Loss({.beta = 0.5})(x, t), F::smooth_l1_loss(x, t, {.beta = 0.5}));
  same(nn::HuberLoss({.delta = 2.0})(x, t), F::huber_loss(x, t, {.delta = 2.0}));
  same(nn::BCELoss({.weight = w})(p, y), F::binary_cross_entropy(p, y, {.weight = w}));
  same(nn::BCEWithLogitsLoss({.pos_weight = w})(x, y), F::binary_cross_entropy_with_logits(x, y, {.pos_weight = w}));
  same(nn::KLDivLoss({.reduction = "batchmean"})(x, p), F::kl_div(x, p, {.reduction = "batchmean"}));
  same(nn::PoissonNLLLoss({.full = true})(x, y), F::poisson_nll_loss(x, y, {.full = true}));
  same(nn::GaussianNLLLoss({.full = true})(x, t, v), F::gaussian_nll_loss(x, t, v, {.full = true}));
}

TEST(LossRegression, Gradcheck) {
  auto opts = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  Tensor x = randn({2, 3}, opts), t = randn({2, 3}, opts);
  Tensor p = (rand({2, 3}, {.dtype = kFloat64}) * 0.8 + 0.1).requires_grad_();
  Tensor y = rand({2, 3}, opts), v = (rand({2, 3}, {.dtype = kFloat64}) + 0.2).requires_grad_();
  Tensor pw = rand({3}, {.dtype = kFloat64}) + 0.5;
  autograd::GradcheckOptions o{.check_grad_grad = true};
  using Fn = std::function<Tensor(const V&)>;
  std::vector<std::pair<Fn, V>> checks = {
      {[](const V& a) { return F::mse_loss(a[0], a[1]); }, {x, t}},
      {[](const V& a) { return F::smooth_l1_loss(a[0], a[1], {.beta = 0.5}); }, {x, t}},
      {[](const V& a) { return F::huber_loss(a[0], a[1], {.reduction = "sum"}); }, {x, t}},
      {[](const V& a) { return F::binary_cross_entropy(a[0], a[1]); }, {p, y}},
      {[&](const V& a) { return F::binary_cross_entropy_with_logits(a[0], a[1], {.pos_weight = pw}); }, {x, y}},
      {[](const V& a) { return F::kl_div(a[0], a[1], {.reduction = "batchmean"}); }, {x, p}},
      {[](const V& a) { return F::poisson_nll_loss(a[0], a[1]); }, {x, y}},
      {[](const V& a) { return F::gaussian_nll_loss(a[0], a[1], a[2]); }, {x, t, v}},
  };
  for (size_t i = 0; i < checks.size(); ++i) {
    auto r = autograd::gradcheck(checks[i].first, checks[i].second, o);
    EXPECT_TRUE(r) << "check " << i << ": " << r.message;
  }
}

TEST(LossRegression, Printing) {
  std::ostringstream s;
  s << nn::L1Loss() << nn::MSELoss() << nn::SmoothL1Loss({.beta = 2.0}) << nn::HuberLoss() << nn::BCELoss()
    << nn::BCEWithLogitsLoss() << nn::KLDivLoss() << nn::PoissonNLLLoss() << nn::GaussianNLLLoss();
  EXPECT_EQ(s.str(),
            "L1Loss()MSELoss()SmoothL1Loss()HuberLoss()BCELoss()BCEWithLogitsLoss()KLDivLoss()PoissonNLLLoss()"
            "GaussianNLLLoss()");
}

TEST(LossRegression, Buffers) {
  auto m = nn::BCEWithLogitsLoss({.pos_weight = ones({2})});
  auto sd = m->state_dict();
  EXPECT_EQ(sd.size(), 1u);
  EXPECT_TRUE(sd.contains("pos_weight"));
  EXPECT_EQ(nn::BCELoss({.weight = ones({2})})->state_dict().size(), 1u);
}

TEST(LossRegression, Errors) {
  using testing::expect_error;
  Tensor x = rand({3, 2});
  expect_error([&] { F::binary_cross_entropy(x, rand({3, 1})); },
               "Using a target size ([3, 1]) that is different to the input size ([3, 2]) is deprecated");
  expect_error([&] { F::binary_cross_entropy(x + 1, x); }, "all elements of input should be between 0 and 1");
  expect_error([&] { F::binary_cross_entropy_with_logits(x, rand({3})); },
               "Target size ([3]) must be the same as input size ([3, 2])");
  expect_error([&] { F::mse_loss(x, x, {"avg"}); }, "avg is not a valid value for reduction");
  expect_error([&] { F::gaussian_nll_loss(x, x, rand({2})); }, "var is of incorrect size");
  expect_error([&] { F::gaussian_nll_loss(x, x, -ones({3, 2})); }, "var has negative entry/entries");
  expect_error([&] { F::smooth_l1_loss(x, x, {.beta = -1.0}); }, "does not support negative values for beta");
  expect_error([&] { F::huber_loss(x, x, {.delta = 0.0}); }, "does not support non-positive values for delta");
}

}  // namespace
}  // namespace wick

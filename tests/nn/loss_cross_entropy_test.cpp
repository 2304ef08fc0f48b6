// F::cross_entropy / F::nll_loss and nn::CrossEntropyLoss / nn::NLLLoss against PyTorch goldens
// (class indices in 1-d, 2-d, 3-d and 4-d inputs, weights, ignore_index, label smoothing, class
// probabilities; every reduction), gradchecks with second derivatives, node names, printing,
// state_dict keys and PyTorch's error messages.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "loss_test_util.h"
#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using testing::LossCase;
using V = std::vector<Tensor>;

std::vector<LossCase> cross_entropy_cases() {
  std::vector<LossCase> c;
  for (std::string r : {"none", "mean", "sum"}) {
    c.push_back({"ce_" + r, [r](const V& x) { return F::cross_entropy(x[0], x[1], {.reduction = r}); }});
    c.push_back({"ce_w_" + r, [r](const V& x) {
                   return F::cross_entropy(x[0], x[1], {.weight = x[2], .reduction = r});
                 }});
    c.push_back({"ce_ign_w_" + r, [r](const V& x) {
                   return F::cross_entropy(x[0], x[1], {.weight = x[2], .ignore_index = 2, .reduction = r});
                 }});
    c.push_back({"ce_4d_" + r, [r](const V& x) {
                   return F::cross_entropy(x[0], x[1], {.weight = x[2], .reduction = r});
                 }});
    c.push_back({"ce_3d_" + r, [r](const V& x) { return F::cross_entropy(x[0], x[1], {.reduction = r}); }});
    c.push_back({"ce_1d_" + r, [r](const V& x) { return F::cross_entropy(x[0], x[1], {.reduction = r}); }});
    c.push_back({"ce_ls_" + r, [r](const V& x) {
                   return F::cross_entropy(x[0], x[1], {.reduction = r, .label_smoothing = 0.2});
                 }});
    c.push_back({"ce_ls_ign_w_" + r, [r](const V& x) {
                   return F::cross_entropy(
                       x[0], x[1], {.weight = x[2], .ignore_index = 2, .reduction = r, .label_smoothing = 0.3});
                 }});
    c.push_back({"ce_ls_4d_" + r, [r](const V& x) {
                   return F::cross_entropy(x[0], x[1], {.reduction = r, .label_smoothing = 0.1});
                 }});
    c.push_back({"ce_prob_" + r, [r](const V& x) { return F::cross_entropy(x[0], x[1], {.reduction = r}); }});
    c.push_back({"ce_prob_w_ls_" + r, [r](const V& x) {
                   return F::cross_entropy(x[0], x[1],
                                           {.weight = x[2], .reduction = r, .label_smoothing = 0.25});
                 }});
    c.push_back({"ce_prob_4d_" + r, [r](const V& x) {
                   return F::cross_entropy(x[0], x[1], {.weight = x[2], .reduction = r});
                 }});
    c.push_back({"nll_w_" + r, [r](const V& x) {
                   return F::nll_loss(x[0], x[1], {.weight = x[2], .reduction = r});
                 }});
    c.push_back({"nll_4d_" + r, [r](const V& x) {
                   return F::nll_loss(x[0], x[1], {.ignore_index = 1, .reduction = r});
                 }});
  }
  return c;
}

TEST(LossCrossEntropy, MatchesPyTorch) { testing::check_loss_cases("nn_loss", cross_entropy_cases()); }

TEST(LossCrossEntropy, ModulesMatchFunctional) {
  Tensor x = randn({4, 5}, {.dtype = kFloat64}), t = tensor(std::vector<int64_t>{1, 0, 4, 2});
  Tensor w = rand({5}, {.dtype = kFloat64});
  auto ce = nn::CrossEntropyLoss({.weight = w, .ignore_index = 4, .label_smoothing = 0.1});
  EXPECT_TENSOR_CLOSE(ce(x, t), F::cross_entropy(x, t, {.weight = w, .ignore_index = 4, .label_smoothing = 0.1}),
                      1e-12, 1e-14);
  auto nll = nn::NLLLoss({.reduction = "sum"});
  EXPECT_TENSOR_CLOSE(nll(x, t), F::nll_loss(x, t, {.reduction = "sum"}), 1e-12, 1e-14);
  EXPECT_EQ(ce(x, t).dim(), 0);
}

TEST(LossCrossEntropy, Gradcheck) {
  Tensor x = randn({3, 4}, {.dtype = kFloat64, .requires_grad = true});
  Tensor t = tensor(std::vector<int64_t>{1, 3, 0});
  Tensor w = rand({4}, {.dtype = kFloat64}) + 0.5;
  Tensor p = F::softmax(randn({3, 4}, {.dtype = kFloat64}), 1).requires_grad_();
  autograd::GradcheckOptions o{.check_grad_grad = true};
  for (std::string r : {"none", "mean", "sum"}) {
    SCOPED_TRACE(r);
    EXPECT_TRUE(autograd::gradcheck(
        [&](const V& in) { return F::cross_entropy(in[0], t, {.weight = w, .reduction = r, .label_smoothing = 0.2}); },
        {x}, o));
    EXPECT_TRUE(autograd::gradcheck([&](const V& in) { return F::nll_loss(in[0], t, {.reduction = r}); }, {x}, o));
    EXPECT_TRUE(autograd::gradcheck(
        [&](const V& in) { return F::cross_entropy(in[0], in[1], {.weight = w, .reduction = r}); }, {x, p}, o));
  }
  Tensor x4 = randn({2, 3, 2, 2}, {.dtype = kFloat64, .requires_grad = true});
  Tensor t4 = randint(0, 3, {2, 2, 2});
  EXPECT_TRUE(autograd::gradcheck([&](const V& in) { return F::cross_entropy(in[0], t4, {.reduction = "none"}); },
                                  {x4}, o));
}

TEST(LossCrossEntropy, NodeNames) {
  // K-dim input takes the composite path (2-d logits take the fused op: loss_cross_entropy_fused_test).
  Tensor x = randn({3, 4, 2}, {.requires_grad = true});
  Tensor loss = F::cross_entropy(x, tensor(std::vector<int64_t>{1, 3, 0, 2, 2, 1}).view({3, 2}));
  ASSERT_TRUE(loss.grad_fn());
  EXPECT_EQ(loss.grad_fn()->name(), "NllLossBackward0");
  ASSERT_EQ(loss.grad_fn()->next_edges().size(), 1u);
  EXPECT_EQ(loss.grad_fn()->next_edges()[0].fn->name(), "LogSoftmaxBackward0");
}

TEST(LossCrossEntropy, EdgeValues) {
  // Every target ignored: mean is 0 / 0 = nan, sum is 0, as PyTorch.
  Tensor x = randn({2, 3});
  Tensor t = tensor(std::vector<int64_t>{-100, -100});
  EXPECT_TRUE(std::isnan(F::nll_loss(x, t).item<float>()));
  EXPECT_EQ(F::nll_loss(x, t, {.reduction = "sum"}).item<float>(), 0.0f);
  // Large logits stay finite (log_softmax subtracts the max).
  Tensor big = tensor(std::vector<float>{1000.0f, 0.0f, -1000.0f}).view({1, 3});
  EXPECT_NEAR(F::cross_entropy(big, tensor(std::vector<int64_t>{1})).item<float>(), 1000.0f, 1e-3);
}

TEST(LossCrossEntropy, Printing) {
  std::ostringstream s;
  s << nn::CrossEntropyLoss() << " " << nn::NLLLoss({.reduction = "sum"}) << " "
    << nn::CrossEntropyLoss({.label_smoothing = 0.1});
  EXPECT_EQ(s.str(), "CrossEntropyLoss() NLLLoss() CrossEntropyLoss()");
}

TEST(LossCrossEntropy, StateDict) {
  auto with = nn::CrossEntropyLoss({.weight = ones({3})});
  auto sd = with->state_dict();
  ASSERT_EQ(sd.size(), 1u);
  EXPECT_TRUE(sd.contains("weight"));
  EXPECT_EQ(nn::NLLLoss()->state_dict().size(), 0u);
}

TEST(LossCrossEntropy, Errors) {
  using testing::expect_error;
  Tensor x = randn({3, 4});
  expect_error([&] { F::cross_entropy(x, tensor(std::vector<int64_t>{1, 2})); },
               "Expected input batch_size (3) to match target batch_size (2).");
  expect_error([&] { F::cross_entropy(randn({2, 3, 4}), zeros({2, 3}, {.dtype = kInt64})); },
               "Expected target size [2, 4], got [2, 3]");
  expect_error([&] { F::cross_entropy(x, ones({3, 4}, {.dtype = kInt64})); },
               "Expected floating point type for target with class probabilities, got int64");
  expect_error([&] { F::cross_entropy(x, ones({3, 4}), {.ignore_index = 1}); },
               "ignore_index is not supported for floating point target");
  expect_error([&] { F::cross_entropy(x, tensor(std::vector<int64_t>{1, 2, 2}), {.weight = ones({3})}); },
               "weight tensor should be defined either for all 4 classes or no classes but got weight "
               "tensor of shape: [3]");
  expect_error([&] { F::cross_entropy(x, tensor(std::vector<int64_t>{1, 2, 2}), {.label_smoothing = 1.5}); },
               "label_smoothing must be between 0.0 and 1.0. Got: 1.5");
  expect_error([&] { F::cross_entropy(x, tensor(std::vector<int64_t>{1, 2, 4})); }, "Target 4 is out of bounds.");
  expect_error([&] { F::cross_entropy(x, tensor(std::vector<int64_t>{1, -1, 0})); }, "Target -1 is out of bounds.");
  expect_error([&] { F::cross_entropy(x, tensor(std::vector<int64_t>{1, 2, 2}), {.reduction = "foo"}); },
               "foo is not a valid value for reduction");
  expect_error([&] { nn::CrossEntropyLoss({.reduction = "avg"}); }, "avg is not a valid value for reduction");
  expect_error([&] { F::nll_loss(randn({}), tensor(std::vector<int64_t>{1})); }, "Expected 1 or more dimensions (got 0)");
  expect_error([&] { F::nll_loss(x, tensor(std::vector<int32_t>{1, 2, 2})); },
               "expected scalar type Long but found int32");
  expect_error([&] { F::nll_loss(x, zeros({3, 1}, {.dtype = kInt64})); },
               "0D or 1D target tensor expected, multi-target not supported");
}

}  // namespace
}  // namespace wick

// Margin and embedding losses (MarginRanking ... TripletMarginWithDistance) and their modules
// against PyTorch goldens for every reduction, gradchecks, printing, buffers and errors.
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

// 1 - cosine similarity over the last dim (the custom distance of the golden case).
Tensor cosine_distance(const Tensor& u, const Tensor& v) {
  Tensor un = u / norm(u, 2, {-1}, true), vn = v / norm(v, 2, {-1}, true);
  return 1 - (un * vn).sum({-1});
}

std::vector<LossCase> margin_cases() {
  std::vector<LossCase> c;
  for (std::string r : {"none", "mean", "sum"}) {
    c.push_back({"rank_" + r, [r](const V& x) {
                   return F::margin_ranking_loss(x[0], x[1], x[2], {.margin = 0.3, .reduction = r});
                 }});
    c.push_back({"hinge_" + r, [r](const V& x) {
                   return F::hinge_embedding_loss(x[0], x[1], {.margin = 1.2, .reduction = r});
                 }});
    c.push_back({"cos_" + r, [r](const V& x) {
                   return F::cosine_embedding_loss(x[0], x[1], x[2], {.margin = -0.2, .reduction = r});
                 }});
    c.push_back({"soft_" + r, [r](const V& x) { return F::soft_margin_loss(x[0], x[1], {r}); }});
    c.push_back({"mlsoft_" + r, [r](const V& x) {
                   return F::multilabel_soft_margin_loss(x[0], x[1], {.weight = x[2], .reduction = r});
                 }});
    c.push_back({"mm_" + r, [r](const V& x) { return F::multi_margin_loss(x[0], x[1], {.reduction = r}); }});
    c.push_back({"mm_p2_w_" + r, [r](const V& x) {
                   return F::multi_margin_loss(x[0], x[1], {.p = 2, .margin = 0.7, .weight = x[2], .reduction = r});
                 }});
    c.push_back({"mm_1d_" + r, [r](const V& x) { return F::multi_margin_loss(x[0], x[1], {.reduction = r}); }});
    c.push_back({"mlm_" + r, [r](const V& x) { return F::multilabel_margin_loss(x[0], x[1], {r}); }});
    c.push_back({"mlm_1d_" + r, [r](const V& x) { return F::multilabel_margin_loss(x[0], x[1], {r}); }});
    c.push_back({"trip_" + r, [r](const V& x) {
                   return F::triplet_margin_loss(x[0], x[1], x[2], {.margin = 1.5, .reduction = r});
                 }});
    c.push_back({"trip_p1_swap_" + r, [r](const V& x) {
                   return F::triplet_margin_loss(x[0], x[1], x[2],
                                                 {.margin = 2.0, .p = 1, .swap = true, .reduction = r});
                 }});
    c.push_back({"tripd_" + r, [r](const V& x) {
                   return F::triplet_margin_with_distance_loss(
                       x[0], x[1], x[2],
                       {.distance_function = cosine_distance, .margin = 0.8, .swap = true, .reduction = r});
                 }});
    c.push_back({"tripd_default_" + r, [r](const V& x) {
                   return F::triplet_margin_with_distance_loss(x[0], x[1], x[2], {.margin = 1.5, .reduction = r});
                 }});
  }
  return c;
}

TEST(LossMargin, MatchesPyTorch) { testing::check_loss_cases("nn_loss_margin", margin_cases()); }

TEST(LossMargin, ModulesMatchFunctional) {
  auto f64 = TensorOptions{.dtype = kFloat64};
  Tensor a = randn({4, 3}, f64), b = randn({4, 3}, f64), c = randn({4, 3}, f64);
  Tensor y = tensor(std::vector<double>{1, -1, 1, -1}), cls = tensor(std::vector<int64_t>{0, 2, 1, 2});
  Tensor w = rand({3}, f64) + 0.5, multi = (rand({4, 3}, f64) > 0.5).to(kFloat64);
  auto same = [](const Tensor& u, const Tensor& v) { EXPECT_TENSOR_CLOSE(u, v, 1e-12, 1e-14); };
  same(nn::MarginRankingLoss({.margin = 0.5})(a.select(1, 0), b.select(1, 0), y),
       F::margin_ranking_loss(a.select(1, 0), b.select(1, 0), y, {.margin = 0.5}));
  same(nn::HingeEmbeddingLoss()(a.select(1, 0), y), F::hinge_embedding_loss(a.select(1, 0), y));
  same(nn::CosineEmbeddingLoss({.margin = 0.1})(a, b, y), F::cosine_embedding_loss(a, b, y, {.margin = 0.1}));
  same(nn::SoftMarginLoss()(a, multi), F::soft_margin_loss(a, multi));
  same(nn::MultiLabelSoftMarginLoss({.weight = w})(a, multi), F::multilabel_soft_margin_loss(a, multi, {.weight = w}));
  same(nn::MultiMarginLoss({.p = 2, .weight = w})(a, cls), F::multi_margin_loss(a, cls, {.p = 2, .weight = w}));
  Tensor mlt = tensor(std::vector<int64_t>{0, -1, 1, 2, 1, -1, 0, 0, 0, 1, 2, 0}).view({4, 3});
  same(nn::MultiLabelMarginLoss()(a, mlt), F::multilabel_margin_loss(a, mlt));
  same(nn::TripletMarginLoss({.swap = true})(a, b, c), F::triplet_margin_loss(a, b, c, {.swap = true}));
  same(nn::TripletMarginWithDistanceLoss({.distance_function = cosine_distance})(a, b, c),
       F::triplet_margin_with_distance_loss(a, b, c, {.distance_function = cosine_distance}));
  EXPECT_EQ(nn::MultiMarginLoss({.weight = w})->state_dict().size(), 1u);
  EXPECT_EQ(nn::MultiLabelSoftMarginLoss({.weight = w})->state_dict().size(), 1u);
}

TEST(LossMargin, Gradcheck) {
  auto opts = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  Tensor a = randn({3, 4}, opts), b = randn({3, 4}, opts), c = randn({3, 4}, opts);
  Tensor y = tensor(std::vector<double>{1, -1, 1}), cls = tensor(std::vector<int64_t>{0, 3, 1});
  Tensor multi = (rand({3, 4}, {.dtype = kFloat64}) > 0.5).to(kFloat64);
  Tensor mlt = tensor(std::vector<int64_t>{0, 2, -1, 0, 3, -1, 0, 0, 1, 2, 3, -1}).view({3, 4});
  autograd::GradcheckOptions o{.check_grad_grad = true};
  using Fn = std::function<Tensor(const V&)>;
  std::vector<std::pair<Fn, V>> checks = {
      {[&](const V& x) { return F::cosine_embedding_loss(x[0], x[1], y, {.margin = -0.5}); }, {a, b}},
      {[&](const V& x) { return F::soft_margin_loss(x[0], multi * 2 - 1); }, {a}},
      {[&](const V& x) { return F::multilabel_soft_margin_loss(x[0], multi); }, {a}},
      {[&](const V& x) { return F::multi_margin_loss(x[0], cls, {.p = 2, .margin = 3.0}); }, {a}},
      {[&](const V& x) { return F::multilabel_margin_loss(x[0], mlt, {"sum"}); }, {a * 0.1}},
      {[&](const V& x) { return F::triplet_margin_loss(x[0], x[1], x[2], {.margin = 10.0}); }, {a, b, c}},
  };
  for (size_t i = 0; i < checks.size(); ++i) {
    V in;
    for (const Tensor& t : checks[i].second) in.push_back(t.detach().requires_grad_());
    auto r = autograd::gradcheck(checks[i].first, in, o);
    EXPECT_TRUE(r) << "check " << i << ": " << r.message;
  }
}

TEST(LossMargin, Printing) {
  std::ostringstream s;
  s << nn::MarginRankingLoss() << nn::HingeEmbeddingLoss() << nn::CosineEmbeddingLoss() << nn::SoftMarginLoss()
    << nn::MultiLabelSoftMarginLoss() << nn::MultiMarginLoss({.p = 2}) << nn::MultiLabelMarginLoss()
    << nn::TripletMarginLoss({.margin = 2.0}) << nn::TripletMarginWithDistanceLoss();
  EXPECT_EQ(s.str(),
            "MarginRankingLoss()HingeEmbeddingLoss()CosineEmbeddingLoss()SoftMarginLoss()MultiLabelSoftMarginLoss()"
            "MultiMarginLoss()MultiLabelMarginLoss()TripletMarginLoss()TripletMarginWithDistanceLoss()");
}

TEST(LossMargin, Errors) {
  using testing::expect_error;
  Tensor x = randn({3, 4});
  expect_error([&] { F::multi_margin_loss(x, tensor(std::vector<int64_t>{1, 2})); },
               "inconsistent target size, got: [2]");
  expect_error([&] { F::multi_margin_loss(x, tensor(std::vector<int64_t>{1, 2, 4})); }, "target out of range");
  expect_error([&] { F::multi_margin_loss(x, tensor(std::vector<int64_t>{1, 2, 3}), {.p = 3}); },
               "only p == 1 and p == 2 supported");
  expect_error([&] { nn::MultiMarginLoss({.p = 3}); }, "only p == 1 and p == 2 supported");
  expect_error([&] { F::margin_ranking_loss(randn({3}), randn({3, 1}), ones({3})); },
               "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: [3], "
               "input2: [3, 1], target: [3]");
  expect_error([&] { F::cosine_embedding_loss(x, x, ones({3, 1})); },
               "0D or 1D target tensor expected, multi-target not supported");
  expect_error([&] { F::cosine_embedding_loss(x, x, ones({})); },
               "0D target tensor expects 1D input tensors, but found inputs with sizes [3, 4] and [3, 4].");
  expect_error([&] { F::triplet_margin_loss(x, x, randn({4})); },
               "All inputs should have same dimension but got 2D, 2D and 1D inputs.");
  expect_error([&] { F::multilabel_margin_loss(x, tensor(std::vector<int64_t>{1, 2, 3})); },
               "inconsistent size [3] for argument #2 'target'");
  expect_error([&] { F::multilabel_margin_loss(x, zeros({3, 4}, {.dtype = kInt64}) + 5); },
               "argument #2 'target' is out of range");
  expect_error([&] { F::triplet_margin_with_distance_loss(x, x, x, {.margin = 0.0}); },
               "expected margin to be greater than 0");
}

}  // namespace
}  // namespace wick

// The fused cross-entropy op (2-d logits, class indices, no label smoothing) against the composite
// log_softmax + nll_loss it replaces: values and gradients for every reduction, weights and
// ignore_index, in float64 and float32, on small and on thread-split sizes; double backward through
// gradcheck; its node; out-of-range targets and non-finite logits. (PyTorch goldens for the same
// path are in loss_cross_entropy_test.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using V = std::vector<Tensor>;

struct Result {
  Tensor out, grad;
};

Result run(bool fused, const Tensor& x0, const Tensor& t, const F::CrossEntropyFuncOptions& o) {
  Tensor x = x0.detach().requires_grad_();
  Tensor out = fused
                   ? F::cross_entropy(x, t, o)
                   : F::nll_loss(F::log_softmax(x, 1), t, {o.weight, o.ignore_index, o.reduction});
  Tensor g = out.dim() == 0 ? full({}, 0.7, {.dtype = x.dtype()})
                            : linspace(-1.0, 2.0, out.numel(), {.dtype = x.dtype()});
  out.backward(g);
  return {out.detach(), x.grad()};
}

TEST(LossCrossEntropyFused, MatchesTheComposite) {
  manual_seed(4);
  for (auto [n, c] : {std::pair<int64_t, int64_t>{5, 7}, {300, 1000}}) {
    for (DType dt : {kFloat64, kFloat32}) {
      const double tol = dt == kFloat64 ? 1e-12 : 2e-6;
      Tensor x = (randn({n, c}, {.dtype = dt}) * 4.0).detach();
      Tensor t = randint(0, c, {n});
      t.index_put_({Slice(0, 2)}, 3);  // some rows ignored when ignore_index = 3
      Tensor w = rand({c}, {.dtype = dt}) + 0.5;
      for (std::string r : {"none", "mean", "sum"}) {
        for (const F::CrossEntropyFuncOptions& o :
             {F::CrossEntropyFuncOptions{.reduction = r},
              F::CrossEntropyFuncOptions{.weight = w, .ignore_index = 3, .reduction = r}}) {
          SCOPED_TRACE(r + " n=" + std::to_string(n) + " " + dtype_name(dt) +
                       (o.weight.defined() ? " weighted" : ""));
          Result a = run(true, x, t, o), b = run(false, x, t, o);
          EXPECT_EQ(a.out.dtype(), dt);
          EXPECT_TENSOR_CLOSE(a.out.to(kFloat64), b.out.to(kFloat64), tol, tol);
          EXPECT_TENSOR_CLOSE(a.grad.to(kFloat64), b.grad.to(kFloat64), tol, tol);
        }
      }
    }
  }
}

TEST(LossCrossEntropyFused, GradcheckWithSecondDerivatives) {
  manual_seed(5);
  Tensor x = randn({4, 5}, {.dtype = kFloat64, .requires_grad = true});
  Tensor t = tensor(std::vector<int64_t>{1, 4, 0, 2});
  Tensor w = rand({5}, {.dtype = kFloat64}) + 0.5;
  const autograd::GradcheckOptions gg{.check_grad_grad = true};
  for (std::string r : {"none", "mean", "sum"}) {
    SCOPED_TRACE(r);
    auto res = autograd::gradcheck(
        [&](const V& in) {
          return F::cross_entropy(in[0], t, {.weight = w, .ignore_index = 0, .reduction = r});
        },
        {x}, gg);
    EXPECT_TRUE(res) << res.message;
    res = autograd::gradcheck(
        [&](const V& in) { return F::cross_entropy(in[0], t, {.reduction = r}); }, {x}, gg);
    EXPECT_TRUE(res) << res.message;
  }
}

TEST(LossCrossEntropyFused, NodeLeadsStraightToTheLogits) {
  Tensor x = randn({3, 4}, {.requires_grad = true});
  Tensor loss = F::cross_entropy(x, tensor(std::vector<int64_t>{1, 3, 0}));
  ASSERT_TRUE(loss.grad_fn());
  EXPECT_EQ(loss.grad_fn()->name(), "NllLossBackward0");
  ASSERT_EQ(loss.grad_fn()->next_edges().size(), 1u);
  EXPECT_NE(loss.grad_fn()->next_edges()[0].fn->name(), "LogSoftmaxBackward0");
  // A transposed (non-contiguous) input gives its contiguous copy's loss.
  Tensor xt = randn({4, 3}).t();
  Tensor tt = tensor(std::vector<int64_t>{0, 1, 3});
  EXPECT_TENSOR_CLOSE(F::cross_entropy(xt, tt), F::cross_entropy(xt.contiguous(), tt), 1e-6, 1e-7);
}

TEST(LossCrossEntropyFused, TargetsAndExtremeLogits) {
  Tensor x = randn({2, 3});
  testing::expect_error(
      [&] {
        F::cross_entropy(x, tensor(std::vector<int64_t>{0, 5}));
      },
      "Target 5 is out of bounds.");
  testing::expect_error(
      [&] {
        F::cross_entropy(x, tensor(std::vector<int64_t>{-1, 0}));
      },
      "Target -1 is out of bounds.");
  // Huge logits stay finite; -inf logits other than the target's are fine.
  Tensor big =
      tensor(std::vector<float>{1000.0f, 0.0f, -1000.0f, 5.0f, -INFINITY, 2.0f}).view({2, 3});
  Tensor xb = big.detach().requires_grad_();
  Tensor loss = F::cross_entropy(xb, tensor(std::vector<int64_t>{1, 2}), {.reduction = "none"});
  EXPECT_NEAR(loss[0].item<float>(), 1000.0f, 1e-3);
  EXPECT_NEAR(loss[1].item<float>(), std::log(1.0 + std::exp(3.0)), 1e-5);
  loss.sum().backward();
  EXPECT_LT(xb.grad().abs().max().item<float>(), 2.0f);  // finite: |softmax - onehot| <= 1
  // A NaN logit makes its row's loss NaN.
  Tensor nan = tensor(std::vector<float>{NAN, 0.0f, 1.0f}).view({1, 3});
  EXPECT_TRUE(std::isnan(F::cross_entropy(nan, tensor(std::vector<int64_t>{1})).item<float>()));
}

}  // namespace
}  // namespace wick

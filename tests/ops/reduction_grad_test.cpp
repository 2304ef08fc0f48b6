// Gradients of every differentiable reduction: float64 gradchecks (with second derivatives where
// the backward is differentiable), grad_fn names as PyTorch's, prod's gradient with zeros.
#include <gtest/gtest.h>

#include <cmath>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::gradcheck;
using autograd::variable_list;

Tensor input(IntArrayRef shape, uint64_t seed) {
  Generator gen(seed);
  return randn(shape, {.dtype = kFloat64}, &gen).requires_grad_();
}

void check(const std::function<Tensor(const Tensor&)>& f, const Tensor& x, bool grad_grad = true) {
  auto r = gradcheck([&](const variable_list& in) { return f(in[0]); }, {x}, {.check_grad_grad = grad_grad});
  EXPECT_TRUE(r.ok) << r.message;
}

TEST(ReductionGrad, MeanVarStd) {
  Tensor x = input({3, 4}, 1);
  check([](const Tensor& t) { return t.mean(); }, x);
  check([](const Tensor& t) { return t.mean({1}); }, x);
  check([](const Tensor& t) { return t.mean({0}, true); }, x);
  check([](const Tensor& t) { return t.var(); }, x);
  check([](const Tensor& t) { return t.var({1}, {.correction = 0}); }, x);
  check([](const Tensor& t) { return t.var({0}, {.keepdim = true}); }, x);
  check([](const Tensor& t) { return t.std(); }, x);
  check([](const Tensor& t) { return t.std({1}); }, x);
  check([](const Tensor& t) { return t.std({0}, {.correction = 0, .keepdim = true}); }, x);
  check([](const Tensor& t) { return t.t().var({1}); }, x);
}

TEST(ReductionGrad, Prod) {
  Tensor x = input({3, 4}, 2);
  check([](const Tensor& t) { return t.prod(); }, x);
  check([](const Tensor& t) { return t.prod(1); }, x);
  check([](const Tensor& t) { return t.prod(0, true); }, x);
  // One zero per row: first and second derivatives; two zeros in a row: first derivative.
  Tensor z1 = tensor({{2.0, 0.0, 3.0}, {1.5, 0.5, 0.0}}, {.dtype = kFloat64, .requires_grad = true});
  check([](const Tensor& t) { return t.prod(1); }, z1);
  check([](const Tensor& t) { return t.prod(0); }, z1);
  Tensor z2 = tensor({{0.0, 0.0, 3.0}, {1.5, 0.5, 2.0}}, {.dtype = kFloat64, .requires_grad = true});
  check([](const Tensor& t) { return t.prod(1); }, z2, false);
  check([](const Tensor& t) { return t.prod(); }, z2, false);

  testing::Golden g("reduction");
  Tensor z = g["z"].detach().requires_grad_();
  z.prod(1).sum().backward();
  EXPECT_TENSOR_CLOSE(z.grad(), g["z_prod1_grad"]);
  Tensor z0 = g["z"].detach().requires_grad_();
  z0.select(0, 0).prod().backward();
  EXPECT_TENSOR_CLOSE(z0.grad(), g["z_prod_row0_grad"]);
}

TEST(ReductionGrad, MaxMinAmaxAmin) {
  Tensor x = input({3, 4}, 3);
  check([](const Tensor& t) { return t.max(); }, x);
  check([](const Tensor& t) { return t.min(); }, x);
  check([](const Tensor& t) { return std::get<0>(t.max(1)); }, x);
  check([](const Tensor& t) { return std::get<0>(t.min(0, true)); }, x);
  check([](const Tensor& t) { return amax(t, {1}); }, x);
  check([](const Tensor& t) { return amin(t, {0, 1}, true); }, x);
  check([](const Tensor& t) { return std::get<0>(t.t().max(1)); }, x);
}

TEST(ReductionGrad, Norm) {
  Tensor x = input({3, 4}, 4);
  for (double p : {2.0, 1.0, 3.0, 1.5, 0.5, double(INFINITY), -double(INFINITY), 0.0}) {
    SCOPED_TRACE("p = " + std::to_string(p));
    check([p](const Tensor& t) { return t.norm(p); }, x);
    check([p](const Tensor& t) { return t.norm(p, {1}); }, x);
    check([p](const Tensor& t) { return t.norm(p, {0}, true); }, x);
  }
  // A zero row: the gradient there is 0, not NaN.
  Tensor z = zeros({2, 3}, {.dtype = kFloat64, .requires_grad = true});
  z.norm(2, {1}).sum().backward();
  EXPECT_EQ(z.grad().tolist<double>(), std::vector<double>(6, 0.0));
}

TEST(ReductionGrad, LogsumexpAndCumsum) {
  Tensor x = input({3, 4}, 5);
  check([](const Tensor& t) { return t.logsumexp({1}); }, x);
  check([](const Tensor& t) { return t.logsumexp({0, 1}, true); }, x);
  check([](const Tensor& t) { return (t * 50.0).logsumexp({0}); }, x);
  check([](const Tensor& t) { return t.cumsum(0); }, x);
  check([](const Tensor& t) { return t.cumsum(-1); }, x);
  check([](const Tensor& t) { return t.t().cumsum(1); }, x);
}

TEST(ReductionGrad, NodeNamesMatchPyTorch) {
  Tensor x = input({3, 4}, 6);
  EXPECT_EQ(x.mean().grad_fn()->name(), "MeanBackward0");
  EXPECT_EQ(x.mean({1}).grad_fn()->name(), "MeanBackward1");
  EXPECT_EQ(x.var().grad_fn()->name(), "VarBackward0");
  EXPECT_EQ(x.std({1}).grad_fn()->name(), "StdBackward0");
  EXPECT_EQ(x.prod().grad_fn()->name(), "ProdBackward0");
  EXPECT_EQ(x.prod(1).grad_fn()->name(), "ProdBackward1");
  EXPECT_EQ(x.max().grad_fn()->name(), "MaxBackward1");
  EXPECT_EQ(std::get<0>(x.max(1)).grad_fn()->name(), "MaxBackward0");
  EXPECT_EQ(x.min().grad_fn()->name(), "MinBackward1");
  EXPECT_EQ(std::get<0>(x.min(1)).grad_fn()->name(), "MinBackward0");
  EXPECT_EQ(amax(x, {1}).grad_fn()->name(), "AmaxBackward0");
  EXPECT_EQ(amin(x, {1}).grad_fn()->name(), "AminBackward0");
  EXPECT_EQ(x.norm().grad_fn()->name(), "NormBackward1");
  EXPECT_EQ(x.norm(3, {1}).grad_fn()->name(), "NormBackward1");
  EXPECT_EQ(x.logsumexp({1}).grad_fn()->name(), "LogsumexpBackward0");
  EXPECT_EQ(x.cumsum(1).grad_fn()->name(), "CumsumBackward0");
  EXPECT_FALSE(std::get<1>(x.max(1)).requires_grad());
  EXPECT_FALSE(x.argmax().requires_grad());
  EXPECT_FALSE(x.all().requires_grad());
}

}  // namespace
}  // namespace wick

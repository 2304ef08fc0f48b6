// The backward engine: hand-computed gradients, accumulation, retain_graph, autograd::grad,
// hooks, retain_grad, version-counter errors and double backward.
#include <gtest/gtest.h>

#include <cmath>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;

TEST(Engine, ChainAndBroadcastGradients) {
  // y = sum((a * b + a) / 2) with b broadcast over rows: dy/da = (b + 1) / 2, dy/db = sum_rows(a) / 2.
  Tensor a = tensor({{1.0, 2.0}, {3.0, 4.0}}, {.dtype = kFloat64, .requires_grad = true});
  Tensor b = tensor({10.0, 20.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor y = ((a * b + a) / 2.0).sum();
  EXPECT_DOUBLE_EQ(y.item<double>(), (11 + 42 + 33 + 84) / 2.0);
  y.backward();
  EXPECT_EQ(a.grad().tolist<double>(), (std::vector<double>{5.5, 10.5, 5.5, 10.5}));
  EXPECT_EQ(b.grad().tolist<double>(), (std::vector<double>{2.0, 3.0}));
  EXPECT_EQ(y.grad_fn()->name(), "SumBackward0");
  EXPECT_TRUE(a.is_leaf());
  EXPECT_FALSE(y.is_leaf());
}

TEST(Engine, GradientsAccumulateAcrossBackwardCalls) {
  Tensor x = tensor({3.0}, {.requires_grad = true});
  (x * x).sum().backward();
  (x * x).sum().backward();
  EXPECT_FLOAT_EQ(x.grad().item<float>(), 12.0f);
}

TEST(Engine, SharedSubexpressionSumsBothPaths) {
  Tensor x = tensor({2.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor h = x * x;          // used twice below
  Tensor y = (h * h + h).sum();  // dy/dx = (2h + 1) * 2x = 9 * 4 = 36
  y.backward();
  EXPECT_DOUBLE_EQ(x.grad().item<double>(), 36.0);
}

TEST(Engine, LongGraphsWithManyLeavesAndBranches) {
  // More nodes than the engine's first node table holds (it grows while collecting): a chain of
  // 300 ops over x plus 40 separate leaves, each used at a different step, and a diamond per step.
  Tensor x = tensor({1.0}, {.dtype = kFloat64, .requires_grad = true});
  std::vector<Tensor> leaves;
  Tensor y = x;
  for (int i = 0; i < 100; ++i) {
    if (i % 5 == 0) {
      leaves.push_back(tensor({0.5 + i}, {.dtype = kFloat64, .requires_grad = true}));
      y = y + leaves.back();
    }
    Tensor h = y * 0.5;
    y = h + h * 0.5;  // dy/dy_prev = 0.75
  }
  y.sum().backward();
  EXPECT_NEAR(x.grad().item<double>(), std::pow(0.75, 100), 1e-20);
  for (size_t k = 0; k < leaves.size(); ++k)  // leaf k enters before step 5k
    EXPECT_NEAR(leaves[k].grad().item<double>(), std::pow(0.75, 100 - 5 * static_cast<int>(k)), 1e-12);
  // autograd::grad from the same kind of graph, asking for two leaves out of many:
  // z <- z * w_i + c, so dz/dx = prod(w) and dz/dc = sum over steps of the product of later w's.
  Tensor z = x;
  double dx = 1.0, dc = 0.0;
  for (int i = 0; i < 100; ++i) {
    const Tensor& w = leaves[i % 40 == 0 ? 0 : 1];
    z = z * w + leaves[2];
    dx *= w.item<double>();
    dc = dc * w.item<double>() + 1.0;
  }
  variable_list g = autograd::grad({z.sum()}, {leaves[2], x});
  EXPECT_NEAR(g[0].item<double>(), dc, 1e-12 * dc);
  EXPECT_NEAR(g[1].item<double>(), dx, 1e-12 * dx);
  EXPECT_NEAR(x.grad().item<double>(), std::pow(0.75, 100), 1e-20);  // grad() left .grad alone
}

TEST(Engine, SecondBackwardWithoutRetainGraphThrows) {
  Tensor x = tensor({1.0, 2.0}, {.requires_grad = true});
  Tensor y = (x * x).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  EXPECT_FLOAT_EQ(x.grad().tolist<float>()[1], 8.0f);
  try {
    y.backward();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("backward through the graph a second time"), std::string::npos);
  }
}

TEST(Engine, BackwardErrors) {
  Tensor x = tensor({1.0, 2.0}, {.requires_grad = true});
  Tensor y = x * 2.0;
  EXPECT_THROW(y.backward(), Error);  // not a scalar
  Tensor c = tensor({1.0});
  EXPECT_THROW(c.backward(), Error);  // does not require grad
  EXPECT_THROW(y.backward(ones({3})), Error);  // wrong gradient shape
  y.backward(tensor({1.0, 0.5}));
  EXPECT_EQ(x.grad().tolist<float>(), (std::vector<float>{2.0f, 1.0f}));
}

TEST(Engine, AutogradGradDoesNotTouchDotGrad) {
  Tensor x = tensor({1.0, 2.0, 3.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor w = tensor({4.0, 5.0, 6.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor y = (x * w).sum();
  variable_list g = autograd::grad({y}, {x});
  EXPECT_EQ(g[0].tolist<double>(), (std::vector<double>{4, 5, 6}));
  EXPECT_FALSE(x.grad().defined());
  EXPECT_FALSE(w.grad().defined());
  Tensor unused = tensor({1.0}, {.requires_grad = true});
  Tensor y2 = (x * w).sum();
  EXPECT_THROW(autograd::grad({y2}, {unused}), Error);
  Tensor y3 = (x * w).sum();
  EXPECT_FALSE(autograd::grad({y3}, {unused}, {}, std::nullopt, false, /*allow_unused=*/true)[0].defined());
}

TEST(Engine, DoubleBackwardThroughMul) {
  // y = x^3 as x*x*x: dy/dx = 3x^2, d2y/dx2 = 6x.
  Tensor x = tensor({2.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor y = (x * x * x).sum();
  Tensor dx = autograd::grad({y}, {x}, {}, std::nullopt, /*create_graph=*/true)[0];
  EXPECT_DOUBLE_EQ(dx.item<double>(), 12.0);
  EXPECT_TRUE(dx.requires_grad());
  dx.sum().backward();
  EXPECT_DOUBLE_EQ(x.grad().item<double>(), 12.0);
}

TEST(Engine, TensorHooksSeeAndReplaceGradients) {
  Tensor x = tensor({1.0, 2.0}, {.requires_grad = true});
  Tensor h = x * 3.0;
  std::vector<float> seen;
  auto handle = h.register_hook([&](const Tensor& g) { seen = g.tolist<float>(); });
  x.register_hook([](const Tensor& g) { return g * 10.0; });
  h.retain_grad();
  (h * h).sum().backward();
  EXPECT_EQ(seen, (std::vector<float>{6.0f, 12.0f}));
  EXPECT_EQ(h.grad().tolist<float>(), (std::vector<float>{6.0f, 12.0f}));
  EXPECT_EQ(x.grad().tolist<float>(), (std::vector<float>{180.0f, 360.0f}));  // 2h * 3 * 10
  handle.remove();
  seen.clear();
  x.set_grad(Tensor());
  Tensor h2 = x * 3.0;
  h2.sum().backward();
  EXPECT_TRUE(seen.empty());
}

TEST(Engine, InplaceChangeOfSavedTensorIsRefused) {
  Tensor a = tensor({1.0, 2.0}, {.requires_grad = true});
  Tensor b = a * 2.0;
  Tensor c = b * b;  // saves b
  b.add_(1.0);
  try {
    c.sum().backward();
    FAIL() << "expected the version-counter error";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("modified by an inplace operation"), std::string::npos) << msg;
    EXPECT_NE(msg.find("is at version 1; expected version 0"), std::string::npos) << msg;
  }
}

TEST(Engine, InplaceOnLeafRequiringGradIsRefused) {
  Tensor a = tensor({1.0}, {.requires_grad = true});
  EXPECT_THROW(a.add_(1.0), Error);
  {
    NoGradGuard ng;
    a.add_(1.0);  // allowed without grad mode, as torch.no_grad()
  }
  EXPECT_FLOAT_EQ(a.item<float>(), 2.0f);
}

TEST(Engine, InplaceOpsAreDifferentiable) {
  Tensor a = tensor({1.0, 2.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor w = tensor({3.0, 4.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor b = a * 1.0;
  b.mul_(w);   // b = a * w
  b.add_(a, 2.0);  // b = a * w + 2a
  b.sum().backward();
  EXPECT_EQ(a.grad().tolist<double>(), (std::vector<double>{5, 6}));
  EXPECT_EQ(w.grad().tolist<double>(), (std::vector<double>{1, 2}));
}

TEST(Engine, NoGradGuardStopsRecording) {
  Tensor a = tensor({1.0}, {.requires_grad = true});
  Tensor b;
  {
    NoGradGuard ng;
    b = a * 2.0;
    {
      EnableGradGuard eg;
      EXPECT_TRUE((a * 2.0).requires_grad());
    }
  }
  EXPECT_FALSE(b.requires_grad());
  EXPECT_TRUE(b.is_leaf());
  Tensor d = (a * 2.0).detach();
  EXPECT_FALSE(d.requires_grad());
}

struct MulConst : autograd::Function<MulConst> {
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x, double k) {
    ctx->saved_data["k"] = k;
    ctx->save_for_backward({x});
    return x * k;
  }
  static variable_list backward(autograd::AutogradContext* ctx, const variable_list& g) {
    double k = std::any_cast<double>(ctx->saved_data["k"]);
    return {g[0] * k};
  }
};

TEST(Engine, CustomFunction) {
  Tensor x = tensor({1.0, 2.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor y = MulConst::apply(x, 3.0);
  EXPECT_EQ(y.tolist<double>(), (std::vector<double>{3, 6}));
  EXPECT_EQ(y.grad_fn()->name(), "MulConstBackward");
  y.sum().backward();
  EXPECT_EQ(x.grad().tolist<double>(), (std::vector<double>{3, 3}));
  auto r = autograd::gradcheck([](const variable_list& in) { return MulConst::apply(in[0], 1.5); },
                               {randn({3}, {.dtype = kFloat64, .requires_grad = true})});
  EXPECT_TRUE(r) << r.message;
}

TEST(Gradcheck, PassesForCorrectAndFailsForWrongBackward) {
  Tensor a = randn({2, 3}, {.dtype = kFloat64, .requires_grad = true});
  Tensor b = randn({3}, {.dtype = kFloat64, .requires_grad = true});
  auto ok = autograd::gradcheck([](const variable_list& in) { return in[0] * in[1] / (in[1] * in[1] + 1.0); }, {a, b},
                                {.check_grad_grad = true});
  EXPECT_TRUE(ok) << ok.message;

  struct WrongSquare : autograd::Function<WrongSquare> {
    static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
      ctx->save_for_backward({x});
      return x * x;
    }
    static variable_list backward(autograd::AutogradContext* ctx, const variable_list& g) {
      return {g[0] * ctx->get_saved_variables()[0]};  // missing factor 2
    }
  };
  auto bad = autograd::gradcheck([](const variable_list& in) { return WrongSquare::apply(in[0]); }, {b});
  EXPECT_FALSE(bad);
  EXPECT_NE(bad.message.find("Jacobian mismatch"), std::string::npos);
}

}  // namespace
}  // namespace wick

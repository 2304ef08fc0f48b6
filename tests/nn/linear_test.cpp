// Linear, Bilinear, Identity, Flatten and Unflatten: goldens from PyTorch (output, input and
// parameter gradients), gradchecks, default init bounds, state_dict keys and shape errors.
#include <gtest/gtest.h>

#include <cmath>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

TEST(NnLinear, MatchesPyTorch) {
  testing::Golden gold("nn_activations");
  for (DType dt : {kFloat64, kFloat32}) {
    double rtol = dt == kFloat64 ? 1e-10 : 1e-5, atol = dt == kFloat64 ? 1e-12 : 1e-6;
    nn::Linear m(3, 4, {.dtype = dt});
    {
      NoGradGuard ng;
      m->weight.copy_(gold["lin_w"]);
      m->bias.copy_(gold["lin_b"]);
    }
    Tensor x = gold["lin_x"].to(dt).detach().requires_grad_();
    Tensor y = m(x);
    (y * gold["lin_g"].to(dt)).sum().backward();
    auto d = [](const Tensor& t) { return t.detach().to(kFloat64); };
    EXPECT_TENSOR_CLOSE(d(y), gold["lin_out"], rtol, atol);
    EXPECT_TENSOR_CLOSE(d(x.grad()), gold["lin_gx"], rtol, atol);
    EXPECT_TENSOR_CLOSE(d(m->weight.grad()), gold["lin_gw"], rtol, atol);
    EXPECT_TENSOR_CLOSE(d(m->bias.grad()), gold["lin_gb"], rtol, atol);
  }
}

// PyTorch 1.13's nodes: the bias goes into addmm for a matrix input and a contiguous 3-d input
// (folded to a matrix, then viewed back), and is added after the product otherwise.
TEST(NnLinear, NodeNamesAsPyTorch) {
  nn::Linear m(3, 4);
  auto node = [&](const Tensor& x) { return m(x).grad_fn()->name(); };
  EXPECT_EQ(node(randn({2, 3})), "AddmmBackward0");
  EXPECT_EQ(node(randn({5, 2, 3})), "ViewBackward0");
  EXPECT_EQ(node(randn({3})), "AddBackward0");
  EXPECT_EQ(node(randn({2, 3, 5}).transpose(1, 2)), "AddBackward0");
  // The folded 3-d input gives the values and gradients of the unfused form (a batched matmul,
  // then the bias added: the path PyTorch takes for a non-contiguous input), in float64.
  Tensor x = randn({5, 2, 3}, {.dtype = kFloat64, .requires_grad = true});
  Tensor w = randn({4, 3}, {.dtype = kFloat64, .requires_grad = true});
  Tensor b = randn({4}, {.dtype = kFloat64, .requires_grad = true});
  Tensor g = randn({5, 2, 4}, {.dtype = kFloat64});
  Tensor y = F::linear(x, w, b);
  EXPECT_EQ(y.grad_fn()->name(), "ViewBackward0");
  (y * g).sum().backward();
  const Tensor gw = w.grad().clone(), gb = b.grad().clone(), gx = x.grad().clone();
  Tensor x2 = x.detach().requires_grad_(true), w2 = w.detach().requires_grad_(true),
         b2 = b.detach().requires_grad_(true);
  Tensor want = matmul(x2, w2.t()) + b2;
  EXPECT_TENSOR_CLOSE(y, want, 1e-12, 1e-12);
  (want * g).sum().backward();
  EXPECT_TENSOR_CLOSE(gw, w2.grad(), 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(gb, b2.grad(), 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(gx, x2.grad(), 1e-12, 1e-12);
}

TEST(NnLinear, BilinearMatchesPyTorch) {
  testing::Golden gold("nn_activations");
  for (DType dt : {kFloat64, kFloat32}) {
    double rtol = dt == kFloat64 ? 1e-10 : 1e-5, atol = dt == kFloat64 ? 1e-12 : 1e-6;
    nn::Bilinear m(3, 2, 4, {.dtype = dt});
    {
      NoGradGuard ng;
      m->weight.copy_(gold["bil_w"]);
      m->bias.copy_(gold["bil_b"]);
    }
    Tensor x1 = gold["bil_x1"].to(dt).detach().requires_grad_(),
           x2 = gold["bil_x2"].to(dt).detach().requires_grad_();
    Tensor y = m(x1, x2);
    (y * gold["bil_g"].to(dt)).sum().backward();
    auto d = [](const Tensor& t) { return t.detach().to(kFloat64); };
    EXPECT_TENSOR_CLOSE(d(y), gold["bil_out"], rtol, atol);
    EXPECT_TENSOR_CLOSE(d(x1.grad()), gold["bil_gx1"], rtol, atol);
    EXPECT_TENSOR_CLOSE(d(x2.grad()), gold["bil_gx2"], rtol, atol);
    EXPECT_TENSOR_CLOSE(d(m->weight.grad()), gold["bil_gw"], rtol, atol);
    EXPECT_TENSOR_CLOSE(d(m->bias.grad()), gold["bil_gb"], rtol, atol);
  }
}

TEST(NnLinear, Gradcheck) {
  auto o = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  Tensor x = randn({2, 3}, o), w = randn({4, 3}, o), b = randn({4}, o);
  auto r = autograd::gradcheck(
      [](const autograd::variable_list& in) { return F::linear(in[0], in[1], in[2]); }, {x, w, b},
      {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor x1 = randn({2, 3}, o), x2 = randn({2, 2}, o), bw = randn({4, 3, 2}, o);
  r = autograd::gradcheck(
      [](const autograd::variable_list& in) { return F::bilinear(in[0], in[1], in[2], in[3]); },
      {x1, x2, bw, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  // Batched input (2, 2, 3) and no bias.
  Tensor xb = randn({2, 2, 3}, o);
  r = autograd::gradcheck([](const autograd::variable_list& in) { return F::linear(in[0], in[1]); },
                          {xb, w});
  EXPECT_TRUE(r) << r.message;
}

TEST(NnLinear, DefaultInitBoundsAndKeys) {
  manual_seed(0);
  nn::Linear m(200, 50);
  // kaiming_uniform_(a=sqrt(5)) on fan_in 200 gives bound 1/sqrt(200); the bias has the same bound.
  double bound = 1.0 / std::sqrt(200.0);
  EXPECT_LE(m->weight.abs().max().item<double>(), bound);
  EXPECT_GT(m->weight.abs().max().item<double>(), 0.95 * bound);
  EXPECT_LE(m->bias.abs().max().item<double>(), bound);
  // Uniform on [-b, b]: mean 0, std b / sqrt(3).
  EXPECT_NEAR(m->weight.mean().item<double>(), 0.0, 0.05 * bound);
  EXPECT_NEAR(m->weight.std().item<double>(), bound / std::sqrt(3.0), 0.03 * bound);
  EXPECT_EQ(m->weight.dtype(), kFloat32);
  EXPECT_TRUE(m->weight.requires_grad());
  EXPECT_EQ(m->state_dict().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(nn::Linear(3, 4, {.bias = false})->state_dict().keys(),
            (std::vector<std::string>{"weight"}));
  EXPECT_EQ(nn::Bilinear(3, 2, 4)->state_dict().keys(),
            (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(nn::Bilinear(3, 2, 4)->weight.sizes().vec(), (Shape{4, 3, 2}));
  nn::Bilinear bl(16, 2, 4);
  EXPECT_LE(bl->weight.abs().max().item<double>(), 0.25);
  EXPECT_LE(bl->bias.abs().max().item<double>(), 0.25);
  EXPECT_FALSE(nn::Linear(3, 4, {.bias = false})->bias.defined());
  EXPECT_EQ(nn::Linear(3, 4, {.dtype = kFloat64})->bias.dtype(), kFloat64);
  // A Linear in a Sequential runs on batched input.
  nn::Sequential seq(nn::Linear(3, 4), nn::ReLU(), nn::Linear(4, 2));
  EXPECT_EQ(seq->forward(zeros({5, 7, 3})).sizes().vec(), (Shape{5, 7, 2}));
}

TEST(NnLinear, ShapeErrorsNameTheModule) {
  nn::Linear m(784, 256);
  testing::expect_error(
      [&] {
        m(zeros({2, 10}));
      },
      "Linear(in_features=784, out_features=256, bias=True): expected input with last dimension "
      "784, got [2, 10]");
  nn::Bilinear b(3, 2, 4);
  testing::expect_error(
      [&] {
        b(zeros({5, 3}), zeros({5, 3}));
      },
      "Bilinear(in1_features=3, in2_features=2, out_features=4, bias=True): expected input2 with "
      "last dimension 2, got [5, 3]");
  testing::expect_error(
      [&] {
        F::bilinear(zeros({5, 3}), zeros({4, 2}), zeros({4, 3, 2}));
      },
      "bilinear(): input batch dimensions do not match: got [5, 3] and [4, 2]");
  testing::expect_error(
      [&] {
        F::bilinear(zeros({5, 3}), zeros({2}), zeros({4, 3, 2}));
      },
      "bilinear(): input dimensions do not match: got 2 and 1");
  testing::expect_error(
      [&] {
        F::linear(zeros({2, 3}), zeros({4, 5}));
      },
      "linear(): input and weight shapes cannot be multiplied");
  testing::expect_error(
      [&] {
        F::linear(zeros({2, 3}), zeros({4, 3}), zeros({5}));
      },
      "linear(): expected bias of shape [4], got [5]");
}

TEST(NnLinear, IdentityFlattenUnflatten) {
  Tensor x = arange(24.0).view({2, 3, 4});
  EXPECT_TRUE(nn::Identity()(x).is_same(x));
  EXPECT_EQ(nn::Flatten()(x).sizes().vec(), (Shape{2, 12}));
  EXPECT_EQ(nn::Flatten({.start_dim = 0, .end_dim = 1})(x).sizes().vec(), (Shape{6, 4}));
  EXPECT_EQ(nn::Unflatten(1, {3, 1})(x).sizes().vec(), (Shape{2, 3, 1, 4}));
  EXPECT_TRUE(nn::Flatten()(x).equal(x.reshape({2, 12})));
  EXPECT_THROW(nn::Flatten({.start_dim = 3})(x), Error);
  EXPECT_THROW(nn::Unflatten(2, {3, 2})(x), Error);
}

}  // namespace
}  // namespace wick

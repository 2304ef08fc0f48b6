// nn::init: calculate_gain against PyTorch's values, fan computation, and the statistics and
// structure of every initialiser (bounds, moments, Q^T Q = I, eye/dirac patterns, sparsity).
#include <gtest/gtest.h>

#include <cmath>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace init = nn::init;

TEST(NnInit, CalculateGainMatchesPyTorch) {
  // Values printed by torch.nn.init.calculate_gain in PyTorch 1.13.
  EXPECT_EQ(init::calculate_gain("linear"), 1.0);
  EXPECT_EQ(init::calculate_gain("conv2d"), 1.0);
  EXPECT_EQ(init::calculate_gain("conv_transpose3d"), 1.0);
  EXPECT_EQ(init::calculate_gain("sigmoid"), 1.0);
  EXPECT_DOUBLE_EQ(init::calculate_gain("tanh"), 1.6666666666666667);
  EXPECT_DOUBLE_EQ(init::calculate_gain("relu"), 1.4142135623730951);
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu"), 1.4141428569978354);
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu", 0.2), 1.3867504905630728);
  EXPECT_DOUBLE_EQ(init::calculate_gain("leaky_relu", std::sqrt(5.0)), 0.5773502691896257);
  EXPECT_EQ(init::calculate_gain("selu"), 0.75);
  testing::expect_error([] { init::calculate_gain("swish"); }, "Unsupported nonlinearity swish");
}

TEST(NnInit, FanInAndFanOut) {
  EXPECT_EQ(init::calculate_fan_in_and_fan_out(empty({4, 3})), (std::pair<int64_t, int64_t>{3, 4}));
  EXPECT_EQ(init::calculate_fan_in_and_fan_out(empty({8, 2, 3, 5})),
            (std::pair<int64_t, int64_t>{30, 120}));
  testing::expect_error(
      [] { init::xavier_uniform_(empty({5})); },
      "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  testing::expect_error(
      [] {
        init::kaiming_normal_(empty({4, 3}), {.mode = "fan_avg"});
      },
      "Mode fan_avg not supported, please use one of fan_in, fan_out");
}

// Uniform on [-b, b]: every value inside, the extremes close to b, std b/sqrt(3).
void expect_uniform(const Tensor& t, double b) {
  EXPECT_LE(t.abs().max().item<double>(), b);
  EXPECT_GT(t.abs().max().item<double>(), 0.97 * b);
  EXPECT_NEAR(t.mean().item<double>(), 0.0, 0.03 * b);
  EXPECT_NEAR(t.std().item<double>(), b / std::sqrt(3.0), 0.03 * b);
}

void expect_normal(const Tensor& t, double mean, double std) {
  EXPECT_NEAR(t.mean().item<double>(), mean, 0.03 * std);
  EXPECT_NEAR(t.std().item<double>(), std, 0.03 * std);
}

TEST(NnInit, RandomFillStatistics) {
  manual_seed(0);
  Tensor w = empty({100, 80});
  Tensor r = init::uniform_(w, -2.0, 3.0);
  EXPECT_TRUE(r.is_same(w));
  EXPECT_GE(w.min().item<double>(), -2.0);
  EXPECT_LE(w.max().item<double>(), 3.0);
  EXPECT_NEAR(w.mean().item<double>(), 0.5, 0.05);
  expect_normal(init::normal_(w, 1.5, 0.5), 1.5, 0.5);

  double xb = std::sqrt(6.0 / 180.0);
  expect_uniform(init::xavier_uniform_(w), xb);
  expect_uniform(init::xavier_uniform_(w, 2.0), 2 * xb);
  expect_normal(init::xavier_normal_(w), 0.0, std::sqrt(2.0 / 180.0));
  // kaiming: gain(leaky_relu, a) / sqrt(fan)
  expect_uniform(init::kaiming_uniform_(w),
                 std::sqrt(3.0) * init::calculate_gain("leaky_relu", 0.0) / std::sqrt(80.0));
  expect_uniform(init::kaiming_uniform_(w, {.a = std::sqrt(5.0)}), 1.0 / std::sqrt(80.0));
  expect_normal(init::kaiming_normal_(w, {.mode = "fan_out", .nonlinearity = "relu"}), 0.0,
                std::sqrt(2.0 / 100.0));

  Tensor t = init::trunc_normal_(empty({200, 100}, {.dtype = kFloat64}), 0.5, 1.0, -1.0, 2.0);
  EXPECT_GE(t.min().item<double>(), -1.0);
  EXPECT_LE(t.max().item<double>(), 2.0);
  EXPECT_LT(t.min().item<double>(), -0.98);
  EXPECT_GT(t.max().item<double>(), 1.98);
  // Mean of N(0.5, 1) truncated to [-1, 2] is 0.5 (symmetric): std = sqrt(1 -
  // 2*1.5*phi(1.5)/(2*Phi(1.5)-1)).
  EXPECT_NEAR(t.mean().item<double>(), 0.5, 0.02);
  double phi = std::exp(-1.125) / std::sqrt(2 * M_PI), z = std::erf(1.5 / std::sqrt(2.0));
  EXPECT_NEAR(t.std().item<double>(), std::sqrt(1 - 3.0 * phi / z), 0.02);

  // Reproducible from the seed and from an explicit generator.
  Generator g1(7), g2(7);
  EXPECT_TRUE(init::normal_(empty({5}), 0, 1, &g1).equal(init::normal_(empty({5}), 0, 1, &g2)));
}

TEST(NnInit, ParametersKeepNoHistory) {
  nn::Linear m(3, 4);
  init::kaiming_normal_(m->weight);
  init::zeros_(m->bias);
  EXPECT_TRUE(m->weight.is_leaf());
  EXPECT_TRUE(m->weight.requires_grad());
  EXPECT_EQ(m->bias.abs().sum().item<double>(), 0.0);
  init::ones_(m->bias);
  init::constant_(m->weight, 0.5);
  EXPECT_EQ(m->bias.sum().item<double>(), 4.0);
  EXPECT_EQ(m->weight.sum().item<double>(), 6.0);
}

TEST(NnInit, OrthogonalGivesOrthonormalRowsOrColumns) {
  for (Shape s : {Shape{6, 4}, Shape{4, 6}, Shape{5, 5}, Shape{3, 2, 2}}) {
    Tensor q = init::orthogonal_(empty(s, {.dtype = kFloat64}), 2.0).reshape({s[0], -1}) / 2.0;
    Tensor gram = s[0] >= q.size(1) ? q.t().matmul(q) : q.matmul(q.t());
    EXPECT_TENSOR_CLOSE(gram, eye(gram.size(0), std::nullopt, {.dtype = kFloat64}), 1e-12, 1e-12);
  }
  testing::expect_error([] { init::orthogonal_(empty({3})); },
                        "Only tensors with 2 or more dimensions are supported");
}

TEST(NnInit, EyeDiracSparse) {
  EXPECT_TRUE(init::eye_(empty({2, 3})).equal(tensor({{1.f, 0.f, 0.f}, {0.f, 1.f, 0.f}})));
  testing::expect_error(
      [] {
        init::eye_(empty({2, 3, 4}));
      },
      "Only tensors with 2 dimensions are supported");

  // dirac_ on a (4, 2, 3) conv1d weight with 2 groups: per group, out d sees in d at the centre
  // tap.
  Tensor d = init::dirac_(empty({4, 2, 3}), 2);
  Tensor want = zeros({4, 2, 3});
  for (int64_t g = 0; g < 2; ++g)
    for (int64_t k = 0; k < 2; ++k) want.index_put_({g * 2 + k, k, 1}, 1.0);
  EXPECT_TRUE(d.equal(want));
  // As a convolution it is the identity: summing over in-channels at the centre recovers them.
  Tensor d4 = init::dirac_(empty({3, 5, 3, 3}));
  EXPECT_EQ(d4.sum().item<double>(), 3.0);
  EXPECT_EQ(d4.index({Slice(), Slice(), 1, 1}).narrow(1, 0, 3).equal(eye(3)), true);
  testing::expect_error(
      [] {
        init::dirac_(empty({3, 3}));
      },
      "Only tensors with 3, 4, or 5 dimensions are supported");
  testing::expect_error(
      [] {
        init::dirac_(empty({3, 3, 3}), 2);
      },
      "dim 0 must be divisible by groups");

  manual_seed(1);
  Tensor s = init::sparse_(empty({10, 6}), 0.25, 0.5);
  // ceil(0.25 * 10) = 3 zeros in every column.
  EXPECT_EQ((s == 0).sum({0}).tolist<int64_t>(), (std::vector<int64_t>(6, 3)));
  testing::expect_error(
      [] {
        init::sparse_(empty({2, 3, 4}), 0.1);
      },
      "Only tensors with 2 dimensions are supported");
}

}  // namespace
}  // namespace wick

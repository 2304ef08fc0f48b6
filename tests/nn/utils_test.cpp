// nn::utils: clip_grad_norm_ (norm types 2, 1, 3, inf) and clip_grad_value_ against PyTorch 1.13,
// parameters_to_vector / vector_to_parameters round trips, and errors.
#include <gtest/gtest.h>

#include <limits>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::expect_error;
using testing::Golden;

std::vector<Tensor> params_with_grads(const Golden& gold) {
  std::vector<Tensor> ps;
  for (int i = 0; i < 3; ++i) {
    Tensor g = gold[std::string("g").append(std::to_string(i))];  // not "g" + ...: see packed_test
    Tensor p = zeros_like(g).requires_grad_();
    p.set_grad(g.clone());
    ps.push_back(p);
  }
  return ps;
}

TEST(NnUtils, ClipGradNormMatchesPyTorch) {
  Golden gold("optim_utils");
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& [name, nt] : std::vector<std::pair<std::string, double>>{{"2", 2.0}, {"1", 1.0}, {"3", 3.0}, {"inf", inf}}) {
    for (const auto& [mn, mn_s] : std::vector<std::pair<double, std::string>>{{1.5, "1.5"}, {1000.0, "1000"}}) {
      const std::string key = name + "_" + mn_s;
      SCOPED_TRACE(key);
      auto ps = params_with_grads(gold);
      Tensor total = nn::utils::clip_grad_norm_(ps, mn, nt);
      EXPECT_EQ(total.dim(), 0);
      EXPECT_TENSOR_CLOSE(total, gold["total_" + key], 1e-12, 1e-14);
      for (int i = 0; i < 3; ++i)
        EXPECT_TENSOR_CLOSE(ps[i].grad(), gold["clipped_" + key + "_" + std::to_string(i)], 1e-12, 1e-14);
    }
  }
}

TEST(NnUtils, ClipGradNormEdgeCases) {
  Tensor p = zeros({3}, {.requires_grad = true});
  EXPECT_EQ(nn::utils::clip_grad_norm_({p}, 1.0).item<double>(), 0.0);  // no gradients
  p.set_grad(tensor(std::vector<double>{3.0, 4.0, 0.0}).to(kFloat32));
  Tensor total = nn::utils::clip_grad_norm_(p, 1.0);
  EXPECT_NEAR(total.item<double>(), 5.0, 1e-6);
  EXPECT_NEAR(p.grad().norm().item<double>(), 1.0, 1e-5);
  p.set_grad(tensor(std::vector<double>{std::numeric_limits<double>::quiet_NaN(), 1.0, 0.0}).to(kFloat32));
  expect_error([&] { nn::utils::clip_grad_norm_(p, 1.0, 2.0, true); },
               "The total norm of order 2.0 for gradients from `parameters` is non-finite");
  EXPECT_NO_THROW(nn::utils::clip_grad_norm_(p, 1.0));
}

TEST(NnUtils, ClipGradValueMatchesPyTorch) {
  Golden gold("optim_utils");
  auto ps = params_with_grads(gold);
  ps.push_back(zeros({2}, {.requires_grad = true}));  // no gradient: skipped
  nn::utils::clip_grad_value_(ps, 0.3);
  for (int i = 0; i < 3; ++i) EXPECT_TENSOR_CLOSE(ps[i].grad(), gold["value_" + std::to_string(i)], 0, 0);
  EXPECT_FALSE(ps[3].grad().defined());
}

TEST(NnUtils, ParametersToVectorRoundTrip) {
  nn::Linear fc(3, 2);
  auto params = fc->parameters();
  Tensor v = nn::utils::parameters_to_vector(params);
  ASSERT_EQ(v.dim(), 1);
  ASSERT_EQ(v.numel(), 8);
  EXPECT_TRUE(equal(v.narrow(0, 0, 6), fc->weight.detach().reshape({-1})));
  EXPECT_TRUE(equal(v.narrow(0, 6, 2), fc->bias.detach()));
  Tensor w = fc->weight;
  nn::utils::vector_to_parameters(arange(8, {.dtype = kFloat32}), params);
  EXPECT_TRUE(w.is_same(fc->weight));  // in place
  EXPECT_TRUE(equal(fc->weight.detach(), arange(6, {.dtype = kFloat32}).view({2, 3})));
  EXPECT_TRUE(equal(fc->bias.detach(), tensor(std::vector<float>{6, 7})));
  expect_error([&] { nn::utils::vector_to_parameters(zeros({7}), params); },
               "vector_to_parameters: the vector has 7 elements, the parameters 8");
  expect_error([&] { nn::utils::vector_to_parameters(zeros({2, 4}), params); }, "expected a 1-d tensor");
}

}  // namespace
}  // namespace wick

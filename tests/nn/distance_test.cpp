// CosineSimilarity and PairwiseDistance against PyTorch goldens (outputs and both input
// gradients, with broadcasting and several p), gradchecks and printing.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>

#include "norm_test_util.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using Fn2 = std::function<Tensor(const Tensor&, const Tensor&)>;

using testing::str;

TEST(NnDistance, MatchesPyTorch) {
  testing::Golden gold("nn_distance");
  nn::CosineSimilarity cosm;
  nn::PairwiseDistance pd3({.p = 3.0, .keepdim = true});
  std::vector<std::tuple<std::string, std::string, Fn2>> cases = {
      {"cos", "b", [](const Tensor& a, const Tensor& b) { return F::cosine_similarity(a, b); }},
      {"cos0", "b", [](const Tensor& a, const Tensor& b) { return F::cosine_similarity(a, b, 0); }},
      {"cos_bcast", "b3",
       [](const Tensor& a, const Tensor& b) { return F::cosine_similarity(a, b, -1); }},
      {"pd", "b", [](const Tensor& a, const Tensor& b) { return F::pairwise_distance(a, b); }},
      {"pd1", "b",
       [](const Tensor& a, const Tensor& b) { return F::pairwise_distance(a, b, 1.0); }},
      {"pd3k", "b", [&](const Tensor& a, const Tensor& b) { return pd3(a, b); }},
      {"pd_bcast", "b3",
       [](const Tensor& a, const Tensor& b) { return F::pairwise_distance(a, b, 2.0, 1e-3); }},
      {"cos", "b", [&](const Tensor& a, const Tensor& b) { return cosm(a, b); }},
  };
  for (auto& [prefix, bkey, f] : cases) {
    for (DType dt : {kFloat64, kFloat32}) {
      SCOPED_TRACE(prefix + (dt == kFloat64 ? " float64" : " float32"));
      double rtol = dt == kFloat64 ? 1e-10 : 1e-5, atol = dt == kFloat64 ? 1e-12 : 2e-6;
      Tensor a = gold["a"].to(dt).clone().requires_grad_(),
             b = gold[bkey].to(dt).clone().requires_grad_();
      Tensor out = f(a, b);
      (out * gold[prefix + "_G"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[prefix + "_out"], rtol, atol);
      EXPECT_TENSOR_CLOSE(a.grad().to(kFloat64), gold[prefix + "_ga"], rtol, atol);
      EXPECT_TENSOR_CLOSE(b.grad().to(kFloat64), gold[prefix + "_gb"], rtol, atol);
    }
  }
}

TEST(NnDistance, GradcheckAndPrinting) {
  Tensor a = randn({3, 4}, {.dtype = kFloat64}).requires_grad_(),
         b = randn({3, 4}, {.dtype = kFloat64}).requires_grad_();
  auto r = autograd::gradcheck(
      [](const autograd::variable_list& v) { return F::cosine_similarity(v[0], v[1]); }, {a, b},
      {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  auto r2 = autograd::gradcheck(
      [](const autograd::variable_list& v) { return F::pairwise_distance(v[0], v[1], 3.0); },
      {a, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r2) << r2.message;
  EXPECT_EQ(str(nn::CosineSimilarity()), "CosineSimilarity()");
  EXPECT_EQ(str(nn::PairwiseDistance({.p = 3})), "PairwiseDistance()");
  EXPECT_THROW(F::cosine_similarity(randn({2, 3}), randn({4, 3})), Error);
}

}  // namespace
}  // namespace wick

// Dropout: statistics of the mask (keep rate, 1/(1-p) scaling, mean preserved), reproducibility
// under manual_seed, eval/p=0 identity, inplace, gradients (g * mask), printing and errors.
#include <gtest/gtest.h>

#include "norm_test_util.h"
#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

using testing::str;

TEST(NnDropout, KeepRateAndScale) {
  manual_seed(1);
  for (double p : {0.1, 0.5, 0.9}) {
    SCOPED_TRACE(p);
    Tensor x = ones({200000});
    Tensor y = F::dropout(x, p);
    Tensor kept = (y != 0).to(kFloat64).mean();
    // 200k Bernoulli draws: the standard error of the keep rate is below 0.0012.
    EXPECT_NEAR(kept.item<double>(), 1 - p, 0.006);
    Tensor nz = y.index({y != 0});
    EXPECT_TENSOR_CLOSE(nz, full_like(nz, 1 / (1 - p)), 1e-6, 0);
    EXPECT_NEAR(y.to(kFloat64).mean().item<double>(), 1.0, 0.06);
  }
}

TEST(NnDropout, ReproducibleUnderManualSeed) {
  Tensor x = randn({7, 13}, {.dtype = kFloat64});
  manual_seed(42);
  Tensor a = F::dropout(x, 0.3);
  Tensor b = F::dropout(x, 0.3);
  manual_seed(42);
  Tensor c = F::dropout(x, 0.3);
  EXPECT_TRUE(a.equal(c));
  EXPECT_FALSE(a.equal(b));  // the generator moved on
  // The same stream whatever the thread count (counter-based).
  int threads = get_num_threads();
  set_num_threads(1);
  manual_seed(7);
  Tensor big1 = F::dropout(ones({100003}), 0.5);
  set_num_threads(2);
  manual_seed(7);
  Tensor big2 = F::dropout(ones({100003}), 0.5);
  set_num_threads(threads);
  EXPECT_TRUE(big1.equal(big2));
}

TEST(NnDropout, IdentityWhenNotTrainingOrZeroP) {
  Tensor x = randn({3, 4});
  EXPECT_TRUE(F::dropout(x, 0.5, false).is_same(x));
  EXPECT_TRUE(F::dropout(x, 0.0).is_same(x));
  nn::Dropout m(0.5);
  m->eval();
  EXPECT_TRUE(m(x).is_same(x));
  m->train();
  manual_seed(3);
  EXPECT_FALSE(m(x).equal(x));
  // p = 1 drops everything.
  EXPECT_TRUE(F::dropout(x, 1.0).equal(zeros_like(x)));
}

TEST(NnDropout, GradientIsMaskTimesScale) {
  Tensor x = randn({6, 5}, {.dtype = kFloat64}).requires_grad_();
  manual_seed(5);
  Tensor y = F::dropout(x, 0.4);
  EXPECT_EQ(y.grad_fn()->name(), "NativeDropoutBackward0");
  Tensor g = randn({6, 5}, {.dtype = kFloat64});
  (y * g).sum().backward();
  Tensor mask = (y.detach() / x.detach());  // 0 or 1/(1-p)
  EXPECT_TENSOR_CLOSE(x.grad(), g * mask, 1e-12, 1e-12);
  // gradcheck with a fixed seed per evaluation (the mask must not change between calls).
  Tensor x2 = randn({3, 4}, {.dtype = kFloat64}).requires_grad_();
  auto r = autograd::gradcheck(
      [](const autograd::variable_list& in) {
        manual_seed(11);
        return F::dropout(in[0], 0.3);
      },
      {x2}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
}

TEST(NnDropout, Inplace) {
  manual_seed(9);
  Tensor x = ones({4, 8});
  Tensor y = F::dropout(x, 0.5, true, true);
  EXPECT_TRUE(y.is_same(x));
  EXPECT_GT((x == 0).sum().item<int64_t>(), 0);
  EXPECT_GT((x == 2).sum().item<int64_t>(), 0);
  // With autograd: a non-leaf is modified in place and gradients still flow through the mask.
  Tensor leaf = ones({4, 8}, {.dtype = kFloat64}).requires_grad_();
  Tensor h = leaf * 1.0;
  Tensor z = nn::Dropout({.p = 0.25, .inplace = true})(h);
  EXPECT_TRUE(z.is_same(h));
  z.sum().backward();
  EXPECT_TENSOR_CLOSE(leaf.grad(), h.detach(), 1e-12, 0);  // x = 1, so the gradient equals y
  EXPECT_THROW(F::dropout(leaf, 0.5, true, true), Error);  // a leaf that requires grad
  // A strided input dropped in place writes through the view.
  Tensor base = ones({4, 6});
  Tensor view = base.t();
  F::dropout(view, 0.5, true, true);
  EXPECT_GT((base == 0).sum().item<int64_t>(), 0);
}

TEST(NnDropout, PrintsAndErrors) {
  EXPECT_EQ(str(nn::Dropout()), "Dropout(p=0.5, inplace=False)");
  EXPECT_EQ(str(nn::Dropout(0.5)), "Dropout(p=0.5, inplace=False)");
  EXPECT_EQ(str(nn::Dropout(0)), "Dropout(p=0, inplace=False)");
  EXPECT_EQ(str(nn::Dropout({.p = 0.2, .inplace = true})), "Dropout(p=0.2, inplace=True)");
  EXPECT_EQ(str(nn::Dropout({.p = 0.5, .inplace = false})), "Dropout(p=0.5, inplace=False)");
  EXPECT_TRUE(nn::Dropout(0.1)->state_dict().keys().empty());
  testing::expect_error([] { nn::Dropout(1.5); },
                        "dropout probability has to be between 0 and 1, but got 1.5");
  testing::expect_error([] { F::dropout(ones({2}), -0.1); },
                        "dropout probability has to be between 0 and 1, but got -0.1");
  testing::expect_error(
      [] {
        F::dropout(tensor({1, 2}), 0.5);
      },
      "expected a float32 or float64 input");
}

TEST(NnDropout, ChannelDropoutZeroesWholeChannels) {
  manual_seed(2);
  Tensor x = ones({8, 16, 3, 5});
  Tensor y = nn::Dropout2d(0.5)(x);
  // Each (n, c) plane is all 0 or all 2.
  Tensor planes = y.flatten(2);  // (8, 16, 15)
  Tensor lo = std::get<0>(planes.min(2)), hi = std::get<0>(planes.max(2));
  EXPECT_TRUE(lo.equal(hi));
  double kept = (lo != 0).to(kFloat64).mean().item<double>();
  EXPECT_GT(kept, 0.3);
  EXPECT_LT(kept, 0.7);
  EXPECT_TRUE(lo.index({lo != 0}).equal(full({(lo != 0).sum().item<int64_t>()}, 2.0f)));
  // Unbatched (C, L) for dropout1d and (C, D, H, W) for dropout3d.
  Tensor u = F::dropout1d(ones({32, 6}), 0.5);
  EXPECT_TRUE(std::get<0>(u.min(1)).equal(std::get<0>(u.max(1))));
  Tensor v = F::dropout3d(ones({2, 8, 2, 2, 2}), 0.5);
  EXPECT_TRUE(std::get<0>(v.flatten(2).min(2)).equal(std::get<0>(v.flatten(2).max(2))));
  // Gradient is the same mask.
  Tensor xg = randn({2, 3, 4}, {.dtype = kFloat64}).requires_grad_();
  Tensor yg = F::dropout1d(xg, 0.5);
  yg.sum().backward();
  EXPECT_TENSOR_CLOSE(xg.grad() * xg.detach(), yg.detach(), 1e-12, 1e-12);
  testing::expect_error(
      [] {
        F::dropout1d(ones({2, 3, 4, 5}), 0.5);
      },
      "dropout1d: Expected 2D or 3D input, but received a 4D input.");
  testing::expect_error([] { F::dropout2d(ones({2, 3}), 0.5); }, "Expected 3D or 4D input");
  EXPECT_TRUE(F::dropout2d(ones({2, 3, 4, 4}), 1.0).equal(zeros({2, 3, 4, 4})));
}

TEST(NnDropout, AlphaDropoutKeepsMeanAndVariance) {
  manual_seed(4);
  Tensor x = randn({400000}, {.dtype = kFloat64});
  Tensor y = F::alpha_dropout(x, 0.2, true);
  EXPECT_NEAR(y.mean().item<double>(), 0.0, 0.01);
  EXPECT_NEAR(y.std().item<double>(), 1.0, 0.01);
  // Dropped entries all take one value: a * (-alpha') + b.
  EXPECT_TRUE(F::alpha_dropout(x, 0.2).is_same(x));  // training defaults to false
  nn::AlphaDropout m(0.2);
  EXPECT_FALSE(m(x).equal(x));
  Tensor fx = randn({64, 32, 5}, {.dtype = kFloat64});
  Tensor fy = nn::FeatureAlphaDropout(0.3)(fx);
  // A dropped channel is constant.
  Tensor planes_lo = std::get<0>(fy.min(2)), planes_hi = std::get<0>(fy.max(2));
  int64_t constant = planes_lo.eq(planes_hi).sum().item<int64_t>();
  EXPECT_GT(constant, 64 * 32 / 10);
  EXPECT_LT(constant, 64 * 32 / 2);
  Tensor xg = randn({3, 4}, {.dtype = kFloat64}).requires_grad_();
  auto r = autograd::gradcheck(
      [](const autograd::variable_list& in) {
        manual_seed(13);
        return F::alpha_dropout(in[0], 0.4, true);
      },
      {xg});
  EXPECT_TRUE(r) << r.message;
}

TEST(NnDropout, VariantsPrint) {
  EXPECT_EQ(str(nn::Dropout1d(0.1)), "Dropout1d(p=0.1, inplace=False)");
  EXPECT_EQ(str(nn::Dropout2d()), "Dropout2d(p=0.5, inplace=False)");
  EXPECT_EQ(str(nn::Dropout3d({.inplace = true})), "Dropout3d(p=0.5, inplace=True)");
  EXPECT_EQ(str(nn::AlphaDropout(0.2)), "AlphaDropout(p=0.2, inplace=False)");
  EXPECT_EQ(str(nn::FeatureAlphaDropout()), "FeatureAlphaDropout(p=0.5, inplace=False)");
}

}  // namespace
}  // namespace wick

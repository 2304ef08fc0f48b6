// src/cpu/fast_math.h, the branch-free float exp / sigmoid / tanh behind the fused softmax, cross
// entropy and LSTM cell kernels, against the double std functions: a few ulp over the range
// (relative, so sigmoid's far tail counts too), exact 0 / 1 / -1 and NaN where they must be, and
// tanh's gradient 1 - tanh^2 near saturation.
#include "../src/cpu/fast_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace wick {
namespace {

namespace fm = cpu::fast_math;

// |got - want| within `ulps` float ulps of want (float's smallest normal as the floor).
void expect_ulps(float got, double want, double ulps, float x) {
  const double ulp = std::max(std::abs(want), double{std::numeric_limits<float>::min()}) *
                     std::numeric_limits<float>::epsilon();
  EXPECT_LE(std::abs(static_cast<double>(got) - want), ulps * ulp) << "at x = " << x;
}

TEST(FastMath, AccurateToAFewUlpAcrossTheRange) {
  for (int i = 0; i <= 400000; ++i) {
    const float x = -100.0f + 0.0005f * static_cast<float>(i);
    const double xd = x;
    if (x <= 0.0f && x > -87.0f) expect_ulps(fm::exp_nonpositive(x), std::exp(xd), 2, x);
    if (x > -87.0f) expect_ulps(fm::sigmoid(x), 1.0 / (1.0 + std::exp(-xd)), 3, x);
    expect_ulps(fm::tanh(x), std::tanh(xd), 3, x);
  }
  // Small arguments, where tanh(x) ~ x.
  for (float x : {1e-30f, -3e-8f, 1e-4f, -0.3f, 0.6249f, 0.6251f})
    expect_ulps(fm::tanh(x), std::tanh(double{x}), 3, x);
}

TEST(FastMath, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity(),
              nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(fm::exp_nonpositive(-inf), 0.0f);
  EXPECT_EQ(fm::exp_nonpositive(-88.0f), 0.0f);  // below float's normal range: exactly 0
  EXPECT_EQ(fm::exp_nonpositive(0.0f), 1.0f);
  EXPECT_TRUE(std::isnan(fm::exp_nonpositive(nan)));
  EXPECT_EQ(fm::sigmoid(-inf), 0.0f);
  EXPECT_EQ(fm::sigmoid(inf), 1.0f);
  EXPECT_EQ(fm::sigmoid(0.0f), 0.5f);
  EXPECT_TRUE(std::isnan(fm::sigmoid(nan)));
  EXPECT_EQ(fm::tanh(inf), 1.0f);
  EXPECT_EQ(fm::tanh(-inf), -1.0f);
  EXPECT_EQ(fm::tanh(50.0f), 1.0f);
  EXPECT_TRUE(std::isnan(fm::tanh(nan)));
  EXPECT_TRUE(std::signbit(fm::tanh(-0.0f)));
}

TEST(FastMath, TanhGradientNearSaturation) {
  // 1 - tanh(x)^2 keeps a few digits up to |x| = 8 only if tanh is within an ulp of 1 there.
  for (float x : {3.0f, 5.0f, 7.0f, 8.0f, -6.5f}) {
    const double t = fm::tanh(x), want = 1.0 - std::tanh(double{x}) * std::tanh(double{x});
    EXPECT_NEAR(1.0 - t * t, want, 1.2e-7) << x;
  }
}

}  // namespace
}  // namespace wick

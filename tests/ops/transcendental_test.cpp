// The vectorised float32 exp/sigmoid/tanh path (src/cpu/transcendental.cpp) against the same
// functions computed in float64: large contiguous tensors over the whole float range, blocks with
// -inf/NaN/huge values (exp takes a scalar path there), in-place use, and tanh's gradient
// 1 - tanh^2 near saturation, where a few ulp of error in tanh would ruin it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "wick/backend/backend.h"
#include "wick/wick.h"

namespace wick {
namespace {

// 5000 values from -100 to 100 (so every block but the middle ones holds |x| > 87).
Tensor wide_range() { return linspace(-100.0, 100.0, 5000); }
// 5000 values in [-20, 20]: every block takes the vectorised path.
Tensor tame_range() { return linspace(-20.0, 20.0, 5000); }

void expect_matches_double(const Tensor& y32, const Tensor& y64, double rtol, double atol) {
  auto a = y32.to(kFloat64).tolist<double>();
  auto b = y64.to(kFloat32).to(kFloat64).tolist<double>();  // overflow to inf as float does
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(b[i])) {
      EXPECT_TRUE(std::isnan(a[i])) << i;
      continue;
    }
    if (a[i] == b[i]) continue;  // equal infinities included
    EXPECT_NEAR(a[i], b[i], atol + rtol * std::abs(b[i])) << "at " << i;
  }
}

TEST(Transcendental, Float32MatchesFloat64AcrossTheRange) {
  for (const Tensor& x : {wide_range(), tame_range()}) {
    Tensor x32 = x.to(kFloat32), x64 = x32.to(kFloat64);
    // Results below float's smallest normal may flush to zero.
    const double tiny = std::numeric_limits<float>::min();
    expect_matches_double(x32.exp(), x64.exp(), 5e-7, tiny);
    expect_matches_double(x32.sigmoid(), x64.sigmoid(), 5e-7, tiny);
    expect_matches_double(x32.tanh(), x64.tanh(), 5e-7, 1e-9);
  }
}

TEST(Transcendental, SpecialValuesGiveExactResults) {
  const float inf = std::numeric_limits<float>::infinity(),
              nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = zeros({3000});
  x.index_put_({0}, -inf);
  x.index_put_({1}, nan);
  x.index_put_({2}, inf);
  Tensor e = x.exp(), s = x.sigmoid(), t = x.tanh();
  EXPECT_EQ(e[0].item<float>(), 0.0f);  // not Eigen's clamped 1e-39
  EXPECT_TRUE(std::isnan(e[1].item<float>()));
  EXPECT_EQ(e[2].item<float>(), inf);
  EXPECT_EQ(s[0].item<float>(), 0.0f);
  EXPECT_EQ(s[2].item<float>(), 1.0f);
  EXPECT_TRUE(std::isnan(t[1].item<float>()));
  EXPECT_EQ(t[0].item<float>(), -1.0f);
  EXPECT_EQ(e[2999].item<float>(), 1.0f);
  EXPECT_EQ(t[2999].item<float>(), 0.0f);
}

TEST(Transcendental, InPlaceEqualsOutOfPlace) {
  Tensor x = wide_range().to(kFloat32);
  Tensor want = x.tanh();
  // The backend call with out aliasing x, as an in-place op would make it.
  Tensor y = x.clone();
  backend_for(y).unary(UnaryOp::Tanh, y, y);
  EXPECT_TRUE(y.equal(want));
  Tensor z = x.clone();
  backend_for(z).unary(UnaryOp::Exp, z, z);
  EXPECT_TRUE(z.equal(x.exp()));
}

TEST(Transcendental, TanhGradientNearSaturation) {
  // 1 - tanh(x)^2 for x in [3, 8]: about 1e-2 down to 5e-7; float32 tanh correct to an ulp of 1
  // keeps it within 1.2e-7 absolute.
  Tensor x32 = linspace(3.0, 8.0, 2048).to(kFloat32).requires_grad_(true);
  x32.tanh().sum().backward();
  Tensor x64 = linspace(3.0, 8.0, 2048).to(kFloat32).to(kFloat64);
  Tensor want = 1.0 - x64.tanh() * x64.tanh();
  expect_matches_double(x32.grad(), want, 0.0, 2.5e-7);
}

}  // namespace
}  // namespace wick

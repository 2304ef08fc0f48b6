// Branch-free float exp (for arguments <= 0), sigmoid and tanh, accurate to a few ulp, that GCC
// vectorises in plain loops; the double overloads are the std functions. The including file must
// turn off trapping math (`#pragma GCC optimize("no-trapping-math")` before its includes): while FP
// exceptions are observable GCC will not if-convert the selects, and no loop over them vectorises
// (Wick never unmasks FP exceptions).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace wick::cpu::fast_math {

// exp(x) for x <= 0 (arguments are x - rowmax), to about 1 ulp: Cephes' expf (round to the nearest
// power of two, degree-5 polynomial in the remainder). Branch-free, so loops over it vectorise.
// Below about -87.7 (where exp(x) is under FLT_MIN) the result is exactly 0, as a masked (-inf)
// entry of a softmax needs: -88 rounds to n = -127, whose power of two is +0. A NaN stays NaN.
inline float exp_nonpositive(float x) {
  x = x < -88.0f ? -88.0f : x;
  // n = round(x / ln 2) by the 1.5 * 2^23 trick: n sits in shifted's low mantissa bits, so 2^n is
  // built from them (no float to int conversion, which a NaN would make undefined).
  const float shifted = x * 1.44269504088896341f + 12582912.0f;
  const float n = shifted - 12582912.0f;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  const uint32_t biased =
      std::bit_cast<uint32_t>(shifted) - std::bit_cast<uint32_t>(12582912.0f) + 127u;
  return y * std::bit_cast<float>(biased << 23);
}
inline double exp_nonpositive(double x) { return std::exp(x); }

// sigmoid(x) = 1 / (1 + exp(-x)), from exp(-|x|) so that the exp never overflows: for x < 0 it is
// exp(x) / (1 + exp(x)), which keeps its relative accuracy far into the tail.
inline float sigmoid(float x) {
  const float e = exp_nonpositive(-std::abs(x));
  const float r = 1.0f / (1.0f + e);
  return x >= 0.0f ? r : e * r;
}
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// tanh: Cephes' odd polynomial below |x| = 0.625, else (1 - e) / (1 + e) with e = exp(-2|x|),
// accurate to an ulp of 1 near saturation (where 1 - tanh^2, its gradient, needs it).
inline float tanh(float x) {
  const float a = std::abs(x), z = a * a;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  p = p * z * a + a;
  const float e = exp_nonpositive(-2.0f * a);
  // Both on |x|, the sign put back last (so tanh(-0) is -0).
  return std::copysign(a < 0.625f ? p : (1.0f - e) / (1.0f + e), x);
}
inline double tanh(double x) { return std::tanh(x); }

}  // namespace wick::cpu::fast_math

// Row pieces shared by the fused softmax (softmax.cpp) and cross entropy (cross_entropy.cpp)
// kernels over contiguous rows of c values: a vectorisable exp for arguments <= 0, the row max and
// log-sum-exp with independent lanes, and rows split over threads. The including file turns off
// trapping math (see cross_entropy.cpp), or GCC will not vectorise exp_nonpositive's clamp.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

#include "lane_sum.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu::softmax_rows {

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

// Lanes for the row reductions: independent accumulators the compiler maps to vector registers
// (a single running max or sum would be a serial dependency chain).
constexpr int kLanes = 16;

template <typename T>
T row_max(const T* x, int64_t c) {
  T acc[kLanes];
  std::fill(acc, acc + kLanes, -std::numeric_limits<T>::infinity());
  int64_t j = 0;
  for (; j + kLanes <= c; j += kLanes)
    for (int64_t l = 0; l < kLanes; ++l) acc[l] = acc[l] < x[j + l] ? x[j + l] : acc[l];
  T m = *std::max_element(acc, acc + kLanes);
  for (; j < c; ++j) m = m < x[j] ? x[j] : m;
  return m;
}

// sum(exp(x - m)) of one row, m its finite max.
template <typename T>
T row_sum_exp(const T* x, int64_t c, T m) {
  return lane_sum<T, kLanes>(c, [x, m](int64_t j) { return exp_nonpositive(x[j] - m); });
}

// log(sum(exp(x))) of one row; NaN anywhere gives NaN.
template <typename T>
T row_lse(const T* x, int64_t c) {
  const T m = row_max(x, c);
  if (std::isinf(m)) return m;  // all -inf (or a +inf): nothing finite to shift by
  return m + std::log(row_sum_exp(x, c, m));
}

// Runs body(first row, end row) over n rows of c values, in chunks of about kParallelGrain values
// over the pool when there is enough work.
inline void for_rows(int64_t n, int64_t c, const std::function<void(int64_t, int64_t)>& body) {
  if (n > 1 && n * c >= kParallelGrain)
    parallel_for(n, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(c, 1)), body);
  else
    body(0, n);
}

}  // namespace wick::cpu::softmax_rows

// Row pieces shared by the fused softmax (softmax.cpp) and cross entropy (cross_entropy.cpp)
// kernels over contiguous rows of c values: the row max and log-sum-exp with independent lanes
// (exp from fast_math.h), and rows split over threads. The including file turns off trapping math
// (see fast_math.h).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

#include "fast_math.h"
#include "lane_sum.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu::softmax_rows {

using fast_math::exp_nonpositive;

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

// Row reductions shared by the CPU norm kernels: sums in double over 8 independent lanes, so the
// compiler vectorises them (one accumulator is a serial chain that FP rules forbid reordering).
// Plain loops over contiguous rows; no threading here (the kernels split work across rows).
#pragma once

#include <cstdint>

#include "lane_sum.h"

namespace wick::cpu::norm {

constexpr int kLanes = 8;

// sum(r[j])
template <typename T>
double sum(const T* r, int64_t n) {
  return lane_sum<double, kLanes>(n, [r](int64_t j) { return static_cast<double>(r[j]); });
}

// sum((r[j] - mu)^2)
template <typename T>
double sum_sq_dev(const T* r, int64_t n, double mu) {
  return lane_sum<double, kLanes>(n, [r, mu](int64_t j) {
    const double d = static_cast<double>(r[j]) - mu;
    return d * d;
  });
}

// s_a += sum(a[j]), s_ab += sum(a[j] * (b[j] - mu))
template <typename T>
void sum_and_dot_dev(const T* a, const T* b, int64_t n, double mu, double& s_a, double& s_ab) {
  double acc_a[kLanes] = {}, acc_ab[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int k = 0; k < kLanes; ++k) {
      double av = static_cast<double>(a[j + k]);
      acc_a[k] += av;
      acc_ab[k] += av * (static_cast<double>(b[j + k]) - mu);
    }
  for (; j < n; ++j) {
    double av = static_cast<double>(a[j]);
    s_a += av;
    s_ab += av * (static_cast<double>(b[j]) - mu);
  }
  for (int k = 0; k < kLanes; ++k) {
    s_a += acc_a[k];
    s_ab += acc_ab[k];
  }
}

}  // namespace wick::cpu::norm

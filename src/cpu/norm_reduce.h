// Sums shared by the CPU norm kernels, in double, over `runs` runs of n values, run r at
// p + r * stride: a channel's planes in NCHW (BatchNorm), or one row (LayerNorm, runs = 1). Eight
// lanes carry from run to run and are added up once at the end (a 3x3 map's plane is 9 values,
// and clearing and adding up the lanes per plane cost more than the plane); each step of 8 values
// is one conversion to double and one vector add through GCC's vector extension (written as 8
// named lanes, float in and double out, GCC 12 left them scalar: BatchNorm's backward was 7% of a
// DenseNet training step). The order of the additions depends only on the runs' shape.
// Plain loops; no threading here (the kernels split work across channels or rows).
#pragma once

#include <cstdint>
#include <cstring>

namespace wick::cpu::norm {

constexpr int kLanes = 8;

using Lanes8 = double __attribute__((vector_size(kLanes * sizeof(double))));

using Floats8 = float __attribute__((vector_size(kLanes * sizeof(float))));

// Vectors travel by reference only: passed or returned by value they would change the calling
// convention with the ISA (GCC's -Wpsabi in the portable build).
inline void load8(const double* p, Lanes8& v) { std::memcpy(&v, p, sizeof v); }

inline void load8(const float* p, Lanes8& v) {
  Floats8 f;
  std::memcpy(&f, p, sizeof f);
  v = __builtin_convertvector(f, Lanes8);
}

inline double add_lanes(const Lanes8& v) {
  double s = 0;
  for (int k = 0; k < kLanes; ++k) s += v[k];
  return s;
}

// Runs each step of 8 values as step(lanes of a, lanes of b), each value past the last step of a
// run as tail(a, b), over the runs of a (and of b at the same offsets; b may be a).
template <typename T, typename Step, typename Tail>
void for_each_lane_step(const T* a, const T* b, int64_t runs, int64_t stride, int64_t n,
                        Step&& step, Tail&& tail) {
  for (int64_t r = 0; r < runs; ++r) {
    const T* ar = a + r * stride;
    const T* br = b + r * stride;
    int64_t j = 0;
    for (; j + kLanes <= n; j += kLanes) {
      Lanes8 va, vb;
      load8(ar + j, va);
      load8(br + j, vb);
      step(va, vb);
    }
    for (; j < n; ++j) tail(static_cast<double>(ar[j]), static_cast<double>(br[j]));
  }
}

// sum(p[j]) over the runs
template <typename T>
double sum_runs(const T* p, int64_t runs, int64_t stride, int64_t n) {
  Lanes8 acc = {};
  double tail = 0;
  for_each_lane_step(
      p, p, runs, stride, n, [&](const Lanes8& v, const Lanes8&) { acc += v; },
      [&](double v, double) { tail += v; });
  return add_lanes(acc) + tail;
}

// sum((p[j] - mu)^2) over the runs
template <typename T>
double sum_sq_dev_runs(const T* p, int64_t runs, int64_t stride, int64_t n, double mu) {
  Lanes8 acc = {};
  double tail = 0;
  for_each_lane_step(
      p, p, runs, stride, n,
      [&](const Lanes8& v, const Lanes8&) {
        const Lanes8 d = v - mu;
        acc += d * d;
      },
      [&](double v, double) { tail += (v - mu) * (v - mu); });
  return add_lanes(acc) + tail;
}

// s_a += sum(a[j]), s_ab += sum(a[j] * (b[j] - mu)) over the runs of a and b
template <typename T>
void sum_and_dot_dev_runs(const T* a, const T* b, int64_t runs, int64_t stride, int64_t n,
                          double mu, double& s_a, double& s_ab) {
  Lanes8 acc_a = {}, acc_ab = {};
  double tail_a = 0, tail_ab = 0;
  for_each_lane_step(
      a, b, runs, stride, n,
      [&](const Lanes8& va, const Lanes8& vb) {
        acc_a += va;
        acc_ab += va * (vb - mu);
      },
      [&](double va, double vb) {
        tail_a += va;
        tail_ab += va * (vb - mu);
      });
  s_a += add_lanes(acc_a) + tail_a;
  s_ab += add_lanes(acc_ab) + tail_ab;
}

}  // namespace wick::cpu::norm

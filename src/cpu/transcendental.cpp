// float32 exp, sigmoid and tanh over contiguous tensors, split across the pool for large ones.
// Sigmoid and tanh use fast_math.h's branch-free forms (a few ulp, exact at the saturated ends,
// NaN kept), exp Eigen's array map (a few ulp) with a scalar fallback for extreme arguments.
// fast_math.h's selects vectorise only without trapping math (see there).
#pragma GCC optimize("no-trapping-math")

#include "transcendental.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "fast_math.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {

namespace {

constexpr int64_t kBlock = 1024;

// y[0:n] = exp(x[0:n]) on one thread; y may alias x. Any n; unary_transcendental passes blocks of
// kBlock. Eigen clamps exp's argument to about +-88.7 (so exp(-inf) would be 1e-39, not 0) and
// does not promise NaN propagation: a block holding any |x| > 87 or NaN takes std::exp. The check
// reads all of x before anything is written, so out may alias x (in-place ops).
void exp_block(const float* xp, float* yp, int64_t n) {
  bool tame = true;
  for (int64_t i = 0; i < n; ++i) tame &= std::abs(xp[i]) <= 87.0f;
  if (!tame) {
    for (int64_t i = 0; i < n; ++i) yp[i] = std::exp(xp[i]);
    return;
  }
  Eigen::Map<Eigen::ArrayXf>(yp, n) = Eigen::Map<const Eigen::ArrayXf>(xp, n).exp();
}

// Sigmoid and tanh read each x once before writing its y, so y may alias x.
void transcendental_block(UnaryOp op, const float* xp, float* yp, int64_t n) {
  switch (op) {
    case UnaryOp::Exp:
      return exp_block(xp, yp, n);
    case UnaryOp::Sigmoid:
      for (int64_t i = 0; i < n; ++i) yp[i] = fast_math::sigmoid(xp[i]);
      return;
    default:
      for (int64_t i = 0; i < n; ++i) yp[i] = fast_math::tanh(xp[i]);
      return;
  }
}

}  // namespace

bool unary_transcendental(UnaryOp op, const Tensor& out, const Tensor& x) {
  if (op != UnaryOp::Exp && op != UnaryOp::Sigmoid && op != UnaryOp::Tanh) return false;
  if (x.dtype() != kFloat32 || out.dtype() != kFloat32 || !x.is_contiguous() ||
      !out.is_contiguous())
    return false;
  const float* xp = static_cast<const float*>(x.data_ptr());
  float* yp = static_cast<float*>(out.data_ptr());
  auto body = [=](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i += kBlock)
      transcendental_block(op, xp + i, yp + i, std::min(kBlock, e - i));
  };
  const int64_t n = x.numel();
  // Transcendentals cost ~10x an add per element: a smaller grain than plain elementwise loops.
  if (n >= kParallelGrain / 4)
    parallel_for(n, kParallelGrain / 4, body);
  else
    body(0, n);
  return true;
}

}  // namespace wick::cpu

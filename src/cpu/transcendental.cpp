// Eigen array maps over contiguous float32 chunks, split across the pool for large tensors.
// Eigen's float exp and tanh are accurate to a few ulp, well inside float32's test tolerances.
#include "transcendental.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {

namespace {

float scalar(UnaryOp op, float v) {
  switch (op) {
    case UnaryOp::Exp:
      return std::exp(v);
    case UnaryOp::Sigmoid:
      return 1.0f / (1.0f + std::exp(-v));
    default:
      return std::tanh(v);
  }
}

constexpr int64_t kBlock = 1024;

// y[0:n] = op(x[0:n]) for op Exp, Sigmoid or Tanh, on one thread; y may alias x. Any n;
// unary_transcendental passes blocks of kBlock. Eigen clamps exp's argument to about
// +-88.7 (so exp(-inf) would be 1e-39, not 0) and does not promise NaN propagation: a block
// holding any |x| > 87 or NaN takes the scalar path. The check reads all of x before anything is
// written, so out may alias x (in-place ops).
void transcendental_block(UnaryOp op, const float* xp, float* yp, int64_t n) {
  bool tame = true;
  for (int64_t i = 0; i < n; ++i) tame &= std::abs(xp[i]) <= 87.0f;
  if (!tame) {
    for (int64_t i = 0; i < n; ++i) yp[i] = scalar(op, xp[i]);
    return;
  }
  Eigen::Map<const Eigen::ArrayXf> in(xp, n);
  Eigen::Map<Eigen::ArrayXf> y(yp, n);
  switch (op) {
    case UnaryOp::Exp:
      y = in.exp();
      break;
    case UnaryOp::Sigmoid:
      y = (1.0f + (-in).exp()).inverse();
      break;
    default: {
      // Eigen's rational tanh is a few ulp off near +-1, where 1 - tanh^2 (its gradient) then
      // loses every digit: away from 0 use 1 - 2 / (exp(2|x|) + 1), accurate to an ulp of 1.
      // Both are computed as vector passes and blended by a plain loop: Eigen 3.4 evaluates a
      // select() one scalar at a time (the scalar tanh and exp were 10% of a composed LSTM step).
      constexpr int64_t kChunk = 256;
      alignas(64) float t[kChunk], e[kChunk];
      for (int64_t s = 0; s < n; s += kChunk) {
        const int64_t m = std::min(kChunk, n - s);
        Eigen::Map<const Eigen::ArrayXf> xs(xp + s, m);
        Eigen::Map<Eigen::ArrayXf>(t, m) = xs.tanh();
        Eigen::Map<Eigen::ArrayXf>(e, m) = (2.0f * xs.abs()).exp();
        for (int64_t i = 0; i < m; ++i) {
          const float x = xp[s + i];
          yp[s + i] = std::abs(x) < 0.5f ? t[i] : std::copysign(1.0f - 2.0f / (e[i] + 1.0f), x);
        }
      }
    }
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

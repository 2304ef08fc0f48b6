// CPU fused LSTM cell: the gate activations, the cell update and the output of one step in one
// pass over rows of (N, 4H) gates, and its backward in one pass, instead of ~10 elementwise ops
// (each a tensor and an autograd node) per step. float32 uses fast_math.h's branch-free sigmoid
// and tanh, which plain loops vectorise (a row is only 4H values: calls into a block function per
// row cost more than the math); float64 the std functions. Other dtypes return false (composed by
// the caller).
//
// No trapping math in this file (fast_math.h).
#pragma GCC optimize("no-trapping-math")

#include <vector>

#include "cpu_backend.h"
#include "fast_math.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {
namespace {

using fast_math::sigmoid;
using fast_math::tanh;

// Rows [0, n) through fn(row_begin, row_end), split over the pool when the step is big enough.
template <typename F>
void over_rows(int64_t n, int64_t h, const F& fn) {
  const int64_t grain = std::max<int64_t>(1, kParallelGrain / (8 * h));
  if (n > grain)
    parallel_for(n, grain, fn);
  else
    fn(0, n);
}

template <typename T>
void forward(const Tensor& h2, const Tensor& c2, const Tensor& ws, const Tensor& gates,
             const Tensor& c) {
  const int64_t n = c.size(0), h = c.size(1);
  const T* gp = static_cast<const T*>(gates.data_ptr());
  const T* cp = static_cast<const T*>(c.data_ptr());
  T* wp = static_cast<T*>(ws.data_ptr());
  T* c2p = static_cast<T*>(c2.data_ptr());
  T* h2p = static_cast<T*>(h2.data_ptr());
  over_rows(n, h, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* g = gp + r * 4 * h;
      T* w = wp + r * 4 * h;
      for (int64_t j = 0; j < 2 * h; ++j) w[j] = sigmoid(g[j]);  // i, f
      for (int64_t j = 2 * h; j < 3 * h; ++j) w[j] = tanh(g[j]);
      for (int64_t j = 3 * h; j < 4 * h; ++j) w[j] = sigmoid(g[j]);
      const T* cr = cp + r * h;
      T* c2r = c2p + r * h;
      T* h2r = h2p + r * h;
      for (int64_t j = 0; j < h; ++j) c2r[j] = w[h + j] * cr[j] + w[j] * w[2 * h + j];
      for (int64_t j = 0; j < h; ++j) h2r[j] = tanh(c2r[j]) * w[3 * h + j];
    }
  });
}

template <typename T>
void backward(const Tensor& grad_gates, const Tensor& grad_c, const Tensor& grad_h2,
              const Tensor& grad_c2, const Tensor& ws, const Tensor& c, const Tensor& c2) {
  const int64_t n = c.size(0), h = c.size(1);
  const T* ghp = grad_h2.defined() ? static_cast<const T*>(grad_h2.data_ptr()) : nullptr;
  const T* gcp = grad_c2.defined() ? static_cast<const T*>(grad_c2.data_ptr()) : nullptr;
  const T* wp = static_cast<const T*>(ws.data_ptr());
  const T* cp = static_cast<const T*>(c.data_ptr());
  const T* c2p = static_cast<const T*>(c2.data_ptr());
  T* dgp = static_cast<T*>(grad_gates.data_ptr());
  T* dcp = static_cast<T*>(grad_c.data_ptr());
  over_rows(n, h, [&](int64_t r0, int64_t r1) {
    // An undefined incoming gradient reads as a row of zeros: loads under a condition keep GCC
    // from vectorising the loop.
    std::vector<T> tc(static_cast<size_t>(h)), zeros(static_cast<size_t>(h), T(0));
    for (int64_t r = r0; r < r1; ++r) {
      const T* c2r = c2p + r * h;
      for (int64_t j = 0; j < h; ++j) tc[static_cast<size_t>(j)] = tanh(c2r[j]);
      const T* w = wp + r * 4 * h;
      const T* cr = cp + r * h;
      const T* ghr = ghp ? ghp + r * h : zeros.data();
      const T* gcr = gcp ? gcp + r * h : zeros.data();
      T* dg = dgp + r * 4 * h;
      T* dc = dcp + r * h;
      // The outputs are fresh tensors: no overlap with the inputs for GCC to test at run time
      // (ten streams exceed its limit on such tests, and the loop would stay scalar).
#pragma GCC ivdep
      for (int64_t j = 0; j < h; ++j) {
        const T gh = ghr[j], t = tc[static_cast<size_t>(j)];
        const T i = w[j], f = w[h + j], g = w[2 * h + j], o = w[3 * h + j];
        // dL/dc2 in total: from c2 itself and through h2 = o * tanh(c2).
        const T gct = gcr[j] + gh * o * (T(1) - t * t);
        dg[j] = gct * g * i * (T(1) - i);
        dg[h + j] = gct * cr[j] * f * (T(1) - f);
        dg[2 * h + j] = gct * i * (T(1) - g * g);
        dg[3 * h + j] = gh * t * o * (T(1) - o);
        dc[j] = gct * f;
      }
    }
  });
}

}  // namespace

bool CpuBackend::lstm_cell_forward(const Tensor& h2, const Tensor& c2, const Tensor& ws,
                                   const Tensor& gates, const Tensor& c) {
  if (gates.dtype() == kFloat32) {
    forward<float>(h2, c2, ws, gates, c);
  } else if (gates.dtype() == kFloat64) {
    forward<double>(h2, c2, ws, gates, c);
  } else {
    return false;
  }
  return true;
}

bool CpuBackend::lstm_cell_backward(const Tensor& grad_gates, const Tensor& grad_c,
                                    const Tensor& grad_h2, const Tensor& grad_c2, const Tensor& ws,
                                    const Tensor& c, const Tensor& c2) {
  if (ws.dtype() == kFloat32) {
    backward<float>(grad_gates, grad_c, grad_h2, grad_c2, ws, c, c2);
  } else if (ws.dtype() == kFloat64) {
    backward<double>(grad_gates, grad_c, grad_h2, grad_c2, ws, c, c2);
  } else {
    return false;
  }
  return true;
}

}  // namespace wick::cpu

// CPU fused softmax / log_softmax over contiguous rows (the last dim): forward takes each row's
// max, then one pass for sum(exp(x - max)) and one writing the result; backward reads the saved
// output and the gradient once for the row's sum and once to write. float rows use fast_math.h's
// vectorised exp; sums run in lanes (lane_sum.h). A row whose max is not finite (all -inf, or a
// +inf) gives NaN through x - max, as in PyTorch. Rows split over threads; each row is computed the
// same way whatever the thread count.
//
// No trapping math in this file (fast_math.h).
#pragma GCC optimize("no-trapping-math")

#include "cpu_backend.h"
#include "softmax_rows.h"

namespace wick::cpu {
namespace {

using fast_math::exp_nonpositive;
using softmax_rows::row_max;
using softmax_rows::row_sum_exp;

template <typename T>
void forward_rows(T* out, const T* x, int64_t n, int64_t c, bool log) {
  softmax_rows::for_rows(n, c, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const T* xr = x + i * c;
      T* yr = out + i * c;
      const T m = row_max(xr, c);
      if (log) {
        const T shift = m + std::log(row_sum_exp(xr, c, m));
        for (int64_t j = 0; j < c; ++j) yr[j] = xr[j] - shift;
        continue;
      }
      for (int64_t j = 0; j < c; ++j) yr[j] = exp_nonpositive(xr[j] - m);
      const T inv = T(1) / lane_sum<T, softmax_rows::kLanes>(c, [yr](int64_t j) { return yr[j]; });
      for (int64_t j = 0; j < c; ++j) yr[j] *= inv;
    }
  });
}

template <typename T>
void backward_rows(T* gx, const T* gy, const T* y, int64_t n, int64_t c, bool log) {
  softmax_rows::for_rows(n, c, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const T* gr = gy + i * c;
      const T* yr = y + i * c;
      T* out = gx + i * c;
      if (log) {  // g - exp(y) * sum(g)
        const T s = lane_sum<T, softmax_rows::kLanes>(c, [gr](int64_t j) { return gr[j]; });
        for (int64_t j = 0; j < c; ++j) out[j] = gr[j] - exp_nonpositive(yr[j]) * s;
      } else {  // y * (g - sum(g * y))
        const T s =
            lane_sum<T, softmax_rows::kLanes>(c, [gr, yr](int64_t j) { return gr[j] * yr[j]; });
        for (int64_t j = 0; j < c; ++j) out[j] = yr[j] * (gr[j] - s);
      }
    }
  });
}

int64_t row_length(const Tensor& t) { return t.dim() == 0 ? 1 : t.size(-1); }

}  // namespace

bool CpuBackend::softmax_forward(const Tensor& out, const Tensor& x, bool log) {
  const int64_t c = row_length(x);
  if (c == 0) return true;
  dispatch_floating(x.dtype(), log ? "log_softmax" : "softmax", [&]<typename T>() {
    forward_rows(out.data_ptr<T>(), x.data_ptr<T>(), x.numel() / c, c, log);
  });
  return true;
}

bool CpuBackend::softmax_backward(const Tensor& grad_input, const Tensor& grad_output,
                                  const Tensor& out, bool log) {
  const int64_t c = row_length(out);
  if (c == 0) return true;
  dispatch_floating(out.dtype(), log ? "log_softmax_backward" : "softmax_backward",
                    [&]<typename T>() {
                      backward_rows(grad_input.data_ptr<T>(), grad_output.data_ptr<T>(),
                                    out.data_ptr<T>(), out.numel() / c, c, log);
                    });
  return true;
}

}  // namespace wick::cpu

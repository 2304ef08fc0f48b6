// CPU fused cross entropy over (N, C) logits and class indices: forward takes each row's max, then
// sum(exp(x - max)) for the log-sum-exp; backward writes (softmax - onehot) * scale in one pass
// from the saved lse. float rows use a polynomial exp the compiler vectorises (std::exp does not
// vectorise here). Rows split over threads; the loss sums in row order, so results do not depend on
// the thread count. Targets are checked before any thread starts.
//
// No trapping math in this file: GCC will not if-convert the clamp in exp_nonpositive (so no loop
// over it vectorises) while FP exceptions are observable; Wick never unmasks them.
#pragma GCC optimize("no-trapping-math")

#include <cstring>
#include <vector>

#include "cpu_backend.h"
#include "softmax_rows.h"

namespace wick::cpu {
namespace {

using fast_math::exp_nonpositive;
using softmax_rows::for_rows;
using softmax_rows::row_lse;

// weight[t] of every row (0 for ignored targets), checking bounds first: a throw inside a worker
// thread would be lost.
template <typename T>
std::vector<double> row_weights(const Tensor& target, const Tensor& weight, int64_t c,
                                int64_t ignore_index) {
  const int64_t n = target.numel();
  const int64_t* tg = target.data_ptr<int64_t>();
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  std::vector<double> wt(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t t = tg[i];
    if (t == ignore_index) continue;
    WICK_CHECK(t >= 0 && t < c, "Target ", t, " is out of bounds.");
    wt[static_cast<size_t>(i)] = w ? static_cast<double>(w[t]) : 1.0;
  }
  return wt;
}

template <typename T>
void forward_kernel(const Tensor& out, const Tensor& total_weight, const Tensor& lse,
                    const Tensor& input, const Tensor& target, const Tensor& weight,
                    LossReduction reduction, int64_t ignore_index) {
  const int64_t n = input.size(0), c = input.size(1);
  const std::vector<double> wt = row_weights<T>(target, weight, c, ignore_index);
  const T* x = input.data_ptr<T>();
  const int64_t* tg = target.data_ptr<int64_t>();
  T* l = lse.data_ptr<T>();
  std::vector<double> loss(static_cast<size_t>(n));
  for_rows(n, c, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      l[i] = row_lse(x + i * c, c);
      const double w = wt[static_cast<size_t>(i)];
      // An ignored row contributes exactly 0, even when its logits are not finite.
      loss[static_cast<size_t>(i)] =
          w == 0.0 ? 0.0 : w * (static_cast<double>(l[i]) - static_cast<double>(x[i * c + tg[i]]));
    }
  });
  if (reduction == LossReduction::None) {
    T* o = out.data_ptr<T>();
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<T>(loss[static_cast<size_t>(i)]);
    return;
  }
  double sum = 0.0, wsum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    if (tg[i] == ignore_index) continue;
    sum += loss[static_cast<size_t>(i)];
    wsum += wt[static_cast<size_t>(i)];
  }
  if (reduction == LossReduction::Mean) sum /= wsum;  // nothing counted: 0 / 0 = nan, as PyTorch
  *out.data_ptr<T>() = static_cast<T>(sum);
  *total_weight.data_ptr<T>() = static_cast<T>(wsum);
}

template <typename T>
void backward_kernel(const Tensor& grad_input, const Tensor& grad_output, const Tensor& input,
                     const Tensor& lse, const Tensor& target, const Tensor& weight,
                     LossReduction reduction, int64_t ignore_index, const Tensor& total_weight) {
  const int64_t n = input.size(0), c = input.size(1);
  const std::vector<double> wt = row_weights<T>(target, weight, c, ignore_index);
  const T* x = input.data_ptr<T>();
  const T* l = lse.data_ptr<T>();
  const int64_t* tg = target.data_ptr<int64_t>();
  T* gi = grad_input.data_ptr<T>();
  const Tensor go = grad_output.contiguous();
  const T* g = go.data_ptr<T>();
  T scale = reduction == LossReduction::None ? T(1) : g[0];
  if (reduction == LossReduction::Mean) scale /= *total_weight.data_ptr<T>();
  for_rows(n, c, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T* gr = gi + i * c;
      const double w = wt[static_cast<size_t>(i)];
      if (w == 0.0) {
        std::memset(static_cast<void*>(gr), 0, static_cast<size_t>(c) * sizeof(T));
        continue;
      }
      const T coef = static_cast<T>(w) * (reduction == LossReduction::None ? g[i] : scale);
      const T* xr = x + i * c;
      const T li = l[i];
      for (int64_t j = 0; j < c; ++j) gr[j] = exp_nonpositive(xr[j] - li) * coef;
      gr[tg[i]] -= coef;
    }
  });
}

}  // namespace

bool CpuBackend::cross_entropy_forward(const Tensor& out, const Tensor& total_weight,
                                       const Tensor& lse, const Tensor& input, const Tensor& target,
                                       const Tensor& weight, LossReduction reduction,
                                       int64_t ignore_index) {
  dispatch_floating(input.dtype(), "cross_entropy", [&]<typename T>() {
    forward_kernel<T>(out, total_weight, lse, input, target, weight, reduction, ignore_index);
  });
  return true;
}

bool CpuBackend::cross_entropy_backward(const Tensor& grad_input, const Tensor& grad_output,
                                        const Tensor& input, const Tensor& lse,
                                        const Tensor& target, const Tensor& weight,
                                        LossReduction reduction, int64_t ignore_index,
                                        const Tensor& total_weight) {
  dispatch_floating(input.dtype(), "cross_entropy_backward", [&]<typename T>() {
    backward_kernel<T>(grad_input, grad_output, input, lse, target, weight, reduction, ignore_index,
                       total_weight);
  });
  return true;
}

}  // namespace wick::cpu

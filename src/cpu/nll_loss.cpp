// CPU negative log-likelihood kernels (forward and input gradient) over (N, C, K) log-probabilities:
// one read of the target and one element per (n, k), so cross-entropy's cost stays in log_softmax.
// Sums accumulate in double in (n, k) order (deterministic, independent of the thread count). The
// backward writes the whole gradient (zeros included); nothing here knows about autograd.
#include <cmath>
#include <cstring>

#include "cpu_backend.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {
namespace {

struct NllShape {
  int64_t n, c, k;
};

NllShape nll_shape(const Tensor& input) {
  return {input.size(0), input.size(1), input.size(2)};
}

// weight[t] for a counted target (bounds-checked), 0 for an ignored one.
template <typename T>
inline double target_weight(int64_t t, int64_t c, int64_t ignore_index, const T* w) {
  if (t == ignore_index) return 0.0;
  WICK_CHECK(t >= 0 && t < c, "Target ", t, " is out of bounds.");
  return w ? static_cast<double>(w[t]) : 1.0;
}

template <typename T>
void forward_kernel(const Tensor& out, const Tensor& total_weight, const Tensor& input,
                    const Tensor& target, const Tensor& weight, LossReduction reduction,
                    int64_t ignore_index) {
  const auto [n, c, k] = nll_shape(input);
  const T* x = input.data_ptr<T>();
  const int64_t* tg = target.data_ptr<int64_t>();
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  if (reduction == LossReduction::None) {
    // out (N, K)
    T* o = out.data_ptr<T>();
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < k; ++j) {
        const int64_t t = tg[i * k + j];
        const double wt = target_weight(t, c, ignore_index, w);
        o[i * k + j] = wt == 0.0 ? T(0) : static_cast<T>(-wt * static_cast<double>(x[(i * c + t) * k + j]));
      }
    }
    return;
  }
  double sum = 0.0, wsum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < k; ++j) {
      const int64_t t = tg[i * k + j];
      const double wt = target_weight(t, c, ignore_index, w);
      if (t == ignore_index) continue;
      sum -= wt * static_cast<double>(x[(i * c + t) * k + j]);
      wsum += wt;
    }
  }
  // Mean over no counted target is 0 / 0 = nan, as PyTorch.
  if (reduction == LossReduction::Mean) sum /= wsum;
  *out.data_ptr<T>() = static_cast<T>(sum);
  *total_weight.data_ptr<T>() = static_cast<T>(wsum);
}

template <typename T>
void backward_kernel(const Tensor& grad_input, const Tensor& grad_output, const Tensor& target,
                     const Tensor& weight, LossReduction reduction, int64_t ignore_index,
                     const Tensor& total_weight) {
  const auto [n, c, k] = nll_shape(grad_input);
  T* gi = grad_input.data_ptr<T>();
  const int64_t* tg = target.data_ptr<int64_t>();
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  const Tensor go = grad_output.contiguous();
  const T* g = go.data_ptr<T>();
  T scale = reduction == LossReduction::None ? T(1) : g[0];
  if (reduction == LossReduction::Mean) scale /= *total_weight.data_ptr<T>();
  auto body = [&](int64_t b, int64_t e) {
    std::memset(static_cast<void*>(gi + b * c * k), 0, static_cast<size_t>((e - b) * c * k) * sizeof(T));
    for (int64_t i = b; i < e; ++i) {
      for (int64_t j = 0; j < k; ++j) {
        const int64_t t = tg[i * k + j];
        const double wt = target_weight(t, c, ignore_index, w);
        if (t == ignore_index) continue;
        const T gv = reduction == LossReduction::None ? g[i * k + j] : scale;
        gi[(i * c + t) * k + j] = static_cast<T>(-wt) * gv;
      }
    }
  };
  const int64_t per_row = c * k;
  if (n > 1 && n * per_row >= kParallelGrain) {
    parallel_for(n, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(per_row, 1)), body);
  } else {
    body(0, n);
  }
}

}  // namespace

void CpuBackend::nll_loss_forward(const Tensor& out, const Tensor& total_weight, const Tensor& input,
                                  const Tensor& target, const Tensor& weight,
                                  LossReduction reduction, int64_t ignore_index) {
  dispatch_floating(input.dtype(), "nll_loss", [&]<typename T>() {
    forward_kernel<T>(out, total_weight, input, target, weight, reduction, ignore_index);
  });
}

void CpuBackend::nll_loss_backward(const Tensor& grad_input, const Tensor& grad_output,
                                   const Tensor& target, const Tensor& weight,
                                   LossReduction reduction, int64_t ignore_index,
                                   const Tensor& total_weight) {
  dispatch_floating(grad_input.dtype(), "nll_loss_backward", [&]<typename T>() {
    backward_kernel<T>(grad_input, grad_output, target, weight, reduction, ignore_index,
                       total_weight);
  });
}

}  // namespace wick::cpu

// CPU CTC loss kernels: the log-space alpha (forward) and beta (backward) recursions over the
// blank-extended target l' = (blank, l1, blank, l2, ..., blank), one batch item per task. The
// gradient is PyTorch's: exp(lp) - exp(log(sum_{s: l'(s) = c} alpha beta) + nll - lp). No label
// checks here (the op validated them); nothing here knows about autograd or reductions.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cpu_backend.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {
namespace {

template <typename T>
constexpr T kNegInf = -std::numeric_limits<T>::infinity();

template <typename T>
inline T log_add(T a, T b) {
  const T m = std::max(a, b);
  if (m == kNegInf<T>) return m;
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// Shapes and the label of each extended-target state of one batch item.
struct CtcItem {
  int64_t t_len, l_len, states;
  const int64_t* labels;
  int64_t label(int64_t s, int64_t blank) const { return s % 2 == 0 ? blank : labels[s / 2]; }
  // State s may be entered from s - 2 (skipping a blank) when its label differs from s - 2's.
  bool can_skip(int64_t s) const { return s % 2 == 1 && s >= 3 && labels[s / 2] != labels[s / 2 - 1]; }
};

CtcItem item(int64_t b, const int64_t* targets, IntArrayRef offsets, IntArrayRef input_lengths,
             IntArrayRef target_lengths) {
  const int64_t l = target_lengths[static_cast<size_t>(b)];
  return {input_lengths[static_cast<size_t>(b)], l, 2 * l + 1, targets + offsets[static_cast<size_t>(b)]};
}

// Runs fn(b) for every batch item, in parallel when the work is large enough to pay for it.
template <typename F>
void for_each_item(int64_t n, int64_t work_per_item, F&& fn) {
  auto body = [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) fn(b);
  };
  if (n > 1 && n * work_per_item >= kParallelGrain) {
    parallel_for(n, 1, body);
  } else {
    body(0, n);
  }
}

template <typename T>
void forward_kernel(const Tensor& nll, const Tensor& log_alpha, const Tensor& log_probs, const Tensor& targets,
                    IntArrayRef offsets, IntArrayRef input_lengths, IntArrayRef target_lengths, int64_t blank) {
  // log_probs (T, N, C), log_alpha (N, T, S'), nll (N)
  const int64_t tmax = log_probs.size(0), n = log_probs.size(1), c = log_probs.size(2);
  const int64_t sp = log_alpha.size(2);
  const T* lp = log_probs.data_ptr<T>();
  T* la_all = log_alpha.data_ptr<T>();
  T* out = nll.data_ptr<T>();
  const int64_t* tg = targets.data_ptr<int64_t>();
  for_each_item(n, tmax * sp, [&](int64_t b) {
    const CtcItem it = item(b, tg, offsets, input_lengths, target_lengths);
    T* la = la_all + b * tmax * sp;
    std::fill(la, la + tmax * sp, kNegInf<T>);
    auto lpr = [&](int64_t t, int64_t cls) { return lp[(t * n + b) * c + cls]; };
    if (it.t_len == 0) {
      out[b] = it.l_len == 0 ? T(0) : std::numeric_limits<T>::infinity();
      return;
    }
    la[0] = lpr(0, blank);
    if (it.l_len > 0) la[1] = lpr(0, it.labels[0]);
    for (int64_t t = 1; t < it.t_len; ++t) {
      const T* prev = la + (t - 1) * sp;
      T* cur = la + t * sp;
      for (int64_t s = 0; s < it.states; ++s) {
        T v = prev[s];
        if (s >= 1) v = log_add(v, prev[s - 1]);
        if (it.can_skip(s)) v = log_add(v, prev[s - 2]);
        cur[s] = v == kNegInf<T> ? v : v + lpr(t, it.label(s, blank));
      }
    }
    const T* last = la + (it.t_len - 1) * sp;
    const T ll = it.l_len > 0 ? log_add(last[it.states - 1], last[it.states - 2]) : last[0];
    out[b] = -ll;
  });
}

template <typename T>
void backward_kernel(const Tensor& grad, const Tensor& grad_nll, const Tensor& log_probs, const Tensor& targets,
                     IntArrayRef offsets, IntArrayRef input_lengths, IntArrayRef target_lengths, const Tensor& nll,
                     const Tensor& log_alpha, int64_t blank, bool zero_infinity) {
  const int64_t tmax = log_probs.size(0), n = log_probs.size(1), c = log_probs.size(2);
  const int64_t sp = log_alpha.size(2);
  const T* lp = log_probs.data_ptr<T>();
  const T* la_all = log_alpha.data_ptr<T>();
  const T* nl = nll.data_ptr<T>();
  const Tensor gn_c = grad_nll.contiguous();
  const T* gn = gn_c.data_ptr<T>();
  T* g = grad.data_ptr<T>();
  const int64_t* tg = targets.data_ptr<int64_t>();
  for_each_item(n, tmax * (sp + c), [&](int64_t b) {
    const CtcItem it = item(b, tg, offsets, input_lengths, target_lengths);
    auto gat = [&](int64_t t) { return g + (t * n + b) * c; };
    const T* lpb = lp + b * c;  // row t at lpb + t * n * c
    const bool zero = (zero_infinity && nl[b] == std::numeric_limits<T>::infinity()) || it.t_len == 0;
    for (int64_t t = zero ? 0 : it.t_len; t < tmax; ++t) std::fill(gat(t), gat(t) + c, T(0));
    if (zero) return;
    // beta (T, S'): suffix log-likelihoods, including the current step's emission.
    std::vector<T> lb(static_cast<size_t>(it.t_len * it.states), kNegInf<T>);
    auto beta = [&](int64_t t, int64_t s) -> T& { return lb[static_cast<size_t>(t * it.states + s)]; };
    const int64_t tl = it.t_len - 1;
    beta(tl, it.states - 1) = lpb[tl * n * c + blank];
    if (it.l_len > 0) beta(tl, it.states - 2) = lpb[tl * n * c + it.labels[it.l_len - 1]];
    for (int64_t t = tl - 1; t >= 0; --t) {
      for (int64_t s = 0; s < it.states; ++s) {
        T v = beta(t + 1, s);
        if (s + 1 < it.states) v = log_add(v, beta(t + 1, s + 1));
        if (s + 2 < it.states && it.can_skip(s + 2)) v = log_add(v, beta(t + 1, s + 2));
        beta(t, s) = v == kNegInf<T> ? v : v + lpb[t * n * c + it.label(s, blank)];
      }
    }
    std::vector<T> lcab(static_cast<size_t>(c));
    const T* la = la_all + b * tmax * sp;
    for (int64_t t = 0; t < it.t_len; ++t) {
      std::fill(lcab.begin(), lcab.end(), kNegInf<T>);
      for (int64_t s = 0; s < it.states; ++s) {
        T& acc = lcab[static_cast<size_t>(it.label(s, blank))];
        acc = log_add(acc, la[t * sp + s] + beta(t, s));
      }
      const T* lpt = lpb + t * n * c;
      T* gt = gat(t);
      for (int64_t k = 0; k < c; ++k) {
        const T l = lpt[k];
        gt[k] = (std::exp(l) - std::exp(lcab[static_cast<size_t>(k)] + nl[b] - l)) * gn[b];
      }
    }
  });
}

}  // namespace

void CpuBackend::ctc_loss_forward(const Tensor& nll, const Tensor& log_alpha, const Tensor& log_probs,
                                  const Tensor& targets, IntArrayRef target_offsets, IntArrayRef input_lengths,
                                  IntArrayRef target_lengths, int64_t blank) {
  dispatch_floating(log_probs.dtype(), "ctc_loss", [&]<typename T>() {
    forward_kernel<T>(nll, log_alpha, log_probs, targets, target_offsets, input_lengths, target_lengths, blank);
  });
}

void CpuBackend::ctc_loss_backward(const Tensor& grad, const Tensor& grad_nll, const Tensor& log_probs,
                                   const Tensor& targets, IntArrayRef target_offsets, IntArrayRef input_lengths,
                                   IntArrayRef target_lengths, const Tensor& nll, const Tensor& log_alpha,
                                   int64_t blank, bool zero_infinity) {
  dispatch_floating(log_probs.dtype(), "ctc_loss_backward", [&]<typename T>() {
    backward_kernel<T>(grad, grad_nll, log_probs, targets, target_offsets, input_lengths, target_lengths, nll,
                       log_alpha, blank, zero_infinity);
  });
}

}  // namespace wick::cpu

// CPU fused optimizer updates: torch.optim's per-parameter rules (single-tensor form) as one sweep
// over param, grad and state, split over threads. No allocation; float32 and float64 only
// (float32 computes in float with coefficients rounded once, as PyTorch's CPU kernels do).
#include <algorithm>
#include <cmath>

#include "cpu_backend.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick {

void Backend::optimizer_step_(const OptimizerStepArgs&, const Tensor& param, const Tensor&, const std::vector<Tensor>&) {
  WICK_FAIL("optimizer step: the backend for device '", param.device().str(), "' has no fused optimizer kernel");
}

namespace cpu {

namespace {

// State slots per rule (undefined tensors mark unused optional slots):
//   SGD [momentum_buffer]; Adam/AdamW [exp_avg, exp_avg_sq, max_exp_avg_sq?];
//   RMSprop [square_avg, momentum_buffer?, grad_avg?]; Adagrad [sum]; Adadelta [square_avg, acc_delta];
//   Adamax [exp_avg, exp_inf]; NAdam/RAdam [exp_avg, exp_avg_sq].
// Each rule copies its coefficients and pointers into locals first: stores through a double* could
// otherwise alias the args' doubles, which stops GCC from hoisting the flags and vectorizing.
template <typename T>
struct Sweep {
  const OptimizerStepArgs& a;
  T* p;
  const T* gr;
  T* s0;
  T* s1;
  T* s2;

  void sgd(int64_t b, int64_t e) const {
    T* __restrict P = p;
    const T* __restrict G = gr;
    T* __restrict B = s0;
    const T wd = T(a.weight_decay), lr = T(a.lr), m = T(a.momentum), damp = T(1 - a.dampening);
    const bool maximize = a.maximize, has_wd = a.weight_decay != 0, first = a.first_step, nesterov = a.nesterov;
    for (int64_t i = b; i < e; ++i) {
      T g = maximize ? -G[i] : G[i];
      if (has_wd) g = g + wd * P[i];
      if (B != nullptr) {
        const T buf = first ? g : B[i] * m + damp * g;
        B[i] = buf;
        g = nesterov ? g + m * buf : buf;
      }
      P[i] = P[i] + (-lr) * g;
    }
  }

  void adam(int64_t b, int64_t e, bool decoupled) const {
    T* __restrict P = p;
    const T* __restrict G = gr;
    T* __restrict M = s0;
    T* __restrict V = s1;
    T* __restrict VMAX = s2;
    const T wd = T(a.weight_decay), decay = T(1 - a.lr * a.weight_decay);
    const T b1 = T(a.beta1), c1 = T(1 - a.beta1), b2 = T(a.beta2), c2 = T(1 - a.beta2);
    const T bc2 = T(std::sqrt(a.bias_correction2)), eps = T(a.eps), step = T(-a.step_size);
    const bool maximize = a.maximize, l2 = !decoupled && a.weight_decay != 0;
    for (int64_t i = b; i < e; ++i) {
      T pi = P[i];
      if (decoupled) pi = pi * decay;
      T g = maximize ? -G[i] : G[i];
      if (l2) g = g + wd * pi;
      const T m = M[i] * b1 + c1 * g;
      T v = V[i] * b2 + c2 * g * g;
      M[i] = m;
      V[i] = v;
      if (VMAX != nullptr) v = VMAX[i] = std::max(VMAX[i], v);
      const T denom = std::sqrt(v) / bc2 + eps;
      P[i] = pi + step * (m / denom);
    }
  }

  // The gradient as the remaining rules see it: negated for maximize, plus the L2 term.
  struct Grad {
    const T* g;
    const T* p;
    T wd;
    bool maximize, has_wd;
    T operator()(int64_t i) const {
      T x = maximize ? -g[i] : g[i];
      return has_wd ? x + wd * p[i] : x;
    }
  };
  Grad grad() const { return {gr, p, T(a.weight_decay), a.maximize, a.weight_decay != 0}; }

  // centered: grad_avg (s2) is kept; momentum: momentum_buffer (s1) is. Compile-time choices: a
  // test of the slots inside the loop is control flow, which keeps the loop scalar.
  template <bool centered, bool momentum>
  void rmsprop_loop(int64_t b, int64_t e) const {
    const Grad grad_of = grad();
    T* __restrict P = p;
    T* __restrict SQ = s0;
    T* __restrict BUF = s1;
    T* __restrict GA = s2;
    const T al = T(a.alpha), c = T(1 - a.alpha), eps = T(a.eps), lr = T(a.lr), mom = T(a.momentum);
    for (int64_t i = b; i < e; ++i) {
      const T g = grad_of(i);
      const T sq = SQ[i] * al + c * g * g;
      SQ[i] = sq;
      T avg;
      if constexpr (centered) {
        const T ga = GA[i] * al + c * g;
        GA[i] = ga;
        avg = std::sqrt(sq + T(-1) * ga * ga);
      } else {
        avg = std::sqrt(sq);
      }
      avg = avg + eps;
      if constexpr (momentum) {
        const T buf = BUF[i] * mom + g / avg;
        BUF[i] = buf;
        P[i] = P[i] + (-lr) * buf;
      } else {
        P[i] = P[i] + (-lr) * (g / avg);
      }
    }
  }

  void rmsprop(int64_t b, int64_t e) const {
    if (s2 != nullptr)
      return s1 != nullptr ? rmsprop_loop<true, true>(b, e) : rmsprop_loop<true, false>(b, e);
    return s1 != nullptr ? rmsprop_loop<false, true>(b, e) : rmsprop_loop<false, false>(b, e);
  }

  void adagrad(int64_t b, int64_t e) const {
    const Grad grad_of = grad();
    const T eps = T(a.eps), clr = T(-a.lr);
    for (int64_t i = b; i < e; ++i) {
      const T g = grad_of(i);
      const T sum = s0[i] + g * g;
      s0[i] = sum;
      p[i] = p[i] + clr * (g / (std::sqrt(sum) + eps));
    }
  }

  void adadelta(int64_t b, int64_t e) const {
    const Grad grad_of = grad();
    const T rho = T(a.alpha), c = T(1 - a.alpha), eps = T(a.eps), lr = T(-a.lr);
    for (int64_t i = b; i < e; ++i) {
      const T g = grad_of(i);
      const T sq = s0[i] * rho + c * g * g;
      s0[i] = sq;
      const T stdv = std::sqrt(sq + eps);
      const T delta = std::sqrt(s1[i] + eps) / stdv * g;
      s1[i] = s1[i] * rho + c * delta * delta;
      p[i] = p[i] + lr * delta;
    }
  }

  void adamax(int64_t b, int64_t e) const {
    const Grad grad_of = grad();
    const T b1 = T(a.beta1), c1 = T(1 - a.beta1), b2 = T(a.beta2), eps = T(a.eps), clr = T(-a.lr);
    for (int64_t i = b; i < e; ++i) {
      const T g = grad_of(i);
      const T m = s0[i] * b1 + c1 * g;
      s0[i] = m;
      const T u = std::max(s1[i] * b2, std::abs(g) + eps);
      s1[i] = u;
      p[i] = p[i] + clr * (m / u);
    }
  }

  void nadam(int64_t b, int64_t e) const {
    const Grad grad_of = grad();
    const T b1 = T(a.beta1), c1 = T(1 - a.beta1), b2 = T(a.beta2), c2 = T(1 - a.beta2);
    const T bc2 = T(a.bias_correction2), eps = T(a.eps), k1 = T(a.coef1), k2 = T(a.coef2);
    for (int64_t i = b; i < e; ++i) {
      const T g = grad_of(i);
      const T m = s0[i] * b1 + c1 * g;
      const T v = s1[i] * b2 + c2 * g * g;
      s0[i] = m;
      s1[i] = v;
      const T denom = std::sqrt(v / bc2) + eps;
      p[i] = p[i] + k1 * (g / denom);
      p[i] = p[i] + k2 * (m / denom);
    }
  }

  void radam(int64_t b, int64_t e) const {
    const Grad grad_of = grad();
    const T b1 = T(a.beta1), c1 = T(1 - a.beta1), b2 = T(a.beta2), c2 = T(1 - a.beta2);
    const T bc1 = T(a.bias_correction1), bc2s = T(std::sqrt(a.bias_correction2)), eps = T(a.eps), lr = T(a.lr),
            rect = T(a.coef1);
    const bool rectified = a.coef1 > 0;
    for (int64_t i = b; i < e; ++i) {
      const T g = grad_of(i);
      const T m = s0[i] * b1 + c1 * g;
      const T v = s1[i] * b2 + c2 * g * g;
      s0[i] = m;
      s1[i] = v;
      const T corrected = m / bc1;
      const T upd = rectified ? corrected * lr * (bc2s / (std::sqrt(v) + eps)) * rect : corrected * lr;
      p[i] = p[i] + T(-1) * upd;
    }
  }

  void run(int64_t b, int64_t e) const {
    switch (a.kind) {
      case OptimizerKernel::SGD: return sgd(b, e);
      case OptimizerKernel::Adam: return adam(b, e, false);
      case OptimizerKernel::AdamW: return adam(b, e, true);
      case OptimizerKernel::RMSprop: return rmsprop(b, e);
      case OptimizerKernel::Adagrad: return adagrad(b, e);
      case OptimizerKernel::Adadelta: return adadelta(b, e);
      case OptimizerKernel::Adamax: return adamax(b, e);
      case OptimizerKernel::NAdam: return nadam(b, e);
      case OptimizerKernel::RAdam: return radam(b, e);
    }
  }
};

template <typename T>
T* slot(const std::vector<Tensor>& state, size_t i) {
  return i < state.size() && state[i].defined() ? state[i].data_ptr<T>() : nullptr;
}

template <typename T>
void sweep(const OptimizerStepArgs& args, const Tensor& param, const Tensor& grad, const std::vector<Tensor>& state) {
  Sweep<T> s{args, param.data_ptr<T>(), grad.data_ptr<T>(), slot<T>(state, 0), slot<T>(state, 1), slot<T>(state, 2)};
  parallel_for(param.numel(), kParallelGrain, [&s](int64_t b, int64_t e) { s.run(b, e); });
}

}  // namespace

void CpuBackend::optimizer_step_(const OptimizerStepArgs& args, const Tensor& param, const Tensor& grad,
                                 const std::vector<Tensor>& state) {
  switch (param.dtype()) {
    case kFloat32: return sweep<float>(args, param, grad, state);
    case kFloat64: return sweep<double>(args, param, grad, state);
    default: WICK_FAIL("optimizer step: expected a float32 or float64 parameter, got ", dtype_name(param.dtype()));
  }
}

}  // namespace cpu
}  // namespace wick

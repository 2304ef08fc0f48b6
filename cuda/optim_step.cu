// CUDA fused optimizer updates: torch.optim's per-parameter rules (src/cpu/optim_step.cpp, same
// state slots and the same arithmetic in T) as one elementwise kernel per rule, so a step needs no
// host round trip. Single-tensor form: one launch per parameter (no multi-tensor batching yet).
#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

template <typename T>
__device__ __forceinline__ T max_of(T a, T b) {
  return a < b ? b : a;  // std::max's choice: a unless b is larger
}

// State slots per rule (null marks an unused optional slot):
//   SGD [momentum_buffer]; Adam/AdamW [exp_avg, exp_avg_sq, max_exp_avg_sq?];
//   RMSprop [square_avg, momentum_buffer?, grad_avg?]; Adagrad [sum]; Adadelta [square_avg, acc_delta];
//   Adamax [exp_avg, exp_inf]; NAdam/RAdam [exp_avg, exp_avg_sq].
template <typename T, OptimizerKernel K>
__global__ void optim_kernel(OptimizerStepArgs a, T* p, const T* gr, T* s0, T* s1, T* s2, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    T g = a.maximize ? -gr[i] : gr[i];
    if constexpr (K == OptimizerKernel::SGD) {
      if (a.weight_decay != 0) g = g + T(a.weight_decay) * p[i];
      if (s0 != nullptr) {
        const T buf = a.first_step ? g : s0[i] * T(a.momentum) + T(1 - a.dampening) * g;
        s0[i] = buf;
        g = a.nesterov ? g + T(a.momentum) * buf : buf;
      }
      p[i] = p[i] + T(-a.lr) * g;
    } else if constexpr (K == OptimizerKernel::Adam || K == OptimizerKernel::AdamW) {
      T pi = p[i];
      if (K == OptimizerKernel::AdamW) pi = pi * T(1 - a.lr * a.weight_decay);
      if (K == OptimizerKernel::Adam && a.weight_decay != 0) g = g + T(a.weight_decay) * pi;
      const T m = s0[i] * T(a.beta1) + T(1 - a.beta1) * g;
      T v = s1[i] * T(a.beta2) + T(1 - a.beta2) * g * g;
      s0[i] = m;
      s1[i] = v;
      if (s2 != nullptr) v = s2[i] = max_of(s2[i], v);
      const T denom = sqrt(v) / T(sqrt(a.bias_correction2)) + T(a.eps);
      p[i] = pi + T(-a.step_size) * (m / denom);
    } else {
      // The remaining rules take the L2 term into the gradient.
      if (a.weight_decay != 0) g = g + T(a.weight_decay) * p[i];
      if constexpr (K == OptimizerKernel::RMSprop) {
        const T al = T(a.alpha), c = T(1 - a.alpha);
        const T sq = s0[i] * al + c * g * g;
        s0[i] = sq;
        T avg;
        if (s2 != nullptr) {
          const T ga = s2[i] * al + c * g;
          s2[i] = ga;
          avg = sqrt(sq + T(-1) * ga * ga);
        } else {
          avg = sqrt(sq);
        }
        avg = avg + T(a.eps);
        if (s1 != nullptr) {
          const T buf = s1[i] * T(a.momentum) + g / avg;
          s1[i] = buf;
          p[i] = p[i] + T(-a.lr) * buf;
        } else {
          p[i] = p[i] + T(-a.lr) * (g / avg);
        }
      } else if constexpr (K == OptimizerKernel::Adagrad) {
        const T sum = s0[i] + g * g;
        s0[i] = sum;
        p[i] = p[i] + T(-a.lr) * (g / (sqrt(sum) + T(a.eps)));
      } else if constexpr (K == OptimizerKernel::Adadelta) {
        const T rho = T(a.alpha), c = T(1 - a.alpha), eps = T(a.eps);
        const T sq = s0[i] * rho + c * g * g;
        s0[i] = sq;
        const T delta = sqrt(s1[i] + eps) / sqrt(sq + eps) * g;
        s1[i] = s1[i] * rho + c * delta * delta;
        p[i] = p[i] + T(-a.lr) * delta;
      } else if constexpr (K == OptimizerKernel::Adamax) {
        const T m = s0[i] * T(a.beta1) + T(1 - a.beta1) * g;
        s0[i] = m;
        const T u = max_of(s1[i] * T(a.beta2), T(fabs(g)) + T(a.eps));
        s1[i] = u;
        p[i] = p[i] + T(-a.lr) * (m / u);
      } else if constexpr (K == OptimizerKernel::NAdam) {
        const T m = s0[i] * T(a.beta1) + T(1 - a.beta1) * g;
        const T v = s1[i] * T(a.beta2) + T(1 - a.beta2) * g * g;
        s0[i] = m;
        s1[i] = v;
        const T denom = sqrt(v / T(a.bias_correction2)) + T(a.eps);
        p[i] = p[i] + T(a.coef1) * (g / denom);
        p[i] = p[i] + T(a.coef2) * (m / denom);
      } else if constexpr (K == OptimizerKernel::RAdam) {
        const T m = s0[i] * T(a.beta1) + T(1 - a.beta1) * g;
        const T v = s1[i] * T(a.beta2) + T(1 - a.beta2) * g * g;
        s0[i] = m;
        s1[i] = v;
        const T corrected = m / T(a.bias_correction1), lr = T(a.lr);
        const T upd = a.coef1 > 0
                          ? corrected * lr * (T(sqrt(a.bias_correction2)) / (sqrt(v) + T(a.eps))) * T(a.coef1)
                          : corrected * lr;
        p[i] = p[i] + T(-1) * upd;
      }
    }
  }
}

template <typename T>
T* slot(const std::vector<Tensor>& state, size_t i) {
  return i < state.size() && state[i].defined() ? state[i].data_ptr<T>() : nullptr;
}

template <typename T, OptimizerKernel K>
void launch(const OptimizerStepArgs& a, const Tensor& param, const Tensor& grad, const std::vector<Tensor>& state,
            cudaStream_t st) {
  const int64_t n = param.numel();
  optim_kernel<T, K><<<blocks_for(n), kThreads, 0, st>>>(a, param.data_ptr<T>(), grad.data_ptr<T>(),
                                                         slot<T>(state, 0), slot<T>(state, 1), slot<T>(state, 2), n);
}

template <typename T>
void sweep(const OptimizerStepArgs& a, const Tensor& param, const Tensor& grad, const std::vector<Tensor>& state,
           cudaStream_t st) {
  switch (a.kind) {
    case OptimizerKernel::SGD: return launch<T, OptimizerKernel::SGD>(a, param, grad, state, st);
    case OptimizerKernel::Adam: return launch<T, OptimizerKernel::Adam>(a, param, grad, state, st);
    case OptimizerKernel::AdamW: return launch<T, OptimizerKernel::AdamW>(a, param, grad, state, st);
    case OptimizerKernel::RMSprop: return launch<T, OptimizerKernel::RMSprop>(a, param, grad, state, st);
    case OptimizerKernel::Adagrad: return launch<T, OptimizerKernel::Adagrad>(a, param, grad, state, st);
    case OptimizerKernel::Adadelta: return launch<T, OptimizerKernel::Adadelta>(a, param, grad, state, st);
    case OptimizerKernel::Adamax: return launch<T, OptimizerKernel::Adamax>(a, param, grad, state, st);
    case OptimizerKernel::NAdam: return launch<T, OptimizerKernel::NAdam>(a, param, grad, state, st);
    case OptimizerKernel::RAdam: return launch<T, OptimizerKernel::RAdam>(a, param, grad, state, st);
  }
}

}  // namespace

void CudaBackend::optimizer_step_(const OptimizerStepArgs& args, const Tensor& param, const Tensor& grad,
                                  const std::vector<Tensor>& state) {
  check_contiguous("optimizer step", {&param, &grad});
  for (const Tensor& s : state) check_contiguous("optimizer step", {&s});
  if (param.numel() == 0) return;
  cudaStream_t st = stream_for(param);
  switch (param.dtype()) {
    case kFloat32: sweep<float>(args, param, grad, state, st); break;
    case kFloat64: sweep<double>(args, param, grad, state, st); break;
    default: WICK_FAIL("optimizer step (CUDA): expected a float32 or float64 parameter, got ", dtype_name(param.dtype()));
  }
  WICK_CUDA_CHECK_LAUNCH();
}

}  // namespace wick::cuda

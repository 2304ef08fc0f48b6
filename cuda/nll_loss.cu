// CUDA negative log-likelihood kernels over (N, C, K) log-probabilities with the CPU's contract
// (src/cpu/nll_loss.cpp): Mean/Sum reduce in double in one block; the backward zero-fills then
// writes one element per (n, k). Out-of-range targets cannot throw from the GPU without a host
// round trip: they make the loss (and their gradient) NaN instead.
#include <cmath>

#include "block_reduce.cuh"
#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

constexpr int kReduceThreads = 1024;

struct NllDims {
  int64_t n, c, k;
  __host__ __device__ int64_t items() const { return n * k; }
};

// weight[t] (1 without weights) for a counted target; 0 for an ignored one; NaN out of range.
template <typename T>
__device__ __forceinline__ double target_weight(int64_t t, const NllDims& d, int64_t ignore_index, const T* w) {
  if (t == ignore_index) return 0.0;
  if (t < 0 || t >= d.c) return NAN;
  return w ? static_cast<double>(w[t]) : 1.0;
}

// Item e = (i, j) of the (N, K) targets reads input[i, t, j].
__device__ __forceinline__ int64_t input_offset(const NllDims& d, int64_t e, int64_t t) {
  const int64_t i = e / d.k, j = e % d.k;
  return (i * d.c + (t < 0 || t >= d.c ? 0 : t)) * d.k + j;
}

// out (N, K) = -weight[t] * input[n, t, k].
template <typename T>
__global__ void nll_none_kernel(T* out, const T* x, const int64_t* target, const T* w, NllDims d, int64_t ignore_index) {
  for (int64_t e = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; e < d.items(); e += int64_t{gridDim.x} * blockDim.x) {
    const int64_t t = target[e];
    const double wt = target_weight(t, d, ignore_index, w);
    out[e] = wt == 0.0 ? T(0) : static_cast<T>(-wt * static_cast<double>(x[input_offset(d, e, t)]));
  }
}

// One block: out = -sum(weight[t] * input) (/ total weight for Mean), total_weight = its weight sum.
template <typename T>
__global__ void nll_reduce_kernel(T* out, T* total_weight, const T* x, const int64_t* target, const T* w, NllDims d,
                                  int64_t ignore_index, bool mean) {
  double sum = 0, wsum = 0;
  for (int64_t e = threadIdx.x; e < d.items(); e += blockDim.x) {
    const int64_t t = target[e];
    if (t == ignore_index) continue;
    const double wt = target_weight(t, d, ignore_index, w);
    sum -= wt * static_cast<double>(x[input_offset(d, e, t)]);
    wsum += wt;
  }
  sum = block_sum(sum);
  wsum = block_sum(wsum);
  if (threadIdx.x != 0) return;
  *out = static_cast<T>(mean ? sum / wsum : sum);  // Mean over nothing: 0 / 0 = NaN, as PyTorch
  *total_weight = static_cast<T>(wsum);
}

// grad_input (N, C, K) is zero; writes -weight[t] * g at [n, t, k].
template <typename T>
__global__ void nll_backward_kernel(T* gi, const T* go, const int64_t* target, const T* w, const T* total_weight,
                                    NllDims d, int64_t ignore_index, LossReduction reduction) {
  for (int64_t e = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; e < d.items(); e += int64_t{gridDim.x} * blockDim.x) {
    const int64_t t = target[e];
    if (t == ignore_index) continue;
    const double wt = target_weight(t, d, ignore_index, w);
    double g = static_cast<double>(reduction == LossReduction::None ? go[e] : go[0]);
    if (reduction == LossReduction::Mean) g /= static_cast<double>(*total_weight);
    gi[input_offset(d, e, t)] = static_cast<T>(-wt * g);
  }
}

NllDims nll_dims(const Tensor& input) { return {input.size(0), input.size(1), input.size(2)}; }

}  // namespace

void CudaBackend::nll_loss_forward(const Tensor& out, const Tensor& total_weight, const Tensor& input,
                                   const Tensor& target, const Tensor& weight, LossReduction reduction,
                                   int64_t ignore_index) {
  check_contiguous("nll_loss", {&out, &input, &target, &weight});
  WICK_CHECK(target.dtype() == kInt64, "nll_loss (CUDA): expected int64 targets, got ", dtype_name(target.dtype()));
  const NllDims d = nll_dims(input);
  cudaStream_t st = stream_for(input);
  dispatch_float<false>(input.dtype(), "nll_loss", [&]<typename T>() {
    if (reduction == LossReduction::None) {
      if (d.items() == 0) return;
      nll_none_kernel<T><<<blocks_for(d.items()), kThreads, 0, st>>>(ptr<T>(out), ptr<T>(input), ptr<int64_t>(target),
                                                                     ptr<T>(weight), d, ignore_index);
    } else {
      nll_reduce_kernel<T><<<1, kReduceThreads, 0, st>>>(ptr<T>(out), ptr<T>(total_weight), ptr<T>(input),
                                                         ptr<int64_t>(target), ptr<T>(weight), d, ignore_index,
                                                         reduction == LossReduction::Mean);
    }
    WICK_CUDA_CHECK_LAUNCH();
  });
}

void CudaBackend::nll_loss_backward(const Tensor& grad_input, const Tensor& grad_output, const Tensor& target,
                                    const Tensor& weight, LossReduction reduction, int64_t ignore_index,
                                    const Tensor& total_weight) {
  check_contiguous("nll_loss_backward", {&grad_input, &target, &weight});
  const NllDims d = nll_dims(grad_input);
  if (grad_input.numel() == 0) return;
  cudaStream_t st = stream_for(grad_input);
  WICK_CUDA_CHECK(cudaMemsetAsync(grad_input.data_ptr(), 0, grad_input.nbytes(), st));
  if (d.items() == 0) return;
  const Tensor go = grad_output.contiguous();
  dispatch_float<false>(grad_input.dtype(), "nll_loss_backward", [&]<typename T>() {
    nll_backward_kernel<T><<<blocks_for(d.items()), kThreads, 0, st>>>(
        ptr<T>(grad_input), ptr<T>(go), ptr<int64_t>(target), ptr<T>(weight), ptr<T>(total_weight), d, ignore_index,
        reduction);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

}  // namespace wick::cuda

// CUDA CTC loss kernels with the CPU's contract (src/cpu/ctc_loss.cpp): log-space alpha (forward)
// and beta (backward) recursions over the blank-extended target, one block per batch item with
// the states spread over its threads and a barrier per time step. No label checks (the op did them).
#include <limits>
#include <vector>

#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

constexpr int kCtcThreads = 256;

template <typename T>
__device__ __forceinline__ T log_add(T a, T b) {
  const T m = a > b ? a : b;
  if (m == -INFINITY) return m;
  return m + log(exp(a - m) + exp(b - m));
}

// Per-item sizes, uploaded from the host: meta[b] = {offset, input_length, target_length}.
struct CtcMeta {
  int64_t offset, t_len, l_len;
};

struct CtcDims {
  int64_t tmax, n, c, sp;  // log_probs (T, N, C), log_alpha (N, T, S')
};

__device__ __forceinline__ int64_t label_of(const int64_t* labels, int64_t s, int64_t blank) {
  return s % 2 == 0 ? blank : labels[s / 2];
}

// State s may be entered from s - 2 (skipping a blank) when its label differs from s - 2's.
__device__ __forceinline__ bool can_skip(const int64_t* labels, int64_t s) {
  return s % 2 == 1 && s >= 3 && labels[s / 2] != labels[s / 2 - 1];
}

template <typename T>
__global__ void ctc_alpha_kernel(T* nll, T* log_alpha, const T* lp, const int64_t* targets, const CtcMeta* meta,
                                 CtcDims d, int64_t blank) {
  const int64_t b = blockIdx.x;
  const CtcMeta m = meta[b];
  const int64_t* labels = targets + m.offset;
  const int64_t states = 2 * m.l_len + 1;
  T* la = log_alpha + b * d.tmax * d.sp;
  for (int64_t i = threadIdx.x; i < d.tmax * d.sp; i += blockDim.x) la[i] = -INFINITY;
  __syncthreads();
  auto lpr = [&](int64_t t, int64_t cls) { return lp[(t * d.n + b) * d.c + cls]; };
  if (m.t_len == 0) {
    if (threadIdx.x == 0) nll[b] = m.l_len == 0 ? T(0) : T(INFINITY);
    return;
  }
  if (threadIdx.x == 0) {
    la[0] = lpr(0, blank);
    if (m.l_len > 0) la[1] = lpr(0, labels[0]);
  }
  __syncthreads();
  for (int64_t t = 1; t < m.t_len; ++t) {
    const T* prev = la + (t - 1) * d.sp;
    T* cur = la + t * d.sp;
    for (int64_t s = threadIdx.x; s < states; s += blockDim.x) {
      T v = prev[s];
      if (s >= 1) v = log_add(v, prev[s - 1]);
      if (can_skip(labels, s)) v = log_add(v, prev[s - 2]);
      cur[s] = v == T(-INFINITY) ? v : v + lpr(t, label_of(labels, s, blank));
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    const T* last = la + (m.t_len - 1) * d.sp;
    nll[b] = -(m.l_len > 0 ? log_add(last[states - 1], last[states - 2]) : last[0]);
  }
}

// beta (N, T, S') scratch; grad (T, N, C) = (exp(lp) - exp(log(sum_{s: l'(s) = k} alpha beta) +
// nll - lp)) * grad_nll, 0 past the input length and for zeroed items.
template <typename T>
__global__ void ctc_grad_kernel(T* grad, T* beta_all, const T* grad_nll, const T* lp, const int64_t* targets,
                                const CtcMeta* meta, const T* nll, const T* log_alpha, CtcDims d, int64_t blank,
                                bool zero_infinity) {
  const int64_t b = blockIdx.x;
  const CtcMeta m = meta[b];
  const int64_t* labels = targets + m.offset;
  const int64_t states = 2 * m.l_len + 1;
  auto gat = [&](int64_t t) { return grad + (t * d.n + b) * d.c; };
  auto lpr = [&](int64_t t, int64_t cls) { return lp[(t * d.n + b) * d.c + cls]; };
  const bool zero = (zero_infinity && nll[b] == T(INFINITY)) || m.t_len == 0;
  for (int64_t i = threadIdx.x; i < (d.tmax - (zero ? 0 : m.t_len)) * d.c; i += blockDim.x)
    gat((zero ? 0 : m.t_len) + i / d.c)[i % d.c] = T(0);
  if (zero) return;
  T* beta = beta_all + b * d.tmax * d.sp;
  const int64_t tl = m.t_len - 1;
  for (int64_t s = threadIdx.x; s < states; s += blockDim.x) {
    T v = -INFINITY;
    if (s == states - 1) v = lpr(tl, blank);
    if (m.l_len > 0 && s == states - 2) v = lpr(tl, labels[m.l_len - 1]);
    beta[tl * d.sp + s] = v;
  }
  __syncthreads();
  for (int64_t t = tl - 1; t >= 0; --t) {
    const T* next = beta + (t + 1) * d.sp;
    for (int64_t s = threadIdx.x; s < states; s += blockDim.x) {
      T v = next[s];
      if (s + 1 < states) v = log_add(v, next[s + 1]);
      if (s + 2 < states && can_skip(labels, s + 2)) v = log_add(v, next[s + 2]);
      beta[t * d.sp + s] = v == T(-INFINITY) ? v : v + lpr(t, label_of(labels, s, blank));
    }
    __syncthreads();
  }
  const T* la = log_alpha + b * d.tmax * d.sp;
  const T nl = nll[b], gn = grad_nll[b];
  for (int64_t i = threadIdx.x; i < m.t_len * d.c; i += blockDim.x) {
    const int64_t t = i / d.c, k = i % d.c;
    // The states labelled k, in ascending order as the CPU sums them.
    T acc = -INFINITY;
    if (k == blank) {
      for (int64_t s = 0; s < states; s += 2) acc = log_add(acc, la[t * d.sp + s] + beta[t * d.sp + s]);
    } else {
      for (int64_t s = 1; s < states; s += 2)
        if (labels[s / 2] == k) acc = log_add(acc, la[t * d.sp + s] + beta[t * d.sp + s]);
    }
    const T l = lpr(t, k);
    gat(t)[k] = (exp(l) - exp(acc + nl - l)) * gn;
  }
}

// Copies the per-item offsets and lengths into ws (n CtcMeta, living for the call).
void upload_meta(Workspace& ws, IntArrayRef offsets, IntArrayRef input_lengths, IntArrayRef target_lengths,
                 int64_t n, cudaStream_t st) {
  WICK_CHECK(static_cast<int64_t>(offsets.size()) == n && static_cast<int64_t>(input_lengths.size()) == n &&
                 static_cast<int64_t>(target_lengths.size()) == n,
             "ctc_loss (CUDA): expected one offset and length per batch item");
  std::vector<CtcMeta> host(static_cast<size_t>(n));
  for (size_t b = 0; b < host.size(); ++b) host[b] = {offsets[b], input_lengths[b], target_lengths[b]};
  // From pageable memory the call returns once `host` has been staged, so it may die at return.
  WICK_CUDA_CHECK(cudaMemcpyAsync(ws.data(), host.data(), host.size() * sizeof(CtcMeta), cudaMemcpyHostToDevice, st));
}

CtcDims ctc_dims(const Tensor& log_probs, const Tensor& log_alpha) {
  return {log_probs.size(0), log_probs.size(1), log_probs.size(2), log_alpha.size(2)};
}

}  // namespace

void CudaBackend::ctc_loss_forward(const Tensor& nll, const Tensor& log_alpha, const Tensor& log_probs,
                                   const Tensor& targets, IntArrayRef target_offsets, IntArrayRef input_lengths,
                                   IntArrayRef target_lengths, int64_t blank) {
  check_contiguous("ctc_loss", {&nll, &log_alpha, &log_probs, &targets});
  const CtcDims d = ctc_dims(log_probs, log_alpha);
  if (d.n == 0) return;
  cudaStream_t st = stream_for(log_probs);
  Workspace meta(static_cast<size_t>(d.n) * sizeof(CtcMeta), device_index(log_probs));
  upload_meta(meta, target_offsets, input_lengths, target_lengths, d.n, st);
  dispatch_float<false>(log_probs.dtype(), "ctc_loss", [&]<typename T>() {
    ctc_alpha_kernel<T><<<static_cast<unsigned>(d.n), kCtcThreads, 0, st>>>(
        ptr<T>(nll), ptr<T>(log_alpha), ptr<T>(log_probs), ptr<int64_t>(targets),
        static_cast<const CtcMeta*>(meta.data()), d, blank);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

void CudaBackend::ctc_loss_backward(const Tensor& grad, const Tensor& grad_nll, const Tensor& log_probs,
                                    const Tensor& targets, IntArrayRef target_offsets, IntArrayRef input_lengths,
                                    IntArrayRef target_lengths, const Tensor& nll, const Tensor& log_alpha,
                                    int64_t blank, bool zero_infinity) {
  check_contiguous("ctc_loss_backward", {&grad, &log_probs, &targets, &nll, &log_alpha});
  const CtcDims d = ctc_dims(log_probs, log_alpha);
  if (d.n == 0) return;
  cudaStream_t st = stream_for(log_probs);
  const int dev = device_index(log_probs);
  Workspace meta(static_cast<size_t>(d.n) * sizeof(CtcMeta), dev);
  upload_meta(meta, target_offsets, input_lengths, target_lengths, d.n, st);
  const Tensor gn = grad_nll.contiguous();
  dispatch_float<false>(log_probs.dtype(), "ctc_loss_backward", [&]<typename T>() {
    Workspace beta(std::max<size_t>(static_cast<size_t>(d.n * d.tmax * d.sp), 1) * sizeof(T), dev);
    ctc_grad_kernel<T><<<static_cast<unsigned>(d.n), kCtcThreads, 0, st>>>(
        ptr<T>(grad), static_cast<T*>(beta.data()), ptr<T>(gn), ptr<T>(log_probs), ptr<int64_t>(targets),
        static_cast<const CtcMeta*>(meta.data()), ptr<T>(nll), ptr<T>(log_alpha), d, blank, zero_infinity);
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace wick::cuda

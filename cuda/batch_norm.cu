// CUDA batch norm kernels over x (N, C, S), with the CPU's contract (src/cpu/batch_norm.cpp). Each
// channel's N * S values are split into chunks, one block per (channel, chunk), so small channel
// counts still fill the GPU; blocks write double partial sums that a per-channel kernel combines
// in order (deterministic, no atomics). y = x * alpha[c] + beta[c] is a separate elementwise pass.
// No cuDNN, no channels-last.
#include "block_reduce.cuh"
#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

constexpr int kReduceThreads = 256;

struct BnDims {
  int64_t n, c, s;
  int64_t chunks;  // blocks per channel in the reductions
  __host__ __device__ int64_t count() const { return n * s; }
  __host__ __device__ int64_t chunk_len() const { return (count() + chunks - 1) / chunks; }
};

// Element e of channel c's N * S values.
__device__ __forceinline__ int64_t bn_offset(const BnDims& d, int64_t c, int64_t e) {
  return ((e / d.s) * d.c + c) * d.s + e % d.s;
}

// Block (c, k) of grid (C, chunks): part[c][k] = (sum(x - K), sum((x - K)^2)) over chunk k, with
// the shift K = the channel's first value (shifted sums keep E[x^2] - E[x]^2 free of cancellation).
template <typename T>
__global__ void bn_stats_partial_kernel(double* part, const T* x, BnDims d) {
  const int64_t c = blockIdx.x, k = blockIdx.y;
  const int64_t b = k * d.chunk_len(), e_end = min(d.count(), b + d.chunk_len());
  const double shift = static_cast<double>(x[bn_offset(d, c, 0)]);
  double s = 0, ss = 0;
#pragma unroll 4
  for (int64_t e = b + threadIdx.x; e < e_end; e += blockDim.x) {
    const double v = static_cast<double>(x[bn_offset(d, c, e)]) - shift;
    s += v;
    ss += v * v;
  }
  s = block_sum(s);
  ss = block_sum(ss);
  if (threadIdx.x == 0) {
    part[2 * (c * d.chunks + k)] = s;
    part[2 * (c * d.chunks + k) + 1] = ss;
  }
}

// One thread per channel: save_mean, save_invstd from the partials (training) or the running
// stats (eval); in training the running stats move by momentum (unbiased variance).
template <typename T>
__global__ void bn_stats_final_kernel(T* save_mean, T* save_invstd, const double* part, const T* x, T* running_mean,
                                      T* running_var, BnDims d, bool training, double momentum, double eps) {
  for (int64_t c = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; c < d.c; c += int64_t{gridDim.x} * blockDim.x) {
    if (!training) {
      save_mean[c] = running_mean[c];
      save_invstd[c] = static_cast<T>(1.0 / sqrt(static_cast<double>(running_var[c]) + eps));
      continue;
    }
    const int64_t cnt = d.count();
    double mu = 0, m2 = 0;  // m2: the sum of squared deviations from the mean
    if (cnt > 0) {
      double s = 0, ss = 0;
      for (int64_t k = 0; k < d.chunks; ++k) {
        s += part[2 * (c * d.chunks + k)];
        ss += part[2 * (c * d.chunks + k) + 1];
      }
      const double shift = static_cast<double>(x[bn_offset(d, c, 0)]);
      mu = shift + s / static_cast<double>(cnt);
      m2 = max(ss - s * s / static_cast<double>(cnt), 0.0);
    }
    const double var = cnt > 0 ? m2 / static_cast<double>(cnt) : 0.0;
    save_mean[c] = static_cast<T>(mu);
    save_invstd[c] = static_cast<T>(1.0 / sqrt(var + eps));
    if (running_mean) running_mean[c] = static_cast<T>((1 - momentum) * static_cast<double>(running_mean[c]) + momentum * mu);
    if (running_var) {
      const double unbiased = cnt > 1 ? m2 / static_cast<double>(cnt - 1) : m2;
      running_var[c] = static_cast<T>((1 - momentum) * static_cast<double>(running_var[c]) + momentum * unbiased);
    }
  }
}

// y = x * alpha + beta with alpha = invstd * w, beta = b - mean * alpha (per channel).
template <typename T>
__global__ void bn_apply_kernel(T* out, const T* x, const T* mean, const T* invstd, const T* w, const T* b, BnDims d,
                                int64_t total) {
  using A = acc_t<T>;
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < total; i += int64_t{gridDim.x} * blockDim.x) {
    const int64_t c = (i / d.s) % d.c;
    const double alpha = static_cast<double>(invstd[c]) * (w ? static_cast<double>(w[c]) : 1.0);
    const double beta = (b ? static_cast<double>(b[c]) : 0.0) - static_cast<double>(mean[c]) * alpha;
    store(out, i, load(x, i) * static_cast<A>(alpha) + static_cast<A>(beta));
  }
}

// Block (c, k): part[c][k] = (sum dy, sum dy * (x - mean)) over chunk k.
template <typename T>
__global__ void bn_backward_partial_kernel(double* part, const T* dy, const T* x, const T* mean, BnDims d) {
  const int64_t c = blockIdx.x, k = blockIdx.y;
  const int64_t b = k * d.chunk_len(), e_end = min(d.count(), b + d.chunk_len());
  const double mu = static_cast<double>(mean[c]);
  double s_dy = 0, s_dyx = 0;
#pragma unroll 4
  for (int64_t e = b + threadIdx.x; e < e_end; e += blockDim.x) {
    const int64_t o = bn_offset(d, c, e);
    const double g = static_cast<double>(dy[o]);
    s_dy += g;
    s_dyx += g * (static_cast<double>(x[o]) - mu);
  }
  s_dy = block_sum(s_dy);
  s_dyx = block_sum(s_dyx);
  if (threadIdx.x == 0) {
    part[2 * (c * d.chunks + k)] = s_dy;
    part[2 * (c * d.chunks + k) + 1] = s_dyx;
  }
}

// One thread per channel: sums[c] = (sum dy, sum dy * (x - mean)); dbias, dweight from them.
template <typename T>
__global__ void bn_backward_final_kernel(double* sums, T* dweight, T* dbias, const double* part, const T* invstd,
                                         BnDims d) {
  for (int64_t c = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; c < d.c; c += int64_t{gridDim.x} * blockDim.x) {
    double s_dy = 0, s_dyx = 0;
    for (int64_t k = 0; k < d.chunks; ++k) {
      s_dy += part[2 * (c * d.chunks + k)];
      s_dyx += part[2 * (c * d.chunks + k) + 1];
    }
    sums[2 * c] = s_dy;
    sums[2 * c + 1] = s_dyx;
    if (dbias) dbias[c] = static_cast<T>(s_dy);
    if (dweight) dweight[c] = static_cast<T>(s_dyx * static_cast<double>(invstd[c]));
  }
}

// dx = k * dy - proj * (x - mean) - k * mean(dy), k = w * invstd, proj = k * invstd^2 *
// mean(dy * (x - mean)); the last two terms only when the statistics came from the batch.
template <typename T>
__global__ void bn_backward_dx_kernel(T* dx, const T* dy, const T* x, const T* mean, const T* invstd, const T* w,
                                      const double* sums, BnDims d, bool training, int64_t total) {
  using A = acc_t<T>;
  const double cnt = static_cast<double>(d.count());
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < total; i += int64_t{gridDim.x} * blockDim.x) {
    const int64_t c = (i / d.s) % d.c;
    const double is = static_cast<double>(invstd[c]), mu = static_cast<double>(mean[c]);
    const double k = (w ? static_cast<double>(w[c]) : 1.0) * is;
    const double mean_dy = training && cnt > 0 ? sums[2 * c] / cnt : 0.0;
    const double proj = training && cnt > 0 ? k * is * is * sums[2 * c + 1] / cnt : 0.0;
    const A tk = static_cast<A>(k), tp = static_cast<A>(proj), tc = static_cast<A>(-k * mean_dy + proj * mu);
    store(dx, i, tk * load(dy, i) - tp * load(x, i) + tc);
  }
}

// Chunks per channel: enough blocks to fill the GPU (about 2048 in all), each over at least 2048
// values; at most 65535 (the grid's y limit).
BnDims bn_dims(const Tensor& x) {
  BnDims d{x.size(0), x.size(1), x.size(2), 1};
  const int64_t by_blocks = (2048 + d.c - 1) / std::max<int64_t>(d.c, 1);
  const int64_t by_work = (d.count() + 2047) / 2048;
  d.chunks = std::clamp<int64_t>(std::min(by_blocks, by_work), 1, 65535);
  return d;
}

dim3 reduce_grid(const BnDims& d) {
  WICK_CHECK(d.c < (int64_t{1} << 31), "batch_norm (CUDA): too many channels (", d.c, ")");
  return dim3(static_cast<unsigned>(d.c), static_cast<unsigned>(d.chunks));
}

}  // namespace

void CudaBackend::batch_norm(const Tensor& out, const Tensor& save_mean, const Tensor& save_invstd, const Tensor& x,
                             const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                             const Tensor& running_var, bool training, double momentum, double eps) {
  check_contiguous("batch_norm", {&out, &save_mean, &save_invstd, &x, &weight, &bias, &running_mean, &running_var});
  WICK_CHECK(training || (running_mean.defined() && running_var.defined()),
             "batch_norm (CUDA): evaluation needs running_mean and running_var");
  const BnDims d = bn_dims(x);
  if (d.c == 0) return;
  cudaStream_t st = stream_for(x);
  const bool reduce = training && d.count() > 0;
  Workspace part(reduce ? static_cast<size_t>(2 * d.c * d.chunks) * sizeof(double) : 1, device_index(x));
  double* pp = static_cast<double*>(part.data());
  dispatch_float(x.dtype(), "batch_norm", [&]<typename T>() {
    if (reduce) {
      bn_stats_partial_kernel<T><<<reduce_grid(d), kReduceThreads, 0, st>>>(pp, ptr<T>(x), d);
      WICK_CUDA_CHECK_LAUNCH();
    }
    bn_stats_final_kernel<T><<<blocks_for(d.c), kThreads, 0, st>>>(ptr<T>(save_mean), ptr<T>(save_invstd), pp,
                                                                     ptr<T>(x), ptr<T>(running_mean),
                                                                     ptr<T>(running_var), d, training, momentum, eps);
    WICK_CUDA_CHECK_LAUNCH();
    if (x.numel() == 0) return;
    bn_apply_kernel<T><<<blocks_for(x.numel()), kThreads, 0, st>>>(ptr<T>(out), ptr<T>(x), ptr<T>(save_mean),
                                                                   ptr<T>(save_invstd), ptr<T>(weight), ptr<T>(bias),
                                                                   d, x.numel());
    WICK_CUDA_CHECK_LAUNCH();
  });
}

void CudaBackend::batch_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias, const Tensor& dy,
                                      const Tensor& x, const Tensor& weight, const Tensor& save_mean,
                                      const Tensor& save_invstd, bool training) {
  check_contiguous("batch_norm_backward", {&dx, &dweight, &dbias, &dy, &x, &weight, &save_mean, &save_invstd});
  const BnDims d = bn_dims(x);
  if (d.c == 0) return;
  cudaStream_t st = stream_for(x);
  const int dev = device_index(x);
  // sums (C, 2), then the partials (C, chunks, 2)
  Workspace buf(static_cast<size_t>(2 * d.c * (1 + d.chunks)) * sizeof(double), dev);
  double* sums = static_cast<double*>(buf.data());
  double* pp = sums + 2 * d.c;
  if (d.count() == 0) WICK_CUDA_CHECK(cudaMemsetAsync(pp, 0, static_cast<size_t>(2 * d.c * d.chunks) * sizeof(double), st));
  dispatch_float(x.dtype(), "batch_norm_backward", [&]<typename T>() {
    if (d.count() > 0) {
      bn_backward_partial_kernel<T><<<reduce_grid(d), kReduceThreads, 0, st>>>(pp, ptr<T>(dy), ptr<T>(x),
                                                                                ptr<T>(save_mean), d);
      WICK_CUDA_CHECK_LAUNCH();
    }
    bn_backward_final_kernel<T><<<blocks_for(d.c), kThreads, 0, st>>>(sums, ptr<T>(dweight), ptr<T>(dbias), pp,
                                                                         ptr<T>(save_invstd), d);
    WICK_CUDA_CHECK_LAUNCH();
    if (!dx.defined() || x.numel() == 0) return;
    bn_backward_dx_kernel<T><<<blocks_for(x.numel()), kThreads, 0, st>>>(
        ptr<T>(dx), ptr<T>(dy), ptr<T>(x), ptr<T>(save_mean), ptr<T>(save_invstd), ptr<T>(weight), sums, d, training,
        x.numel());
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace wick::cuda

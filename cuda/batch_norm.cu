// CUDA batch norm kernels over x (N, C, S), with the CPU's contract (src/cpu/batch_norm.cpp): one
// block per channel reduces its statistics in double (two passes: mean, then squared deviations),
// then an elementwise kernel applies y = x * alpha[c] + beta[c]. No cuDNN, no channels-last.
#include "block_reduce.cuh"
#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

// One block per channel: wide, and unrolled loops keep several loads in flight per thread.
constexpr int kReduceThreads = 1024;

struct BnDims {
  int64_t n, c, s;
};

// Element e of channel c's N * S values.
__device__ __forceinline__ int64_t bn_offset(const BnDims& d, int64_t c, int64_t e) {
  return ((e / d.s) * d.c + c) * d.s + e % d.s;
}

// One block per channel: batch mean and 1/std into save_*, and running stats (when given) move by
// momentum toward them (unbiased variance). Eval: save_* from the running stats.
template <typename T>
__global__ void bn_stats_kernel(T* save_mean, T* save_invstd, const T* x, T* running_mean, T* running_var,
                                BnDims d, bool training, double momentum, double eps) {
  const int64_t c = blockIdx.x;
  if (!training) {
    if (threadIdx.x == 0) {
      save_mean[c] = running_mean[c];
      save_invstd[c] = static_cast<T>(1.0 / sqrt(static_cast<double>(running_var[c]) + eps));
    }
    return;
  }
  const int64_t cnt = d.n * d.s;
  double s = 0;
#pragma unroll 4
  for (int64_t e = threadIdx.x; e < cnt; e += blockDim.x) s += static_cast<double>(x[bn_offset(d, c, e)]);
  s = block_sum(s);
  const double mu = cnt > 0 ? s / static_cast<double>(cnt) : 0.0;
  double ss = 0;
#pragma unroll 4
  for (int64_t e = threadIdx.x; e < cnt; e += blockDim.x) {
    const double v = static_cast<double>(x[bn_offset(d, c, e)]) - mu;
    ss += v * v;
  }
  ss = block_sum(ss);
  if (threadIdx.x != 0) return;
  const double var = cnt > 0 ? ss / static_cast<double>(cnt) : 0.0;
  save_mean[c] = static_cast<T>(mu);
  save_invstd[c] = static_cast<T>(1.0 / sqrt(var + eps));
  if (running_mean) running_mean[c] = static_cast<T>((1 - momentum) * static_cast<double>(running_mean[c]) + momentum * mu);
  if (running_var) {
    const double unbiased = cnt > 1 ? ss / static_cast<double>(cnt - 1) : ss;
    running_var[c] = static_cast<T>((1 - momentum) * static_cast<double>(running_var[c]) + momentum * unbiased);
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

// One block per channel: sums[c] = (sum dy, sum dy * (x - mean)); dbias, dweight from them.
template <typename T>
__global__ void bn_backward_reduce_kernel(double* sums, T* dweight, T* dbias, const T* dy, const T* x, const T* mean,
                                          const T* invstd, BnDims d) {
  const int64_t c = blockIdx.x, cnt = d.n * d.s;
  const double mu = static_cast<double>(mean[c]);
  double s_dy = 0, s_dyx = 0;
#pragma unroll 4
  for (int64_t e = threadIdx.x; e < cnt; e += blockDim.x) {
    const int64_t o = bn_offset(d, c, e);
    const double g = static_cast<double>(dy[o]);
    s_dy += g;
    s_dyx += g * (static_cast<double>(x[o]) - mu);
  }
  s_dy = block_sum(s_dy);
  s_dyx = block_sum(s_dyx);
  if (threadIdx.x != 0) return;
  sums[2 * c] = s_dy;
  sums[2 * c + 1] = s_dyx;
  if (dbias) dbias[c] = static_cast<T>(s_dy);
  if (dweight) dweight[c] = static_cast<T>(s_dyx * static_cast<double>(invstd[c]));
}

// dx = k * dy - proj * (x - mean) - k * mean(dy), k = w * invstd, proj = k * invstd^2 *
// mean(dy * (x - mean)); the last two terms only when the statistics came from the batch.
template <typename T>
__global__ void bn_backward_dx_kernel(T* dx, const T* dy, const T* x, const T* mean, const T* invstd, const T* w,
                                      const double* sums, BnDims d, bool training, int64_t total) {
  using A = acc_t<T>;
  const double cnt = static_cast<double>(d.n * d.s);
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

BnDims bn_dims(const Tensor& x) { return {x.size(0), x.size(1), x.size(2)}; }

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
  dispatch_float(x.dtype(), "batch_norm", [&]<typename T>() {
    bn_stats_kernel<T><<<static_cast<unsigned>(d.c), kReduceThreads, 0, st>>>(
        ptr<T>(save_mean), ptr<T>(save_invstd), ptr<T>(x), ptr<T>(running_mean), ptr<T>(running_var), d, training,
        momentum, eps);
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
  Workspace sums(static_cast<size_t>(2 * d.c) * sizeof(double), device_index(x));
  double* sp = static_cast<double*>(sums.data());
  dispatch_float(x.dtype(), "batch_norm_backward", [&]<typename T>() {
    bn_backward_reduce_kernel<T><<<static_cast<unsigned>(d.c), kReduceThreads, 0, st>>>(
        sp, ptr<T>(dweight), ptr<T>(dbias), ptr<T>(dy), ptr<T>(x), ptr<T>(save_mean), ptr<T>(save_invstd), d);
    WICK_CUDA_CHECK_LAUNCH();
    if (!dx.defined() || x.numel() == 0) return;
    bn_backward_dx_kernel<T><<<blocks_for(x.numel()), kThreads, 0, st>>>(
        ptr<T>(dx), ptr<T>(dy), ptr<T>(x), ptr<T>(save_mean), ptr<T>(save_invstd), ptr<T>(weight), sp, d, training,
        x.numel());
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace wick::cuda

// CUDA layer norm kernels over rows of x (M, N), with the CPU's contract (src/cpu/layer_norm.cpp):
// one block per row for the statistics, output and dx (double accumulation, two passes);
// dweight/dbias as column sums, first per row chunk into a double buffer, then across chunks (no
// atomics, so results are deterministic). No fused residual or dropout here.
#include "block_reduce.cuh"
#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

constexpr int kRowThreads = 256;

// One block per row i: mean[i], rstd[i], out[i, :] = (x - mean) * rstd * w + b.
template <typename T>
__global__ void layer_norm_kernel(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b, int64_t n, double eps) {
  using A = acc_t<T>;
  const int64_t i = blockIdx.x;
  const T* xr = x + i * n;
  T* yr = out + i * n;
  double s = 0;
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) s += static_cast<double>(xr[j]);
  s = block_sum(s);
  const double mu = n > 0 ? s / static_cast<double>(n) : 0.0;
  double ss = 0;
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    const double v = static_cast<double>(xr[j]) - mu;
    ss += v * v;
  }
  ss = block_sum(ss);
  const double r = 1.0 / sqrt((n > 0 ? ss / static_cast<double>(n) : 0.0) + eps);
  if (threadIdx.x == 0) {
    mean[i] = static_cast<T>(mu);
    rstd[i] = static_cast<T>(r);
  }
  // As the CPU: mean and rstd rounded to T first.
  const A tm = static_cast<A>(static_cast<T>(mu)), tr = static_cast<A>(static_cast<T>(r));
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    A v = (load(xr, j) - tm) * tr;
    if (w) v *= load(w, j);
    if (b) v += load(b, j);
    store(yr, j, v);
  }
}

// One block per row: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * w.
template <typename T>
__global__ void layer_norm_dx_kernel(T* dx, const T* dy, const T* x, const T* mean, const T* rstd, const T* w,
                                     int64_t n) {
  using A = acc_t<T>;
  const int64_t i = blockIdx.x;
  const T* xr = x + i * n;
  const T* gr = dy + i * n;
  const A mu = load(mean, i), r = load(rstd, i);
  double s1 = 0, s2 = 0;
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    const double g = static_cast<double>(w ? load(gr, j) * load(w, j) : load(gr, j));
    s1 += g;
    s2 += g * (static_cast<double>(xr[j]) - static_cast<double>(mu));
  }
  s1 = block_sum(s1);
  s2 = block_sum(s2) * static_cast<double>(r);
  const A a = static_cast<A>(s1 / static_cast<double>(n)), c = static_cast<A>(s2 / static_cast<double>(n));
  T* dr = dx + i * n;
  for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
    const A g = w ? load(gr, j) * load(w, j) : load(gr, j);
    store(dr, j, r * (g - a - (load(xr, j) - mu) * r * c));
  }
}

constexpr int kColTile = 32, kColRows = 16;

// Block (32, 16) over columns [32 * bx, +32) and row chunk by: partial[by][j] = sums of
// dy * xhat and dy over the chunk's rows.
template <typename T>
__global__ void layer_norm_dwb_partial_kernel(double* pw, double* pb, const T* dy, const T* x, const T* mean,
                                              const T* rstd, int64_t m, int64_t n, int64_t rows_per_chunk) {
  using A = acc_t<T>;
  __shared__ double sw[kColRows][kColTile + 1], sb[kColRows][kColTile + 1];
  const int64_t j = blockIdx.x * int64_t{kColTile} + threadIdx.x;
  const int64_t r0 = blockIdx.y * rows_per_chunk, r1 = min(m, r0 + rows_per_chunk);
  double aw = 0, ab = 0;
  if (j < n) {
    for (int64_t i = r0 + threadIdx.y; i < r1; i += kColRows) {
      const A g = load(dy, i * n + j);
      aw += static_cast<double>(g * ((load(x, i * n + j) - load(mean, i)) * load(rstd, i)));
      ab += static_cast<double>(g);
    }
  }
  sw[threadIdx.y][threadIdx.x] = aw;
  sb[threadIdx.y][threadIdx.x] = ab;
  __syncthreads();
  if (threadIdx.y != 0 || j >= n) return;
  for (int k = 1; k < kColRows; ++k) {
    aw += sw[k][threadIdx.x];
    ab += sb[k][threadIdx.x];
  }
  pw[blockIdx.y * n + j] = aw;
  pb[blockIdx.y * n + j] = ab;
}

template <typename T>
__global__ void layer_norm_dwb_final_kernel(T* dweight, T* dbias, const double* pw, const double* pb, int64_t chunks,
                                            int64_t n) {
  for (int64_t j = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; j < n; j += int64_t{gridDim.x} * blockDim.x) {
    double aw = 0, ab = 0;
    for (int64_t c = 0; c < chunks; ++c) {
      aw += pw[c * n + j];
      ab += pb[c * n + j];
    }
    if (dweight) dweight[j] = static_cast<T>(aw);
    if (dbias) dbias[j] = static_cast<T>(ab);
  }
}

}  // namespace

void CudaBackend::layer_norm(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& x,
                             const Tensor& weight, const Tensor& bias, double eps) {
  check_contiguous("layer_norm", {&out, &mean, &rstd, &x, &weight, &bias});
  const int64_t m = x.size(0), n = x.size(1);
  if (m == 0) return;
  WICK_CHECK(m < (int64_t{1} << 31), "layer_norm (CUDA): too many rows (", m, ")");
  cudaStream_t st = stream_for(x);
  dispatch_float(x.dtype(), "layer_norm", [&]<typename T>() {
    layer_norm_kernel<T><<<static_cast<unsigned>(m), kRowThreads, 0, st>>>(
        ptr<T>(out), ptr<T>(mean), ptr<T>(rstd), ptr<T>(x), ptr<T>(weight), ptr<T>(bias), n, eps);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

void CudaBackend::layer_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias, const Tensor& dy,
                                      const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight) {
  check_contiguous("layer_norm_backward", {&dx, &dweight, &dbias, &dy, &x, &mean, &rstd, &weight});
  const int64_t m = x.size(0), n = x.size(1);
  cudaStream_t st = stream_for(x);
  if (m == 0 || n == 0) {
    // No rows: the column sums are 0.
    for (const Tensor* t : {&dweight, &dbias})
      if (t->defined() && t->numel() > 0) WICK_CUDA_CHECK(cudaMemsetAsync(t->data_ptr(), 0, t->nbytes(), st));
    return;
  }
  WICK_CHECK(m < (int64_t{1} << 31), "layer_norm_backward (CUDA): too many rows (", m, ")");
  dispatch_float(x.dtype(), "layer_norm_backward", [&]<typename T>() {
    if (dx.defined()) {
      layer_norm_dx_kernel<T><<<static_cast<unsigned>(m), kRowThreads, 0, st>>>(
          ptr<T>(dx), ptr<T>(dy), ptr<T>(x), ptr<T>(mean), ptr<T>(rstd), ptr<T>(weight), n);
      WICK_CUDA_CHECK_LAUNCH();
    }
    if (!dweight.defined() && !dbias.defined()) return;
    // Enough row chunks to fill the GPU, each at least 64 rows.
    const int64_t col_blocks = (n + kColTile - 1) / kColTile;
    const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>((m + 63) / 64, std::max<int64_t>(1, 1024 / col_blocks)));
    const int64_t rows_per_chunk = (m + chunks - 1) / chunks;
    Workspace partial(static_cast<size_t>(2 * chunks * n) * sizeof(double), device_index(x));
    double* pw = static_cast<double*>(partial.data());
    double* pb = pw + chunks * n;
    layer_norm_dwb_partial_kernel<T><<<dim3(static_cast<unsigned>(col_blocks), static_cast<unsigned>(chunks)),
                                       dim3(kColTile, kColRows), 0, st>>>(pw, pb, ptr<T>(dy), ptr<T>(x), ptr<T>(mean),
                                                                          ptr<T>(rstd), m, n, rows_per_chunk);
    WICK_CUDA_CHECK_LAUNCH();
    layer_norm_dwb_final_kernel<T><<<blocks_for(n), kThreads, 0, st>>>(ptr<T>(dweight), ptr<T>(dbias), pw, pb, chunks, n);
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace wick::cuda

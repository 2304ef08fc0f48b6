// CUDA pooling kernels (max/avg, sliding or adaptive windows, 1 to 3 spatial dims) with the CPU's
// semantics (src/cpu/pool.cpp): fewer spatial dims are padded in front with size-1 axes; one thread
// per output cell (forward) or per input cell (avg backward, a gather: no atomics). No channels-last.
#include <cmath>
#include <limits>
#include <optional>

#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

// Geometry of the three (front-padded) axes of x (B, *in) -> out (B, *out).
struct PoolGeom {
  int64_t in[3], out[3], k[3], s[3], p[3], d[3];
  bool adaptive;
  bool include_pad;
  int64_t divisor;  // divisor_override, or 0 for none
};

PoolGeom make_geom(IntArrayRef in, IntArrayRef out, const PoolArgs& a) {
  const int64_t nd = static_cast<int64_t>(in.size()) - 1;
  WICK_CHECK(nd >= 1 && nd <= 3 && out.size() == in.size(), "pooling kernel (CUDA): expected 1 to 3 spatial dims");
  PoolGeom g{};
  for (int ax = 0; ax < 3; ++ax) {
    g.in[ax] = g.out[ax] = g.k[ax] = g.s[ax] = g.d[ax] = 1;
    g.p[ax] = 0;
  }
  for (int64_t i = 0; i < nd; ++i) {
    const auto ax = static_cast<size_t>(3 - nd + i), u = static_cast<size_t>(i);
    g.in[ax] = in[u + 1];
    g.out[ax] = out[u + 1];
    if (!a.adaptive) {
      g.k[ax] = a.kernel[u];
      g.s[ax] = a.stride[u];
      g.p[ax] = a.padding[u];
      g.d[ax] = a.dilation.empty() ? 1 : a.dilation[u];
    }
  }
  g.adaptive = a.adaptive;
  g.include_pad = a.count_include_pad;
  g.divisor = a.divisor_override ? *a.divisor_override : 0;
  return g;
}

// Output cell o of axis ax reads input cells first + j * step for j < n (those inside [0, in)).
struct Window {
  int64_t first, step, n;
};

__device__ __forceinline__ Window window(const PoolGeom& g, int ax, int64_t o) {
  if (g.adaptive) {
    const int64_t begin = (o * g.in[ax]) / g.out[ax];
    const int64_t end = ((o + 1) * g.in[ax] + g.out[ax] - 1) / g.out[ax];
    return {begin, 1, end - begin};
  }
  return {o * g.s[ax] - g.p[ax], g.d[ax], g.k[ax]};
}

// The axis's share of the average's divisor (PyTorch's pool_size: the padded window stops at the
// right padding edge; without count_include_pad only cells inside the input count).
__device__ __forceinline__ int64_t axis_divisor(const PoolGeom& g, int ax, int64_t o) {
  const Window w = window(g, ax, o);
  if (g.adaptive) return w.n;
  if (g.include_pad) return min(w.first + g.k[ax], g.in[ax] + g.p[ax]) - w.first;
  int64_t c = 0;
  for (int64_t j = 0; j < w.n; ++j) {
    const int64_t i = w.first + j * w.step;
    c += (i >= 0 && i < g.in[ax]);
  }
  return c;
}

__device__ __forceinline__ bool inside(const PoolGeom& g, int ax, int64_t i) { return i >= 0 && i < g.in[ax]; }

// Splits a flat cell index of a (B, A0, A1, A2) grid.
__device__ __forceinline__ void split(int64_t idx, const int64_t* size, int64_t& b, int64_t c[3]) {
  c[2] = idx % size[2];
  idx /= size[2];
  c[1] = idx % size[1];
  idx /= size[1];
  c[0] = idx % size[0];
  b = idx / size[0];
}

// x (B, I0, I1, I2) -> out, indices (B, O0, O1, O2). A later cell wins when strictly greater or
// NaN (PyTorch's rule); every value -inf leaves the first cell as the index.
template <typename T>
__global__ void max_pool_kernel(T* out, int64_t* indices, const T* x, PoolGeom g, int64_t total) {
  using A = acc_t<T>;
  const int64_t in_plane = g.in[0] * g.in[1] * g.in[2];
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < total; idx += int64_t{gridDim.x} * blockDim.x) {
    int64_t b, o[3];
    split(idx, g.out, b, o);
    const Window w0 = window(g, 0, o[0]), w1 = window(g, 1, o[1]), w2 = window(g, 2, o[2]);
    const T* xb = x + b * in_plane;
    A best = -INFINITY;
    int64_t best_i = -1;
    for (int64_t j0 = 0; j0 < w0.n; ++j0) {
      const int64_t i0 = w0.first + j0 * w0.step;
      if (!inside(g, 0, i0)) continue;
      for (int64_t j1 = 0; j1 < w1.n; ++j1) {
        const int64_t i1 = w1.first + j1 * w1.step;
        if (!inside(g, 1, i1)) continue;
        const int64_t row = (i0 * g.in[1] + i1) * g.in[2];
        for (int64_t j2 = 0; j2 < w2.n; ++j2) {
          const int64_t i2 = w2.first + j2 * w2.step;
          if (!inside(g, 2, i2)) continue;
          const A v = load(xb, row + i2);
          if (best_i < 0) best_i = row + i2;
          if (v > best || isnan(v)) {
            best = v;
            best_i = row + i2;
          }
        }
      }
    }
    store(out, idx, best);
    indices[idx] = best_i < 0 ? 0 : best_i;
  }
}

template <typename T>
__global__ void avg_pool_kernel(T* out, const T* x, PoolGeom g, int64_t total) {
  using A = acc_t<T>;
  const int64_t in_plane = g.in[0] * g.in[1] * g.in[2];
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < total; idx += int64_t{gridDim.x} * blockDim.x) {
    int64_t b, o[3];
    split(idx, g.out, b, o);
    const Window w0 = window(g, 0, o[0]), w1 = window(g, 1, o[1]), w2 = window(g, 2, o[2]);
    const T* xb = x + b * in_plane;
    A sum = 0;
    int64_t taps = 0;
    for (int64_t j0 = 0; j0 < w0.n; ++j0) {
      const int64_t i0 = w0.first + j0 * w0.step;
      if (!inside(g, 0, i0)) continue;
      for (int64_t j1 = 0; j1 < w1.n; ++j1) {
        const int64_t i1 = w1.first + j1 * w1.step;
        if (!inside(g, 1, i1)) continue;
        const int64_t row = (i0 * g.in[1] + i1) * g.in[2];
        for (int64_t j2 = 0; j2 < w2.n; ++j2) {
          const int64_t i2 = w2.first + j2 * w2.step;
          if (!inside(g, 2, i2)) continue;
          sum += load(xb, row + i2);
          ++taps;
        }
      }
    }
    // A window wholly in padding gives 0, as on the CPU.
    const int64_t div = g.divisor ? g.divisor : axis_divisor(g, 0, o[0]) * axis_divisor(g, 1, o[1]) * axis_divisor(g, 2, o[2]);
    store(out, idx, taps == 0 ? A(0) : sum / static_cast<A>(div));
  }
}

// The output cells of axis ax whose windows read input cell i: calls f(o) for each.
template <typename F>
__device__ __forceinline__ void for_each_reader(const PoolGeom& g, int ax, int64_t i, F&& f) {
  if (g.adaptive) {
    const int64_t lo = (i * g.out[ax]) / g.in[ax];
    const int64_t hi = min(g.out[ax], ((i + 1) * g.out[ax] + g.in[ax] - 1) / g.in[ax] + 1);
    for (int64_t o = lo; o < hi; ++o) {
      const Window w = window(g, ax, o);
      if (i >= w.first && i < w.first + w.n) f(o);
    }
    return;
  }
  for (int64_t j = 0; j < g.k[ax]; ++j) {
    const int64_t t = i + g.p[ax] - j * g.d[ax];  // = o * stride
    if (t < 0 || t % g.s[ax] != 0) continue;
    const int64_t o = t / g.s[ax];
    if (o < g.out[ax]) f(o);
  }
}

// grad_input (B, I0, I1, I2) <- grad_output (B, O0, O1, O2): each input cell sums g / divisor
// over the output cells reading it.
template <typename T>
__global__ void avg_pool_backward_kernel(T* gi, const T* go, PoolGeom g, int64_t total) {
  using A = acc_t<T>;
  const int64_t out_plane = g.out[0] * g.out[1] * g.out[2];
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < total; idx += int64_t{gridDim.x} * blockDim.x) {
    int64_t b, i[3];
    split(idx, g.in, b, i);
    const T* gob = go + b * out_plane;
    A sum = 0;
    for_each_reader(g, 0, i[0], [&](int64_t o0) {
      for_each_reader(g, 1, i[1], [&](int64_t o1) {
        for_each_reader(g, 2, i[2], [&](int64_t o2) {
          const int64_t div = g.divisor ? g.divisor : axis_divisor(g, 0, o0) * axis_divisor(g, 1, o1) * axis_divisor(g, 2, o2);
          sum += load(gob, (o0 * g.out[1] + o1) * g.out[2] + o2) / static_cast<A>(div);
        });
      });
    });
    store(gi, idx, sum);
  }
}

// out (B, M) (zeroed before) [b, indices[b, j]] (+)= src[b, j]; src, indices (B, K). Invalid
// indices are skipped and flagged in *bad.
template <typename T>
__global__ void pool_scatter_kernel(T* out, const T* src, const int64_t* indices, int64_t planes, int64_t m,
                                    int64_t k, bool accumulate, int* bad) {
  const int64_t total = planes * k;
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < total; idx += int64_t{gridDim.x} * blockDim.x) {
    const int64_t b = idx / k, i = indices[idx];
    if (i < 0 || i >= m) {
      if (bad) *bad = 1;
      continue;
    }
    if (accumulate) atomicAdd(out + b * m + i, src[idx]);
    else out[b * m + i] = src[idx];
  }
}

}  // namespace

void CudaBackend::max_pool_forward(const Tensor& out, const Tensor& indices, const Tensor& x, const PoolArgs& args) {
  check_contiguous("max_pool", {&out, &indices, &x});
  WICK_CHECK(indices.dtype() == kInt64 && out.dtype() == x.dtype(), "max_pool kernel (CUDA): bad output dtypes");
  if (out.numel() == 0) return;
  const PoolGeom g = make_geom(x.sizes(), out.sizes(), args);
  cudaStream_t st = stream_for(x);
  const int64_t n = out.numel();
  dispatch_float(x.dtype(), "max_pool", [&]<typename T>() {
    max_pool_kernel<T><<<blocks_for(n), kThreads, 0, st>>>(ptr<T>(out), ptr<int64_t>(indices), ptr<T>(x), g, n);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

void CudaBackend::avg_pool_forward(const Tensor& out, const Tensor& x, const PoolArgs& args) {
  check_contiguous("avg_pool", {&out, &x});
  if (out.numel() == 0) return;
  const PoolGeom g = make_geom(x.sizes(), out.sizes(), args);
  cudaStream_t st = stream_for(x);
  const int64_t n = out.numel();
  dispatch_float(x.dtype(), "avg_pool", [&]<typename T>() {
    avg_pool_kernel<T><<<blocks_for(n), kThreads, 0, st>>>(ptr<T>(out), ptr<T>(x), g, n);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

void CudaBackend::avg_pool_backward(const Tensor& grad_input, const Tensor& grad_output, const PoolArgs& args) {
  check_contiguous("avg_pool_backward", {&grad_input, &grad_output});
  if (grad_input.numel() == 0) return;
  const PoolGeom g = make_geom(grad_input.sizes(), grad_output.sizes(), args);
  cudaStream_t st = stream_for(grad_input);
  const int64_t n = grad_input.numel();
  dispatch_float(grad_input.dtype(), "avg_pool_backward", [&]<typename T>() {
    avg_pool_backward_kernel<T><<<blocks_for(n), kThreads, 0, st>>>(ptr<T>(grad_input), ptr<T>(grad_output), g, n);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

void CudaBackend::pool_scatter(const Tensor& out, const Tensor& src, const Tensor& indices, bool accumulate) {
  check_contiguous("pool_scatter", {&out, &src, &indices});
  WICK_CHECK(out.dim() == 2 && src.dim() == 2 && indices.sizes() == src.sizes() && out.size(0) == src.size(0),
             "pool_scatter kernel (CUDA): expected out (B, M), src and indices (B, K)");
  const int64_t planes = out.size(0), m = out.size(1), k = src.size(1);
  if (out.numel() == 0) return;
  cudaStream_t st = stream_for(out);
  WICK_CUDA_CHECK(cudaMemsetAsync(out.data_ptr(), 0, out.nbytes(), st));
  if (src.numel() == 0) return;
  // Max pooling's backward (accumulate) scatters indices its own forward produced; user indices
  // (max_unpool) are checked, at the price of one synchronization.
  std::optional<Workspace> flag;
  int* bad = nullptr;
  if (!accumulate) {
    flag.emplace(sizeof(int), device_index(out));
    bad = static_cast<int*>(flag->data());
    WICK_CUDA_CHECK(cudaMemsetAsync(bad, 0, sizeof(int), st));
  }
  dispatch_float(out.dtype(), "pool_scatter", [&]<typename T>() {
    pool_scatter_kernel<T><<<blocks_for(planes * k), kThreads, 0, st>>>(ptr<T>(out), ptr<T>(src), ptr<int64_t>(indices),
                                                                        planes, m, k, accumulate, bad);
  });
  WICK_CUDA_CHECK_LAUNCH();
  if (bad) {
    int host_bad = 0;
    WICK_CUDA_CHECK(cudaMemcpyAsync(&host_bad, bad, sizeof(int), cudaMemcpyDeviceToHost, st));
    WICK_CUDA_CHECK(cudaStreamSynchronize(st));
    WICK_CHECK(host_bad == 0, "Found an invalid max index (output volumes are of size ", m, ")");
  }
}

}  // namespace wick::cuda

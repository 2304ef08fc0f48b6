// CUDA indexing kernels: gather, scatter_ (assign or atomic add), index_select, index_add_ (atomicAdd),
// count_nonzero and nonzero (row-major order, through per-block counts scanned on the host).
// Every index is range-checked on the device before any memory is touched; a bad one is reported
// with PyTorch's message (this costs one small device-to-host copy per call). scatter_ without
// reduction is nondeterministic for duplicate indices, as in PyTorch.
#include <vector>

#include "cuda_backend.h"
#include "kernel_utils.cuh"

namespace wick::cuda {

namespace {

// flag_value[0] = 1 and flag_value[1] = v for some v of index (any strides) outside [0, size).
__global__ void index_range_kernel(int64_t n, Indexer<1> ix, const int64_t* index, int64_t size,
                                   unsigned long long* flag_value) {
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[1];
    ix.get(i, off);
    const int64_t v = index[off[0]];
    if (v < 0 || v >= size) {
      flag_value[0] = 1;
      flag_value[1] = static_cast<unsigned long long>(v);
    }
  }
}

void check_index_range(Backend& be, const Tensor& index, int64_t size, int64_t dim) {
  WICK_CHECK(index.dtype() == kInt64, "index kernels expect an int64 index, got ", dtype_name(index.dtype()));
  const int64_t n = index.numel();
  if (n == 0) return;
  cudaStream_t stream = prepare(index);
  Storage st = be.allocate(2 * sizeof(unsigned long long), index.device());
  auto* d = static_cast<unsigned long long*>(st->data());
  WICK_CUDA_CHECK(cudaMemsetAsync(d, 0, 2 * sizeof(unsigned long long), stream));
  index_range_kernel<<<grid_for(n), kThreads, 0, stream>>>(n, make_indexer<1>(index.sizes(), {&index}),
                                                           ptr<const int64_t>(index), size, d);
  WICK_CUDA_CHECK_LAUNCH();
  unsigned long long h[2] = {0, 0};
  WICK_CUDA_CHECK(cudaMemcpyAsync(h, d, sizeof h, cudaMemcpyDeviceToHost, stream));
  WICK_CUDA_CHECK(cudaStreamSynchronize(stream));
  WICK_CHECK(h[0] == 0, "index ", static_cast<int64_t>(h[1]), " is out of bounds for dimension ", dim, " with size ",
             size);
}

// *addr += v atomically (bool: logical or).
template <typename T>
__device__ __forceinline__ void atomic_add(T* addr, T v) {
  if constexpr (std::is_same_v<T, int64_t>) {
    atomicAdd(reinterpret_cast<unsigned long long*>(addr), static_cast<unsigned long long>(v));
  } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, uint8_t>) {
    // No byte atomics: update the byte inside its aligned 32-bit word.
    auto* word = reinterpret_cast<unsigned int*>(reinterpret_cast<uintptr_t>(addr) & ~uintptr_t{3});
    const unsigned int shift = static_cast<unsigned int>(reinterpret_cast<uintptr_t>(addr) & 3u) * 8u;
    if constexpr (std::is_same_v<T, bool>) {
      if (v) atomicOr(word, 1u << shift);
    } else {
      unsigned int old = *word, assumed;
      do {
        assumed = old;
        const unsigned int byte = ((assumed >> shift) + static_cast<unsigned int>(v)) & 0xffu;
        old = atomicCAS(word, assumed, (assumed & ~(0xffu << shift)) | (byte << shift));
      } while (assumed != old);
    }
  } else {
    atomicAdd(addr, v);  // int32, float, double, __half (sm_70+), __nv_bfloat16 (sm_80+)
  }
}

// out (shape) = x[..., index[p], ...] along dim: ix gives (out, index, x with dim's stride 0).
template <typename T>
__global__ void gather_kernel(int64_t n, Indexer<3> ix, int64_t x_dim_stride, T* out, const int64_t* index, const T* x) {
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[3];
    ix.get(i, off);
    out[off[0]] = x[off[2] + index[off[1]] * x_dim_stride];
  }
}

// self[..., index[p], ...] (= or += alpha *) src[p] over the iteration shape: ix gives
// (self with dim's stride 0, index, src).
template <typename T>
__global__ void scatter_kernel(int64_t n, Indexer<3> ix, int64_t self_dim_stride, bool accumulate, compute_t<T> alpha,
                               T* self, const int64_t* index, const T* src) {
  using C = compute_t<T>;
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[3];
    ix.get(i, off);
    T* dst = self + off[0] + index[off[1]] * self_dim_stride;
    const T v = src[off[2]];
    if (!accumulate) {
      *dst = v;
    } else if constexpr (std::is_same_v<T, bool>) {
      atomic_add<T>(dst, alpha && v);
    } else {
      atomic_add<T>(dst, convert<T, C>(static_cast<C>(alpha * convert<C, T>(v))));
    }
  }
}

Shape with_zero(const Tensor& t, int64_t dim) {
  Shape s = t.strides().vec();
  s[static_cast<size_t>(dim)] = 0;
  return s;
}

// A 1-D index used along `dim` of an ndim iteration: stride 0 everywhere else.
Shape along_dim(const Tensor& index, int64_t ndim, int64_t dim) {
  Shape st(static_cast<size_t>(ndim), 0);
  st[static_cast<size_t>(dim)] = index.dim() == 0 ? 0 : index.stride(0);
  return st;
}

void check_rank(const char* op, const Tensor& a, const Tensor& b) {
  WICK_CHECK(a.dim() >= 1 && a.dim() == b.dim(), op, ": the kernel expects tensors of equal rank >= 1, got ",
             shape_str(a.sizes()), " and ", shape_str(b.sizes()));
}

void launch_gather(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index, const Shape& index_strides) {
  const int64_t n = out.numel();
  if (n == 0) return;
  cudaStream_t stream = prepare(out);
  Indexer<3> ix = make_indexer<3>(out.sizes(), {out.strides().vec(), index_strides, with_zero(x, dim)});
  dispatch_device(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    gather_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(n, ix, x.stride(dim), ptr<T>(out), ptr<const int64_t>(index),
                                                           ptr<const T>(x));
    WICK_CUDA_CHECK_LAUNCH();
  });
}

void launch_scatter(const Tensor& self, int64_t dim, const Shape& shape, const Tensor& index, const Shape& index_strides,
                    const Tensor& src, bool accumulate, const Scalar& alpha) {
  const int64_t n = numel_of(shape);
  if (n == 0) return;
  cudaStream_t stream = prepare(self);
  Indexer<3> ix = make_indexer<3>(shape, {with_zero(self, dim), index_strides, src.strides().vec()});
  dispatch_device(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    const C a = std::is_same_v<T, bool> ? static_cast<C>(alpha.to_bool()) : alpha.to<C>();
    scatter_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(n, ix, self.stride(dim), accumulate, a, ptr<T>(self),
                                                            ptr<const int64_t>(index), ptr<const T>(src));
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace

// x (..., m, ...), index (..., n, ...) -> out (index's shape), along dim.
void CudaBackend::gather(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) {
  check_rank("gather", out, x);
  check_index_range(*this, index, x.size(dim), dim);
  launch_gather(out, x, dim, index, index.strides().vec());
}

// index and src (src may be larger) walk index's shape; self (..., m, ...) receives along dim.
void CudaBackend::scatter_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce) {
  check_rank("scatter_", self, index);
  check_index_range(*this, index, self.size(dim), dim);
  launch_scatter(self, dim, index.sizes().vec(), index, index.strides().vec(), src, reduce == ScatterReduce::Add, 1);
}

// x (..., m, ...), index (n) -> out (..., n, ...).
void CudaBackend::index_select(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) {
  check_rank("index_select", out, x);
  check_index_range(*this, index, x.size(dim), dim);
  launch_gather(out, x, dim, index, along_dim(index, out.dim(), dim));
}

// self (..., m, ...) += alpha * source (..., n, ...) at index (n) along dim.
void CudaBackend::index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  check_rank("index_add_", self, source);
  check_index_range(*this, index, self.size(dim), dim);
  launch_scatter(self, dim, source.sizes().vec(), index, along_dim(index, source.dim(), dim), source, true, alpha);
}

namespace {

constexpr int kChunk = kThreads;  // elements per block in the nonzero passes (one per thread)

template <typename T>
__device__ __forceinline__ bool nonzero_at(const T* x, const Indexer<1>& ix, int64_t i) {
  int64_t off[1];
  ix.get(i, off);
  const compute_t<T> v = convert<compute_t<T>, T>(x[off[0]]);
  return v != compute_t<T>(0);
}

// counts[b] = nonzero elements among x's row-major elements [b * kChunk, (b + 1) * kChunk).
template <typename T>
__global__ void nonzero_count_kernel(int64_t n, Indexer<1> ix, const T* x, int64_t* counts) {
  __shared__ int buf[kChunk];
  const int64_t i = static_cast<int64_t>(blockIdx.x) * kChunk + threadIdx.x;
  buf[threadIdx.x] = i < n && nonzero_at(x, ix, i) ? 1 : 0;
  __syncthreads();
  for (int w = kChunk / 2; w > 0; w /= 2) {
    if (static_cast<int>(threadIdx.x) < w) buf[threadIdx.x] += buf[threadIdx.x + w];
    __syncthreads();
  }
  if (threadIdx.x == 0) counts[blockIdx.x] = buf[0];
}

struct Coords {
  int ndim;
  int64_t sizes[kMaxDims];
};

// out (count, ndim): the coordinates of each nonzero element, at position starts[block] + its rank
// within the block (an inclusive scan in shared memory).
template <typename T>
__global__ void nonzero_write_kernel(int64_t n, Indexer<1> ix, Coords shape, const T* x, const int64_t* starts,
                                     int64_t* out, int64_t s0, int64_t s1) {
  __shared__ int scan[kChunk];
  const int64_t i = static_cast<int64_t>(blockIdx.x) * kChunk + threadIdx.x;
  const int flag = i < n && nonzero_at(x, ix, i) ? 1 : 0;
  scan[threadIdx.x] = flag;
  __syncthreads();
  for (int w = 1; w < kChunk; w *= 2) {  // Hillis-Steele
    const int add = static_cast<int>(threadIdx.x) >= w ? scan[threadIdx.x - w] : 0;
    __syncthreads();
    scan[threadIdx.x] += add;
    __syncthreads();
  }
  if (!flag) return;
  const int64_t row = starts[blockIdx.x] + scan[threadIdx.x] - 1;
  int64_t rem = i;
  for (int d = shape.ndim - 1; d >= 0; --d) {
    out[row * s0 + d * s1] = rem % shape.sizes[d];
    rem /= shape.sizes[d];
  }
}

// Per-block counts of x (contiguous int64 on the device) and their exclusive scan on the host.
struct BlockCounts {
  Storage device;            // counts, then overwritten with the exclusive starts
  std::vector<int64_t> host;  // the counts
  int64_t total = 0;
  int64_t blocks = 0;
};

BlockCounts count_blocks(Backend& be, const Tensor& x, cudaStream_t stream, const Indexer<1>& ix, bool write_starts) {
  BlockCounts bc;
  const int64_t n = x.numel();
  bc.blocks = (n + kChunk - 1) / kChunk;
  bc.device = be.allocate(static_cast<size_t>(bc.blocks) * sizeof(int64_t), x.device());
  auto* counts = static_cast<int64_t*>(bc.device->data());
  dispatch_device(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    nonzero_count_kernel<T><<<static_cast<unsigned>(bc.blocks), kChunk, 0, stream>>>(n, ix, ptr<const T>(x), counts);
    WICK_CUDA_CHECK_LAUNCH();
  });
  bc.host.resize(static_cast<size_t>(bc.blocks));
  WICK_CUDA_CHECK(cudaMemcpyAsync(bc.host.data(), counts, bc.host.size() * sizeof(int64_t), cudaMemcpyDeviceToHost, stream));
  WICK_CUDA_CHECK(cudaStreamSynchronize(stream));
  std::vector<int64_t> starts(bc.host.size());
  for (size_t b = 0; b < bc.host.size(); ++b) {
    starts[b] = bc.total;
    bc.total += bc.host[b];
  }
  if (write_starts) {
    WICK_CUDA_CHECK(cudaMemcpyAsync(counts, starts.data(), starts.size() * sizeof(int64_t), cudaMemcpyHostToDevice, stream));
    WICK_CUDA_CHECK(cudaStreamSynchronize(stream));  // `starts` is a host temporary
  }
  return bc;
}

}  // namespace

int64_t CudaBackend::count_nonzero(const Tensor& x) {
  if (x.numel() == 0) return 0;
  cudaStream_t stream = prepare(x);
  Indexer<1> ix = make_indexer<1>(x.sizes(), {&x});
  return count_blocks(*this, x, stream, ix, false).total;
}

// out (count, x.dim()) int64: coordinates of the nonzero elements in row-major order.
void CudaBackend::nonzero(const Tensor& out, const Tensor& x) {
  if (x.numel() == 0 || out.numel() == 0) return;
  WICK_CHECK(out.dtype() == kInt64 && out.dim() == 2 && out.size(1) == x.dim(), "nonzero: bad output tensor ",
             shape_str(out.sizes()));
  WICK_CHECK(x.dim() <= kMaxDims, "nonzero (CUDA): at most ", kMaxDims, " dims, got ", x.dim());
  cudaStream_t stream = prepare(x);
  Indexer<1> ix = make_indexer<1>(x.sizes(), {&x});
  BlockCounts bc = count_blocks(*this, x, stream, ix, true);
  WICK_CHECK(bc.total <= out.size(0), "nonzero: more nonzero elements than the output holds");
  Coords shape{};
  shape.ndim = static_cast<int>(x.dim());
  for (int64_t d = 0; d < x.dim(); ++d) shape.sizes[d] = x.size(d);
  dispatch_device(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    nonzero_write_kernel<T><<<static_cast<unsigned>(bc.blocks), kChunk, 0, stream>>>(
        x.numel(), ix, shape, ptr<const T>(x), static_cast<const int64_t*>(bc.device->data()), ptr<int64_t>(out),
        out.stride(0), out.stride(1));
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace wick::cuda

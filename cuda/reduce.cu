// CUDA reductions: reduce (sum, prod, max, min, all, any over any dims), arg_reduce (max/min with the
// first index of the winner along one dim) and cumsum. One block per output with a shared-memory tree
// (one thread per output when the reduced extent is short); float sums accumulate in double and
// integers in int64, as the CPU backend. Deterministic: no atomics. Not tuned (no vector loads,
// one block per output even for tall outputs).
#include <limits>

#include "cuda_backend.h"
#include "kernel_utils.cuh"

namespace wick::cuda {

namespace {

template <typename T>
using acc_t = std::conditional_t<std::is_floating_point_v<compute_t<T>>, double, int64_t>;

template <typename T>
struct SumOp {
  using Acc = acc_t<T>;
  Acc ident;
  __device__ Acc step(Acc a, T v) const { return a + static_cast<Acc>(convert<compute_t<T>, T>(v)); }
  __device__ Acc combine(Acc a, Acc b) const { return a + b; }
  __device__ T finish(Acc a) const { return convert<T, compute_t<T>>(static_cast<compute_t<T>>(a)); }
};

template <typename T>
struct ProdOp {
  using Acc = acc_t<T>;
  Acc ident;
  __device__ Acc step(Acc a, T v) const { return a * static_cast<Acc>(convert<compute_t<T>, T>(v)); }
  __device__ Acc combine(Acc a, Acc b) const { return a * b; }
  __device__ T finish(Acc a) const { return convert<T, compute_t<T>>(static_cast<compute_t<T>>(a)); }
};

// NaN wins: max/min propagate NaN, as PyTorch.
template <typename T, bool kIsMax>
struct ExtremeOp {
  using Acc = compute_t<T>;
  Acc ident;
  __device__ Acc combine(Acc a, Acc v) const {
    if (a != a) return a;
    if (v != v) return v;
    return (kIsMax ? v > a : v < a) ? v : a;
  }
  __device__ Acc step(Acc a, T v) const { return combine(a, convert<Acc, T>(v)); }
  __device__ T finish(Acc a) const { return convert<T, Acc>(a); }
};

template <bool kIsAll>
struct LogicOp {
  using Acc = int;
  Acc ident;
  __device__ Acc step(Acc a, bool v) const { return kIsAll ? (a & static_cast<int>(v)) : (a | static_cast<int>(v)); }
  __device__ Acc combine(Acc a, Acc b) const { return kIsAll ? (a & b) : (a | b); }
  __device__ bool finish(Acc a) const { return a != 0; }
};

// x (kept..., reduced...) -> out (kept...): kept indexer gives (x, out) offsets, red gives x offsets.
// One thread per output: for short reductions.
template <typename T, typename Op>
__global__ void reduce_thread_kernel(Op op, int64_t n_out, int64_t R, Indexer<2> kept, Indexer<1> red, T* out,
                                     const T* x) {
  WICK_GRID_STRIDE_LOOP(o, n_out) {
    int64_t ko[2];
    kept.get(o, ko);
    typename Op::Acc acc = op.ident;
    for (int64_t r = 0; r < R; ++r) {
      int64_t ro[1];
      red.get(r, ro);
      acc = op.step(acc, x[ko[0] + ro[0]]);
    }
    out[ko[1]] = op.finish(acc);
  }
}

// One block per output; threads stride over the reduced elements, then a tree in shared memory.
template <typename T, typename Op>
__global__ void reduce_block_kernel(Op op, int64_t n_out, int64_t R, Indexer<2> kept, Indexer<1> red, T* out,
                                    const T* x) {
  __shared__ typename Op::Acc buf[kThreads];
  for (int64_t o = blockIdx.x; o < n_out; o += gridDim.x) {
    int64_t ko[2];
    kept.get(o, ko);
    typename Op::Acc acc = op.ident;
    for (int64_t r = threadIdx.x; r < R; r += blockDim.x) {
      int64_t ro[1];
      red.get(r, ro);
      acc = op.step(acc, x[ko[0] + ro[0]]);
    }
    buf[threadIdx.x] = acc;
    __syncthreads();
    for (int w = kThreads / 2; w > 0; w /= 2) {
      if (static_cast<int>(threadIdx.x) < w) buf[threadIdx.x] = op.combine(buf[threadIdx.x], buf[threadIdx.x + w]);
      __syncthreads();
    }
    if (threadIdx.x == 0) out[ko[1]] = op.finish(buf[0]);
    __syncthreads();  // buf is reused by the next output
  }
}

constexpr int64_t kShortReduction = 32;  // up to this many elements per output: a thread each

// The kept and reduced geometry of x -> out (keepdim form) for `dims`.
struct Geometry {
  Indexer<2> kept;
  Indexer<1> red;
  int64_t n_out = 1, R = 1;
};

Geometry split(const Tensor& out, const Tensor& x, IntArrayRef dims) {
  std::vector<bool> is_red(static_cast<size_t>(x.dim()), false);
  for (int64_t d : dims) is_red[static_cast<size_t>(d)] = true;
  Shape ks, kx, ko, rs, rx;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (is_red[static_cast<size_t>(d)]) {
      rs.push_back(x.size(d));
      rx.push_back(x.stride(d));
    } else {
      ks.push_back(x.size(d));
      kx.push_back(x.stride(d));
      ko.push_back(out.stride(d));
    }
  }
  Geometry g;
  g.kept = make_indexer<2>(ks, {kx, ko});
  g.red = make_indexer<1>(rs, {rx});
  g.n_out = numel_of(ks);
  g.R = numel_of(rs);
  return g;
}

template <typename T, typename Op>
void launch_reduce(Op op, const Tensor& out, const Tensor& x, IntArrayRef dims) {
  Geometry g = split(out, x, dims);
  if (g.n_out == 0) return;
  cudaStream_t stream = prepare(out);
  // Column-style reductions (x.sum(0) of a row-major matrix: the kept dim is the contiguous one)
  // read memory in order with one thread per output, neighbouring threads on neighbouring columns;
  // one block per output would stride through memory instead.
  const bool columns = g.n_out >= kThreads && g.kept.ndim > 0 && g.kept.strides[g.kept.ndim - 1][0] == 1 &&
                       (g.red.ndim == 0 || g.red.strides[g.red.ndim - 1][0] != 1);
  if (g.R <= kShortReduction || columns) {
    reduce_thread_kernel<T, Op><<<grid_for(g.n_out), kThreads, 0, stream>>>(op, g.n_out, g.R, g.kept, g.red, ptr<T>(out),
                                                                           ptr<const T>(x));
  } else {
    const unsigned blocks = static_cast<unsigned>(std::min<int64_t>(g.n_out, 1 << 20));
    reduce_block_kernel<T, Op><<<blocks, kThreads, 0, stream>>>(op, g.n_out, g.R, g.kept, g.red, ptr<T>(out),
                                                                ptr<const T>(x));
  }
  WICK_CUDA_CHECK_LAUNCH();
}

// The identity of max (kIsMax) or min in compute type C: -inf/+inf for floats.
template <typename C>
C extreme_ident(bool is_max) {
  if constexpr (std::is_floating_point_v<C>) return is_max ? -std::numeric_limits<C>::infinity() : std::numeric_limits<C>::infinity();
  else return is_max ? std::numeric_limits<C>::lowest() : std::numeric_limits<C>::max();
}

}  // namespace

void CudaBackend::reduce(ReduceOp op, const Tensor& out, const Tensor& x, IntArrayRef dims) {
  if (op == ReduceOp::All || op == ReduceOp::Any) {
    WICK_CHECK(out.dtype() == kBool && x.dtype() == kBool, "all/any kernel: expects bool tensors");
    if (op == ReduceOp::All) launch_reduce<bool>(LogicOp<true>{1}, out, x, dims);
    else launch_reduce<bool>(LogicOp<false>{0}, out, x, dims);
    return;
  }
  WICK_CHECK(out.dtype() == x.dtype(), "reduce kernel: out and x must share a dtype");
  WICK_CHECK(x.dtype() != kBool, "reduce kernel: bool input must be cast first");
  if (op == ReduceOp::Max || op == ReduceOp::Min) {
    WICK_CHECK(x.numel() > 0, op == ReduceOp::Max ? "max" : "min",
               "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
               "with the 'dim' argument.");
  }
  dispatch_device(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      using C = compute_t<T>;
      switch (op) {
        case ReduceOp::Sum: return launch_reduce<T>(SumOp<T>{0}, out, x, dims);
        case ReduceOp::Prod: return launch_reduce<T>(ProdOp<T>{1}, out, x, dims);
        case ReduceOp::Max: return launch_reduce<T>(ExtremeOp<T, true>{extreme_ident<C>(true)}, out, x, dims);
        case ReduceOp::Min: return launch_reduce<T>(ExtremeOp<T, false>{extreme_ident<C>(false)}, out, x, dims);
        default: WICK_FAIL("reduce kernel: unexpected op");
      }
    }
  });
}

namespace {

template <typename C>
struct ValIdx {
  C v;
  int64_t i;
};

// Whether a should win over b: the first NaN wins outright, then the better value, then the first index.
template <typename C, bool kIsMax>
__device__ __forceinline__ bool wins(const ValIdx<C>& a, const ValIdx<C>& b) {
  const bool an = a.v != a.v, bn = b.v != b.v;
  if (an || bn) return an && bn ? a.i < b.i : an;
  if (a.v == b.v) return a.i < b.i;
  return kIsMax ? a.v > b.v : a.v < b.v;
}

// x (kept..., n along dim) -> values, indices (kept...): one block per output.
template <typename T, bool kIsMax>
__global__ void arg_reduce_kernel(ValIdx<compute_t<T>> ident, int64_t n_out, int64_t n, int64_t step, Indexer<3> kept,
                                  T* values, int64_t* indices, const T* x) {
  using C = compute_t<T>;
  __shared__ ValIdx<C> buf[kThreads];
  for (int64_t o = blockIdx.x; o < n_out; o += gridDim.x) {
    int64_t off[3];
    kept.get(o, off);
    ValIdx<C> best = ident;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) {
      ValIdx<C> c{convert<C, T>(x[off[0] + k * step]), k};
      if (wins<C, kIsMax>(c, best)) best = c;
    }
    buf[threadIdx.x] = best;
    __syncthreads();
    for (int w = kThreads / 2; w > 0; w /= 2) {
      if (static_cast<int>(threadIdx.x) < w && wins<C, kIsMax>(buf[threadIdx.x + w], buf[threadIdx.x]))
        buf[threadIdx.x] = buf[threadIdx.x + w];
      __syncthreads();
    }
    if (threadIdx.x == 0) {
      values[off[1]] = convert<T, C>(buf[0].v);
      indices[off[2]] = buf[0].i;
    }
    __syncthreads();
  }
}

// Every dim of x but `dim`, with the strides of the given tensors (same rank as x).
template <int N>
Indexer<N> kept_indexer(const Tensor& x, int64_t dim, const std::array<const Tensor*, N>& ts, int64_t& count) {
  Shape sizes;
  std::array<Shape, N> st;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d == dim) continue;
    sizes.push_back(x.size(d));
    for (int k = 0; k < N; ++k) st[static_cast<size_t>(k)].push_back(ts[static_cast<size_t>(k)]->stride(d));
  }
  count = numel_of(sizes);
  return make_indexer<N>(sizes, st);
}

}  // namespace

void CudaBackend::arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim) {
  WICK_CHECK(op == ReduceOp::Max || op == ReduceOp::Min, "arg_reduce kernel: expects Max or Min");
  WICK_CHECK(indices.dtype() == kInt64 && values.dtype() == x.dtype(), "arg_reduce kernel: bad output dtypes");
  WICK_CHECK(x.size(dim) > 0, "arg_reduce kernel: empty reduction dim");
  int64_t n_out = 0;
  Indexer<3> kept = kept_indexer<3>(x, dim, {&x, &values, &indices}, n_out);
  if (n_out == 0) return;
  cudaStream_t stream = prepare(x);
  const unsigned blocks = static_cast<unsigned>(std::min<int64_t>(n_out, 1 << 20));
  const int64_t n = x.size(dim), step = x.stride(dim);
  dispatch_device(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using C = compute_t<T>;
    const bool is_max = op == ReduceOp::Max;
    ValIdx<C> ident{extreme_ident<C>(is_max), std::numeric_limits<int64_t>::max()};
    if constexpr (std::is_same_v<T, bool>) ident.v = !is_max;
    if (is_max)
      arg_reduce_kernel<T, true><<<blocks, kThreads, 0, stream>>>(ident, n_out, n, step, kept, ptr<T>(values),
                                                                  ptr<int64_t>(indices), ptr<const T>(x));
    else
      arg_reduce_kernel<T, false><<<blocks, kThreads, 0, stream>>>(ident, n_out, n, step, kept, ptr<T>(values),
                                                                   ptr<int64_t>(indices), ptr<const T>(x));
    WICK_CUDA_CHECK_LAUNCH();
  });
}

namespace {
// One thread per line: out[k] = x[0] + ... + x[k] along the line, accumulated in double/int64.
template <typename T>
__global__ void cumsum_kernel(int64_t lines, int64_t n, int64_t xstep, int64_t ostep, Indexer<2> ix, T* out,
                              const T* x) {
  using C = compute_t<T>;
  WICK_GRID_STRIDE_LOOP(l, lines) {
    int64_t off[2];
    ix.get(l, off);
    acc_t<T> acc = 0;
    for (int64_t k = 0; k < n; ++k) {
      acc += static_cast<acc_t<T>>(convert<C, T>(x[off[0] + k * xstep]));
      out[off[1] + k * ostep] = convert<T, C>(static_cast<C>(acc));
    }
  }
}
}  // namespace

void CudaBackend::cumsum(const Tensor& out, const Tensor& x, int64_t dim) {
  WICK_CHECK(out.dtype() == x.dtype() && out.sizes() == x.sizes(), "cumsum kernel: out must match x");
  WICK_CHECK(x.dtype() != kBool, "cumsum kernel: bool input must be cast first");
  if (x.numel() == 0) return;
  const int64_t d = x.dim() == 0 ? 0 : dim;
  int64_t lines = 1;
  Indexer<2> ix = x.dim() == 0 ? make_indexer<2>(Shape{}, {Shape{}, Shape{}}) : kept_indexer<2>(x, d, {&x, &out}, lines);
  const int64_t n = x.dim() == 0 ? 1 : x.size(d);
  const int64_t xstep = x.dim() == 0 ? 0 : x.stride(d), ostep = x.dim() == 0 ? 0 : out.stride(d);
  cudaStream_t stream = prepare(x);
  dispatch_device(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      cumsum_kernel<T><<<grid_for(lines), kThreads, 0, stream>>>(lines, n, xstep, ostep, ix, ptr<T>(out), ptr<const T>(x));
      WICK_CUDA_CHECK_LAUNCH();
    }
  });
}

}  // namespace wick::cuda

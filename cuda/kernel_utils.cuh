// Shared pieces of cuda-core's kernels: device element types for Wick's dtypes (half types compute
// in float), conversions that round like the CPU backend, a strided N-operand indexer (int64 math,
// dims coalesced, up to kMaxDims after coalescing) and the grid-stride launch shape.
// Not a general TensorIterator: no vectorised loads, no 32-bit index fast path.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <array>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "check.h"
#include "wick/core/dtype.h"
#include "wick/core/tensor.h"

namespace wick::cuda {

// ---- element types ----
template <typename T> struct TypeTag { using type = T; };

template <typename T>
inline constexpr bool is_half_v = std::is_same_v<T, __half> || std::is_same_v<T, __nv_bfloat16>;
// The type a kernel computes in: float for the half types, T otherwise.
template <typename T> using compute_t = std::conditional_t<is_half_v<T>, float, T>;

// f(TypeTag<T>{}) with T the device type of `t` (host-side dispatch; f launches the kernels).
template <typename F>
void dispatch_device(DType t, F&& f) {
  switch (t) {
    case kBool: return f(TypeTag<bool>{});
    case kUInt8: return f(TypeTag<uint8_t>{});
    case kInt32: return f(TypeTag<int32_t>{});
    case kInt64: return f(TypeTag<int64_t>{});
    case kFloat16: return f(TypeTag<__half>{});
    case kBFloat16: return f(TypeTag<__nv_bfloat16>{});
    case kFloat32: return f(TypeTag<float>{});
    case kFloat64: return f(TypeTag<double>{});
  }
  WICK_FAIL("CUDA backend: unknown dtype");
}

template <typename T>
__device__ __forceinline__ float half_to_float(T v) {
  if constexpr (std::is_same_v<T, __half>) return __half2float(v);
  else return __bfloat162float(v);
}

// D from S as the CPU backend converts: half types through float (round to nearest even), bool
// as != 0.
template <typename D, typename S>
__device__ __forceinline__ D convert(S v) {
  if constexpr (std::is_same_v<D, S>) {
    return v;
  } else if constexpr (is_half_v<S>) {
    return convert<D, float>(half_to_float(v));
  } else if constexpr (std::is_same_v<D, bool>) {
    return v != S(0);
  } else if constexpr (std::is_same_v<D, __half>) {
    return __float2half_rn(static_cast<float>(v));
  } else if constexpr (std::is_same_v<D, __nv_bfloat16>) {
    return __float2bfloat16_rn(static_cast<float>(v));
  } else {
    return static_cast<D>(v);
  }
}

// ---- strided indexing ----
constexpr int kMaxDims = 16;

// Element offsets of N operands for a linear (row-major) index over a shared iteration shape.
template <int N>
struct Indexer {
  int ndim = 0;
  int64_t sizes[kMaxDims] = {};
  int64_t strides[kMaxDims][N] = {};

  __device__ __forceinline__ void get(int64_t i, int64_t (&off)[N]) const {
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] = 0;
    for (int d = ndim - 1; d >= 0; --d) {
      const int64_t s = sizes[d];
      const int64_t q = i / s, r = i - q * s;
      i = q;
#pragma unroll
      for (int k = 0; k < N; ++k) off[k] += r * strides[d][k];
    }
  }
};

// Builds an indexer over `shape` with per-operand element strides (each of shape's rank); size-1
// dims are dropped and neighbours merged where every operand steps evenly across them.
template <int N>
Indexer<N> make_indexer(IntArrayRef shape, const std::array<Shape, N>& strides) {
  std::vector<int64_t> sz;
  std::vector<std::array<int64_t, N>> st;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    std::array<int64_t, N> s{};
    for (int k = 0; k < N; ++k) s[static_cast<size_t>(k)] = strides[static_cast<size_t>(k)][d];
    if (!sz.empty()) {
      bool merge = true;
      for (int k = 0; k < N; ++k) merge = merge && st.back()[static_cast<size_t>(k)] == s[static_cast<size_t>(k)] * shape[d];
      if (merge) {
        sz.back() *= shape[d];
        st.back() = s;
        continue;
      }
    }
    sz.push_back(shape[d]);
    st.push_back(s);
  }
  WICK_CHECK(sz.size() <= static_cast<size_t>(kMaxDims), "CUDA backend: tensors with more than ", kMaxDims,
             " non-mergeable dims are not supported, got shape ", shape_str(shape));
  Indexer<N> ix;
  ix.ndim = static_cast<int>(sz.size());
  for (size_t d = 0; d < sz.size(); ++d) {
    ix.sizes[d] = sz[d];
    for (int k = 0; k < N; ++k) ix.strides[d][k] = st[d][static_cast<size_t>(k)];
  }
  return ix;
}

// An indexer over `shape` for tensors that all have that shape (or were expanded to it).
template <int N>
Indexer<N> make_indexer(IntArrayRef shape, const std::array<const Tensor*, N>& ts) {
  std::array<Shape, N> st;
  for (int k = 0; k < N; ++k) st[static_cast<size_t>(k)] = ts[static_cast<size_t>(k)]->strides().vec();
  return make_indexer<N>(shape, st);
}

// ---- launch shape ----
constexpr int kThreads = 256;

inline unsigned grid_for(int64_t n) {
  const int64_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(blocks < 1 ? 1 : (blocks > (1 << 16) ? (1 << 16) : blocks));
}

#define WICK_GRID_STRIDE_LOOP(i, n) \
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(blockDim.x) * gridDim.x)

// The device that `t` lives on becomes current, and Wick's stream on it is returned.
cudaStream_t prepare(const Tensor& t);

template <typename T>
T* ptr(const Tensor& t) {
  return static_cast<T*>(t.data_ptr());
}

}  // namespace wick::cuda

// Shared pieces of cuda-core's kernels: device element types for Wick's dtypes (half types compute
// in float), conversions that round like the CPU backend, and the grid-stride launch shape (the
// strided indexer is in indexer.h).
// Not a general TensorIterator: no vectorised loads, no 32-bit index fast path.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <array>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "check.h"
#include "indexer.h"
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

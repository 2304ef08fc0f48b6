// Small helpers shared by cuda-nn's kernel families (blas, conv, pool, norms, losses, dropout,
// optimizers): which device and stream a tensor's work goes to, launch geometry for grid-stride
// loops, and the float dtypes the kernels instantiate. No kernels here; host and device code only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>

#include "check.h"
#include "context.h"
#include "wick/core/tensor.h"

#if defined(__CUDACC__)
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#endif

namespace wick::cuda::nn {

// The explicit device index of a CUDA tensor (-1 means the current device).
inline int device_index(const Tensor& t) {
  const int idx = t.device().index;
  return idx < 0 ? current_device() : idx;
}

// Makes t's device current for this thread and returns the stream its kernels go on.
inline cudaStream_t stream_for(const Tensor& t) {
  const int idx = device_index(t);
  set_device(idx);
  return current_stream(idx);
}

inline void check_contiguous(const char* kernel, std::initializer_list<const Tensor*> ts) {
  for (const Tensor* t : ts)
    WICK_CHECK(!t->defined() || t->is_contiguous(), kernel, " (CUDA): expects contiguous tensors");
}

constexpr int kThreads = 256;

// Blocks for a grid-stride loop over n items (capped: the loop covers the rest).
inline unsigned blocks_for(int64_t n, int threads = kThreads) {
  const int64_t b = (std::max<int64_t>(n, 1) + threads - 1) / threads;
  return static_cast<unsigned>(std::min<int64_t>(b, int64_t{1} << 16));
}

template <typename T>
T* ptr(const Tensor& t) {
  return t.defined() ? static_cast<T*>(t.data_ptr()) : nullptr;
}

#if defined(__CUDACC__)
// The type a kernel accumulates and computes in: float for the 16-bit types, else T itself.
template <typename T> struct Acc { using type = T; };
template <> struct Acc<__half> { using type = float; };
template <> struct Acc<__nv_bfloat16> { using type = float; };
template <typename T> using acc_t = typename Acc<T>::type;

template <typename T>
__device__ __forceinline__ acc_t<T> load(const T* p, int64_t i) {
  return static_cast<acc_t<T>>(p[i]);
}
template <typename T>
__device__ __forceinline__ void store(T* p, int64_t i, acc_t<T> v) {
  p[i] = static_cast<T>(v);
}

// float32/float64 always; the 16-bit types when the family asks for them.
template <bool kHalfTypes = true, typename F>
void dispatch_float(DType t, const char* op, F&& f) {
  switch (t) {
    case kFloat32: return f.template operator()<float>();
    case kFloat64: return f.template operator()<double>();
    case kFloat16:
      if constexpr (kHalfTypes) return f.template operator()<__half>();
      break;
    case kBFloat16:
      if constexpr (kHalfTypes) return f.template operator()<__nv_bfloat16>();
      break;
    default: break;
  }
  WICK_FAIL(op, " (CUDA): not implemented for ", dtype_name(t));
}
#endif

}  // namespace wick::cuda::nn

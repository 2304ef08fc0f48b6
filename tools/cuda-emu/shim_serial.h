// Serial stand-ins for CUDA (one thread per launch): enough for grid-stride kernels without barriers.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
struct Dim3 { unsigned x = 1, y = 1, z = 1; };
inline Dim3 blockIdx{0, 0, 0}, threadIdx{0, 0, 0}, blockDim{1, 1, 1}, gridDim{1, 1, 1};
using std::min; using std::max; using std::isnan;
template <class T> T atomicAdd(T* p, T v) { T o = *p; *p += v; return o; }
template <typename T> using acc_t = T;
template <typename T> inline T load(const T* p, int64_t i) { return p[i]; }
template <typename T> inline void store(T* p, int64_t i, T v) { p[i] = v; }

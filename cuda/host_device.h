// WICK_HOST_DEVICE: marks the few helpers that kernels call and that host tests also compile
// (indexer.h, philox.h, merge_sort.h): __host__ __device__ under nvcc, nothing under g++.
#pragma once

#if defined(__CUDACC__)
#define WICK_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define WICK_HOST_DEVICE inline
#endif

// Loop unrolling hint for nvcc's device pass only (the host compiler warns about unknown pragmas).
#if defined(__CUDA_ARCH__)
#define WICK_UNROLL _Pragma("unroll")
#else
#define WICK_UNROLL
#endif

// Error checks for CUDA runtime, cuBLAS and cuDNN calls: a failing call throws wick::Error naming the
// call, the file:line and the library's own message. No call in cuda/ goes unchecked.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include "wick/core/error.h"

#define WICK_CUDA_CHECK(call)                                                                   \
  do {                                                                                          \
    cudaError_t wick_err_ = (call);                                                             \
    WICK_CHECK(wick_err_ == cudaSuccess, "CUDA error: ", #call, " failed at ", __FILE__, ":",   \
               __LINE__, ": ", cudaGetErrorString(wick_err_));                                  \
  } while (0)

#define WICK_CUBLAS_CHECK(call)                                                                 \
  do {                                                                                          \
    cublasStatus_t wick_st_ = (call);                                                           \
    WICK_CHECK(wick_st_ == CUBLAS_STATUS_SUCCESS, "cuBLAS error: ", #call, " failed at ",       \
               __FILE__, ":", __LINE__, ": ", cublasGetStatusString(wick_st_));                 \
  } while (0)

#define WICK_CUDNN_CHECK(call)                                                                  \
  do {                                                                                          \
    cudnnStatus_t wick_st_ = (call);                                                            \
    WICK_CHECK(wick_st_ == CUDNN_STATUS_SUCCESS, "cuDNN error: ", #call, " failed at ",         \
               __FILE__, ":", __LINE__, ": ", cudnnGetErrorString(wick_st_));                   \
  } while (0)

// A kernel launch reports configuration errors only through cudaGetLastError.
#define WICK_CUDA_CHECK_LAUNCH() WICK_CUDA_CHECK(cudaGetLastError())

// Per-device execution context shared by every kernel file: the current stream and the cuBLAS and
// cuDNN handles bound to it (created lazily, one per device and host thread). Implemented in
// context.cpp (cuda-core); the kernel families only call these.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include "wick/core/device.h"

namespace wick::cuda {

// The device that `t`'s data lives on becomes current for the calling thread (cudaSetDevice).
void set_device(int index);
int current_device();
// The stream every Wick kernel and library call on `device` is queued on.
cudaStream_t current_stream(int device_index);
cublasHandle_t cublas_handle(int device_index);  // already set to current_stream
cudnnHandle_t cudnn_handle(int device_index);    // already set to current_stream
// Temporary device memory from the caching allocator (e.g. cuDNN workspace), freed on destruction.
class Workspace {
 public:
  Workspace(size_t nbytes, int device_index);
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  void* data() const { return data_; }
  size_t size() const { return nbytes_; }

 private:
  void* data_ = nullptr;
  size_t nbytes_ = 0;
  int device_ = 0;
};

}  // namespace wick::cuda

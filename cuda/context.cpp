// The per-device execution context: which device is current, the stream Wick queues on, and the
// cuBLAS/cuDNN handles bound to it (one per device and host thread, created on first use and never
// destroyed: a handle destroyed after the driver unloaded at exit would fail).
// Wick queues everything on the legacy default stream of each device, as PyTorch does by default:
// kernels, library calls and cudaMemcpy are then ordered without events. No stream pools here.
#include "context.h"

#include <unordered_map>

#include "allocator.h"
#include "check.h"
#include "wick/core/tensor.h"
#include "wick/cuda.h"

namespace wick::cuda {

namespace {
// The device this thread last made current through Wick (-1: not yet known).
thread_local int t_current = -1;
}  // namespace

// Called by wick::cuda::set_device (the public function checks the index first).
void set_device_raw(int index) {
  if (t_current == index) return;
  WICK_CUDA_CHECK(cudaSetDevice(index));
  t_current = index;
}

int current_device_raw() {
  if (t_current < 0) WICK_CUDA_CHECK(cudaGetDevice(&t_current));
  return t_current;
}

cudaStream_t current_stream(int /*device_index*/) { return nullptr; }  // the legacy default stream

cublasHandle_t cublas_handle(int device_index) {
  thread_local std::unordered_map<int, cublasHandle_t> handles;
  auto it = handles.find(device_index);
  if (it != handles.end()) return it->second;
  set_device_raw(device_index);
  cublasHandle_t h = nullptr;
  WICK_CUBLAS_CHECK(cublasCreate(&h));
  WICK_CUBLAS_CHECK(cublasSetStream(h, current_stream(device_index)));
  handles.emplace(device_index, h);
  return h;
}

cudnnHandle_t cudnn_handle(int device_index) {
  thread_local std::unordered_map<int, cudnnHandle_t> handles;
  auto it = handles.find(device_index);
  if (it != handles.end()) return it->second;
  set_device_raw(device_index);
  cudnnHandle_t h = nullptr;
  WICK_CUDNN_CHECK(cudnnCreate(&h));
  WICK_CUDNN_CHECK(cudnnSetStream(h, current_stream(device_index)));
  handles.emplace(device_index, h);
  return h;
}

Workspace::Workspace(size_t nbytes, int device_index) : nbytes_(nbytes), device_(device_index) {
  if (nbytes_ > 0) data_ = device_allocator().allocate(nbytes_, device_, reinterpret_cast<StreamId>(current_stream(device_)));
}

Workspace::~Workspace() {
  if (data_) device_allocator().release(data_);
}

// Declared in kernel_utils.cuh (kernel files only).
cudaStream_t prepare(const Tensor& t);
cudaStream_t prepare(const Tensor& t) {
  const int index = t.device().index < 0 ? current_device_raw() : t.device().index;
  set_device_raw(index);
  return current_stream(index);
}

}  // namespace wick::cuda

// CudaBackend::allocate through the caching allocator, the allocator's cudaMalloc/cudaFree, and
// pinned host memory. A failed cudaMalloc is reported as nullptr so the cache can be emptied and
// the request retried before "CUDA out of memory" is thrown.
#include "allocator.h"

#include "check.h"
#include "context.h"
#include "cuda_backend.h"
#include "wick/cuda.h"

namespace wick::cuda {

namespace {
void* raw_malloc(size_t nbytes, int device) {
  set_device_raw(device);
  void* p = nullptr;
  cudaError_t err = cudaMalloc(&p, nbytes);
  if (err == cudaErrorMemoryAllocation) {
    (void)cudaGetLastError();  // clear the sticky-free error so later calls do not report it
    return nullptr;
  }
  WICK_CUDA_CHECK(err);
  return p;
}

void raw_free(void* p, int device) {
  set_device_raw(device);
  WICK_CUDA_CHECK(cudaFree(p));
}
}  // namespace

CachingAllocator& device_allocator() {
  // Never destroyed: storages in static objects may be released after main returns.
  static auto* a = new CachingAllocator(RawAllocator{raw_malloc, raw_free});
  return *a;
}

Storage pinned_allocate(size_t nbytes) {
  WICK_CHECK(is_available(), "pin_memory: CUDA is not available (no CUDA device or driver found)");
  void* p = nullptr;
  WICK_CUDA_CHECK(cudaHostAlloc(&p, nbytes == 0 ? 1 : nbytes, cudaHostAllocDefault));
  return wick::detail::make_pooled<StorageImpl>(p, nbytes, Device(kCPU),
                                                [](void* q) { (void)cudaFreeHost(q); });
}

bool is_pinned_ptr(const void* p) {
  if (!p || !is_available()) return false;
  cudaPointerAttributes attr{};
  if (cudaPointerGetAttributes(&attr, p) != cudaSuccess) {
    (void)cudaGetLastError();
    return false;
  }
  return attr.type == cudaMemoryTypeHost;
}

Storage CudaBackend::allocate(size_t nbytes, Device device) {
  WICK_CHECK(device.is_cuda(), "CudaBackend::allocate: asked for memory on ", device.str());
  WICK_CHECK(is_available(), "CUDA is not available: no CUDA device or driver was found (cuda::device_count() is 0); ",
             "cannot allocate a tensor on ", device.str());
  const int index = device.index < 0 ? current_device_raw() : device.index;
  WICK_CHECK(index < device_count(), "CUDA error: invalid device ordinal ", index, " (", device_count(),
             " device(s) available)");
  const StreamId stream = reinterpret_cast<StreamId>(current_stream(index));
  void* p = device_allocator().allocate(nbytes, index, stream);
  return wick::detail::make_pooled<StorageImpl>(p, nbytes, Device(kCUDA, index),
                                                [](void* q) { device_allocator().release(q); });
}

}  // namespace wick::cuda

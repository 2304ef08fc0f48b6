// The process-wide caching device allocator (cudaMalloc/cudaFree behind caching_allocator.h's
// bookkeeping) and page-locked host memory for fast copies. Host-only; kernels never allocate.
#pragma once

#include "caching_allocator.h"
#include "wick/core/storage.h"

namespace wick::cuda {

CachingAllocator& device_allocator();
// A CPU storage in page-locked memory (cudaHostAlloc), freed with cudaFreeHost.
Storage pinned_allocate(size_t nbytes);
bool is_pinned_ptr(const void* p);

// The context's raw device switch (context.cpp); wick::cuda::set_device checks, then calls it.
void set_device_raw(int index);
int current_device_raw();

}  // namespace wick::cuda

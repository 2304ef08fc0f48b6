// Registers the CUDA backend and the wick::cuda hooks from a static initializer. A static library
// drops objects nobody references, so WickCuda.cmake links wick_cuda whole and also asks the linker
// to keep wick_cuda_backend_anchor (a consumer linking wick::wick_cuda gets that option too).
#include "allocator.h"
#include "check.h"
#include "cuda_backend.h"
#include "wick/backend/cuda_hooks.h"

namespace wick::cuda {

namespace {
int hook_device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    (void)cudaGetLastError();  // no driver or no device: CUDA is simply unavailable
    return 0;
  }
  return n;
}

void hook_synchronize() {
  current_device_raw();  // the device this thread works on
  WICK_CUDA_CHECK(cudaDeviceSynchronize());
}

const detail::Hooks& hooks() {
  static const detail::Hooks h = [] {
    detail::Hooks x;
    x.device_count = hook_device_count;
    x.current_device = current_device_raw;
    x.set_device = set_device_raw;
    x.synchronize = hook_synchronize;
    x.memory_allocated = [](int d) { return device_allocator().stats(d).allocated; };
    x.max_memory_allocated = [](int d) { return device_allocator().stats(d).peak_allocated; };
    x.memory_reserved = [](int d) { return device_allocator().stats(d).reserved; };
    x.reset_peak_memory_stats = [](int d) { device_allocator().reset_peak_memory_stats(d); };
    x.empty_cache = [] { device_allocator().empty_cache(); };
    x.pinned_allocate = pinned_allocate;
    x.is_pinned = is_pinned_ptr;
    return x;
  }();
  return h;
}

struct Registrar {
  Registrar() {
    static CudaBackend backend;
    register_backend(kCUDA, &backend);
    detail::set_hooks(&hooks());
  }
};
const Registrar registrar;
}  // namespace

}  // namespace wick::cuda

// Kept by the linker option -Wl,--undefined=wick_cuda_backend_anchor, which keeps this object
// (and so the registrar) in every program that links wick_cuda.
extern "C" {
extern const int wick_cuda_backend_anchor;
const int wick_cuda_backend_anchor = 1;
}

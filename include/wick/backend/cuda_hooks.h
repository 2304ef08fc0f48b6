// The table through which wick_cuda serves wick::cuda's functions (include/wick/cuda.h) and pinned
// host memory: filled once by the CUDA backend's registrar. Plain function pointers, so the core
// never includes a CUDA header; a null table means wick_cuda is not linked.
#pragma once

#include <cstddef>

#include "wick/core/storage.h"

namespace wick::cuda::detail {

struct Hooks {
  int (*device_count)() = nullptr;  // 0 when the driver or the GPU is missing (never throws)
  int (*current_device)() = nullptr;
  void (*set_device)(int device) = nullptr;
  void (*synchronize)() = nullptr;  // the current device
  size_t (*memory_allocated)(int device) = nullptr;
  size_t (*max_memory_allocated)(int device) = nullptr;
  size_t (*memory_reserved)(int device) = nullptr;
  void (*reset_peak_memory_stats)(int device) = nullptr;
  void (*empty_cache)() = nullptr;
  Storage (*pinned_allocate)(size_t nbytes) = nullptr;  // page-locked host memory (a CPU storage)
  bool (*is_pinned)(const void* p) = nullptr;
};

void set_hooks(const Hooks* hooks);
const Hooks* hooks();  // null when wick_cuda is not linked

}  // namespace wick::cuda::detail

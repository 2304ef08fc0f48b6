// wick::cuda: torch.cuda's device and memory functions, with no CUDA header. They work in every
// build: without the CUDA backend (wick_cuda not linked) is_built() and is_available() are false,
// device_count() is 0 and the functions that need a device throw "Wick was built without CUDA".
#pragma once

#include <cstddef>
#include <cstdint>

#include "wick/core/device.h"
#include "wick/core/generator.h"

namespace wick::cuda {

bool is_built();          // wick_cuda is linked (torch.backends.cuda.is_built)
bool is_available();      // ... and at least one GPU and a driver are present
int device_count();       // 0 without a usable GPU
int current_device();
void set_device(int device);
void synchronize();       // waits for all work queued on the current device
// Seeds the current device's generator / every device's (no-op without a GPU, as PyTorch).
void manual_seed(uint64_t seed);
void manual_seed_all(uint64_t seed);
// The default generator of a CUDA device (-1: the current one).
Generator& default_generator(int device = -1);

// The caching allocator's statistics, in bytes (torch.cuda.memory_allocated, ...).
size_t memory_allocated(int device = 0);
size_t max_memory_allocated(int device = 0);
size_t memory_reserved(int device = 0);
void reset_peak_memory_stats(int device = 0);
// Returns every cached, unused block to the driver (torch.cuda.empty_cache).
void empty_cache();

}  // namespace wick::cuda

namespace wick {
// The default generator of `device`: the CPU one, or that CUDA device's (cuda::default_generator).
// Random ops draw from it for their output's device.
Generator& default_generator(Device device);
}  // namespace wick

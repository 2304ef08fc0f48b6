// The caching device allocator's bookkeeping, as PyTorch's CUDACachingAllocator: requests are rounded
// to size classes, freed blocks are kept per (device, stream) and reused best-fit, so a training
// loop's steady state calls no cudaMalloc/cudaFree. The raw malloc/free are injected (cudaMalloc in
// allocator.cpp, a fake in tests/cuda/allocator_test.cpp), so this header includes no CUDA header.
// It does not split or coalesce blocks, and does not track cross-stream use (Wick uses one stream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "wick/core/error.h"

namespace wick::cuda {

struct RawAllocator {
  std::function<void*(size_t nbytes, int device)> malloc;  // returns nullptr when out of memory
  std::function<void(void* p, int device)> free;
};

using StreamId = uintptr_t;

struct MemoryStats {
  size_t allocated = 0;       // bytes in blocks handed out (rounded sizes, as PyTorch counts)
  size_t peak_allocated = 0;  // the most `allocated` reached since the last reset
  size_t reserved = 0;        // bytes obtained from the raw allocator and not yet returned
  size_t raw_mallocs = 0;     // calls to the raw malloc that succeeded (tests watch the steady state)
  size_t raw_frees = 0;
};

class CachingAllocator {
 public:
  static constexpr size_t kMinBlock = 512;            // every block is a multiple of 512 bytes
  static constexpr size_t kSmallSize = 1u << 20;      // up to 1 MiB: 512-byte classes
  static constexpr size_t kLargeRound = 2u << 20;     // above: 2 MiB classes
  static constexpr size_t kMaxWasteDivisor = 4;       // a cached block may exceed the request by 1/4

  explicit CachingAllocator(RawAllocator raw) : raw_(std::move(raw)) {}
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  static size_t round_size(size_t n) {
    if (n == 0) n = 1;
    const size_t q = n <= kSmallSize ? kMinBlock : kLargeRound;
    return (n + q - 1) / q * q;
  }

  // A block of at least nbytes for `device`, cached for `stream`. Throws "CUDA out of memory" when
  // the raw allocator fails even after the cache was returned to it.
  void* allocate(size_t nbytes, int device, StreamId stream) {
    const size_t size = round_size(nbytes);
    std::lock_guard<std::mutex> lk(mu_);
    MemoryStats& st = stats_[device];
    size_t got = size;
    void* p = take_cached(size, device, stream, got);
    if (!p) {
      p = raw_.malloc(size, device);
      if (!p) {  // out of memory: give the whole cache back and retry once
        release_cached(-1);
        p = raw_.malloc(size, device);
      }
      if (!p) {
        WICK_FAIL("CUDA out of memory: tried to allocate ", format_bytes(size), " on device ", device, " (",
                  format_bytes(st.allocated), " allocated, ", format_bytes(st.reserved), " reserved)");
      }
      st.reserved += size;
      ++st.raw_mallocs;
    }
    live_[p] = Block{got, device, stream};
    st.allocated += got;
    if (st.allocated > st.peak_allocated) st.peak_allocated = st.allocated;
    return p;
  }

  // Returns a block from allocate() to the cache of its (device, stream).
  void release(void* p) {
    if (!p) return;
    std::lock_guard<std::mutex> lk(mu_);
    auto it = live_.find(p);
    WICK_CHECK(it != live_.end(), "CUDA caching allocator: release of a pointer it did not allocate");
    const Block b = it->second;
    live_.erase(it);
    stats_[b.device].allocated -= b.size;
    free_.emplace(b.device, b.stream, b.size, reinterpret_cast<uintptr_t>(p));
  }

  // Gives every cached (unused) block back to the raw allocator; device -1: all devices.
  void empty_cache(int device = -1) {
    std::lock_guard<std::mutex> lk(mu_);
    release_cached(device);
  }

  MemoryStats stats(int device) const {
    std::lock_guard<std::mutex> lk(mu_);
    auto it = stats_.find(device);
    return it == stats_.end() ? MemoryStats{} : it->second;
  }

  void reset_peak_memory_stats(int device) {
    std::lock_guard<std::mutex> lk(mu_);
    MemoryStats& st = stats_[device];
    st.peak_allocated = st.allocated;
  }

  // Bytes sitting in the cache for `device` (reserved minus allocated).
  size_t cached_bytes(int device) const {
    MemoryStats s = stats(device);
    return s.reserved - s.allocated;
  }

  static std::string format_bytes(size_t n) {
    char buf[64];
    const double mib = static_cast<double>(n) / (1024.0 * 1024.0);
    if (mib >= 1024.0) std::snprintf(buf, sizeof buf, "%.2f GiB", mib / 1024.0);
    else std::snprintf(buf, sizeof buf, "%.2f MiB", mib);
    return buf;
  }

 private:
  struct Block {
    size_t size;
    int device;
    StreamId stream;
  };
  // (device, stream, size, address): ordered so lower_bound finds the best fit of a stream.
  using FreeKey = std::tuple<int, StreamId, size_t, uintptr_t>;

  // Smallest cached block of (device, stream) with size in [size, size + size / 4] (its size goes
  // to `got`); null if none.
  void* take_cached(size_t size, int device, StreamId stream, size_t& got) {
    auto it = free_.lower_bound(FreeKey{device, stream, size, 0});
    if (it == free_.end()) return nullptr;
    const auto& [d, s, bsize, addr] = *it;
    if (d != device || s != stream || bsize > size + size / kMaxWasteDivisor) return nullptr;
    got = bsize;
    void* p = reinterpret_cast<void*>(addr);
    free_.erase(it);
    return p;
  }

  void release_cached(int device) {
    for (auto it = free_.begin(); it != free_.end();) {
      const auto& [d, s, bsize, addr] = *it;
      if (device >= 0 && d != device) {
        ++it;
        continue;
      }
      raw_.free(reinterpret_cast<void*>(addr), d);
      MemoryStats& st = stats_[d];
      st.reserved -= bsize;
      ++st.raw_frees;
      it = free_.erase(it);
    }
  }

  RawAllocator raw_;
  mutable std::mutex mu_;
  std::set<FreeKey> free_;
  std::unordered_map<void*, Block> live_;
  std::map<int, MemoryStats> stats_;
};

}  // namespace wick::cuda

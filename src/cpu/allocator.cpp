// Size-class caching allocator over 64-byte aligned blocks. Classes are powers of two up to 1 MiB
// and multiples of 1 MiB above (large blocks are reused only by requests of the same class).
// Small blocks (up to kSmallMax) go through a per-thread free list first, so the steady state of a
// loop of tiny ops takes no lock; the shared cache behind it holds everything else and the
// overflow of the per-thread lists. Not a general-purpose malloc: no splitting or coalescing.
#include "allocator.h"

#include <array>
#include <bit>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace wick::cpu {

namespace {
constexpr size_t kAlign = 64;
constexpr size_t kSmallMax = 64 * 1024;   // per-thread lists serve classes 64 B .. 64 KiB
constexpr size_t kSmallClasses = 11;      // log2(64 KiB / 64) + 1
constexpr size_t kLocalBytes = 4u << 20;  // per-thread cap; beyond it blocks go to the shared cache

size_t size_class(size_t n) {
  if (n <= 64) return 64;
  if (n <= (1u << 20)) return std::bit_ceil(n);
  constexpr size_t kMiB = 1u << 20;
  return (n + kMiB - 1) / kMiB * kMiB;
}

// Index of a small class (64 -> 0, 128 -> 1, ...).
size_t small_index(size_t c) { return static_cast<size_t>(std::countr_zero(c)) - 6; }

struct Cache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_blocks;
  size_t cached = 0;
};

Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: tensors in static objects may outlive main
  return *c;
}

void to_shared(size_t c, void* p) {
  Cache& k = cache();
  std::lock_guard<std::mutex> lk(k.mu);
  k.free_blocks[c].push_back(p);
  k.cached += c;
}

// Set when this thread's LocalCache is destroyed: tensors freed later (static objects, after the
// main thread's thread_locals) go straight to the shared cache.
thread_local bool t_local_gone = false;

// A thread's small free lists; what is left when the thread ends goes to the shared cache.
struct LocalCache {
  std::array<std::vector<void*>, kSmallClasses> lists;
  size_t bytes = 0;
  void drain() {
    for (size_t i = 0; i < kSmallClasses; ++i) {
      for (void* p : lists[i]) to_shared(size_t{64} << i, p);
      lists[i].clear();
    }
    bytes = 0;
  }
  ~LocalCache() {
    drain();
    t_local_gone = true;
  }
};

LocalCache& local() {
  thread_local LocalCache l;
  return l;
}
}  // namespace

void* allocate(size_t nbytes) {
  const size_t c = size_class(nbytes);
  if (c <= kSmallMax && !t_local_gone) {
    LocalCache& l = local();
    auto& list = l.lists[small_index(c)];
    if (!list.empty()) {
      void* p = list.back();
      list.pop_back();
      l.bytes -= c;
      return p;
    }
  }
  Cache& k = cache();
  {
    std::lock_guard<std::mutex> lk(k.mu);
    auto it = k.free_blocks.find(c);
    if (it != k.free_blocks.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      k.cached -= c;
      return p;
    }
  }
  void* p = std::aligned_alloc(kAlign, c);
  if (!p) {
    empty_cache();
    p = std::aligned_alloc(kAlign, c);
  }
  if (!p) throw std::bad_alloc();
  return p;
}

void release(void* p, size_t nbytes) {
  if (!p) return;
  const size_t c = size_class(nbytes);
  if (c <= kSmallMax && !t_local_gone) {
    LocalCache& l = local();
    if (l.bytes + c <= kLocalBytes) {
      l.lists[small_index(c)].push_back(p);
      l.bytes += c;
      return;
    }
  }
  to_shared(c, p);
}

size_t cached_bytes() {
  size_t local_bytes = t_local_gone ? 0 : local().bytes;
  std::lock_guard<std::mutex> lk(cache().mu);
  return cache().cached + local_bytes;
}

void empty_cache() {
  if (!t_local_gone) local().drain();
  Cache& k = cache();
  std::lock_guard<std::mutex> lk(k.mu);
  for (auto& [c, v] : k.free_blocks)
    for (void* p : v) std::free(p);
  k.free_blocks.clear();
  k.cached = 0;
}

}  // namespace wick::cpu

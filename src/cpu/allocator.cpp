// Size-class caching allocator over 64-byte aligned blocks. Classes are powers of two up to 1 MiB
// and multiples of 1 MiB above (large blocks are reused only by requests of the same class).
#include "allocator.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace wick::cpu {

namespace {
constexpr size_t kAlign = 64;

size_t size_class(size_t n) {
  if (n <= 64) return 64;
  if (n <= (1u << 20)) {
    size_t c = 64;
    while (c < n) c <<= 1;
    return c;
  }
  constexpr size_t kMiB = 1u << 20;
  return (n + kMiB - 1) / kMiB * kMiB;
}

struct Cache {
  std::mutex mu;
  std::unordered_map<size_t, std::vector<void*>> free_blocks;
  std::unordered_map<void*, size_t> live;  // block -> class
  size_t cached = 0;
  ~Cache() {
    for (auto& [c, v] : free_blocks)
      for (void* p : v) std::free(p);
  }
};

Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: tensors in static objects may outlive main
  return *c;
}
}  // namespace

void* allocate(size_t nbytes) {
  size_t c = size_class(nbytes);
  Cache& k = cache();
  {
    std::lock_guard<std::mutex> lk(k.mu);
    auto it = k.free_blocks.find(c);
    if (it != k.free_blocks.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      k.cached -= c;
      k.live[p] = c;
      return p;
    }
  }
  void* p = std::aligned_alloc(kAlign, c);
  if (!p) {
    empty_cache();
    p = std::aligned_alloc(kAlign, c);
  }
  if (!p) throw std::bad_alloc();
  std::lock_guard<std::mutex> lk(k.mu);
  k.live[p] = c;
  return p;
}

void release(void* p) {
  if (!p) return;
  Cache& k = cache();
  std::lock_guard<std::mutex> lk(k.mu);
  auto it = k.live.find(p);
  size_t c = it->second;
  k.live.erase(it);
  k.free_blocks[c].push_back(p);
  k.cached += c;
}

size_t cached_bytes() {
  std::lock_guard<std::mutex> lk(cache().mu);
  return cache().cached;
}

void empty_cache() {
  Cache& k = cache();
  std::lock_guard<std::mutex> lk(k.mu);
  for (auto& [c, v] : k.free_blocks)
    for (void* p : v) std::free(p);
  k.free_blocks.clear();
  k.cached = 0;
}

}  // namespace wick::cpu

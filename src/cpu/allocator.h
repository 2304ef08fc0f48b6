// The CPU caching allocator: freed blocks are kept per size class and reused, so a training loop's
// steady state makes no system allocations (glibc's trim/re-map page-fault storms, DESIGN.md).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace wick::cpu {

// nbytes > 0. release() takes the size that was asked for (it picks the same size class).
void* allocate(size_t nbytes);
void release(void* p, size_t nbytes);
// Bytes held in the shared cache and this thread's small free lists (other threads' lists are not
// counted, and empty_cache() leaves them alone: they drain into the shared cache when their thread
// ends).
size_t cached_bytes();
void empty_cache();

// A kernel's scratch buffer of n elements from the caching allocator (column matrices and
// transformed tiles are MBs; glibc would map and unmap them on every call).
template <typename T>
class Scratch {
 public:
  explicit Scratch(int64_t n) : n_(static_cast<size_t>(std::max<int64_t>(n, 1))) {
    p_ = static_cast<T*>(allocate(n_ * sizeof(T)));
  }
  ~Scratch() { release(p_, n_ * sizeof(T)); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  T* get() const { return p_; }

 private:
  size_t n_;
  T* p_;
};

}  // namespace wick::cpu

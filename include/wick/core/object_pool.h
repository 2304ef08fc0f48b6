// make_pooled<T>(...): std::make_shared through a per-thread free list of small blocks. A chain
// of tiny ops makes and drops a TensorImpl, a StorageImpl and a Node per op; glibc keeps only 7
// freed blocks per size in its fast per-thread cache, so tearing down a graph of a few hundred of
// them sends the rest through its slow, coalescing path (40% of a 100-op chain's time here).
#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace wick::detail {

// Blocks up to kPoolMaxBytes, rounded up to 16 bytes; larger requests go to operator new.
inline constexpr size_t kPoolMaxBytes = 512;
void* pool_allocate(size_t nbytes);
void pool_release(void* p, size_t nbytes) noexcept;
// Blocks held in this thread's free lists (for tests).
size_t pool_cached_blocks();

template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}  // NOLINT: rebinding, as allocators do
  T* allocate(size_t n) {
    static_assert(alignof(T) <= 16, "pool blocks are 16-byte aligned");
    return static_cast<T*>(pool_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept { pool_release(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

template <class T, class... Args>
std::shared_ptr<T> make_pooled(Args&&... args) {
  return std::allocate_shared<T>(PoolAllocator<T>(), std::forward<Args>(args)...);
}

}  // namespace wick::detail

// Per-thread free lists of 16-byte size classes up to kPoolMaxBytes. A freed block goes to the
// list of the thread that frees it (all blocks of a class have the same size, so any thread may
// reuse it); beyond kMaxCachedBytes per thread, or once the thread's lists are gone, it goes back
// to operator delete.
#include "wick/core/object_pool.h"

#include <array>
#include <new>

namespace wick::detail {

namespace {
constexpr size_t kGranule = 16;
constexpr size_t kClasses = kPoolMaxBytes / kGranule;
constexpr size_t kMaxCachedBytes = 4u << 20;  // a few graphs' worth of nodes and tensors

struct FreeBlock {
  FreeBlock* next;
};

thread_local bool t_pool_gone = false;

struct ThreadPool {
  std::array<FreeBlock*, kClasses> heads{};
  std::array<size_t, kClasses> counts{};
  size_t bytes = 0;
  ~ThreadPool() {
    for (size_t c = 0; c < kClasses; ++c) {
      while (FreeBlock* b = heads[c]) {
        heads[c] = b->next;
        ::operator delete(b);
      }
    }
    t_pool_gone = true;
  }
};

ThreadPool& thread_pool() {
  thread_local ThreadPool p;
  return p;
}

// Class index of a request of n bytes (1..16 -> 0, 17..32 -> 1, ...).
size_t class_of(size_t n) { return (n + kGranule - 1) / kGranule - 1; }
}  // namespace

void* pool_allocate(size_t nbytes) {
  if (nbytes == 0 || nbytes > kPoolMaxBytes || t_pool_gone) return ::operator new(nbytes);
  const size_t c = class_of(nbytes);
  ThreadPool& p = thread_pool();
  if (FreeBlock* b = p.heads[c]) {
    p.heads[c] = b->next;
    --p.counts[c];
    p.bytes -= (c + 1) * kGranule;
    return b;
  }
  return ::operator new((c + 1) * kGranule);
}

void pool_release(void* ptr, size_t nbytes) noexcept {
  if (!ptr) return;
  if (nbytes == 0 || nbytes > kPoolMaxBytes || t_pool_gone) {
    ::operator delete(ptr);
    return;
  }
  const size_t c = class_of(nbytes);
  ThreadPool& p = thread_pool();
  if (p.bytes + (c + 1) * kGranule > kMaxCachedBytes) {
    ::operator delete(ptr);
    return;
  }
  auto* b = static_cast<FreeBlock*>(ptr);
  b->next = p.heads[c];
  p.heads[c] = b;
  ++p.counts[c];
  p.bytes += (c + 1) * kGranule;
}

size_t pool_cached_blocks() {
  if (t_pool_gone) return 0;
  size_t n = 0;
  for (size_t c : thread_pool().counts) n += c;
  return n;
}

}  // namespace wick::detail

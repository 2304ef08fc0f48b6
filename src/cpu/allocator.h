// The CPU caching allocator: freed blocks are kept per size class and reused, so a training loop's
// steady state makes no system allocations (glibc's trim/re-map page-fault storms, DESIGN.md).
#pragma once

#include <cstddef>

namespace wick::cpu {

// nbytes > 0. release() takes the size that was asked for (it picks the same size class).
void* allocate(size_t nbytes);
void release(void* p, size_t nbytes);
// Bytes held in the shared cache and this thread's small free lists (other threads' lists are not
// counted, and empty_cache() leaves them alone: they drain into the shared cache when their thread ends).
size_t cached_bytes();
void empty_cache();

}  // namespace wick::cpu

// The CPU caching allocator: freed blocks are kept per size class and reused, so a training loop's
// steady state makes no system allocations (glibc's trim/re-map page-fault storms, DESIGN.md).
#pragma once

#include <cstddef>

namespace wick::cpu {

void* allocate(size_t nbytes);
void release(void* p);
// Bytes held in the cache (for tests and empty_cache).
size_t cached_bytes();
void empty_cache();

}  // namespace wick::cpu

// The size of one core's L2 cache, for kernels that size their blocks to it (sgemm_packed.cpp,
// conv.cpp). Private to src/cpu/.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace wick::cpu {

// Bytes of one core's L2 (0 when the system does not say).
inline int64_t l2_bytes() {
  static const int64_t bytes = std::max<int64_t>(0, sysconf(_SC_LEVEL2_CACHE_SIZE));
  return bytes;
}

}  // namespace wick::cpu

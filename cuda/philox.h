// Philox4x32-10 on the device: the same function as wick::philox4x32 (include/wick/core/generator.h),
// so a CUDA fill with (seed, counter) reproduces the CPU stream word for word. Also the CPU's
// 53-bit uniform from two words. No CUDA header: a host test checks it against the CPU function.
#pragma once

#include <cstdint>

#include "host_device.h"

namespace wick::cuda {

struct PhiloxWords {
  uint32_t w[4];
};

WICK_HOST_DEVICE PhiloxWords philox4x32(uint64_t seed, uint64_t counter) {
  uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
WICK_UNROLL
  for (int r = 0; r < 10; ++r) {
    const uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0;
    const uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2;
    const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
    const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
    c1 = static_cast<uint32_t>(p1);
    c3 = static_cast<uint32_t>(p0);
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return {{c0, c1, c2, c3}};
}

// Uniform in [0, 1) with 53 bits, exactly as src/cpu/random.cpp's u53.
WICK_HOST_DEVICE double u53(uint32_t a, uint32_t b) {
  const uint64_t x = (static_cast<uint64_t>(a) << 21) ^ static_cast<uint64_t>(b);
  return static_cast<double>(x & ((1ull << 53) - 1)) * (1.0 / 9007199254740992.0);
}

}  // namespace wick::cuda

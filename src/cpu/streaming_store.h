// Non-temporal (streaming) stores for elementwise outputs larger than the last-level cache. A
// normal store first reads the line it writes (read-for-ownership), so `c = a + b` over memory
// moves four arrays' worth of bytes; streaming stores skip that read and the cache, moving three.
// Below the cache size the output would still be in cache for the next op, so plain stores win.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace wick::cpu {

// Bytes of output from which streaming stores pay: the last-level cache's size, at most 32 MiB.
// The system reports the whole package's L3 (256 MiB on an 8-CCX EPYC), while a core only sees
// its own slice (32 MiB per Zen 3 CCX).
inline int64_t streaming_min_bytes() {
  static const int64_t bytes = [] {
    constexpr int64_t kMaxSlice = int64_t{32} << 20;
    const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    return l3 > 0 ? std::min(static_cast<int64_t>(l3), kMaxSlice) : kMaxSlice;
  }();
  return bytes;
}

// Writes one 64-byte line (dst 64-byte aligned) with streaming stores.
inline void stream_line(void* dst, const void* src) {
#if defined(__AVX__)
  const auto* s = static_cast<const __m256i*>(src);
  auto* d = static_cast<__m256i*>(dst);
  for (int k = 0; k < 2; ++k) _mm256_stream_si256(d + k, _mm256_load_si256(s + k));
#elif defined(__SSE2__)
  const auto* s = static_cast<const __m128i*>(src);
  auto* d = static_cast<__m128i*>(dst);
  for (int k = 0; k < 4; ++k) _mm_stream_si128(d + k, _mm_load_si128(s + k));
#else
  std::memcpy(dst, src, 64);
#endif
}

// Streaming stores are weakly ordered: fenced before the data is handed to another thread (the
// end of a parallel_for body).
inline void streaming_fence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

// o[i] = value(i) for i in [b, e), whole cache lines written with streaming stores. Each line is
// computed into a local line that the compiler keeps in registers: computing a larger chunk into
// an L1 buffer and then streaming it out was no faster than plain stores (the loads and the
// stores then come in separate bursts).
template <typename O, typename F>
void write_streaming(O* o, int64_t b, int64_t e, const F& value) {
  static_assert(64 % sizeof(O) == 0, "write_streaming: element size must divide a cache line");
  constexpr int64_t kLine = 64 / static_cast<int64_t>(sizeof(O));
  int64_t i = b;
  for (; i < e && reinterpret_cast<std::uintptr_t>(o + i) % 64 != 0; ++i) o[i] = value(i);
  for (; i + kLine <= e; i += kLine) {
    alignas(64) O line[kLine];
    // Left rolled, GCC vectorises this loop into one or two vector ops; fully unrolled first (its
    // default for 16 floats), its SLP pass rebuilt the line from 16 scalar loads and adds, and
    // add_16M ran at the speed of plain stores (15 ms instead of 10 on an Emerald Rapids Xeon).
#pragma GCC unroll 1
    for (int64_t j = 0; j < kLine; ++j) line[j] = value(i + j);
    stream_line(o + i, line);
  }
  for (; i < e; ++i) o[i] = value(i);
  streaming_fence();
}

}  // namespace wick::cpu

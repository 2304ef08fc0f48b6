// The register-tile micro-kernels of the packed float32 GEMM (sgemm_packed.cpp, its only user):
// c (mr, nr) = beta * c + alpha * A's panel @ B's panel over kc, 14x32 on AVX-512 (28 of the 32
// zmm registers hold accumulators), 6x16 on AVX2+FMA (12 of the 16 ymm), with a kernel per row
// count for the last tile of rows. Private to src/cpu/; include only where __AVX512F__ or
// __AVX2__ and __FMA__ are defined.
#pragma once

#include <immintrin.h>

#include <array>
#include <cstdint>
#include <utility>

namespace wick::cpu::sgemm_kernel {

#if defined(__AVX512F__)
constexpr int64_t kMR = 14, kNR = 32;  // register tile: 14 rows x 2 zmm
#else
constexpr int64_t kMR = 6, kNR = 16;  // register tile: 6 rows x 2 ymm
#endif

// C's rows are a row stride apart (4 KB for a 1024-wide C), a pattern the hardware prefetcher does
// not follow, and the tile is written (and read when beta != 0) after the k loop: start its lines
// on their way now, so that they arrive while the FMAs run.
inline void prefetch_c_tile(const float* c, int64_t ldc, int64_t mr, int64_t nr) {
  for (int64_t i = 0; i < mr; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + nr - 1), _MM_HINT_T0);
  }
}

#if defined(__AVX512F__)

// c (mr, nr) row-major with row stride ldc: c = beta * c + alpha * ap @ bp over kc (first block of
// the k loop) or c += alpha * ap @ bp (later blocks: beta == 1). beta == 0 never reads c. Only the
// first R >= mr rows of A's panel are multiplied (see micro_kernel).
template <int R>
inline void micro_kernel_rows(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc,
                              int64_t mr, int64_t nr, float beta, float alpha) {
  __m512 acc[R][2];
#pragma GCC unroll 14
  for (int i = 0; i < R; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  // C's tile is prefetched one row per kCRowSteps steps of the k loop rather than all 28 lines
  // before it (as the AVX2 kernel does): on an Emerald Rapids Xeon the burst cost 5% of 1024^3
  // against OpenBLAS (0.94 -> 1.00 in one process), most likely because 28 misses at once fill
  // the L1's miss buffers that the loads of A, streaming from L2, need.
  constexpr int64_t kCRowSteps = 16;
  for (int64_t k0 = 0; k0 < kc; k0 += kCRowSteps) {
    if (const int64_t i = k0 / kCRowSteps; i < mr) prefetch_c_tile(c + i * ldc, ldc, 1, nr);
    for (int64_t k = k0, ke = std::min(kc, k0 + kCRowSteps); k < ke; ++k) {
      const __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bp + 16);
#pragma GCC unroll 14
      for (int i = 0; i < R; ++i) {
        const __m512 av = _mm512_set1_ps(ap[i]);
        acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);
        acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);
      }
      ap += kMR;
      bp += kNR;
    }
  }
  const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  // Columns [0, 16) and [16, 32) of the tile, masked to nr.
  const __mmask16 m0 = static_cast<__mmask16>(nr >= 16 ? 0xFFFF : (1u << nr) - 1);
  const __mmask16 m1 = static_cast<__mmask16>(nr >= 32   ? 0xFFFF
                                              : nr <= 16 ? 0
                                                         : (1u << (nr - 16)) - 1);
  // Constant indices into acc only (see the AVX2 kernel): unrolled, rows past mr skipped.
#pragma GCC unroll 14
  for (int i = 0; i < R; ++i) {
    if (i >= mr) break;
    float* row = c + i * ldc;
    __m512 r0 = _mm512_mul_ps(va, acc[i][0]), r1 = _mm512_mul_ps(va, acc[i][1]);
    if (beta != 0.0f) {
      r0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, row), r0);
      r1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, row + 16), r1);
    }
    _mm512_mask_storeu_ps(row, m0, r0);
    _mm512_mask_storeu_ps(row + 16, m1, r1);
  }
}

#else

// c (mr, nr) row-major with row stride ldc: as the AVX-512 kernel. Edge tiles go through a local
// buffer (AVX2 has no cheap masked store).
template <int R>
inline void micro_kernel_rows(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc,
                              int64_t mr, int64_t nr, float beta, float alpha) {
  __m256 acc[R][2];
#pragma GCC unroll 6
  for (int i = 0; i < R; ++i) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  prefetch_c_tile(c, ldc, mr, nr);
  for (int64_t k = 0; k < kc; ++k) {
    const __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
#pragma GCC unroll 6
    for (int i = 0; i < R; ++i) {
      const __m256 av = _mm256_broadcast_ss(ap + i);
      acc[i][0] = _mm256_fmadd_ps(av, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(av, b1, acc[i][1]);
    }
    ap += kMR;
    bp += kNR;
  }
  // Every access to acc has a constant index (unrolled loops, fixed bounds): an index GCC cannot
  // resolve makes acc a stack array, stored to memory on every step of the k loop.
  const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
  if (mr == R && nr == kNR) {
#pragma GCC unroll 6
    for (int i = 0; i < R; ++i) {
      float* row = c + i * ldc;
      __m256 r0 = _mm256_mul_ps(va, acc[i][0]), r1 = _mm256_mul_ps(va, acc[i][1]);
      if (beta != 0.0f) {
        r0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row), r0);
        r1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8), r1);
      }
      _mm256_storeu_ps(row, r0);
      _mm256_storeu_ps(row + 8, r1);
    }
    return;
  }
  alignas(32) float tile[R][kNR];
#pragma GCC unroll 6
  for (int i = 0; i < R; ++i) {
    _mm256_store_ps(tile[i], _mm256_mul_ps(va, acc[i][0]));
    _mm256_store_ps(tile[i] + 8, _mm256_mul_ps(va, acc[i][1]));
  }
  for (int64_t i = 0; i < mr; ++i) {
    float* row = c + i * ldc;
    for (int64_t j = 0; j < nr; ++j)
      row[j] = beta != 0.0f ? tile[i][j] + beta * row[j] : tile[i][j];
  }
}

#endif

// A tile of mr < kMR rows goes to a kernel of mr rows: a product whose row count is not a multiple
// of kMR ran its last tile at the full kernel's cost (128 output channels make 9 full tiles of 14
// rows and one of 2: 9% of the product). Stride-2 Conv2d(128, 128, 3) on 24x24: forward
// 14.1 -> 13.7 ms, both gradients 31.2 -> 29.9 ms (1 thread, Emerald Rapids).
using MicroKernel = void (*)(int64_t, const float*, const float*, float*, int64_t, int64_t, int64_t,
                             float, float);
template <size_t... I>
constexpr std::array<MicroKernel, kMR> micro_kernels(std::index_sequence<I...>) {
  return {&micro_kernel_rows<static_cast<int>(I) + 1>...};
}
constexpr std::array<MicroKernel, kMR> kMicroKernels =
    micro_kernels(std::make_index_sequence<kMR>());

inline void micro_kernel(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc,
                         int64_t mr, int64_t nr, float beta, float alpha) {
  kMicroKernels[static_cast<size_t>(mr - 1)](kc, ap, bp, c, ldc, mr, nr, beta, alpha);
}

}  // namespace wick::cpu::sgemm_kernel

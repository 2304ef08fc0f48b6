// float32 GEMM: BLIS-style blocking (panels of A and B packed into contiguous buffers sized for
// L2/L3) around a register-tile micro-kernel (sgemm_micro_kernel.h: 14x32 on AVX-512, 6x16 on
// AVX2+FMA). With several threads, each block of B is
// packed once by all of them and C's rows are shared out in small pieces taken on demand; for few
// rows and a deep product each thread takes a part of the depth instead, and where a thread's
// columns of B fit in its L2 each thread takes its own columns. B may be a LineMatrix (its rows
// or columns at given offsets: a convolution's column matrix read in place). Built
// for neither ISA (the portable x86-64-v2 build), sgemm_packed returns false and the caller uses
// Eigen.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "allocator.h"
#include "cache_size.h"
#include "gemm.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>

#include "sgemm_micro_kernel.h"
#define WICK_SGEMM_PACKED 1
#endif

namespace wick::cpu {

#if defined(WICK_SGEMM_PACKED)

using sgemm_kernel::kMR;
using sgemm_kernel::kNR;
using sgemm_kernel::micro_kernel;

namespace {

#if defined(__AVX512F__)
constexpr int64_t kMC = 336;  // rows of A per packed block (336x256x4 = 336 KB, in L2)
#else
constexpr int64_t kMC = 144;  // rows of A per packed block (144x256x4 = 144 KB, in L2)
#endif
// depth: a B micro-panel (16 KB on AVX2, 32 on AVX-512) stays in L1
constexpr int64_t kKC = kSgemmDepthBlock;
// Floats of B packed at once with threads (4 MB): the round is used while it is still in L3 (all of
// a 4096-deep B at once, 16 MB, came back from memory: 256x4096x1024 at 2 threads 22.5 -> 20.3 ms).
constexpr int64_t kMaxPackedB = int64_t{1} << 20;
constexpr int64_t kNC = 3072;  // columns of B per packed block (256x3072x4 = 3 MB, in L3)

constexpr int64_t kAPackSlack = 8;  // floats after a packed A block that pack_a may scribble on

// Packed panels start on a cache line, so that no vector load of B straddles two lines (a
// std::vector's buffer is only 16-byte aligned). Buffers hold kAlignFloats spare floats for it.
constexpr int64_t kAlignFloats = 16;
inline float* align_to_line(float* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  return reinterpret_cast<float*>((a + 63) & ~std::uintptr_t{63});
}

// r[i] = row i of an 8x8 block -> r[j] = column j (unpack pairs, then 2x2 blocks, then halves).
inline void transpose8x8(__m256 r[8]) {
  __m256 t[8], u[8];
#pragma GCC unroll 4
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
#pragma GCC unroll 2
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    r[j] = _mm256_permute2f128_ps(u[j], u[j + 4], 0x20);
    r[j + 4] = _mm256_permute2f128_ps(u[j], u[j + 4], 0x31);
  }
}

// Packs a[i0:i0+mc, k0:k0+kc] as panels of kMR rows, k-major inside a panel, zero-padded rows.
void pack_a(const MatrixRef<float>& a, int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* dst) {
  if (a.rs == 1 && a.cs != 1) {
    // Column-major A (a transposed gradient or weight): each k is kMR adjacent values. Walked k
    // by k across all full panels, so reads run along A's columns: panel by panel, each k was a
    // new column, and columns a power of two apart (2 KB for 512 rows) share a few L1 sets, so
    // nearly every read missed L1.
    // The columns are far apart, a pattern the hardware prefetcher does not follow: fetch a few
    // columns ahead.
    constexpr int64_t kAhead = 4;
    const int64_t full = mc / kMR;
    for (int64_t k = 0; k < kc; ++k) {
      const float* src = a.p + i0 + (k0 + k) * a.cs;
      if (k + kAhead < kc)
        for (int64_t i = 0; i < mc; i += 16) __builtin_prefetch(src + kAhead * a.cs + i);
      for (int64_t p = 0; p < full; ++p)
        std::memcpy(dst + p * kMR * kc + k * kMR, src + p * kMR, kMR * sizeof(float));
    }
    if (full * kMR == mc) return;
    dst += full * kMR * kc;
    i0 += full * kMR;
    mc -= full * kMR;
  }
  for (int64_t ip = 0; ip < mc; ip += kMR) {
    const int64_t mr = std::min(kMR, mc - ip);
    const float* src = a.p + (i0 + ip) * a.rs + k0 * a.cs;
    if (a.cs == 1 && mr == kMR) {
      // Row-major A: 8x8 transposes of kMR rows. A group of fewer than 8 rows stores 8 floats all
      // the same; the extra ones land where the next row group (stored after it: groups run from
      // the last) or the next k, next panel or kAPackSlack writes.
      int64_t k = 0;
      for (; k + 8 <= kc; k += 8) {
        for (int64_t g = (kMR - 1) / 8 * 8; g >= 0; g -= 8) {
          __m256 r[8];
#pragma GCC unroll 8
          for (int64_t i = 0; i < 8; ++i)
            r[i] = g + i < kMR ? _mm256_loadu_ps(src + (g + i) * a.rs + k) : _mm256_setzero_ps();
          transpose8x8(r);
#pragma GCC unroll 8
          for (int64_t j = 0; j < 8; ++j) _mm256_storeu_ps(dst + (k + j) * kMR + g, r[j]);
        }
      }
      for (; k < kc; ++k)
        for (int64_t i = 0; i < kMR; ++i) dst[k * kMR + i] = src[i * a.rs + k];
    } else {
      for (int64_t k = 0; k < kc; ++k)
        for (int64_t i = 0; i < kMR; ++i)
          dst[k * kMR + i] = i < mr ? src[i * a.rs + k * a.cs] : 0.0f;
    }
    dst += kMR * kc;
  }
}

// A's panels for rows [ic, ic + mc) over depth [pc, pc + kc): packed into scratch, or where a
// PackedA holds them (pack_a_once packs each depth block of kKC as pack_a does, block pc at
// pc * padded_rows).
inline const float* a_panels(const MatrixRef<float>& a, int64_t ic, int64_t mc, int64_t pc,
                             int64_t kc, float* scratch) {
  pack_a(a, ic, mc, pc, kc, scratch);
  return scratch;
}
inline const float* a_panels(const PackedA& a, int64_t ic, int64_t, int64_t pc, int64_t kc,
                             float*) {
  return a.p + pc * a.padded_rows + ic * kc;
}

// Packs b[k0:k0+kc, j0:j0+nc] as panels of kNR columns, k-major inside a panel, zero-padded, for a
// B whose rows are runs: row(k) points at b[k, 0], the row's values contiguous.
template <typename Row>
void pack_b_rows(const Row& row, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
  // A few rows at a time across every full panel, so reads run along B's rows (panel by panel,
  // each k of a panel is a new row: a page apart when B is wide).
  const int64_t full = nc / kNR;
  constexpr int64_t kRows = 8;
  for (int64_t kb = 0; kb < kc; kb += kRows) {
    const int64_t ke = std::min(kc, kb + kRows);
    for (int64_t p = 0; p < full; ++p) {
      float* out = dst + p * kNR * kc + kb * kNR;
      for (int64_t k = kb; k < ke; ++k, out += kNR)
        std::memcpy(out, row(k0 + k) + j0 + p * kNR, kNR * sizeof(float));
    }
  }
  const int64_t nr = nc - full * kNR;
  if (nr == 0) return;
  dst += full * kNR * kc;
  for (int64_t k = 0; k < kc; ++k) {
    std::memcpy(dst + k * kNR, row(k0 + k) + j0 + full * kNR, nr * sizeof(float));
    std::fill(dst + k * kNR + nr, dst + (k + 1) * kNR, 0.0f);
  }
}

// The same for a B whose columns are runs: col(j) points at b[0, j], the column contiguous (a
// transposed operand: 8x8 transposes of 8 columns by 8 k).
template <typename Col>
void pack_b_cols(const Col& col, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
  for (int64_t jp = 0; jp < nc; jp += kNR) {
    const int64_t nr = std::min(kNR, nc - jp);
    if (nr == kNR) {
      int64_t k = 0;
      for (; k + 8 <= kc; k += 8) {
        for (int64_t g = 0; g < kNR; g += 8) {
          __m256 r[8];
#pragma GCC unroll 8
          for (int64_t i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(col(j0 + jp + g + i) + k0 + k);
          transpose8x8(r);
#pragma GCC unroll 8
          for (int64_t j = 0; j < 8; ++j) _mm256_storeu_ps(dst + (k + j) * kNR + g, r[j]);
        }
      }
      for (int64_t j = 0; j < kNR; ++j) {
        const float* src = col(j0 + jp + j) + k0;
        for (int64_t kr = k; kr < kc; ++kr) dst[kr * kNR + j] = src[kr];
      }
    } else {
      for (int64_t j = 0; j < kNR; ++j) {
        const float* src = j < nr ? col(j0 + jp + j) + k0 : nullptr;
        for (int64_t k = 0; k < kc; ++k) dst[k * kNR + j] = src ? src[k] : 0.0f;
      }
    }
    dst += kNR * kc;
  }
}

// Packs b[k0:k0+kc, j0:j0+nc] as pack_b_rows does, for any strides.
void pack_b(const MatrixRef<float>& b, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
  if (b.cs == 1) return pack_b_rows([&](int64_t k) { return b.p + k * b.rs; }, k0, kc, j0, nc, dst);
  if (b.rs == 1) return pack_b_cols([&](int64_t j) { return b.p + j * b.cs; }, k0, kc, j0, nc, dst);
  for (int64_t jp = 0; jp < nc; jp += kNR) {
    const int64_t nr = std::min(kNR, nc - jp);
    const float* src = b.p + k0 * b.rs + (j0 + jp) * b.cs;
    for (int64_t k = 0; k < kc; ++k)
      for (int64_t j = 0; j < kNR; ++j) dst[k * kNR + j] = j < nr ? src[k * b.rs + j * b.cs] : 0.0f;
    dst += kNR * kc;
  }
}

void pack_b(const LineMatrix& b, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
  const auto line = [&](int64_t i) { return b.p + b.at[i]; };
  if (b.by_columns) return pack_b_cols(line, k0, kc, j0, nc, dst);
  pack_b_rows(line, k0, kc, j0, nc, dst);
}

// Runs fn(begin, end) over [0, n) in `per_thread` pieces per thread that the threads take one at
// a time, so a thread whose core a neighbour process is using ends up doing less (with a static
// split everyone would wait for it).
template <typename F>
void parallel_pieces(int64_t n, int64_t per_thread, const F& fn) {
  const int64_t want = per_thread * static_cast<int64_t>(get_num_threads());
  const int64_t piece = std::max<int64_t>(1, (n + want - 1) / want),
                pieces = (n + piece - 1) / piece;
  std::atomic<int64_t> next{0};
  parallel_for(pieces, 1, [&](int64_t, int64_t) {
    for (int64_t p = next.fetch_add(1); p < pieces; p = next.fetch_add(1))
      fn(p * piece, std::min(n, (p + 1) * piece));
  });
}

// Whether a threaded product splits its depth between the threads rather than C's rows: when
// the rows give each thread less than one packed A block (256 rows of a 4096-deep product, a
// linear layer's batch), each thread streams all of the shared B for few rows, between barriers.
// Split by depth, each packs and uses only its own part of B, with no barrier until the end.
// Each part is at least two depth blocks deep.
bool split_depth(int64_t m, int64_t kk) {
  const int64_t threads = get_num_threads();
  return threads > 1 && m < kMC * threads && kk >= threads * 2 * kKC;
}

// Whether a threaded product gives each thread its own columns of B and C, through the one-thread
// path: when a depth block of a thread's columns of B fits in half its L2 beside the packed A
// block. It then stays in L2 for all of C's rows, with no barrier until the end, where sharing B
// between the threads streams it from L3 for each piece of rows. On an Emerald Rapids Xeon (2 MB
// of L2) 1024^3 at 2 threads went from 0.94 to 0.99 of OpenBLAS in one process; on 512 KB of L2
// a 1024-column product keeps the shared B.
bool split_columns(int64_t n) {
  const int64_t threads = get_num_threads(), cols = (n + threads - 1) / threads;
  return threads > 1 && cols >= 4 * kNR &&
         2 * kKC * cols * static_cast<int64_t>(sizeof(float)) <= l2_bytes();
}

// c = beta * c + alpha * a @ b with thread t computing columns [col(t), col(t + 1)) (whole
// register tiles but for the last part).
template <typename A, typename B>
bool sgemm_run(const A& a, const B& b, const MatrixRef<float>& c, float beta, float alpha,
               bool parallel);

template <typename A, typename B>
bool sgemm_column_split(const A& a, const B& b, const MatrixRef<float>& c, float beta,
                        float alpha) {
  const int64_t n = c.cols, parts = get_num_threads();
  auto col = [&](int64_t t) { return t == parts ? n : n * t / parts / kNR * kNR; };
  parallel_for(parts, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t)
      sgemm_run(a, b.cols_slice(col(t), col(t + 1)), c.cols_slice(col(t), col(t + 1)), beta, alpha,
                false);
  });
  return true;
}

// c = beta * c + alpha * a @ b with thread t computing depth part t (at depth block boundaries):
// part 0 into c, the others into their own (m, n) buffers, then added into c in part order (the
// result depends on the thread count, not on scheduling).
template <typename A, typename B>
bool sgemm_depth_split(const A& a, const B& b, const MatrixRef<float>& c, float beta, float alpha) {
  const int64_t m = c.rows, n = c.cols, kk = a.cols, parts = get_num_threads();
  // From the caching allocator, like other kernels' scratch: a std::vector was a system allocation
  // (past glibc's mmap threshold) zero-filled on every call. Every part writes its own buffer with
  // beta 0, so none needs clearing. (No speed change measured: 1 MB is small next to the product.)
  Scratch<float> partial((parts - 1) * m * n);
  auto depth = [&](int64_t t) { return t == parts ? kk : kk * t / parts / kKC * kKC; };
  parallel_for(parts, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t) {
      const MatrixRef<float> ct =
          t == 0 ? c : MatrixRef<float>{partial.get() + (t - 1) * m * n, m, n, n, 1};
      sgemm_run(a.cols_slice(depth(t), depth(t + 1)), b.rows_slice(depth(t), depth(t + 1)), ct,
                t == 0 ? beta : 0.0f, alpha, false);
    }
  });
  parallel_for(m, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(n, 1)),
               [&](int64_t r0, int64_t r1) {
                 for (int64_t t = 1; t < parts; ++t)
                   for (int64_t r = r0; r < r1; ++r) {
                     float* row = c.p + r * c.rs;
                     const float* add = partial.get() + ((t - 1) * m + r) * n;
                     for (int64_t j = 0; j < n; ++j) row[j] += add[j];
                   }
               });
  return true;
}

// Whether B's columns are runs (a transposed operand): its panels are packed from kNR runs read
// along, which the hardware prefetcher follows, so packing them one at a time costs nothing extra.
bool columns_are_runs(const MatrixRef<float>& b) { return b.rs == 1 && b.cs != 1; }
bool columns_are_runs(const LineMatrix& b) { return b.by_columns; }

// c = beta * c + alpha * a @ b on one thread for all of C's rows in one packed A block, packing
// each panel of B just before the row tiles use it, so that it is still in L1. A small batch's
// Linear forward, x (16, 6400) @ W^T, packed B a depth block at a time: 3 MB for 3072 columns,
// written and read back from L3 for two row tiles (1 thread, Emerald Rapids: 19.2 ms against
// OpenBLAS's 12.1).
template <typename A, typename B>
void sgemm_panel_at_a_time(const A& a, const B& b, const MatrixRef<float>& c, float beta,
                           float alpha) {
  const int64_t m = c.rows, n = c.cols, kk = a.cols;
  thread_local std::vector<float> scratch;
  scratch.resize(static_cast<size_t>(kMC * kKC + kAPackSlack + kKC * kNR + 2 * kAlignFloats));
  float* const ap = align_to_line(scratch.data());
  float* const bp = align_to_line(ap + kMC * kKC + kAPackSlack);
  for (int64_t pc = 0; pc < kk; pc += kKC) {
    const int64_t kc = std::min(kKC, kk - pc);
    const float bt = pc == 0 ? beta : 1.0f;
    const float* const apk = a_panels(a, 0, m, pc, kc, ap);
    for (int64_t jr = 0; jr < n; jr += kNR) {
      const int64_t nr = std::min(kNR, n - jr);
      pack_b(b, pc, kc, jr, nr, bp);
      for (int64_t ir = 0; ir < m; ir += kMR)
        micro_kernel(kc, apk + ir * kc, bp, c.p + ir * c.rs + jr, c.rs, std::min(kMR, m - ir), nr,
                     bt, alpha);
    }
  }
}

// The packed product for A a MatrixRef<float> or a PackedA (a_panels), B a MatrixRef<float> or a
// LineMatrix (pack_b reads either).
template <typename A, typename B>
bool sgemm_run(const A& a, const B& b, const MatrixRef<float>& c, float beta, float alpha,
               bool parallel) {
  const int64_t m = c.rows, n = c.cols, kk = a.cols;
  if (c.cs != 1 || kk == 0) return false;
  if (parallel && split_depth(m, kk)) return sgemm_depth_split(a, b, c, beta, alpha);
  if (parallel && split_columns(n)) return sgemm_column_split(a, b, c, beta, alpha);
  if (!parallel && m <= kMC && columns_are_runs(b)) {
    sgemm_panel_at_a_time(a, b, c, beta, alpha);
    return true;
  }
  const int64_t nc_max = (std::min(kNC, n) + kNR - 1) / kNR * kNR;
  // Depth packed per round. One thread packs one kKC block at a time and uses it while it is in
  // cache; several threads pack up to kMaxPackedB floats of B at once, so the round costs two
  // fork/joins (pack, compute) instead of two per kKC block.
  const int64_t ks_step =
      parallel ? std::max<int64_t>(
                     kKC, std::min((kk + kKC - 1) / kKC, kMaxPackedB / (kKC * nc_max)) * kKC)
               : kKC;
  // Shared by the threads of one call (the caller's thread owns it; workers only read it).
  thread_local std::vector<float> bpack;
  bpack.resize(static_cast<size_t>(std::min(ks_step, (kk + kKC - 1) / kKC * kKC) * nc_max) +
               kAlignFloats);
  // A plain pointer (inside the lambdas `bpack` would be each worker's own), cache-line aligned.
  float* const bp_all = align_to_line(bpack.data());
  const int64_t row_tiles = (m + kMR - 1) / kMR;
  for (int64_t jc = 0; jc < n; jc += kNC) {
    const int64_t nc = std::min(kNC, n - jc);
    const int64_t panels = (nc + kNR - 1) / kNR;
    for (int64_t ks = 0; ks < kk; ks += ks_step) {
      const int64_t ke = std::min(kk, ks + ks_step), blocks = (ke - ks + kKC - 1) / kKC;
      // Block q covers depth [ks + q * kKC, ...) and starts at q * kKC * nc_max in bpack.
      auto pack_panels = [&](int64_t t0, int64_t t1) {
        // Consecutive panels of one depth block in one call (pack_b reads B's rows along).
        for (int64_t t = t0; t < t1;) {
          const int64_t q = t / panels, p = t % panels, pc = ks + q * kKC,
                        kc = std::min(kKC, ke - pc), p_end = std::min(panels, p + t1 - t);
          pack_b(b, pc, kc, jc + p * kNR, std::min(nc, p_end * kNR) - p * kNR,
                 bp_all + q * kKC * nc_max + p * kNR * kc);
          t += p_end - p;
        }
      };
      // Tiles [t0, t1) of kMR rows, through every depth block of the round.
      auto row_range = [&](int64_t t0, int64_t t1) {
        float* ap = nullptr;  // scratch for A's panels, unless A comes packed
        if constexpr (std::is_same_v<A, MatrixRef<float>>) {
          thread_local std::vector<float> apack;
          apack.resize(static_cast<size_t>(kMC * kKC + kAPackSlack + kAlignFloats));
          ap = align_to_line(apack.data());
        }
        const int64_t r_end = std::min(m, t1 * kMR);
        for (int64_t q = 0; q < blocks; ++q) {
          const int64_t pc = ks + q * kKC, kc = std::min(kKC, ke - pc);
          const float bt = pc == 0 ? beta : 1.0f;
          const float* bq = bp_all + q * kKC * nc_max;
          for (int64_t ic = t0 * kMR; ic < r_end; ic += kMC) {
            const int64_t mc = std::min(kMC, r_end - ic);
            const float* const apk = a_panels(a, ic, mc, pc, kc, ap);
            for (int64_t jr = 0; jr < nc; jr += kNR) {
              for (int64_t ir = 0; ir < mc; ir += kMR) {
                micro_kernel(kc, apk + ir * kc, bq + jr * kc, c.p + (ic + ir) * c.rs + jc + jr,
                             c.rs, std::min(kMR, mc - ir), std::min(kNR, nc - jr), bt, alpha);
              }
            }
          }
        }
      };
      if (parallel) {
        parallel_pieces(blocks * panels, 4, pack_panels);
        // Every piece of rows streams all of the packed B: small pieces only when C is tall.
        parallel_pieces(row_tiles, row_tiles >= 2 * kMC / kMR ? 2 : 1, row_range);
      } else {
        pack_panels(0, blocks * panels);
        row_range(0, row_tiles);
      }
    }
  }
  return true;
}

}  // namespace

bool sgemm_packed(const MatrixRef<float>& a, const MatrixRef<float>& b, const MatrixRef<float>& c,
                  float beta, float alpha, bool parallel) {
  return sgemm_run(a, b, c, beta, alpha, parallel);
}

bool sgemm_packed(const MatrixRef<float>& a, const LineMatrix& b, const MatrixRef<float>& c,
                  float beta, float alpha, bool parallel) {
  return sgemm_run(a, b, c, beta, alpha, parallel);
}

bool sgemm_packed(const PackedA& a, const MatrixRef<float>& b, const MatrixRef<float>& c,
                  float beta, float alpha, bool parallel) {
  return sgemm_run(a, b, c, beta, alpha, parallel);
}

bool sgemm_packed(const PackedA& a, const LineMatrix& b, const MatrixRef<float>& c, float beta,
                  float alpha, bool parallel) {
  return sgemm_run(a, b, c, beta, alpha, parallel);
}

bool has_sgemm_packed() { return true; }

int64_t packed_a_floats(int64_t rows, int64_t cols) {
  return (rows + kMR - 1) / kMR * kMR * cols + kAPackSlack;
}

PackedA pack_a_once(const MatrixRef<float>& a, float* dst) {
  const PackedA packed{dst, a.rows, a.cols, (a.rows + kMR - 1) / kMR * kMR};
  for (int64_t pc = 0; pc < a.cols; pc += kKC)
    pack_a(a, 0, a.rows, pc, std::min(kKC, a.cols - pc), dst + pc * packed.padded_rows);
  return packed;
}

#else

bool sgemm_packed(const MatrixRef<float>&, const MatrixRef<float>&, const MatrixRef<float>&, float,
                  float, bool) {
  return false;
}

bool sgemm_packed(const MatrixRef<float>&, const LineMatrix&, const MatrixRef<float>&, float, float,
                  bool) {
  return false;
}

bool sgemm_packed(const PackedA&, const MatrixRef<float>&, const MatrixRef<float>&, float, float,
                  bool) {
  return false;
}

bool sgemm_packed(const PackedA&, const LineMatrix&, const MatrixRef<float>&, float, float, bool) {
  return false;
}

bool has_sgemm_packed() { return false; }

int64_t packed_a_floats(int64_t, int64_t) { return 0; }

PackedA pack_a_once(const MatrixRef<float>& a, float* dst) { return {dst, a.rows, a.cols, 0}; }

#endif

}  // namespace wick::cpu

// im2col / col2im for the CPU conv kernels: one pass per (channel, kernel offset) row, with the
// valid output range of the innermost dim computed once so the hot loop has no bounds tests.
// Not vectorised by hand, but for one loop: with unit stride the inner loop is a copy the compiler
// already vectorises, and the GEMM after it dominates. The exception is splitting a stride-2 input
// into its phases on AVX-512 (split_stride2_rows).
//
// Lines are short in the small images of deep layers (6 or 3 floats in ResNet-18's last stages):
// GCC would turn the copy and fill loops into memcpy/memset calls that cost more than the copy.
#pragma GCC optimize("no-tree-loop-distribute-patterns")

#include "im2col.h"

#include <algorithm>
#include <cstring>
#include <type_traits>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif
#include <vector>

#include "wick/core/error.h"

namespace wick::cpu {
namespace {

// Smallest o >= 0 with o * s - p + k >= 0, and the end of the range with o * s - p + k < in
// (clamped to [0, out]): outputs in [lo, hi) read inside the input along this dim.
struct Range {
  int64_t lo, hi;
};
Range valid_range(int64_t in, int64_t out, int64_t s, int64_t p, int64_t koff) {
  auto ceil_div = [](int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); };
  int64_t lo = std::clamp<int64_t>(ceil_div(p - koff, s), 0, out);
  int64_t hi = std::clamp<int64_t>(ceil_div(in + p - koff, s), lo, out);
  return {lo, hi};
}

// valid_range for each offset along the last kernel dim: a line's range depends only on k2, and
// two divisions per line cost more than copying a short line (LeNet's are 28 long).
std::vector<Range> ranges_by_k2(const ConvGeom& g) {
  std::vector<Range> r(static_cast<size_t>(g.kernel[2]));
  for (int64_t k2 = 0; k2 < g.kernel[2]; ++k2)
    r[static_cast<size_t>(k2)] =
        valid_range(g.in[2], g.out[2], g.stride[2], g.padding[2], k2 * g.dilation[2]);
  return r;
}

// Walks every (row of col, sample, output line along the last dim): fn(col_offset, x_offset, k2)
// where x_offset is where the input line this output line reads starts, or -1 for a line that
// lies in the padding.
template <typename F>
void for_each_line(const ConvGeom& g, int64_t ld, SampleRun samples, RowRange rows, F&& fn) {
  const auto& in = g.in;
  const auto& out = g.out;
  const int64_t line_len = out[2], L = g.out_size();
  int64_t row = 0;
  for (int64_t c = 0; c < g.channels; ++c)
    for (int64_t k0 = 0; k0 < g.kernel[0]; ++k0)
      for (int64_t k1 = 0; k1 < g.kernel[1]; ++k1)
        for (int64_t k2 = 0; k2 < g.kernel[2]; ++k2, ++row) {
          if (row < rows.begin || row >= rows.end) continue;
          for (int64_t s = 0; s < samples.count; ++s) {
            int64_t at = (row - rows.begin) * ld + s * L;
            const int64_t x0 = s * samples.x_stride;
            for (int64_t o0 = 0; o0 < out[0]; ++o0) {
              const int64_t i0 = o0 * g.stride[0] - g.padding[0] + k0 * g.dilation[0];
              for (int64_t o1 = 0; o1 < out[1]; ++o1, at += line_len) {
                const int64_t i1 = o1 * g.stride[1] - g.padding[1] + k1 * g.dilation[1];
                const bool inside = i0 >= 0 && i0 < in[0] && i1 >= 0 && i1 < in[1];
                fn(at, inside ? x0 + ((c * in[0] + i0) * in[1] + i1) * in[2] : int64_t{-1}, k2);
              }
            }
          }
        }
}

}  // namespace

bool ConvGeom::pointwise() const {
  for (int d = 0; d < 3; ++d)
    if (kernel[d] != 1 || stride[d] != 1 || padding[d] != 0) return false;
  return true;
}

namespace {

// 1-d and 2-d convolutions (every layer of the zoo): a row of col for one sample is the output
// plane, whose lines [a, b) read input lines a * s1 + di, (a + 1) * s1 + di, ... (x_at is where
// line a's starts), each from column o2 * s2 + shift for output columns [e0, e1); the rest of the
// plane reads padding. im2col copies those parts and zeroes the rest (with unit strides and
// output lines as wide as the input's, all lines as one contiguous run, then the padding
// columns); col2im adds them back. The column stride is a template argument for 1 and 2 (ResNet's
// downsampling layers) so that GCC vectorises the line copies; other strides take the runtime one.
bool planar(const ConvGeom& g) {
  return g.in[0] == 1 && g.out[0] == 1 && g.kernel[0] == 1 && g.padding[0] == 0;
}

struct PlaneRow {
  int64_t col_at, x_at, a, b, shift, e0, e1;
};

template <typename F>
void for_each_plane_row(const ConvGeom& g, int64_t ld, SampleRun samples, RowRange rows, F&& fn) {
  const int64_t H = g.in[1], W = g.in[2], L = g.out[1] * g.out[2];
  const std::vector<Range> cols = ranges_by_k2(g);
  int64_t row = 0;
  for (int64_t c = 0; c < g.channels; ++c)
    for (int64_t k1 = 0; k1 < g.kernel[1]; ++k1) {
      const int64_t koff1 = k1 * g.dilation[1];
      const Range lines = valid_range(H, g.out[1], g.stride[1], g.padding[1], koff1);
      const int64_t first_line = lines.lo * g.stride[1] + koff1 - g.padding[1];
      for (int64_t k2 = 0; k2 < g.kernel[2]; ++k2, ++row) {
        if (row < rows.begin || row >= rows.end) continue;
        const Range r = cols[static_cast<size_t>(k2)];
        const int64_t shift = k2 * g.dilation[2] - g.padding[2];
        for (int64_t smp = 0; smp < samples.count; ++smp)
          fn(PlaneRow{(row - rows.begin) * ld + smp * L,
                      smp * samples.x_stride + (c * H + first_line) * W, lines.lo, lines.hi, shift,
                      r.lo, r.hi});
      }
    }
}

// S: the column stride when known at compile time (1 or 2), else 0 and `s2` holds it.
template <int S, typename T>
void im2col_planar(const T* x, T* col, const ConvGeom& g, int64_t ld, SampleRun samples,
                   RowRange rows) {
  const int64_t W = g.in[2], OW = g.out[2], L = g.out[1] * OW;
  const int64_t s2 = S > 0 ? S : g.stride[2], line_step = g.stride[1] * W;
  const bool one_run = S == 1 && g.stride[1] == 1 && OW == W;
  for_each_plane_row(g, ld, samples, rows, [&](const PlaneRow& r) {
    T* dst = col + r.col_at;
    for (int64_t j = 0; j < r.a * OW; ++j) dst[j] = T(0);
    for (int64_t j = r.b * OW; j < L; ++j) dst[j] = T(0);
    if (r.b == r.a) return;  // every line reads padding (x_at may lie outside x)
    T* d = dst + r.a * OW;
    const T* src = x + r.x_at;
    if (one_run) {  // the in-range lines are contiguous in both: one run, then the padding columns
      const int64_t n = (r.b - r.a) * W;
      const int64_t j0 = std::max<int64_t>(0, -r.shift), j1 = std::min(n, n - r.shift);
      for (int64_t j = j0; j < j1; ++j) d[j] = src[j + r.shift];
      for (int64_t l = 0; l < r.b - r.a; ++l) {
        for (int64_t q = 0; q < r.e0; ++q) d[l * W + q] = T(0);
        for (int64_t q = r.e1; q < W; ++q) d[l * W + q] = T(0);
      }
      return;
    }
    // Short unpadded unit-stride lines (LeNet's 10 of 14): two overlapping fixed-size copies per
    // line instead of a vectorised loop whose set-up costs more than its 10 elements.
    constexpr int64_t kV = 32 / static_cast<int64_t>(sizeof(T));
    if (S == 1 && r.e0 == 0 && r.e1 == OW && OW >= kV && OW <= 2 * kV) {
      for (int64_t l = 0; l < r.b - r.a; ++l) {
        const T* sl = src + l * line_step + r.shift;
        std::memcpy(d + l * OW, sl, kV * sizeof(T));
        std::memcpy(d + l * OW + OW - kV, sl + OW - kV, kV * sizeof(T));
      }
      return;
    }
    for (int64_t l = 0; l < r.b - r.a; ++l) {
      T* dl = d + l * OW;
      // src[base + q * s2] is inside the line for q in [e0, e1).
      const int64_t base = l * line_step + r.shift;
      for (int64_t q = 0; q < r.e0; ++q) dl[q] = T(0);
      for (int64_t q = r.e0; q < r.e1; ++q) dl[q] = src[base + q * s2];
      for (int64_t q = r.e1; q < OW; ++q) dl[q] = T(0);
    }
  });
}

template <int S, typename T>
void col2im_planar(const T* col, T* x, const ConvGeom& g, int64_t ld, SampleRun samples,
                   RowRange rows) {
  const int64_t W = g.in[2], OW = g.out[2];
  const int64_t s2 = S > 0 ? S : g.stride[2], line_step = g.stride[1] * W;
  for_each_plane_row(g, ld, samples, rows, [&](const PlaneRow& r) {
    if (r.b == r.a) return;
    const T* d = col + r.col_at + r.a * OW;
    T* dst = x + r.x_at;
    for (int64_t l = 0; l < r.b - r.a; ++l) {
      const int64_t base = l * line_step + r.shift;
      for (int64_t q = r.e0; q < r.e1; ++q) dst[base + q * s2] += d[l * OW + q];
    }
  });
}

}  // namespace

template <typename T>
void im2col(const T* x, T* col, const ConvGeom& g, int64_t ld, SampleRun samples, RowRange rows) {
  if (ld <= 0) ld = samples.count * g.out_size();
  if (planar(g)) {
    if (g.stride[2] == 1) return im2col_planar<1>(x, col, g, ld, samples, rows);
    if (g.stride[2] == 2) return im2col_planar<2>(x, col, g, ld, samples, rows);
    return im2col_planar<0>(x, col, g, ld, samples, rows);
  }
  const int64_t ow = g.out[2], s = g.stride[2];
  const std::vector<Range> ranges = ranges_by_k2(g);
  for_each_line(g, ld, samples, rows, [&](int64_t at, int64_t xoff, int64_t k2) {
    T* dst = col + at;
    if (xoff < 0) {
      for (int64_t o = 0; o < ow; ++o) dst[o] = T(0);
      return;
    }
    const int64_t koff = k2 * g.dilation[2];
    const Range r = ranges[static_cast<size_t>(k2)];
    for (int64_t o = 0; o < r.lo; ++o) dst[o] = T(0);
    // x[base + o * s] is the input read by output o (inside [r.lo, r.hi)).
    const int64_t base = xoff - g.padding[2] + koff;
    if (s == 1) {
      for (int64_t o = r.lo; o < r.hi; ++o) dst[o] = x[base + o];
    } else {
      for (int64_t o = r.lo; o < r.hi; ++o) dst[o] = x[base + o * s];
    }
    for (int64_t o = r.hi; o < ow; ++o) dst[o] = T(0);
  });
}

template <typename T>
void col2im(const T* col, T* x, const ConvGeom& g, int64_t ld, SampleRun samples, RowRange rows) {
  if (rows.begin == 0)
    for (int64_t n = 0; n < samples.count; ++n)
      std::fill_n(x + n * samples.x_stride, g.channels * g.in_size(), T(0));
  if (ld <= 0) ld = samples.count * g.out_size();
  if (planar(g)) {
    if (g.stride[2] == 1) return col2im_planar<1>(col, x, g, ld, samples, rows);
    if (g.stride[2] == 2) return col2im_planar<2>(col, x, g, ld, samples, rows);
    return col2im_planar<0>(col, x, g, ld, samples, rows);
  }
  const int64_t s = g.stride[2];
  const std::vector<Range> ranges = ranges_by_k2(g);
  for_each_line(g, ld, samples, rows, [&](int64_t at, int64_t xoff, int64_t k2) {
    if (xoff < 0) return;
    const int64_t koff = k2 * g.dilation[2];
    const Range r = ranges[static_cast<size_t>(k2)];
    const T* src = col + at + r.lo;
    T* dst = x + xoff + r.lo * s - g.padding[2] + koff;
    if (s == 1) {
      for (int64_t j = 0; j < r.hi - r.lo; ++j) dst[j] += src[j];
    } else {
      for (int64_t j = 0; j < r.hi - r.lo; ++j) dst[j * s] += src[j];
    }
  });
}

namespace {

// Ranges of phase rows i and columns j that read inside x (valid_range of the phase plane against
// the input): ri[a] for phase row a, rj[b] for phase column b.
struct PhaseRanges {
  std::vector<Range> ri, rj;
  PhaseRanges(const ConvGeom& g, const PhaseLayout& pl) {
    for (int64_t a = 0; a < pl.rows; ++a)
      ri.push_back(valid_range(g.in[1], pl.height, g.stride[1], g.padding[1], a));
    for (int64_t b = 0; b < pl.cols; ++b)
      rj.push_back(valid_range(g.in[2], pl.width, g.stride[2], g.padding[2], b));
  }
};

// Walks the in-range lines of the phase planes of channels [c0, c1) of one sample:
// fn(plane (the phase's first value), i, x_index of the line's j = 0, range of j); x_index + j * s2
// is where value j of line i comes from. Lines and values out of range are padding. The input's
// lines are visited in order (line i of phase a reads input line i * s1 + a - p1), which the
// hardware prefetcher follows: phase by phase, every s1-th line, was slower.
template <typename F>
void for_each_phase_line(const ConvGeom& g, const PhaseLayout& pl, const PhaseRanges& pr,
                         int64_t c0, int64_t c1, F&& fn) {
  const int64_t H = g.in[1], W = g.in[2];
  for (int64_t c = c0; c < c1; ++c)
    for (int64_t i = 0; i < pl.height; ++i)
      for (int64_t a = 0; a < pl.rows; ++a) {
        const Range ri = pr.ri[static_cast<size_t>(a)];
        if (i < ri.lo || i >= ri.hi) continue;
        for (int64_t b = 0; b < pl.cols; ++b)
          fn((((c - c0) * pl.rows + a) * pl.cols + b) * pl.plane(), i,
             (c * H + i * g.stride[1] + a - g.padding[1]) * W + b - g.padding[2],
             pr.rj[static_cast<size_t>(b)]);
      }
}

// Phase planes of channels [c0, c1) of one sample into ph (zeros where they read padding). S as
// in im2col_planar.
template <int S, typename T>
void split_phase_planes_generic(const T* x, T* ph, const ConvGeom& g, const PhaseLayout& pl,
                                int64_t c0, int64_t c1) {
  const int64_t PW = pl.width, s2 = S > 0 ? S : g.stride[2];
  std::fill_n(ph, pl.floats(c1 - c0), T(0));
  for_each_phase_line(g, pl, PhaseRanges(g, pl), c0, c1,
                      [&](int64_t plane, int64_t i, int64_t xi, Range rj) {
                        T* d = ph + plane + i * PW;
                        for (int64_t j = rj.lo; j < rj.hi; ++j) d[j] = x[xi + j * s2];
                      });
}

#if defined(__AVX512F__)
// Stride 2 across, two phase columns, an input line of at most 32 values, float32: each input row
// is split into its even and odd values at once (one or two loads, two permutes, two stores).
// Line by line through for_each_phase_line, with GCC's vector loop too long for 12-value lines,
// the split took 45 us a sample of 128 channels of 24x24, 14% of the stride-2 layer's forward;
// this way 29 us with its input streaming in and 27 us from cache.
inline bool split_stride2_rows(const float* x, float* ph, const ConvGeom& g, const PhaseLayout& pl,
                               int64_t c0, int64_t c1) {
  const int64_t H = g.in[1], W = g.in[2], PW = pl.width, plane = pl.plane();
  const int64_t s1 = g.stride[1], p1 = g.padding[1], p2 = g.padding[2];
  if (g.stride[2] != 2 || pl.cols != 2 || W > 32 || PW > 16 || p2 > 16) return false;
  std::fill_n(ph, pl.floats(c1 - c0), 0.0f);
  // Phase column b, line value j reads x column 2 j + b - p2: with the row shifted right by p2
  // (a register of 32 lanes, zeros where the row has none), value j of phase b is lane 2 j + b.
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
  const auto line_mask = static_cast<__mmask16>((1u << PW) - 1);
  // Lanes [p2, p2 + W) of the 32 hold the row.
  const int64_t lo_n = std::clamp<int64_t>(16 - p2, 0, W), hi_n = W - lo_n;
  const auto m_lo = static_cast<__mmask16>(((1u << lo_n) - 1) << p2);
  const auto m_hi = static_cast<__mmask16>((1u << hi_n) - 1);
  for (int64_t c = c0; c < c1; ++c)
    for (int64_t r = 0; r < H; ++r) {
      const int64_t ir = r + p1, a = ir % s1, i = ir / s1;
      if (a >= pl.rows || i >= pl.height) continue;
      const float* xr = x + (c * H + r) * W;
      const __m512 lo = _mm512_maskz_loadu_ps(m_lo, xr - p2);
      const __m512 hi = _mm512_maskz_loadu_ps(m_hi, xr + lo_n);
      float* d = ph + (((c - c0) * pl.rows + a) * 2) * plane + i * PW;
      _mm512_mask_storeu_ps(d, line_mask, _mm512_permutex2var_ps(lo, even, hi));
      _mm512_mask_storeu_ps(d + plane, line_mask, _mm512_permutex2var_ps(lo, odd, hi));
    }
  return true;
}
#endif

template <int S, typename T>
void split_phase_planes(const T* x, T* ph, const ConvGeom& g, const PhaseLayout& pl, int64_t c0,
                        int64_t c1) {
#if defined(__AVX512F__)
  if constexpr (S == 2 && std::is_same_v<T, float>)
    if (split_stride2_rows(x, ph, g, pl, c0, c1)) return;
#endif
  split_phase_planes_generic<S>(x, ph, g, pl, c0, c1);
}

// The adjoint: x's channels [c0, c1) of one sample from their phase planes (0 where no phase
// reaches: a stride longer than the kernel, or lines past the last window).
template <int S, typename T>
void merge_phases(const T* ph, T* x, const ConvGeom& g, const PhaseLayout& pl, int64_t c0,
                  int64_t c1) {
  const int64_t PW = pl.width, s1 = g.stride[1], s2 = S > 0 ? S : g.stride[2];
  const bool covered = pl.rows == s1 && pl.cols == s2 && pl.height * s1 - g.padding[1] >= g.in[1] &&
                       pl.width * s2 - g.padding[2] >= g.in[2];
  if (!covered) std::fill(x + c0 * g.in_size(), x + c1 * g.in_size(), T(0));
  for_each_phase_line(g, pl, PhaseRanges(g, pl), c0, c1,
                      [&](int64_t plane, int64_t i, int64_t xi, Range rj) {
                        const T* d = ph + plane + i * PW;
                        for (int64_t j = rj.lo; j < rj.hi; ++j) x[xi + j * s2] = d[j];
                      });
}

template <typename F>
void dispatch_stride(int64_t s, F&& fn) {
  if (s == 2) return fn.template operator()<2>();
  if (s == 1) return fn.template operator()<1>();
  fn.template operator()<0>();
}

}  // namespace

int64_t phase_row_offset(const ConvGeom& g, const PhaseLayout& pl, int64_t row, int64_t c0) {
  const int64_t ks = g.kernel_size(), c = row / ks, k1 = row % ks / g.kernel[2],
                k2 = row % g.kernel[2], s1 = g.stride[1], s2 = g.stride[2];
  return (((c - c0) * pl.rows + k1 % s1) * pl.cols + k2 % s2) * pl.plane() + k1 / s1 * pl.width +
         k2 / s2;
}

template <typename T>
void split_phases(const T* x, T* phases, const ConvGeom& g, const PhaseLayout& pl, int64_t c0,
                  int64_t c1) {
  dispatch_stride(g.stride[2], [&]<int S>() { split_phase_planes<S>(x, phases, g, pl, c0, c1); });
}

std::optional<PhaseLayout> phase_layout(const ConvGeom& g) {
  if (!planar(g) || g.dilation[1] != 1 || g.dilation[2] != 1 || g.out_size() == 0)
    return std::nullopt;
  const int64_t s1 = g.stride[1], s2 = g.stride[2], k1 = g.kernel[1], k2 = g.kernel[2];
  // Unit stride: im2col's lines are runs already. A kernel no longer than the stride: every phase
  // is read by one offset, so splitting it would only copy it one more time.
  if ((s1 == 1 && s2 == 1) || (k1 <= s1 && k2 <= s2)) return std::nullopt;
  PhaseLayout pl;
  pl.rows = std::min(s1, k1);
  pl.cols = std::min(s2, k2);
  pl.width = g.out[2] + (k2 - 1) / s2;
  // The last window of a line shifted right runs into the line after the last one.
  pl.height = g.out[1] + (k1 - 1) / s1 + ((k2 - 1) / s2 > 0 ? 1 : 0);
  // Measured on ResNet's downsampling 3x3 layers: 13 columns for 12 (at 24x24) ran 10% faster, 7
  // for 6 (at 12x12) 15% slower than im2col.
  if (10 * (pl.width - g.out[2]) > g.out[2]) return std::nullopt;
  return pl;
}

template <typename T>
void im2col_phased(const T* x, T* col, T* phases, const ConvGeom& g, const PhaseLayout& pl,
                   int64_t ld, SampleRun samples, RowRange rows) {
  const int64_t ks = g.kernel_size(), end = std::min(rows.end, g.channels * ks);
  const int64_t c0 = rows.begin / ks, c1 = (end + ks - 1) / ks;
  const int64_t per_sample = pl.floats(c1 - c0), Lc = phase_cols(g, pl);
  for (int64_t s = 0; s < samples.count; ++s)
    split_phases(x + s * samples.x_stride, phases + s * per_sample, g, pl, c0, c1);
  for (int64_t row = rows.begin; row < end; ++row) {
    const int64_t at = phase_row_offset(g, pl, row, c0);
    for (int64_t s = 0; s < samples.count; ++s) {
      const T* src = phases + s * per_sample + at;
      T* dst = col + (row - rows.begin) * ld + s * Lc;
      for (int64_t j = 0; j < Lc; ++j) dst[j] = src[j];
    }
  }
}

template <typename T>
void col2im_phased(const T* col, T* x, T* phases, const ConvGeom& g, const PhaseLayout& pl,
                   int64_t ld, SampleRun samples, RowRange rows) {
  const int64_t ks = g.kernel_size(), end = std::min(rows.end, g.channels * ks);
  WICK_CHECK(rows.begin % ks == 0 && end % ks == 0,
             "col2im_phased: rows must cover whole channels");
  const int64_t c0 = rows.begin / ks, c1 = end / ks;
  const int64_t per_sample = pl.floats(c1 - c0), Lc = phase_cols(g, pl);
  std::fill_n(phases, samples.count * per_sample, T(0));
  for (int64_t row = rows.begin; row < end; ++row) {
    const int64_t at = phase_row_offset(g, pl, row, c0);
    for (int64_t s = 0; s < samples.count; ++s) {
      T* dst = phases + s * per_sample + at;
      const T* src = col + (row - rows.begin) * ld + s * Lc;
      for (int64_t j = 0; j < Lc; ++j) dst[j] += src[j];
    }
  }
  dispatch_stride(g.stride[2], [&]<int S>() {
    for (int64_t s = 0; s < samples.count; ++s)
      merge_phases<S>(phases + s * per_sample, x + s * samples.x_stride, g, pl, c0, c1);
  });
}

template void im2col<float>(const float*, float*, const ConvGeom&, int64_t, SampleRun, RowRange);
template void im2col<double>(const double*, double*, const ConvGeom&, int64_t, SampleRun, RowRange);
template void col2im<float>(const float*, float*, const ConvGeom&, int64_t, SampleRun, RowRange);
template void col2im<double>(const double*, double*, const ConvGeom&, int64_t, SampleRun, RowRange);
template void split_phases<float>(const float*, float*, const ConvGeom&, const PhaseLayout&,
                                  int64_t, int64_t);
template void split_phases<double>(const double*, double*, const ConvGeom&, const PhaseLayout&,
                                   int64_t, int64_t);
template void im2col_phased<float>(const float*, float*, float*, const ConvGeom&,
                                   const PhaseLayout&, int64_t, SampleRun, RowRange);
template void im2col_phased<double>(const double*, double*, double*, const ConvGeom&,
                                    const PhaseLayout&, int64_t, SampleRun, RowRange);
template void col2im_phased<float>(const float*, float*, float*, const ConvGeom&,
                                   const PhaseLayout&, int64_t, SampleRun, RowRange);
template void col2im_phased<double>(const double*, double*, double*, const ConvGeom&,
                                    const PhaseLayout&, int64_t, SampleRun, RowRange);

}  // namespace wick::cpu

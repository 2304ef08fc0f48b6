// im2col / col2im for the CPU conv kernels: one pass per (channel, kernel offset) row, with the
// valid output range of the innermost dim computed once so the hot loop has no bounds tests.
// Deliberately not vectorised by hand: with unit stride the inner loop is a copy the compiler
// already vectorises, and the GEMM after it dominates.
//
// Lines are short in the small images of deep layers (6 or 3 floats in ResNet-18's last stages):
// GCC would turn the copy and fill loops into memcpy/memset calls that cost more than the copy.
#pragma GCC optimize("no-tree-loop-distribute-patterns")

#include "im2col.h"

#include <algorithm>
#include <vector>

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

template void im2col<float>(const float*, float*, const ConvGeom&, int64_t, SampleRun, RowRange);
template void im2col<double>(const double*, double*, const ConvGeom&, int64_t, SampleRun, RowRange);
template void col2im<float>(const float*, float*, const ConvGeom&, int64_t, SampleRun, RowRange);
template void col2im<double>(const double*, double*, const ConvGeom&, int64_t, SampleRun, RowRange);

}  // namespace wick::cpu

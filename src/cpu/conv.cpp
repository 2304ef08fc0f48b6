// CpuBackend's convolution kernels: im2col + GEMM per (unit of samples, group), the transpose
// (GEMM + col2im) for the input gradient, and GEMM over columns for the weight gradient. A unit is
// one sample, or several side by side when the output image is small. Work is split over units
// when there are enough (each thread runs single-threaded GEMMs on its own buffers); otherwise
// units run in order with a parallel GEMM. Strided layers take im2col's phase layout, whose output
// lines are padded (im2col.h); in float32 the forward and weight-gradient GEMMs read that column
// matrix in place from the phase planes, never writing it out, and the input gradient of a strided
// layer is computed phase by phase (conv_input_grad_phases.h). Float32 3x3 layers with unit stride
// go to Winograd (winograd.h).
// No autograd, no shape checks (src/ops/conv.cpp does those).
#include <algorithm>
#include <optional>
#include <type_traits>
#include <vector>

#include "allocator.h"
#include "cache_size.h"
#include "conv_input_grad_phases.h"
#include "cpu_backend.h"
#include "gemm.h"
#include "im2col.h"
#include "thread_pool.h"
#include "wick/core/error.h"
#include "wick/core/parallel.h"
#include "winograd.h"

namespace wick::cpu {
namespace {

// Below this many multiply-adds in a whole call, threads cost more than they save.
constexpr int64_t kParallelMacs = int64_t{1} << 20;

// The per-group geometry and sizes of one call. x (N, C, *in), w (O, C/G, *k), y (N, O, *out).
struct Plan {
  ConvGeom geom;  // one group: channels = C / G
  int64_t batch = 0, groups = 1, out_channels_per_group = 0;
  std::optional<PhaseLayout> phases;  // the column matrix's layout for strided layers (im2col.h)
  // The packed kernel reads the phase layout's column matrix in place, one sample at a time: row r
  // is the run at lines_at[r] in the sample's phase planes (use_lines).
  bool lines = false;
  std::vector<int64_t> lines_at;
  int64_t cols_rows() const { return geom.channels * geom.kernel_size(); }  // K
  // Columns of one sample in the column matrix: its output size, or with phases lines padded.
  int64_t cols_per_sample() const { return phases ? phase_cols(geom, *phases) : geom.out_size(); }
  int64_t x_group() const { return geom.channels * geom.in_size(); }
  int64_t y_group() const { return out_channels_per_group * geom.out_size(); }
  int64_t w_group() const { return out_channels_per_group * cols_rows(); }
  int64_t macs() const { return batch * groups * w_group() * geom.out_size(); }
};

Plan make_plan(const Tensor& x, const Tensor& w, const Tensor& y, const ConvArgs& a) {
  Plan p;
  p.batch = x.size(0);
  p.groups = a.groups;
  p.geom.channels = x.size(1) / a.groups;
  p.out_channels_per_group = w.size(0) / a.groups;
  const int64_t shift = 3 - a.dims;  // spatial dims sit at the end of the 3-d geometry
  for (int64_t d = 0; d < a.dims; ++d) {
    const auto gd = static_cast<size_t>(d + shift), ad = static_cast<size_t>(d);
    p.geom.in[gd] = x.size(2 + d);
    p.geom.kernel[gd] = w.size(2 + d);
    p.geom.out[gd] = y.size(2 + d);
    p.geom.stride[gd] = a.stride[ad];
    p.geom.padding[gd] = a.padding[ad];
    p.geom.dilation[gd] = a.dilation[ad];
  }
  p.phases = phase_layout(p.geom);
  return p;
}

// Samples per GEMM. A layer whose output image is small (ResNet's 6x6 and 3x3 stages) makes a
// GEMM only L columns wide, which wastes the kernel's register tiles and repacks the whole weight
// for a few columns: then several samples' columns sit side by side in one GEMM, at least
// kMinGemmCols wide. Large images keep one sample per GEMM (and need no output gather).
constexpr int64_t kMinGemmCols = 256;

struct Units {
  int64_t count = 1, per = 1;  // `count` units of up to `per` samples
};

Units units_of(const Plan& p) {
  const int64_t L = std::max<int64_t>(p.cols_per_sample(), 1);
  if (L >= kMinGemmCols || p.batch <= 1 || p.lines) return {std::max<int64_t>(p.batch, 1), 1};
  int64_t count = (p.batch * L + kMinGemmCols - 1) / kMinGemmCols;
  const int64_t threads = get_num_threads();
  // Enough units to give every thread one when the batch allows.
  if (count < threads && p.batch >= threads && p.macs() >= kParallelMacs) count = threads;
  count = std::clamp<int64_t>(count, 1, p.batch);
  const int64_t per = (p.batch + count - 1) / count;
  return {(p.batch + per - 1) / per, per};
}

// Rows of the column matrix handled at a time for `cols` columns: a block that, written by
// im2col and read back by the GEMM's packing, stays in L2 (a whole column matrix of a deep layer
// is MBs, and went to memory and back). At least kMinBlockRows: the block's rows are the depth
// of the forward GEMM and the width of the weight gradient's, and a GEMM a few columns wide
// wastes the kernel (a large image's block then outgrows L2, as its whole matrix did). The block
// takes 3/8 of the L2, at least 192 KB: each block is a pass of the GEMM over C, and with 192 KB
// on a 2 MB L2 AlexNet's 5x5 layer (96 -> 256 channels, 27x27) made 38 passes of 64 rows each
// (1 thread, Emerald Rapids: 768 KB took its input and weight gradients from 117 and 125 ms to
// 106 and 108).
template <typename T>
int64_t rows_per_block(int64_t K, int64_t cols) {
  constexpr int64_t kMinBlockRows = 64;
  static const int64_t block_bytes = std::max<int64_t>(int64_t{192} << 10, l2_bytes() * 3 / 8);
  const int64_t rows = block_bytes / (std::max<int64_t>(cols, 1) * static_cast<int64_t>(sizeof(T)));
  // Whole depth blocks of the packed kernel rather than a short tail: NiN's 5x5 layer (2400 rows
  // of 676 columns) made blocks of 288 rows, each ending on a 32-deep pass over C.
  const int64_t whole = rows / kSgemmDepthBlock * kSgemmDepthBlock;
  if (whole > 0 && rows - whole < kSgemmDepthBlock / 2) return std::min(K, whole);
  return std::min(K, std::max(kMinBlockRows, rows / 16 * 16));
}

// rows_per_block for p's column matrix: whole channels with phases (im2col_phased's blocks).
template <typename T>
int64_t block_rows(const Plan& p, int64_t cols) {
  if (p.lines) return p.cols_rows();  // nothing is written: one block
  const int64_t K = p.cols_rows(), rows = rows_per_block<T>(K, cols);
  if (!p.phases || rows == K) return rows;
  const int64_t ks = p.geom.kernel_size();
  return std::max(ks, rows / ks * ks);
}

// Whether the GEMM's output side (Og, per * Lc) differs from the samples' output blocks: several
// samples side by side, or output lines padded to the phase width.
bool uses_wide(const Plan& p, int64_t samples) { return samples > 1 || p.phases.has_value(); }

// Per-thread scratch for one unit: a block of column-matrix rows (block_rows, per * Lc), the
// output-side matrix (Og, per * Lc) gathered from or scattered to the samples when uses_wide, and
// the phase planes of a block's channels.
template <typename T>
struct UnitBuffers {
  Scratch<T> cols, wide, phases;
  UnitBuffers(const Plan& p, const Units& u) : UnitBuffers(p, u, u.per * p.cols_per_sample()) {}

 private:
  UnitBuffers(const Plan& p, const Units& u, int64_t N)  // N: the unit's columns
      : cols((p.geom.pointwise() && u.per == 1) || p.lines ? 0 : block_rows<T>(p, N) * N),
        wide(uses_wide(p, u.per) ? p.out_channels_per_group * N : 0),
        phases(p.phases ? u.per * p.phases->floats(block_rows<T>(p, N) / p.geom.kernel_size())
                        : 0) {}
};

// Runs body(first sample, samples, buffers, parallel_gemm) for every unit: over the pool by unit
// when there are enough units to feed every thread, else in order with parallel GEMMs.
template <typename T, typename F>
void for_each_unit(const Plan& p, const Units& u, F&& body) {
  const bool big = p.macs() >= kParallelMacs;
  const int64_t threads = get_num_threads();
  auto run = [&](int64_t i, UnitBuffers<T>& buf, bool par) {
    const int64_t n0 = i * u.per;
    body(n0, std::min(u.per, p.batch - n0), buf, par);
  };
  if (big && threads > 1 && u.count >= threads) {
    parallel_for(u.count, 1, [&](int64_t lo, int64_t hi) {
      UnitBuffers<T> buf(p, u);
      for (int64_t i = lo; i < hi; ++i) run(i, buf, false);
    });
  } else {
    UnitBuffers<T> buf(p, u);
    for (int64_t i = 0; i < u.count; ++i) run(i, buf, big);
  }
}

template <typename T>
MatrixRef<T> rows_major(T* p, int64_t rows, int64_t cols, int64_t ld = 0) {
  return {p, rows, cols, ld > 0 ? ld : cols, 1};
}

// Rows [k0, k0 + rows) of a unit's column matrix, `cols` wide: written out, (rows, cols) row-major
// at data, or with p.lines read in place, row r the run at data + at[r].
template <typename T>
struct ColsBlock {
  int64_t k0, rows, cols;
  const T* data;
  const int64_t* at = nullptr;
};

// c = beta * c + a @ block (or a @ block^T when transposed), a packed already when packed_a.
template <typename T>
void gemm_cols(const MatrixRef<T>& a, const ColsBlock<T>& b, bool transposed, const MatrixRef<T>& c,
               T beta, bool par, const PackedA* packed_a = nullptr) {
  const MatrixRef<T> m = rows_major(const_cast<T*>(b.data), b.rows, b.cols);
  if constexpr (std::is_same_v<T, float>) {
    if (b.at || packed_a) {
      const LineMatrix lines{b.data, b.at, b.rows, b.cols, false};
      const LineMatrix bl = transposed ? lines.t() : lines;
      const MatrixRef<float> bm = transposed ? m.t() : m;
      const bool done = !packed_a ? sgemm_packed(a, bl, c, beta, 1.0f, par)
                        : b.at    ? sgemm_packed(*packed_a, bl, c, beta, 1.0f, par)
                                  : sgemm_packed(*packed_a, bm, c, beta, 1.0f, par);
      WICK_CHECK(done, "conv: the packed kernel refused a product it was planned for");
      return;
    }
  }
  gemm_float<T>(a, transposed ? m.t() : m, c, beta, T(1), par);
}

// The groups' weights (Og, K) packed once for the forward's GEMMs, when each unit multiplies them
// whole (the phase layout read in place, a pointwise layer a sample at a time) or in column
// blocks that start on the packed kernel's depth blocks, by at least the columns the packed
// kernel takes (gemm.cpp), and there are several units: repacked by every unit, they took 8% of
// a stride-2 3x3 layer's forward. Empty otherwise. (Packing w_g^T once for a pointwise layer's
// input gradient, a GEMM per sample too, measured even.)
template <typename T>
struct PackedWeights {
  std::vector<PackedA> groups;
  std::optional<Scratch<float>> data;
  PackedWeights(const Plan& p, const Units& u, const T* w) {
    if constexpr (std::is_same_v<T, float>) {
      const int64_t Og = p.out_channels_per_group, K = p.cols_rows();
      // Each unit's GEMMs take A whole, or in blocks of columns that start on the packed
      // kernel's depth blocks (one sample per unit: every unit has the same blocks).
      const int64_t R = block_rows<T>(p, p.cols_per_sample());
      const bool whole = p.lines || (p.geom.pointwise() && u.per == 1) ||
                         (u.per == 1 && !p.phases && (R == K || R % kSgemmDepthBlock == 0));
      if (!whole || u.count < 2 || !has_sgemm_packed() || Og < 8 || K < 8 ||
          p.cols_per_sample() < 16)
        return;
      const int64_t each = packed_a_floats(Og, K);
      data.emplace(p.groups * each);
      for (int64_t g = 0; g < p.groups; ++g)
        groups.push_back(pack_a_once(rows_major(const_cast<float*>(w + g * p.w_group()), Og, K),
                                     data->get() + g * each));
    }
  }
  // Group g's columns [k0, k0 + rows) (k0 a multiple of the depth block), or none.
  std::optional<PackedA> block(int64_t g, int64_t k0, int64_t rows) const {
    if (groups.empty()) return std::nullopt;
    return groups[static_cast<size_t>(g)].cols_slice(k0, k0 + rows);
  }
};

// Reads the phase layout's column matrix in place (Plan::lines) when the packed kernel would take
// the products anyway: im2col wrote every row out (2.25 floats per input value for a 3x3 stride-2
// layer) for the kernel's packing to read back, in blocks of rows that each cost the GEMM a pass
// over C. A sample's phase planes for all its channels take the place of the blocks (1.2 times
// its input for 3x3 stride 2). Stride-2 Conv2d(128, 128, 3) on 24x24, 1 thread, Emerald Rapids:
// weight gradient 16.7 -> 12.7 ms; the forward about even (its GEMM no longer shares the weights'
// packing between two samples).
template <typename T>
void use_lines(Plan& p) {
  if constexpr (std::is_same_v<T, float>) {
    const int64_t K = p.cols_rows();
    if (!p.phases || !has_sgemm_packed() || p.out_channels_per_group < 8 || K < 8 ||
        p.cols_per_sample() < 16)
      return;
    p.lines = true;
    p.lines_at.resize(static_cast<size_t>(K));
    for (int64_t r = 0; r < K; ++r)
      p.lines_at[static_cast<size_t>(r)] = phase_row_offset(p.geom, *p.phases, r, 0);
  }
}

// Samples n0 .. n0 + cnt - 1 of group g: their images in x and their columns side by side.
struct UnitSamples {
  int64_t x_offset;  // of the first image
  SampleRun run;
  bool direct;  // one pointwise sample: the image is its own column matrix
};
UnitSamples unit_samples(const Plan& p, int64_t n0, int64_t cnt, int64_t g) {
  return {(n0 * p.groups + g) * p.x_group(),
          {cnt, p.groups * p.x_group()},
          cnt == 1 && p.geom.pointwise()};
}

// One sample's output block in the GEMM's columns: `count` lines of `len` values, `pitch` apart
// (one line of the whole output without phases).
struct OutLines {
  int64_t count, len, pitch;
};
OutLines out_lines(const Plan& p) {
  if (p.phases) return {p.geom.out[1], p.geom.out[2], p.phases->width};
  return {1, p.geom.out_size(), p.geom.out_size()};
}

// Runs fn(sample s of the unit, channel o, the line's offset in the sample's (Og, L) output
// block, its offset in wide) over every output line of a unit of cnt samples, wide being
// (Og, cnt * Lc).
template <typename F>
void for_each_wide_line(const Plan& p, int64_t cnt, F&& fn) {
  const OutLines ol = out_lines(p);
  const int64_t Lc = p.cols_per_sample(), L = p.geom.out_size(), N = cnt * Lc;
  for (int64_t s = 0; s < cnt; ++s)
    for (int64_t o = 0; o < p.out_channels_per_group; ++o)
      for (int64_t l = 0; l < ol.count; ++l)
        fn(s, o, o * L + l * ol.len, o * N + s * Lc + l * ol.pitch);
}

// The samples' (Og, L) output blocks of group g into wide (Og, cnt * Lc), the padding of each
// line zeroed (so that the extra columns of the phase layout add nothing).
template <typename T>
void gather_wide(const Plan& p, const T* y, int64_t n0, int64_t cnt, int64_t g, T* wide) {
  const OutLines ol = out_lines(p);
  for_each_wide_line(p, cnt, [&](int64_t s, int64_t, int64_t at, int64_t w) {
    const T* from = y + ((n0 + s) * p.groups + g) * p.y_group() + at;
    std::copy_n(from, ol.len, wide + w);
    std::fill(wide + w + ol.len, wide + w + ol.pitch, T(0));
  });
}

// Runs fn(ColsBlock) over the unit's column matrix a block of rows at a time, the block built by
// im2col into buf.cols (or the image itself when direct, or with p.lines the sample's phase
// planes, the whole matrix as one block).
template <typename T, typename F>
void for_each_cols_block(const Plan& p, const T* x, const UnitSamples& us, UnitBuffers<T>& buf,
                         F&& fn) {
  const int64_t K = p.cols_rows(), N = us.run.count * p.cols_per_sample();
  if (us.direct) return fn(ColsBlock<T>{0, K, N, x + us.x_offset});
  if (p.lines) {
    split_phases(x + us.x_offset, buf.phases.get(), p.geom, *p.phases, 0, p.geom.channels);
    return fn(ColsBlock<T>{0, K, N, buf.phases.get(), p.lines_at.data()});
  }
  const int64_t R = block_rows<T>(p, N);
  for (int64_t k0 = 0; k0 < K; k0 += R) {
    const int64_t r = std::min(R, K - k0);
    if (p.phases)
      im2col_phased(x + us.x_offset, buf.cols.get(), buf.phases.get(), p.geom, *p.phases, N, us.run,
                    {k0, k0 + r});
    else
      im2col(x + us.x_offset, buf.cols.get(), p.geom, N, us.run, {k0, k0 + r});
    fn(ColsBlock<T>{k0, r, N, buf.cols.get()});
  }
}

// The Winograd form of an ungrouped 2-d 3x3 layer with unit stride and dilation (winograd.h), when
// it pays; x is the input (channels C), the output has `out_channels`.
std::optional<Winograd3x3> winograd_shape(const Plan& p) {
  const ConvGeom& g = p.geom;
  if (p.groups != 1 || g.in[0] != 1 || g.kernel[0] != 1 || g.kernel[1] != 3 || g.kernel[2] != 3)
    return std::nullopt;
  for (int d = 1; d < 3; ++d)
    if (g.stride[d] != 1 || g.dilation[d] != 1) return std::nullopt;
  const Winograd3x3 s{p.batch,      g.channels,  g.in[1], g.in[2], p.out_channels_per_group,
                      g.padding[1], g.padding[2]};
  if (!winograd_pays(s) || !winograd_pays({s.batch, s.out_channels, s.out_height(), s.out_width(),
                                           s.in_channels, 2 - s.pad_h, 2 - s.pad_w}))
    return std::nullopt;
  return s;
}

template <typename T>
void forward(const Plan& p, T* y, const T* x, const T* w, const T* bias) {
  if constexpr (std::is_same_v<T, float>) {
    if (const auto s = winograd_shape(p))
      return conv3x3_winograd(*s, x, w, bias, y, p.macs() >= kParallelMacs);
  }
  const int64_t K = p.cols_rows(), L = p.geom.out_size(), Og = p.out_channels_per_group;
  const OutLines ol = out_lines(p);
  const Units units = units_of(p);
  const PackedWeights<T> packed(p, units, w);
  for_each_unit<T>(p, units, [&](int64_t n0, int64_t cnt, UnitBuffers<T>& buf, bool par) {
    const int64_t N = cnt * p.cols_per_sample();
    const bool wide = uses_wide(p, cnt);
    for (int64_t g = 0; g < p.groups; ++g) {
      const T* wg = w + g * p.w_group();
      const T* bg = bias ? bias + g * Og : nullptr;
      // y_g (Og, N) = w_g (Og, K) @ cols (K, N) [+ bias]: straight into y for one sample, else
      // into wide and then each sample's lines (+ bias) into y.
      T* dst = wide ? buf.wide.get() : y + (n0 * p.groups + g) * p.y_group();
      T beta(0);
      if (!wide && bg) {
        for (int64_t o = 0; o < Og; ++o) std::fill(dst + o * L, dst + (o + 1) * L, bg[o]);
        beta = T(1);
      }
      for_each_cols_block(p, x, unit_samples(p, n0, cnt, g), buf, [&](const ColsBlock<T>& b) {
        const std::optional<PackedA> pa = packed.block(g, b.k0, b.rows);
        gemm_cols<T>(rows_major(const_cast<T*>(wg + b.k0), Og, b.rows, K), b, false,
                     rows_major(dst, Og, N), b.k0 == 0 ? beta : T(1), par, pa ? &*pa : nullptr);
      });
      if (!wide) continue;
      for_each_wide_line(p, cnt, [&](int64_t s, int64_t o, int64_t at, int64_t from) {
        T* to = y + ((n0 + s) * p.groups + g) * p.y_group() + at;
        const T b = bg ? bg[o] : T(0);
        for (int64_t l = 0; l < ol.len; ++l) to[l] = dst[from + l] + b;
      });
    }
  });
}

template <typename T>
void backward_input(const Plan& p, T* gx, const T* gy, const T* w) {
  if constexpr (std::is_same_v<T, float>) {
    // With unit stride, gx is gy convolved (padding 2 - p) with the filters flipped in both
    // spatial dims and their channel axes swapped: wf[c, k] = w[k, c] rotated by 180 degrees.
    if (const auto s = winograd_shape(p)) {
      const int64_t C = s->in_channels, K = s->out_channels;
      Scratch<float> wf(K * C * 9);
      for (int64_t k = 0; k < K; ++k)
        for (int64_t c = 0; c < C; ++c)
          for (int64_t i = 0; i < 9; ++i)
            wf.get()[(c * K + k) * 9 + i] = w[(k * C + c) * 9 + 8 - i];
      return conv3x3_winograd(
          {s->batch, K, s->out_height(), s->out_width(), C, 2 - s->pad_h, 2 - s->pad_w}, gy,
          wf.get(), nullptr, gx, p.macs() >= kParallelMacs);
    }
    if (input_grad_by_phases_applies(p.geom, p.out_channels_per_group))
      return conv_input_grad_by_phases(p.geom, p.batch, p.groups, p.out_channels_per_group, gy, w,
                                       gx, p.macs() >= kParallelMacs);
  }
  const int64_t K = p.cols_rows(), Og = p.out_channels_per_group;
  for_each_unit<T>(p, units_of(p), [&](int64_t n0, int64_t cnt, UnitBuffers<T>& buf, bool par) {
    const int64_t N = cnt * p.cols_per_sample();
    for (int64_t g = 0; g < p.groups; ++g) {
      const T* gyw = gy + (n0 * p.groups + g) * p.y_group();
      if (uses_wide(p, cnt)) {
        gather_wide(p, gy, n0, cnt, g, buf.wide.get());
        gyw = buf.wide.get();
      }
      const UnitSamples us = unit_samples(p, n0, cnt, g);
      const MatrixRef<T> wt = rows_major(const_cast<T*>(w + g * p.w_group()), Og, K).t();
      const MatrixRef<T> gy_mat = rows_major(const_cast<T*>(gyw), Og, N);
      if (us.direct) {  // gx_g (K, L) = w_g^T (K, Og) @ gy (Og, L)
        gemm_float<T>(wt, gy_mat, rows_major(gx + us.x_offset, K, N), T(0), T(1), par);
        continue;
      }
      // Each block of cols rows = w_g^T rows @ gy, then scattered back onto the inputs.
      const int64_t R = block_rows<T>(p, N);
      for (int64_t k0 = 0; k0 < K; k0 += R) {
        const int64_t r = std::min(R, K - k0);
        gemm_float<T>(wt.rows_slice(k0, k0 + r), gy_mat, rows_major(buf.cols.get(), r, N), T(0),
                      T(1), par);
        if (p.phases)
          col2im_phased(buf.cols.get(), gx + us.x_offset, buf.phases.get(), p.geom, *p.phases, N,
                        us.run, {k0, k0 + r});
        else
          col2im(buf.cols.get(), gx + us.x_offset, p.geom, N, us.run, {k0, k0 + r});
      }
    }
  });
}

template <typename T>
void backward_weight(const Plan& p, T* gw, const T* gy, const T* x) {
  if constexpr (std::is_same_v<T, float>) {
    if (const auto s = winograd_shape(p))
      return conv3x3_winograd_weight_grad(*s, x, gy, gw, p.macs() >= kParallelMacs);
  }
  const int64_t K = p.cols_rows(), Og = p.out_channels_per_group;
  const int64_t w_elems = p.groups * p.w_group();
  const Units u = units_of(p);
  // Units are split into fixed chunks, each summing into its own buffer (chunk 0 into gw); the
  // partial sums are added in chunk order, so results do not depend on scheduling.
  const bool big = p.macs() >= kParallelMacs;
  const int64_t chunks = big ? std::clamp<int64_t>(get_num_threads(), 1, u.count) : 1;
  Scratch<T> partial((chunks - 1) * w_elems);
  if (p.batch == 0) std::fill(gw, gw + w_elems, T(0));
  // A unit's gy (Og, N) packed once for the GEMMs of all its column blocks, each of which packed
  // it again (2% of NiN's training step), when there are several blocks and the packed kernel
  // takes them.
  const int64_t unit_cols = u.per * p.cols_per_sample();
  const bool pack_gy = std::is_same_v<T, float> && has_sgemm_packed() && !p.lines &&
                       !p.geom.pointwise() && block_rows<T>(p, unit_cols) < K && Og >= 8 &&
                       unit_cols >= 8;
  auto run_chunk = [&](int64_t c, bool par) {
    T* acc = c == 0 ? gw : partial.get() + (c - 1) * w_elems;
    UnitBuffers<T> buf(p, u);
    Scratch<float> gy_packed(pack_gy ? packed_a_floats(Og, unit_cols) : 0);
    const int64_t lo = u.count * c / chunks, hi = u.count * (c + 1) / chunks;
    for (int64_t i = lo; i < hi; ++i) {
      const int64_t n0 = i * u.per, cnt = std::min(u.per, p.batch - n0),
                    N = cnt * p.cols_per_sample();
      for (int64_t g = 0; g < p.groups; ++g) {
        const T* gyw = gy + (n0 * p.groups + g) * p.y_group();
        if (uses_wide(p, cnt)) {
          gather_wide(p, gy, n0, cnt, g, buf.wide.get());
          gyw = buf.wide.get();
        }
        const MatrixRef<T> gy_mat = rows_major(const_cast<T*>(gyw), Og, N);
        PackedA packed;
        if constexpr (std::is_same_v<T, float>)
          if (pack_gy) packed = pack_a_once(gy_mat, gy_packed.get());
        // gw_g[:, block] (Og, rows) (+)= gy (Og, N) @ cols[block]^T (N, rows)
        for_each_cols_block(p, x, unit_samples(p, n0, cnt, g), buf, [&](const ColsBlock<T>& b) {
          gemm_cols<T>(gy_mat, b, true, rows_major(acc + g * p.w_group() + b.k0, Og, b.rows, K),
                       i == lo ? T(0) : T(1), par, pack_gy ? &packed : nullptr);
        });
      }
    }
    if (hi == lo) std::fill(acc, acc + w_elems, T(0));
  };
  if (chunks > 1) {
    parallel_for(chunks, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) run_chunk(c, false);
    });
    for (int64_t c = 1; c < chunks; ++c) {
      const T* src = partial.get() + (c - 1) * w_elems;
      for (int64_t i = 0; i < w_elems; ++i) gw[i] += src[i];
    }
  } else {
    run_chunk(0, big);
  }
}

}  // namespace

void CpuBackend::conv_forward(const Tensor& out, const Tensor& x, const Tensor& w,
                              const Tensor& bias, const ConvArgs& args) {
  Plan p = make_plan(x, w, out, args);
  dispatch_floating(out.dtype(), "conv", [&]<typename T>() {
    use_lines<T>(p);
    forward<T>(p, out.data_ptr<T>(), x.data_ptr<T>(), w.data_ptr<T>(),
               bias.defined() ? bias.data_ptr<T>() : nullptr);
  });
}

void CpuBackend::conv_backward_input(const Tensor& grad_x, const Tensor& grad_out, const Tensor& w,
                                     const ConvArgs& args) {
  Plan p = make_plan(grad_x, w, grad_out, args);
  dispatch_floating(grad_x.dtype(), "conv backward", [&]<typename T>() {
    backward_input<T>(p, grad_x.data_ptr<T>(), grad_out.data_ptr<T>(), w.data_ptr<T>());
  });
}

void CpuBackend::conv_backward_weight(const Tensor& grad_w, const Tensor& grad_out, const Tensor& x,
                                      const ConvArgs& args) {
  Plan p = make_plan(x, grad_w, grad_out, args);
  dispatch_floating(grad_w.dtype(), "conv backward", [&]<typename T>() {
    use_lines<T>(p);
    backward_weight<T>(p, grad_w.data_ptr<T>(), grad_out.data_ptr<T>(), x.data_ptr<T>());
  });
}

}  // namespace wick::cpu

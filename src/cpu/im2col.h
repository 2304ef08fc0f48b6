// im2col / col2im over a 3-d geometry (1-d and 2-d convolutions pad their shape with leading 1s),
// the data movement behind the CPU conv kernels (conv.cpp). Plain loops over raw buffers: no
// Tensor, no threads, no GEMM here.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>

namespace wick::cpu {

// One group's view of a convolution: channels C, input/kernel/output extents, and the
// stride/padding/dilation per spatial dim (always 3 dims here).
struct ConvGeom {
  int64_t channels = 0;
  std::array<int64_t, 3> in{1, 1, 1}, kernel{1, 1, 1}, out{1, 1, 1};
  std::array<int64_t, 3> stride{1, 1, 1}, padding{0, 0, 0}, dilation{1, 1, 1};
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  // A 1x1x1 kernel with unit stride and no padding: the input already is its column matrix.
  bool pointwise() const;
};

// Several samples' columns side by side in one column matrix: sample s's image starts at
// x + s * x_stride, its columns at col + s * out_size in each row.
struct SampleRun {
  int64_t count = 1, x_stride = 0;
};

// Rows [begin, end) of the column matrix (default: all of them); col holds just those rows,
// the first at col. The conv kernels work through a deep column matrix a block of rows at a time
// so that the block stays in L2 between being written and being multiplied.
struct RowRange {
  int64_t begin = 0, end = std::numeric_limits<int64_t>::max();
};

// x (channels, *in) -> col (channels * kernel_size, out_size); padded positions read 0. ld is
// col's row stride (default count * out_size). Each row is written for every sample before the
// next row, so a wide column matrix is written front to back.
template <typename T>
void im2col(const T* x, T* col, const ConvGeom& g, int64_t ld = 0, SampleRun samples = {},
            RowRange rows = {});
// The adjoint: x (channels, *in) += col's entries at every place they were read from. Rows from
// the first (rows.begin == 0) first zero x: positions never read get 0.
template <typename T>
void col2im(const T* col, T* x, const ConvGeom& g, int64_t ld = 0, SampleRun samples = {},
            RowRange rows = {});

// The phase layout of a strided 2-d convolution. With stride s > 1 a row of the column matrix is
// out[1] short lines, each gathered every s-th input value: short strided copies whose overhead
// cost more than the copying (ResNet's downsampling 3x3 spent a third of its forward in im2col).
// So the input is first split into its stride phases, planes of `height` x `width`:
//   phase (a, b)[i][j] = x[i * s1 + a - p1][j * s2 + b - p2]  (0 outside x).
// Kernel offset (k1, k2) reads phase (k1 % s1, k2 % s2) from (k1 / s1, k2 / s2) on at unit
// stride, so if output lines are given the phase width, each row of the column matrix is one
// contiguous run of out[1] * width values. The last width - out[2] values of each output line are
// extra columns: their products are computed and thrown away (forward), or multiplied by zero
// gradients (backward, which conv.cpp pads with zeros). A NaN or inf in x or w may so reach more
// gradient entries than in PyTorch, as with the Winograd form.
struct PhaseLayout {
  int64_t height = 0, width = 0;  // of one phase plane
  int64_t rows = 1, cols = 1;     // phases used: min(stride, kernel) along each dim
  int64_t plane() const { return height * width; }
  // Floats of phase planes for `channels` channels of one sample.
  int64_t floats(int64_t channels) const { return channels * rows * cols * plane(); }
};
// The layout for g when it applies (1-d or 2-d, no dilation, a stride > 1 that kernel offsets
// share phases along) and its extra columns cost less than the strided lines (at most 1/10 more).
std::optional<PhaseLayout> phase_layout(const ConvGeom& g);
// Columns of one sample in the phase layout: out[1] lines of the phase width.
inline int64_t phase_cols(const ConvGeom& g, const PhaseLayout& pl) { return g.out[1] * pl.width; }

// The phase planes of channels [c0, c1) of one sample (pl.floats(c1 - c0) floats, zeros where
// they read padding), and where row `row` of the column matrix (a row of channels c0 onwards)
// starts in them: the row is the run of phase_cols(g, pl) values from there.
template <typename T>
void split_phases(const T* x, T* phases, const ConvGeom& g, const PhaseLayout& pl, int64_t c0,
                  int64_t c1);
int64_t phase_row_offset(const ConvGeom& g, const PhaseLayout& pl, int64_t row, int64_t c0);

// im2col into the phase layout: rows [rows.begin, rows.end) of col (ld apart; sample s's columns
// at s * phase_cols), for rows that cover whole channels (multiples of kernel_size). `phases`
// holds samples.count * pl.floats(channels in rows) floats of scratch.
template <typename T>
void im2col_phased(const T* x, T* col, T* phases, const ConvGeom& g, const PhaseLayout& pl,
                   int64_t ld, SampleRun samples, RowRange rows);
// The adjoint, for whole channels too: sets x's channels covered by `rows` (not +=: every place
// they hold is read by rows of those channels only) to the sum of col's entries read from them,
// extra columns included (0 when the output gradient was padded with zeros).
template <typename T>
void col2im_phased(const T* col, T* x, T* phases, const ConvGeom& g, const PhaseLayout& pl,
                   int64_t ld, SampleRun samples, RowRange rows);

}  // namespace wick::cpu

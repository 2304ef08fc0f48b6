// im2col / col2im over a 3-d geometry (1-d and 2-d convolutions pad their shape with leading 1s),
// the data movement behind the CPU conv kernels (conv.cpp). Plain loops over raw buffers: no
// Tensor, no threads, no GEMM here.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

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

}  // namespace wick::cpu

// Host-only geometry decisions of the cuBLAS and cuDNN calls, kept free of CUDA headers so the CPU
// test suite checks them (tests/cuda/nn_layout_test.cpp): how a strided matrix is handed to
// cuBLAS, and when a convolution needs an explicitly padded input. No library calls here.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>

namespace wick::cuda::nn {

// A (rows, cols) matrix with strides (row_stride, col_stride) as cuBLAS (column-major) can read
// it: RowMajor storage is the column-major transpose with leading dimension ld; ColMajor is the
// matrix itself; Copy: no leading dimension fits (inner strides not 1, overlapping rows, or ld
// beyond int), a contiguous copy must stand in.
enum class Layout { RowMajor, ColMajor, Copy };

struct MatrixLayout {
  Layout layout = Layout::Copy;
  int64_t ld = 0;
};

inline MatrixLayout matrix_layout(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride) {
  auto fits = [](int64_t ld) { return ld >= 1 && ld <= INT_MAX; };
  // Row-major: unit column steps; rows at least a full row apart (one row: any stride).
  if (cols == 1 || col_stride == 1) {
    const int64_t ld = rows == 1 ? std::max<int64_t>(cols, 1) : row_stride;
    if (ld >= std::max<int64_t>(cols, 1) && fits(ld)) return {Layout::RowMajor, ld};
  }
  if (rows == 1 || row_stride == 1) {
    const int64_t ld = cols == 1 ? std::max<int64_t>(rows, 1) : col_stride;
    if (ld >= std::max<int64_t>(rows, 1) && fits(ld)) return {Layout::ColMajor, ld};
  }
  return {};
}

// One spatial axis of a convolution: input size, kernel, leading padding, stride, dilation and
// the output size the caller allocated.
struct ConvAxis {
  int64_t in, kernel, pad, stride, dilation, out;
  // The input extent the outputs read, from the first padded cell: (out - 1) * s + d * (k - 1) + 1.
  int64_t extent() const { return (out - 1) * stride + dilation * (kernel - 1) + 1; }
  // Whether cuDNN's symmetric padding (pad on both sides) yields exactly `out` cells.
  bool symmetric() const {
    const int64_t span = dilation * (kernel - 1) + 1, padded = in + 2 * pad;
    return padded >= span && (padded - span) / stride + 1 == out;
  }
  // Input cells [0, overlap) land at [pad, pad + overlap) of the explicitly padded input.
  int64_t overlap() const { return std::max<int64_t>(std::min(extent(), in + pad) - pad, 0); }
};

}  // namespace wick::cuda::nn

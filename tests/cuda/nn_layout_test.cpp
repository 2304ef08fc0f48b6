// Host-side geometry of the CUDA backend's library calls (cuda/nn_layout.h), checked without a GPU:
// which strided matrices cuBLAS reads in place (and with which leading dimension), and when a
// convolution's padding is not cuDNN's symmetric kind and needs an explicitly padded input.
#include <gtest/gtest.h>

#include "../../cuda/nn_layout.h"

namespace wick::cuda::nn {
namespace {

TEST(CudaLayout, ContiguousAndTransposedMatricesNeedNoCopy) {
  const MatrixLayout row = matrix_layout(5, 7, 7, 1);
  EXPECT_EQ(row.layout, Layout::RowMajor);
  EXPECT_EQ(row.ld, 7);
  const MatrixLayout col = matrix_layout(5, 7, 1, 5);  // a (7, 5) matrix's .t()
  EXPECT_EQ(col.layout, Layout::ColMajor);
  EXPECT_EQ(col.ld, 5);
  // a column slice of a wider matrix keeps its row stride as ld
  const MatrixLayout sliced = matrix_layout(5, 3, 8, 1);
  EXPECT_EQ(sliced.layout, Layout::RowMajor);
  EXPECT_EQ(sliced.ld, 8);
}

TEST(CudaLayout, UnitDimsTakeAnyStride) {
  // as_batch_of_one's views: a row vector (1, K) with stride 0 rows, a column (K, 1).
  const MatrixLayout row = matrix_layout(1, 9, 0, 1);
  EXPECT_EQ(row.layout, Layout::RowMajor);
  EXPECT_EQ(row.ld, 9);
  const MatrixLayout colv = matrix_layout(9, 1, 1, 0);
  EXPECT_EQ(colv.layout, Layout::RowMajor);
  EXPECT_EQ(colv.ld, 1);
  const MatrixLayout scalar = matrix_layout(1, 1, 0, 0);
  EXPECT_NE(scalar.layout, Layout::Copy);
  EXPECT_GE(scalar.ld, 1);
}

TEST(CudaLayout, UnaddressableMatricesAreCopied) {
  EXPECT_EQ(matrix_layout(5, 7, 14, 2).layout, Layout::Copy);  // every other column
  EXPECT_EQ(matrix_layout(5, 7, 0, 1).layout, Layout::Copy);   // expanded (repeated) rows
  EXPECT_EQ(matrix_layout(5, 7, 1, 0).layout, Layout::Copy);   // expanded columns
  EXPECT_EQ(matrix_layout(5, 7, 3, 1).layout, Layout::Copy);   // overlapping rows
  EXPECT_EQ(matrix_layout(2, 3, int64_t{1} << 33, 1).layout, Layout::Copy);  // ld beyond int
}

TEST(CudaLayout, ConvPaddingSymmetryAndPaddedExtent) {
  // PyTorch's padding=1, k=3, stride 2 over 9 cells: 5 outputs, cuDNN-symmetric.
  const ConvAxis sym{9, 3, 1, 2, 1, 5};
  EXPECT_TRUE(sym.symmetric());
  // "same" with k=4: total padding 3 = 1 before, 2 after; 7 outputs from 7 inputs.
  const ConvAxis same{7, 4, 1, 1, 1, 7};
  EXPECT_FALSE(same.symmetric());
  EXPECT_EQ(same.extent(), 10);  // 1 + 7 + 2
  EXPECT_EQ(same.overlap(), 7);
  // a transposed conv's output_padding gives an input the forward formula maps to the same output
  const ConvAxis outpad{10, 3, 1, 2, 1, 5};
  EXPECT_TRUE(outpad.symmetric());
  // outputs that read less than the whole input: the overlap stops at the extent
  const ConvAxis partial{9, 2, 0, 1, 1, 5};
  EXPECT_FALSE(partial.symmetric());
  EXPECT_EQ(partial.extent(), 6);
  EXPECT_EQ(partial.overlap(), 6);
  // kernel wider than the padded input: never symmetric
  EXPECT_FALSE((ConvAxis{2, 5, 1, 1, 1, 0}).symmetric());
}

}  // namespace
}  // namespace wick::cuda::nn

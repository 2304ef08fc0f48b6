// Shared by linalg.cpp and matmul.cpp: PyTorch's dtype checks for matrix products and the raw
// (autograd-free) batched product every op in the family lowers to.
#pragma once

#include "op_utils.h"
#include "pointwise_utils.h"  // scalar_type_name

namespace wick::ops {

// Throws PyTorch's `"<kernel>" not implemented for 'Bool'` for dtypes the CPU GEMM lacks.
void check_gemm_dtype(DType t, const char* kernel);
// "expected scalar type <a> but found <b>" unless both dtypes agree.
void check_same_dtype(const Tensor& a, const Tensor& b);
// out = beta * out + alpha * a @ b on 3-D views (B, M, K) @ (B, K, N) -> (B, M, N).
void raw_bmm_into(const Tensor& out, const Tensor& a, const Tensor& b, double beta = 0,
                  double alpha = 1);
// Views t (rank <= 2) as a batch of one matrix (1, rows, cols); a 1-D t is a row (as_row) or a
// column.
Tensor as_batch_of_one(const Tensor& t, bool as_row = true);
// A fresh contiguous result t seen with another shape, recorded as node `name` (PyTorch's
// _unsafe_view and in-place squeeze_: not a view for autograd, since nobody else holds t).
Tensor reshape_result(const char* name, const Tensor& t, IntArrayRef shape);

}  // namespace wick::ops

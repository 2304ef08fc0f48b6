// Helpers shared by the reductions in src/ops/ (not public API): kernel calls without autograd in
// the kernels' keepdim form, reshaping results, constant masks for backward formulas, and the
// differentiable exp/pow the backward formulas of logsumexp and norm are written with.
#pragma once

#include <string>

#include "op_utils.h"
#include "pointwise_utils.h"

namespace wick::ops {

// The kernel's result for `dims` in keepdim form (x's dtype; bool for All/Any). No autograd.
Tensor reduce_raw(ReduceOp op, const Tensor& x, const Shape& dims);
// A fresh keepdim-form result given its final shape (drops `dims` unless keepdim).
Tensor finish_shape(Tensor out, const Shape& dims, bool keepdim);
// Number of elements reduced over `dims`.
int64_t reduced_count(const Tensor& x, const Shape& dims);
// Gradient of a reduced result back to the input's shape: reshape to keepdim form and expand.
Tensor expand_grad(const Tensor& g, const Shape& kshape, IntArrayRef in_shape);
// Constant (autograd-free) elementwise helpers used to build backward formulas.
Tensor raw_binary(BinaryOp op, const Tensor& a, const Tensor& b);
Tensor raw_binary(BinaryOp op, const Tensor& a, double b);
Tensor raw_unary(UnaryOp op, const Tensor& x);
// bool mask as 0/1 in `dtype`.
Tensor mask_as(const Tensor& mask, DType dtype);

}  // namespace wick::ops

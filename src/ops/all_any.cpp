// all/any over all elements or one dim (torch.all/any): bool results; other dtypes test != 0.
// No autograd: the results are bool.
#include "reduce_utils.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

Tensor logic_reduce(ReduceOp op, const Tensor& x, IntArrayRef dim, bool keepdim) {
  Shape dims = reduction_dims(x, dim, op == ReduceOp::All ? "all" : "any");
  Tensor b = x.dtype() == kBool ? x : raw_binary(BinaryOp::Ne, x, 0.0);
  return finish_shape(reduce_raw(op, b, dims), dims, keepdim);
}

}  // namespace

Tensor all(const Tensor& x) { return logic_reduce(ReduceOp::All, x, IntArrayRef{}, false); }
Tensor all(const Tensor& x, int64_t dim, bool keepdim) { return logic_reduce(ReduceOp::All, x, IntArrayRef{dim}, keepdim); }
Tensor any(const Tensor& x) { return logic_reduce(ReduceOp::Any, x, IntArrayRef{}, false); }
Tensor any(const Tensor& x, int64_t dim, bool keepdim) { return logic_reduce(ReduceOp::Any, x, IntArrayRef{dim}, keepdim); }

Tensor Tensor::all() const { return wick::all(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return wick::all(*this, dim, keepdim); }
Tensor Tensor::any() const { return wick::any(*this); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return wick::any(*this, dim, keepdim); }

}  // namespace wick

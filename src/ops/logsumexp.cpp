// logsumexp over the given dims (torch.logsumexp), stable: log(sum(exp(x - m))) + m with m the
// max over the dims (0 where m is infinite, so all -inf slices give -inf, not NaN).
#include <cmath>

#include "reduce_utils.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

Tensor logsumexp(const Tensor& input, IntArrayRef dim, bool keepdim) {
  // Integral inputs compute in the default float dtype, as PyTorch.
  const Tensor x = is_floating_point(input.dtype()) ? input : input.to(default_dtype());
  Shape dims = reduction_dims(x, dim, "logsumexp");
  Shape kshape = keepdim_shape(x, dims);
  Tensor m = new_empty(kshape, x.dtype(), x.device());
  if (x.numel() == 0) {
    backend_for(m).fill_(m, 0);
  } else {
    backend_for(m).reduce(ReduceOp::Max, m, x, dims);
    Tensor finite = raw_binary(BinaryOp::Ne, raw_unary(UnaryOp::Abs, m), INFINITY);
    Tensor shift = new_empty(kshape, x.dtype(), x.device());
    backend_for(m).where(shift, finite, m, raw_expand(scalar_like(0, x.dtype(), x), kshape));
    m = shift;
  }
  Tensor s = reduce_raw(ReduceOp::Sum, raw_unary(UnaryOp::Exp, raw_binary(BinaryOp::Sub, x, m)), dims);
  Tensor out = finish_shape(raw_binary(BinaryOp::Add, raw_unary(UnaryOp::Log, s), m), dims, keepdim);
  const bool save = autograd::needs_grad({x});
  SavedTensor sx = save ? SavedTensor(x) : SavedTensor();
  SavedTensor sy = save ? SavedTensor(out, true) : SavedTensor();
  return autograd::record("LogsumexpBackward0", out, {x}, [sx, sy, kshape](const variable_list& g) {
    Tensor xv = sx.unpack();
    // d lse / dx = softmax(x) = exp(x - lse)
    return variable_list{expand_grad(g[0], kshape, xv.sizes()) * wick::exp(xv - expand_grad(sy.unpack(), kshape, xv.sizes()))};
  });
}

Tensor Tensor::logsumexp(IntArrayRef dim, bool keepdim) const { return wick::logsumexp(*this, dim, keepdim); }

}  // namespace wick

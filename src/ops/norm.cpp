// norm(p) over all dims or the given ones (torch.norm with a numeric p: 2, 1, inf, -inf, 0 or any
// other p). Matrix norms ("fro", "nuc") belong to linalg, not here.
#include <cmath>
#include <limits>

#include "reduce_utils.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Tensor norm_raw(const Tensor& x, double p, const Shape& dims) {
  Tensor a = raw_unary(UnaryOp::Abs, x);
  if (p == 2) return raw_unary(UnaryOp::Sqrt, reduce_raw(ReduceOp::Sum, raw_binary(BinaryOp::Mul, x, x), dims));
  if (p == 1) return reduce_raw(ReduceOp::Sum, a, dims);
  if (p == kInf || p == -kInf) {
    if (x.numel() == 0) {  // the inf and -inf norms of nothing are 0, as PyTorch
      Tensor out = new_empty(keepdim_shape(x, dims), x.dtype(), x.device());
      backend_for(out).fill_(out, 0.0);
      return out;
    }
    return reduce_raw(p > 0 ? ReduceOp::Max : ReduceOp::Min, a, dims);
  }
  if (p == 0) return reduce_raw(ReduceOp::Sum, mask_as(raw_binary(BinaryOp::Ne, x, 0.0), x.dtype()), dims);
  Tensor s = reduce_raw(ReduceOp::Sum, raw_binary(BinaryOp::Pow, a, p), dims);
  return raw_binary(BinaryOp::Pow, s, 1.0 / p);
}

// PyTorch's norm_backward, with the masked_fill steps written as products with constant masks so
// the formula stays differentiable.
Tensor norm_grad(const Tensor& g, const Tensor& x, const Tensor& norm, double p, const Shape& dims, const Shape& kshape) {
  const IntArrayRef in = x.sizes();
  if (p == 0) return x * 0.0;
  Tensor sgn = raw_unary(UnaryOp::Sign, x);
  Tensor gk = expand_grad(g, kshape, in);
  if (p == 1) return gk * sgn;
  Tensor nk = norm.reshape(kshape);
  if (p == kInf || p == -kInf) {
    Tensor mask = mask_as(raw_binary(BinaryOp::Eq, raw_unary(UnaryOp::Abs, x), nk), x.dtype());
    Tensor count = reduce_raw(ReduceOp::Sum, mask, dims);
    return sgn * mask * (gk / count);
  }
  Tensor norm_zero = mask_as(raw_binary(BinaryOp::Eq, nk, 0.0), x.dtype());
  Tensor safe_norm = nk + norm_zero;  // 1 where the norm is 0, whose gradient is 0
  if (p == 2) return x * (gk / safe_norm * (1.0 - norm_zero));
  Tensor x_zero = mask_as(raw_binary(BinaryOp::Eq, x, 0.0), x.dtype());
  Tensor abs_x = x * sgn;
  if (p < 1) {  // |x|^(p-1) is infinite at 0: those entries get 0
    Tensor scaled = sgn * wick::pow(abs_x + x_zero, p - 1) * (1.0 - x_zero);
    return scaled * gk * wick::pow(nk, 1 - p);
  }
  Tensor scaled = sgn * wick::pow(abs_x, p - 1);
  return scaled * (gk / wick::pow(safe_norm, p - 1) * (1.0 - norm_zero));
}

}  // namespace

Tensor norm(const Tensor& x, const Scalar& p, IntArrayRef dim, bool keepdim) {
  WICK_CHECK(x.is_floating_point(), "norm(): input dtype should be either floating point or complex. Got ",
             scalar_type_name(x.dtype()), " instead.");
  const double pv = p.to<double>();
  Shape dims = reduction_dims(x, dim, "norm");
  Shape kshape = keepdim_shape(x, dims);
  Tensor out = finish_shape(norm_raw(x, pv, dims), dims, keepdim);
  const bool save = autograd::needs_grad({x});
  SavedTensor sx = save ? SavedTensor(x) : SavedTensor();
  SavedTensor sy = save ? SavedTensor(out, true) : SavedTensor();
  return autograd::record("NormBackward1", out, {x}, [sx, sy, pv, dims, kshape](const variable_list& g) {
    return variable_list{norm_grad(g[0], sx.unpack(), sy.unpack(), pv, dims, kshape)};
  });
}

Tensor norm(const Tensor& x, const Scalar& p) { return norm(x, p, IntArrayRef{}, false); }

Tensor Tensor::norm(const Scalar& p) const { return wick::norm(*this, p); }
Tensor Tensor::norm(const Scalar& p, IntArrayRef dim, bool keepdim) const { return wick::norm(*this, p, dim, keepdim); }

}  // namespace wick

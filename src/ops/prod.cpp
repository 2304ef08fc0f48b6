// prod over all elements or one dim (torch.prod). Integral and bool inputs multiply in int64.
// The backward is exact with zeros in the input (the product of the other elements), and stays
// differentiable for double backward when at most one element of a reduced slice is zero.
#include "reduce_utils.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

Tensor prod_impl(const Tensor& x, const Shape& dims, bool keepdim, const char* name);

// d prod / d x_i = product of the others. With z = (x == 0) and x' = x + z (zeros become ones):
// no zero in the slice -> prod(x') / x'; exactly one zero -> at the zero prod(x') / x' (the others),
// elsewhere prod(x') / x' * x_zero (x_zero = sum(x * z) keeps its derivative); two or more -> 0.
Tensor prod_grad(const Tensor& g, const Tensor& x, const Shape& dims, const Shape& kshape) {
  Tensor z = mask_as(raw_binary(BinaryOp::Eq, x, 0.0), x.dtype());
  Tensor x_nz = x + z;
  Tensor others = expand_grad(prod_impl(x_nz, dims, true, "ProdBackward1"), kshape, x.sizes()) / x_nz;
  Tensor count = reduce_raw(ReduceOp::Sum, z, dims);
  Tensor none = mask_as(raw_binary(BinaryOp::Eq, count, 0.0), x.dtype());
  Tensor one = mask_as(raw_binary(BinaryOp::Eq, count, 1.0), x.dtype());
  Tensor x_zero = sum(x * z, dims, /*keepdim=*/true);
  Tensor weight = none + one * (z + (1.0 - z) * x_zero);
  return expand_grad(g, kshape, x.sizes()) * others * weight;
}

Tensor prod_impl(const Tensor& x, const Shape& dims, bool keepdim, const char* name) {
  const DType out_dt = is_floating_point(x.dtype()) ? x.dtype() : kInt64;
  Tensor out = finish_shape(reduce_raw(ReduceOp::Prod, raw_cast(x, out_dt), dims), dims, keepdim);
  if (!is_floating_point(out_dt)) return out;
  Shape kshape = keepdim_shape(x, dims);
  SavedTensor sx = autograd::needs_grad({x}) ? SavedTensor(x) : SavedTensor();
  return autograd::record(name, out, {x}, [sx, dims, kshape](const variable_list& g) {
    return variable_list{prod_grad(g[0], sx.unpack(), dims, kshape)};
  });
}

}  // namespace

Tensor prod(const Tensor& x) { return prod_impl(x, reduction_dims(x, IntArrayRef{}, "prod"), false, "ProdBackward0"); }
Tensor prod(const Tensor& x, int64_t dim, bool keepdim) {
  return prod_impl(x, reduction_dims(x, IntArrayRef{dim}, "prod"), keepdim, "ProdBackward1");
}

Tensor Tensor::prod() const { return wick::prod(*this); }
Tensor Tensor::prod(int64_t dim, bool keepdim) const { return wick::prod(*this, dim, keepdim); }

}  // namespace wick

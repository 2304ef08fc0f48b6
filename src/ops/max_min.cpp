// max/min (over all elements, or along one dim with indices), amax/amin over dims, argmax/argmin.
// Backward: the selected index gets the gradient (max(dim)); all-element max and amax split it
// evenly among ties, as PyTorch. NaN propagates (a NaN is the max and the min).
#include "reduce_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

// max/min of a bool tensor run on uint8 (the kernels order numbers, not bools).
Tensor extreme_raw(ReduceOp op, const Tensor& x, const Shape& dims) {
  if (x.dtype() != kBool) return reduce_raw(op, x, dims);
  return raw_cast(reduce_raw(op, raw_cast(x, kUInt8), dims), kBool);
}

// Where x equals its reduced value y (keepdim form), or both are NaN: the elements that share the
// gradient. Returns the mask as 0/1 in x's dtype.
Tensor winners(const Tensor& x, const Tensor& y_keep) {
  Tensor eq = raw_binary(BinaryOp::Eq, x, y_keep);
  Tensor both_nan = raw_binary(BinaryOp::LogicalAnd, raw_unary(UnaryOp::IsNan, x),
                               raw_expand(raw_unary(UnaryOp::IsNan, y_keep), x.sizes()));
  return mask_as(raw_binary(BinaryOp::LogicalOr, eq, both_nan), x.dtype());
}

// grad / (number of winners over dims) on each winner.
Tensor spread_grad(const Tensor& g, const Tensor& x, const Tensor& y, const Shape& dims, const Shape& kshape) {
  Tensor mask = winners(x, y.reshape(kshape));
  Tensor count = reduce_raw(ReduceOp::Sum, mask, dims);
  return expand_grad(g, kshape, x.sizes()) / count * mask;
}

Tensor all_extreme(ReduceOp op, const Tensor& x) {
  const char* name = op == ReduceOp::Max ? "max" : "min";
  WICK_CHECK(x.numel() > 0, name, "(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
             "reduction dim with the 'dim' argument.");
  Shape dims = reduction_dims(x, IntArrayRef{}, name);
  Tensor out = finish_shape(extreme_raw(op, x, dims), dims, false);
  if (!x.is_floating_point()) return out;
  const bool save = autograd::needs_grad({x});
  SavedTensor sx = save ? SavedTensor(x) : SavedTensor();
  SavedTensor sy = save ? SavedTensor(out, true) : SavedTensor();
  Shape kshape = keepdim_shape(x, dims);
  return autograd::record(op == ReduceOp::Max ? "MaxBackward1" : "MinBackward1", out, {x},
                          [sx, sy, dims, kshape](const variable_list& g) {
                            return variable_list{spread_grad(g[0], sx.unpack(), sy.unpack().detach(), dims, kshape)};
                          });
}

void check_nonempty_dim(const Tensor& x, int64_t d, const char* name) {
  WICK_CHECK(x.dim() == 0 || x.size(d) > 0, name, "(): Expected reduction dim ", d, " to have non-zero size.");
}

// values and indices (keepdim form) along wrapped dim d; a 0-dim x is read as one element.
std::tuple<Tensor, Tensor> arg_raw(ReduceOp op, const Tensor& x, int64_t d) {
  Tensor xv = x.dim() == 0 ? raw_view(x, {1}, {1}, x.storage_offset()) : x;
  Shape kshape = keepdim_shape(xv, {d});
  Tensor values = new_empty(kshape, x.dtype(), x.device());
  Tensor indices = new_empty(kshape, kInt64, x.device());
  backend_for(x).arg_reduce(op, values, indices, xv, d);
  return {values, indices};
}

std::tuple<Tensor, Tensor> dim_extreme(ReduceOp op, const Tensor& x, int64_t dim, bool keepdim) {
  const char* name = op == ReduceOp::Max ? "max" : "min";
  const int64_t d = wrap_dim(dim, x.dim());
  check_nonempty_dim(x, d, name);
  auto [values, indices] = arg_raw(op, x, d);
  const Shape dims = x.dim() == 0 ? Shape{} : Shape{d};
  const Shape kshape = x.dim() == 0 ? Shape{} : values.sizes().vec();
  if (x.dim() == 0) {
    values = finish_shape(values, {0}, false);
    indices = finish_shape(indices, {0}, false);
  } else {
    values = finish_shape(values, dims, keepdim);
    indices = finish_shape(indices, dims, keepdim);
  }
  if (!x.is_floating_point() || !autograd::needs_grad({x})) return {values, indices};
  Shape in = x.sizes().vec();
  Tensor idx_keep = indices.reshape(kshape);
  values = autograd::record(op == ReduceOp::Max ? "MaxBackward0" : "MinBackward0", values, {x},
                            [in, d, kshape, idx_keep](const variable_list& g) {
                              if (in.empty()) return variable_list{g[0]};
                              // One-hot of the selected index along d: position == index.
                              Shape pos_shape(in.size(), 1);
                              pos_shape[static_cast<size_t>(d)] = in[static_cast<size_t>(d)];
                              Tensor pos = arange(in[static_cast<size_t>(d)], {.dtype = kInt64}).reshape(pos_shape);
                              Tensor onehot = mask_as(raw_binary(BinaryOp::Eq, raw_expand(pos, in), idx_keep), g[0].dtype());
                              return variable_list{expand_grad(g[0], kshape, in) * onehot};
                            });
  return {values, indices};
}

Tensor dims_extreme(ReduceOp op, const Tensor& x, IntArrayRef dim, bool keepdim) {
  const char* name = op == ReduceOp::Max ? "amax" : "amin";
  Shape dims = reduction_dims(x, dim, name);
  WICK_CHECK(!(dim.empty() && x.numel() == 0), name, "(): Expected reduction dim to be specified for input.numel() == "
             "0. Specify the reduction dim with the 'dim' argument.");
  for (int64_t d : dims) check_nonempty_dim(x, d, name);
  Shape kshape = keepdim_shape(x, dims);
  Tensor out = x.numel() == 0 ? new_empty(kshape, x.dtype(), x.device()) : extreme_raw(op, x, dims);
  out = finish_shape(out, dims, keepdim);
  if (!x.is_floating_point()) return out;
  const bool save = autograd::needs_grad({x});
  SavedTensor sx = save ? SavedTensor(x) : SavedTensor();
  SavedTensor sy = save ? SavedTensor(out, true) : SavedTensor();
  return autograd::record(op == ReduceOp::Max ? "AmaxBackward0" : "AminBackward0", out, {x},
                          [sx, sy, dims, kshape](const variable_list& g) {
                            return variable_list{spread_grad(g[0], sx.unpack(), sy.unpack().detach(), dims, kshape)};
                          });
}

Tensor arg_extreme(ReduceOp op, const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  const char* name = op == ReduceOp::Max ? "argmax" : "argmin";
  WICK_CHECK(x.dtype() != kBool, "\"", name, "_cpu\" not implemented for 'Bool'");
  if (!dim) {
    WICK_CHECK(x.numel() > 0, name, "(): Expected reduction dim to be specified for input.numel() == 0.");
    Tensor flat = x.detach().contiguous().reshape({x.numel()});
    Tensor idx = std::get<1>(arg_raw(op, flat, 0));
    // keepdim without a dim keeps every dim as size 1, as PyTorch.
    return keepdim ? idx.reshape(Shape(static_cast<size_t>(x.dim()), 1)) : idx.reshape({});
  }
  const int64_t d = wrap_dim(*dim, x.dim());
  check_nonempty_dim(x, d, name);
  Tensor idx = std::get<1>(arg_raw(op, x, d));
  return x.dim() == 0 ? finish_shape(idx, {0}, false) : finish_shape(idx, {d}, keepdim);
}

}  // namespace

Tensor max(const Tensor& x) { return all_extreme(ReduceOp::Max, x); }
Tensor min(const Tensor& x) { return all_extreme(ReduceOp::Min, x); }
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) { return dim_extreme(ReduceOp::Max, x, dim, keepdim); }
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) { return dim_extreme(ReduceOp::Min, x, dim, keepdim); }
Tensor amax(const Tensor& x, IntArrayRef dim, bool keepdim) { return dims_extreme(ReduceOp::Max, x, dim, keepdim); }
Tensor amin(const Tensor& x, IntArrayRef dim, bool keepdim) { return dims_extreme(ReduceOp::Min, x, dim, keepdim); }
Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) { return arg_extreme(ReduceOp::Max, x, dim, keepdim); }
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) { return arg_extreme(ReduceOp::Min, x, dim, keepdim); }

Tensor Tensor::max() const { return wick::max(*this); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const { return wick::max(*this, dim, keepdim); }
Tensor Tensor::min() const { return wick::min(*this); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim) const { return wick::min(*this, dim, keepdim); }
Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim) const { return wick::argmax(*this, dim, keepdim); }
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim) const { return wick::argmin(*this, dim, keepdim); }

}  // namespace wick

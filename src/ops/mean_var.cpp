// mean, var and std over all dims or the given ones (torch.mean/var/std with correction). Floating
// inputs only, as PyTorch. var/std use two passes (mean, then squared deviations) for accuracy.
#include <algorithm>

#include "reduce_utils.h"
#include "wick/autograd/grad_mode.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

Tensor mean_impl(const Tensor& x, IntArrayRef dim, bool keepdim, const char* name) {
  WICK_CHECK(x.is_floating_point(), "mean(): could not infer output dtype. Input dtype must be either a floating point "
             "or complex dtype. Got: ", scalar_type_name(x.dtype()));
  Shape dims = reduction_dims(x, dim, "mean");
  Shape kshape = keepdim_shape(x, dims);
  const int64_t n = reduced_count(x, dims);
  Tensor out = raw_binary(BinaryOp::Div, reduce_raw(ReduceOp::Sum, x, dims), static_cast<double>(n));
  out = finish_shape(out, dims, keepdim);
  Shape in = x.sizes().vec();
  return autograd::record(name, out, {x}, [in, kshape, n](const variable_list& g) {
    return variable_list{expand_grad(g[0], kshape, in) / static_cast<double>(n)};
  });
}

struct Moments {
  Shape dims, kshape;
  double denom = 0;  // max(N - correction, 0)
  Tensor var;        // keepdim form
};

Moments var_raw(const Tensor& x, IntArrayRef dim, double correction) {
  WICK_CHECK(x.is_floating_point(), "std and var only support floating point and complex dtypes");
  Moments m;
  m.dims = reduction_dims(x, dim, "var");
  m.kshape = keepdim_shape(x, m.dims);
  const double n = static_cast<double>(reduced_count(x, m.dims));
  m.denom = std::max(n - correction, 0.0);
  Tensor mean = raw_binary(BinaryOp::Div, reduce_raw(ReduceOp::Sum, x, m.dims), n);
  Tensor dev = raw_binary(BinaryOp::Sub, x, mean);
  m.var = raw_binary(BinaryOp::Div, reduce_raw(ReduceOp::Sum, raw_binary(BinaryOp::Mul, dev, dev), m.dims), m.denom);
  return m;
}

// d var / dx = 2 (x - mean) / (N - correction), written with differentiable ops.
Tensor var_grad(const Tensor& g, const Tensor& x, const Moments& m) {
  Tensor centered = x - mean(x, m.dims, /*keepdim=*/true);
  return expand_grad(g, m.kshape, x.sizes()) * centered * (2.0 / m.denom);
}

}  // namespace

Tensor mean(const Tensor& x) { return mean_impl(x, IntArrayRef{}, false, "MeanBackward0"); }
Tensor mean(const Tensor& x, IntArrayRef dim, bool keepdim) { return mean_impl(x, dim, keepdim, "MeanBackward1"); }

Tensor var(const Tensor& x, IntArrayRef dim, VarOptions opts) {
  Moments m = var_raw(x, dim, opts.correction);
  Tensor out = finish_shape(m.var, m.dims, opts.keepdim);
  SavedTensor sx = autograd::needs_grad({x}) ? SavedTensor(x) : SavedTensor();
  m.var = Tensor();
  return autograd::record("VarBackward0", out, {x}, [sx, m](const variable_list& g) {
    return variable_list{var_grad(g[0], sx.unpack(), m)};
  });
}

Tensor std(const Tensor& x, IntArrayRef dim, VarOptions opts) {
  Moments m = var_raw(x, dim, opts.correction);
  Tensor out = finish_shape(raw_unary(UnaryOp::Sqrt, m.var), m.dims, opts.keepdim);
  m.var = Tensor();
  const bool save = autograd::needs_grad({x});
  SavedTensor sx = save ? SavedTensor(x) : SavedTensor();
  SavedTensor sy = save ? SavedTensor(out, true) : SavedTensor();
  return autograd::record("StdBackward0", out, {x}, [sx, sy, m](const variable_list& g) {
    // d std = d var / (2 std); where std is 0 the gradient is 0, as PyTorch.
    Tensor y = sy.unpack();
    Tensor zero = mask_as(raw_binary(BinaryOp::Eq, y, 0.0), y.dtype());
    Tensor gv = g[0] / ((y + zero) * 2.0) * (1.0 - zero);
    return variable_list{var_grad(gv, sx.unpack(), m)};
  });
}

Tensor Tensor::mean() const { return wick::mean(*this); }
Tensor Tensor::mean(IntArrayRef dim, bool keepdim) const { return wick::mean(*this, dim, keepdim); }
Tensor Tensor::var(IntArrayRef dim, VarOptions opts) const { return wick::var(*this, dim, opts); }
Tensor Tensor::std(IntArrayRef dim, VarOptions opts) const { return wick::std(*this, dim, opts); }

}  // namespace wick

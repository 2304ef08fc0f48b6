// sum and sum_to: the reduction every broadcasting backward relies on.
#include <algorithm>

#include "op_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

Tensor sum_impl(const Tensor& x, IntArrayRef dim, bool keepdim, std::optional<DType> dtype, const char* node_name);

Tensor sum_impl(const Tensor& x, IntArrayRef dim, bool keepdim, std::optional<DType> dtype, const char* node_name) {
  Shape dims = reduction_dims(x, dim, "sum");
  // Integral and bool inputs sum in int64, as PyTorch.
  DType out_dt = dtype.value_or(is_floating_point(x.dtype()) ? x.dtype() : kInt64);
  Shape kshape = keepdim_shape(x, dims);
  Tensor out = new_empty(kshape, out_dt, x.device());
  Tensor xc = raw_cast(x, out_dt);
  if (x.numel() == 0) backend_for(out).fill_(out, 0);
  else backend_for(out).reduce(ReduceOp::Sum, out, xc, dims);
  Shape final_shape = keepdim ? kshape : drop_dims(kshape, dims);
  out.impl()->sizes = final_shape;  // a fresh result: reshaping in place is safe
  out.impl()->strides = contiguous_strides(final_shape);
  if (!is_floating_point(out_dt)) return out;
  Shape in = x.sizes().vec();
  DType in_dt = x.dtype();
  return autograd::record(node_name, out, {x}, [in, dims, kshape, in_dt](const variable_list& g) {
    Tensor gk = g[0].reshape(kshape).expand(in);
    return variable_list{in_dt == gk.dtype() ? gk : gk.to(in_dt)};
  });
}

Tensor sum(const Tensor& x, IntArrayRef dim, bool keepdim, std::optional<DType> dtype) {
  return sum_impl(x, dim, keepdim, dtype, "SumBackward1");
}

Tensor sum(const Tensor& x, std::optional<DType> dtype) { return sum_impl(x, IntArrayRef{}, false, dtype, "SumBackward0"); }

Tensor sum_to(const Tensor& grad, IntArrayRef shape) {
  if (grad.sizes() == shape) return grad;
  const int64_t lead = grad.dim() - static_cast<int64_t>(shape.size());
  WICK_CHECK(lead >= 0, "sum_to: gradient of shape ", shape_str(grad.sizes()), " cannot be summed to ", shape_str(shape));
  Shape dims;
  for (int64_t i = 0; i < grad.dim(); ++i) {
    if (i < lead) {
      dims.push_back(i);
    } else if (shape[static_cast<size_t>(i - lead)] == 1 && grad.size(i) != 1) {
      dims.push_back(i);
    }
  }
  Tensor r = dims.empty() ? grad : sum(grad, dims, /*keepdim=*/true);
  return r.reshape(shape);
}

Tensor Tensor::sum(std::optional<DType> dtype) const { return wick::sum(*this, dtype); }
Tensor Tensor::sum(IntArrayRef dim, bool keepdim, std::optional<DType> dtype) const {
  return wick::sum(*this, dim, keepdim, dtype);
}

}  // namespace wick

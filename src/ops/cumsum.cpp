// cumsum along one dim (torch.cumsum). Integral and bool inputs sum in int64, as PyTorch.
#include "reduce_utils.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

Tensor cumsum(const Tensor& x, int64_t dim) {
  const int64_t d = wrap_dim(dim, x.dim());
  const DType out_dt = is_floating_point(x.dtype()) ? x.dtype() : kInt64;
  // A 0-dim tensor is read as one element.
  Tensor xc = raw_cast(x, out_dt);
  if (x.dim() == 0) xc = raw_view(xc, {1}, {1}, xc.storage_offset());
  Tensor out = new_empty(xc.sizes(), out_dt, x.device());
  backend_for(out).cumsum(out, xc, d);
  if (x.dim() == 0) out = out.reshape({});
  if (!is_floating_point(out_dt)) return out;
  return autograd::record("CumsumBackward0", out, {x}, [d](const variable_list& g) {
    // The gradient of a running sum is the reversed running sum: sum_{j >= i} g_j = total - cumsum + g.
    const Tensor& gv = g[0];
    if (gv.dim() == 0) return variable_list{gv};
    return variable_list{sum(gv, IntArrayRef{d}, /*keepdim=*/true) - cumsum(gv, d) + gv};
  });
}

Tensor Tensor::cumsum(int64_t dim) const { return wick::cumsum(*this, dim); }

}  // namespace wick

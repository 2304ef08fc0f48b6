// nn::functional max_unpool1d/2d/3d (scatter into zeros at max_pool's indices, PyTorch's default
// and checked output sizes) and lp_pool1d/2d (composed of avg_pool and pointwise ops, as PyTorch).
#include <sstream>

#include "../../ops/pool_ops.h"
#include "pool_common.h"
#include "wick/ops/pointwise.h"

namespace wick::nn::functional {
namespace {

std::string list_str(const std::vector<int64_t>& v) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << v[i];
  s << "]";
  return s.str();
}

Tensor max_unpool_nd(const Tensor& input, const Tensor& indices, IntArrayRef kernel,
                     const std::optional<IntArrayRef>& stride_opt, IntArrayRef padding,
                     const std::optional<std::vector<int64_t>>& output_size, const char* fn, const char* node) {
  const int64_t nd = static_cast<int64_t>(kernel.size());
  detail::check_pool_input(input, nd, fn);
  WICK_CHECK(indices.dtype() == kInt64, fn, "(): expected indices to have dtype int64, got ", dtype_name(indices.dtype()));
  WICK_CHECK(indices.sizes() == input.sizes(), fn,
             "(): Expected shape of indices to be same as that of the input tensor (", input.sizes(),
             ") but got indices tensor with shape: ", indices.sizes());
  const IntArrayRef stride = stride_opt ? *stride_opt : kernel;
  Shape out;
  for (int64_t d = 0; d < nd; ++d) {
    WICK_CHECK(kernel[d] > 0 && stride[d] > 0, fn, "(): kernel_size and stride must be greater than zero");
    out.push_back((input.size(input.dim() - nd + d) - 1) * stride[d] + kernel[d] - 2 * padding[d]);
  }
  if (output_size) {
    std::vector<int64_t> req = *output_size;
    if (static_cast<int64_t>(req.size()) == nd + 2) req.erase(req.begin(), req.begin() + 2);
    WICK_CHECK(static_cast<int64_t>(req.size()) == nd, fn, "(): output_size should be a sequence containing ", nd,
               " or ", nd + 2, " elements, but it has a length of '", output_size->size(), "'");
    for (int64_t d = 0; d < nd; ++d) {
      const int64_t lo = out[d] - stride[d], hi = out[d] + stride[d], v = req[static_cast<size_t>(d)];
      WICK_CHECK(lo < v && v < hi, fn, "(): invalid output_size \"", list_str(*output_size), "\" (dim ", d,
                 " must be between ", lo, " and ", hi, ")");
    }
    out.assign(req.begin(), req.end());
  }
  for (int64_t v : out) WICK_CHECK(v > 0, fn, "(): calculated output size ", list_str(out), " is too small");
  return ops::max_unpool(input, indices, out, node);
}

}  // namespace

#define WICK_MAX_UNPOOL(D, node)                                                                             \
  Tensor max_unpool##D##d(const Tensor& input, const Tensor& indices, ExpandingArray<D> kernel_size,          \
                          MaxUnpool##D##dFuncOptions o) {                                                     \
    return max_unpool_nd(input, indices, kernel_size, detail::opt_ref(o.stride), o.padding, o.output_size,    \
                         "max_unpool" #D "d", node);                                                          \
  }
WICK_MAX_UNPOOL(1, "MaxUnpool2DBackward0")
WICK_MAX_UNPOOL(2, "MaxUnpool2DBackward0")
WICK_MAX_UNPOOL(3, "MaxUnpool3DBackward0")
#undef WICK_MAX_UNPOOL

namespace {

// (sum over the window of x^p)^(1/p) = (avg_pool(x^p) * window size)^(1/p); sign * relu(abs)
// keeps PyTorch's treatment of negative sums (odd p): NaN from the root, as in PyTorch.
Tensor lp_pool_nd(const Tensor& input, double norm_type, IntArrayRef kernel, const std::optional<IntArrayRef>& stride,
                  bool ceil_mode, const char* fn) {
  const int64_t nd = static_cast<int64_t>(kernel.size());
  PoolArgs a = detail::sliding_args(kernel, stride, Shape(static_cast<size_t>(nd), 0), {});
  int64_t window = 1;
  for (int64_t k : kernel) window *= k;
  Tensor out = detail::avg_pool_nd(input.pow(norm_type), a, ceil_mode, fn, "AvgPool2DBackward0");
  return (out.sign() * out.abs().relu() * static_cast<double>(window)).pow(1.0 / norm_type);
}

}  // namespace

Tensor lp_pool1d(const Tensor& input, double norm_type, ExpandingArray<1> kernel_size, LPPool1dFuncOptions o) {
  return lp_pool_nd(input, norm_type, kernel_size, detail::opt_ref(o.stride), o.ceil_mode, "lp_pool1d");
}

Tensor lp_pool2d(const Tensor& input, double norm_type, ExpandingArray<2> kernel_size, LPPool2dFuncOptions o) {
  return lp_pool_nd(input, norm_type, kernel_size, detail::opt_ref(o.stride), o.ceil_mode, "lp_pool2d");
}

}  // namespace wick::nn::functional

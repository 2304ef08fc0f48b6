// constant_pad_nd: a fused op whose backward is itself with the pads negated (padding and
// cropping are adjoint), so double backward needs nothing more. Reflect/replicate/circular
// padding is in nn/functional/padding.cpp.
#include <algorithm>

#include "op_utils.h"
#include "wick/autograd/grad_mode.h"
#include "wick/nn/functional/padding.h"
#include "wick/ops/creation.h"

namespace wick {

using namespace ops;

Tensor constant_pad_nd(const Tensor& input, IntArrayRef pad, const Scalar& value) {
  WICK_CHECK(pad.size() % 2 == 0, "Padding length must be divisible by 2");
  const auto npad = static_cast<int64_t>(pad.size()) / 2;
  WICK_CHECK(npad <= input.dim(), "Padding length too large");
  Shape out_shape(input.sizes().begin(), input.sizes().end());
  // The overlap of input and output: where input[src] lands in output[dst] along each padded dim.
  Tensor src, dst;
  Tensor out;
  {
    NoGradGuard ng;
    src = input.detach();
    for (int64_t i = 0; i < npad; ++i) {
      const int64_t d = input.dim() - 1 - i, n = input.size(d);
      const int64_t lo = pad[static_cast<size_t>(2 * i)], hi = pad[static_cast<size_t>(2 * i + 1)];
      out_shape[static_cast<size_t>(d)] = n + lo + hi;
      WICK_CHECK(n + lo + hi >= 0, "constant_pad_nd: the input size ", n, " of dimension ", d,
                 " padded by (", lo, ", ", hi, ") is negative (input ", input.sizes(), ")");
    }
    out = full(out_shape, value, {.dtype = input.dtype(), .device = input.device()});
    dst = out;
    for (int64_t i = 0; i < npad; ++i) {
      const int64_t d = input.dim() - 1 - i, n = input.size(d);
      const int64_t lo = pad[static_cast<size_t>(2 * i)], hi = pad[static_cast<size_t>(2 * i + 1)];
      const int64_t len = std::max<int64_t>(0, n + std::min<int64_t>(lo, 0) + std::min<int64_t>(hi, 0));
      src = src.narrow(d, std::max<int64_t>(-lo, 0), len);
      dst = dst.narrow(d, std::max<int64_t>(lo, 0), len);
    }
    if (src.numel() > 0) dst.copy_(src);
  }
  if (!is_floating_point(input.dtype())) return out;
  Shape neg(pad.begin(), pad.end());
  for (auto& p : neg) p = -p;
  return autograd::record("ConstantPadNdBackward0", out, {input}, [neg](const variable_list& g) {
    return variable_list{constant_pad_nd(g[0], neg, 0)};
  });
}

}  // namespace wick

// unfold / fold as two fused ops over the backend's im2col / col2im, each the other's backward
// (so double backward needs nothing more), with PyTorch's argument checks and messages. The
// unbatched forms add and drop a batch dim of 1 around the batched op.
#include "wick/nn/functional/fold.h"

#include <sstream>
#include <string>

#include "wick/autograd/grad_mode.h"
#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/ops/creation.h"

namespace wick::nn::functional {
namespace {

using autograd::variable_list;

std::string pair_str(const std::array<int64_t, 2>& v) {
  std::ostringstream s;
  s << "(" << v[0] << ", " << v[1] << ")";
  return s.str();
}

// "kernel_size=(2, 2), dilation=(1, 1), padding=(0, 0), stride=(1, 1)"
std::string geometry_str(const FoldArgs& a) {
  return "kernel_size=" + pair_str(a.kernel_size) + ", dilation=" + pair_str(a.dilation) +
         ", padding=" + pair_str(a.padding) + ", stride=" + pair_str(a.stride);
}

FoldArgs make_args(const char* fn, const ExpandingArray<2>& k, const FoldFuncOptions& o) {
  FoldArgs a;
  for (size_t d = 0; d < 2; ++d) {
    a.kernel_size[d] = k[d];
    a.dilation[d] = o.dilation[d];
    a.padding[d] = o.padding[d];
    a.stride[d] = o.stride[d];
  }
  WICK_CHECK(k[0] > 0 && k[1] > 0, fn,
             ": kernel size should be greater than zero, but got kernel_height: ", k[0],
             " kernel_width: ", k[1]);
  WICK_CHECK(a.dilation[0] > 0 && a.dilation[1] > 0, fn,
             ": dilation should be greater than zero, but got dilation_height: ", a.dilation[0],
             " dilation_width: ", a.dilation[1]);
  WICK_CHECK(a.padding[0] >= 0 && a.padding[1] >= 0, fn,
             ": padding should be non-negative, but got pad_height: ", a.padding[0],
             " pad_width: ", a.padding[1]);
  WICK_CHECK(a.stride[0] > 0 && a.stride[1] > 0, fn,
             ": stride should be greater than zero, but got stride_height: ", a.stride[0],
             " stride_width: ", a.stride[1]);
  return a;
}

void check_float(const char* fn, const Tensor& input) {
  WICK_CHECK(is_floating_point(input.dtype()), fn, ": expected a floating point input, got ",
             dtype_name(input.dtype()));
}

// input has `unbatched` dims or one more (a leading batch dim, which may be 0), and every other
// dim is non-zero.
bool dims_ok(const Tensor& input, int64_t unbatched) {
  if (input.dim() != unbatched && input.dim() != unbatched + 1) return false;
  for (int64_t d = input.dim() - unbatched; d < input.dim(); ++d)
    if (input.size(d) == 0) return false;
  return true;
}

Tensor fold_batched(const Tensor& col, int64_t h, int64_t w, const FoldArgs& a);

// x (N, C, H, W) -> (N, C * kh * kw, L).
Tensor unfold_batched(const Tensor& input, const FoldArgs& a) {
  const int64_t n = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
  Tensor x = [&] {
    NoGradGuard ng;
    return input.detach().contiguous();
  }();
  Tensor col = empty({n, c * a.kernel_size[0] * a.kernel_size[1], a.blocks(0, h) * a.blocks(1, w)},
                     x.options());
  if (col.numel() > 0) backend_for(x).im2col(col, x, a);
  return autograd::record("Im2ColBackward0", col, {input}, [a, h, w](const variable_list& g) {
    return variable_list{fold_batched(g[0], h, w, a)};
  });
}

// col (N, C * kh * kw, L) -> (N, C, H, W).
Tensor fold_batched(const Tensor& input, int64_t h, int64_t w, const FoldArgs& a) {
  const int64_t kk = a.kernel_size[0] * a.kernel_size[1];
  Tensor col = [&] {
    NoGradGuard ng;
    return input.detach().contiguous();
  }();
  Tensor x = empty({col.size(0), col.size(1) / kk, h, w}, col.options());
  if (x.numel() > 0) backend_for(x).col2im(x, col, a);
  return autograd::record("Col2ImBackward0", x, {input}, [a](const variable_list& g) {
    return variable_list{unfold_batched(g[0], a)};
  });
}

}  // namespace

Tensor unfold(const Tensor& input, ExpandingArray<2> kernel_size, UnfoldFuncOptions options) {
  const FoldArgs a = make_args("unfold", kernel_size, options);
  const bool batched = input.dim() == 4;
  WICK_CHECK(dims_ok(input, 3),
             "unfold: Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other "
             "non-zero dimensions for input, but got: ",
             input.sizes());
  check_float("unfold", input);
  const int64_t h = input.size(-2), w = input.size(-1);
  const int64_t bh = a.blocks(0, h), bw = a.blocks(1, w);
  WICK_CHECK(bh >= 1 && bw >= 1, "unfold: Given input with spatial size (", h, ", ", w, "), ",
             "kernel_size=", pair_str(a.kernel_size), ", dilation=", pair_str(a.dilation),
             ", padding=", pair_str(a.padding), ", calculated shape of the array of sliding ",
             "blocks as (", bh, ", ", bw, "), but its components must be at least one.");
  if (batched) return unfold_batched(input, a);
  return unfold_batched(input.unsqueeze(0), a).squeeze(0);
}

Tensor fold(const Tensor& input, ExpandingArray<2> output_size, ExpandingArray<2> kernel_size,
            FoldFuncOptions options) {
  const FoldArgs a = make_args("fold", kernel_size, options);
  const bool batched = input.dim() == 3;
  WICK_CHECK(dims_ok(input, 2),
             "fold: Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
             "non-zero dimensions for input, but got: ",
             input.sizes());
  check_float("fold", input);
  const int64_t kk = a.kernel_size[0] * a.kernel_size[1];
  const int64_t rows = input.size(-2), cols = input.size(-1);
  // The dims are named as in the batched form, for unbatched input too (as PyTorch, which
  // unsqueezes before checking).
  WICK_CHECK(rows % kk == 0,
             "fold: Expected size of input's dimension 1 to be divisible by the product of "
             "kernel_size, but got input.size(1)=",
             rows, " and kernel_size=", pair_str(a.kernel_size), ".");
  const int64_t bh = a.blocks(0, output_size[0]), bw = a.blocks(1, output_size[1]);
  const std::array<int64_t, 2> out{output_size[0], output_size[1]};
  WICK_CHECK(bh >= 1 && bw >= 1 && bh * bw == cols, "fold: Given output_size=", pair_str(out), ", ",
             geometry_str(a),
             ", expected size of input's dimension 2 to match the calculated number of sliding "
             "blocks ",
             bh, " * ", bw, " = ", bh * bw, ", but got input.size(2)=", cols, ".");
  if (batched) return fold_batched(input, out[0], out[1], a);
  return fold_batched(input.unsqueeze(0), out[0], out[1], a).squeeze(0);
}

}  // namespace wick::nn::functional

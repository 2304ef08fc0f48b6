// The fused convolution op (ConvolutionBackward0) and torch.convolution on top of it. Forward,
// input gradient and weight gradient are three backend kernels; each is also a differentiable op
// here, so the backward of any of them is written with the others (double backward works).
// Argument checks with PyTorch's messages live in nn/functional/conv.cpp, not here.
#include <string>

#include "op_utils.h"
#include "wick/autograd/grad_mode.h"
#include "wick/nn/functional/conv.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

Shape spatial(const Tensor& t) { return Shape(t.sizes().begin() + 2, t.sizes().end()); }

// A contiguous tensor sharing nothing with autograd (kernels read raw buffers).
Tensor raw(const Tensor& t) {
  NoGradGuard ng;
  return t.detach().contiguous();
}

Shape with_spatial(int64_t n, int64_t c, IntArrayRef sp) {
  Shape s{n, c};
  s.insert(s.end(), sp.begin(), sp.end());
  return s;
}

// grad_w (w_shape) = weight gradient of a convolution reading `input` and receiving `grad_out`.
// It is bilinear in (input, grad_out), so its own backward is two more convolutions.
Tensor conv_weight_grad(const Tensor& input, const Tensor& grad_out, const ConvArgs& a,
                        IntArrayRef w_shape) {
  Tensor gw = new_empty(w_shape, input.dtype(), input.device());
  backend_for(gw).conv_backward_weight(gw, raw(grad_out), raw(input), a);
  const bool need_in = input.requires_grad(), need_go = grad_out.requires_grad();
  return autograd::record(
      "ConvolutionBackwardBackward0", gw, {input, grad_out},
      [in = SavedTensor(input), go = SavedTensor(grad_out), a, need_in, need_go](
          const variable_list& g) {
        Tensor x = in.unpack(), gy = go.unpack();
        Tensor gx, ggy;
        if (need_in) gx = detail::convolution_nd(gy, g[0], {}, a, spatial(x), true);
        if (need_go) ggy = detail::convolution_nd(x, g[0], {}, a, spatial(gy), false);
        return variable_list{gx, ggy};
      });
}

}  // namespace

namespace detail {

Tensor convolution_nd(const Tensor& input, const Tensor& weight, const Tensor& bias,
                      const ConvArgs& a, IntArrayRef out_spatial, bool transposed) {
  const int64_t out_c = transposed ? weight.size(1) * a.groups : weight.size(0);
  Tensor y = new_empty(with_spatial(input.size(0), out_c, out_spatial), input.dtype(),
                       input.device());
  Backend& be = backend_for(y);
  if (!transposed) {
    be.conv_forward(y, raw(input), raw(weight), bias.defined() ? raw(bias) : Tensor(), a);
  } else {
    // A transposed convolution is the input gradient of the convolution it mirrors.
    be.conv_backward_input(y, raw(input), raw(weight), a);
    if (bias.defined()) {
      NoGradGuard ng;
      Shape bshape(static_cast<size_t>(y.dim()), 1);
      bshape[1] = out_c;
      y.add_(bias.detach().reshape(bshape));
    }
  }
  const bool need_x = input.requires_grad(), need_w = weight.requires_grad(),
             need_b = bias.defined() && bias.requires_grad();
  return autograd::record(
      "ConvolutionBackward0", y, {input, weight, bias},
      [x = SavedTensor(input), w = SavedTensor(weight), a, transposed, need_x, need_w,
       need_b](const variable_list& g) {
        const Tensor& gy = g[0];
        Tensor xv = x.unpack(), wv = w.unpack();
        Tensor gx, gw, gb;
        if (need_x) gx = convolution_nd(gy, wv, {}, a, spatial(xv), !transposed);
        // y = conv(x, w): dw from (x, gy); y = conv^T(x, w): dw from (gy, x).
        if (need_w)
          gw = transposed ? conv_weight_grad(gy, xv, a, wv.sizes())
                          : conv_weight_grad(xv, gy, a, wv.sizes());
        if (need_b) {
          Shape dims{0};
          for (int64_t d = 2; d < gy.dim(); ++d) dims.push_back(d);
          gb = gy.sum(dims);
        }
        return variable_list{gx, gw, gb};
      });
}

}  // namespace detail

Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias,
                   IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool transposed,
                   IntArrayRef output_padding, int64_t groups) {
  const int64_t dims = input.dim() - 2;
  WICK_CHECK(dims >= 1 && dims <= 3 && weight.dim() == input.dim(),
             "convolution: expected a batched input with 1 to 3 spatial dims and a weight of the "
             "same rank, got input ",
             input.sizes(), " and weight ", weight.sizes());
  auto arg = [&](IntArrayRef v, int64_t d) { return v.size() == 1 ? v[0] : v[static_cast<size_t>(d)]; };
  ConvArgs a;
  a.dims = dims;
  a.groups = groups;
  Shape out;
  for (int64_t d = 0; d < dims; ++d) {
    const auto ud = static_cast<size_t>(d);
    a.stride[ud] = arg(stride, d);
    a.padding[ud] = arg(padding, d);
    a.dilation[ud] = arg(dilation, d);
    const int64_t in = input.size(2 + d), k = weight.size(2 + d);
    const int64_t span = a.dilation[ud] * (k - 1);
    out.push_back(transposed ? (in - 1) * a.stride[ud] - 2 * a.padding[ud] + span +
                                   arg(output_padding, d) + 1
                             : (in + 2 * a.padding[ud] - span - 1) / a.stride[ud] + 1);
  }
  return detail::convolution_nd(input, weight, bias, a, out, transposed);
}

}  // namespace wick

// conv.cpp's asymmetric-padding path checked on the CPU: its explicitly padded input (and the crop
// of the input gradient) fed to the CPU backend's convolution with zero padding must equal the CPU
// convolution with the leading-only padding of ConvArgs. cuDNN itself is not involved.
#include <cstdio>
#include <memory>
#include "wick/wick.h"
#include "wick/backend/backend.h"
#include "../../cuda/nn_layout.h"
namespace emu {
using namespace wick;
using namespace wick::cuda::nn;
using CudaBackend = wick::Backend;
#include "conv_axis.inc"
#include "conv_pad.inc"
}
using namespace wick;
int fails = 0;
void check(Shape xs, Shape ws, Shape ys, ConvArgs a, const char* what) {
  Backend& cpu = backend_for(Device(kCPU));
  const auto d = TensorOptions{.dtype = kFloat64};
  Tensor x = randn(xs, d), w = randn(ws, d), go = randn(ys, d);
  Tensor y1 = empty(ys, d), y2 = empty(ys, d);
  cpu.conv_forward(y1, x, w, Tensor(), a);
  const emu::PadPlan p = emu::pad_plan(x.sizes(), w.sizes(), IntArrayRef(ys), a);
  const Tensor xp = emu::padded_input(cpu, x, p);
  cpu.conv_forward(y2, xp, w, Tensor(), p.args);
  // conv_backward_input: the padded input's gradient, cropped
  Tensor gx1 = empty(xs, d), gx2 = empty(xs, d), gp = empty(p.padded, d);
  cpu.conv_backward_input(gx1, go, w, a);
  cpu.conv_backward_input(gp, go, w, p.args);
  cpu.fill_(gx2, Scalar(0.0));
  if (!p.empty_overlap) {
    const std::vector<int64_t> origin(p.lead.size(), 0);
    cpu.copy_(emu::spatial_view(gx2, origin, p.len), emu::spatial_view(gp, p.lead, p.len));
  }
  Tensor gw1 = empty(ws, d), gw2 = empty(ws, d);
  cpu.conv_backward_weight(gw1, go, x, a);
  cpu.conv_backward_weight(gw2, go, xp, p.args);
  if (!allclose(y2, y1, 1e-12, 1e-12) || !allclose(gx2, gx1, 1e-12, 1e-12) || !allclose(gw2, gw1, 1e-12, 1e-12)) {
    ++fails;
    std::printf("FAIL %s\n", what);
  }
}
int main() {
  manual_seed(0);
  ConvArgs a;  // "same", k = (4, 2): leading padding (1, 0), trailing (2, 1)
  a.padding = {1, 0, 0};
  check({2, 3, 7, 6}, {5, 3, 4, 2}, {2, 5, 7, 6}, a, "same, even kernel");
  a.dilation = {2, 1, 1};  // "same", k = 4, dilation 2: total 6 -> (3, 3) symmetric in H; W (0, 1)
  a.padding = {3, 0, 0};
  check({2, 3, 9, 6}, {5, 3, 4, 2}, {2, 5, 9, 6}, a, "same, dilated");
  ConvArgs b;  // outputs reading less than the whole input
  b.dims = 1;
  b.stride = {2, 1, 1};
  check({2, 2, 10}, {3, 2, 3}, {2, 3, 3}, b, "1-d, short output");
  ConvArgs c;  // 3-d with groups
  c.dims = 3;
  c.groups = 2;
  c.padding = {1, 0, 1};
  check({1, 4, 5, 4, 6}, {6, 2, 2, 3, 4}, {1, 6, 5, 2, 6}, c, "3-d grouped, asymmetric");
  std::printf("fails=%d\n", fails);
  return fails != 0;
}

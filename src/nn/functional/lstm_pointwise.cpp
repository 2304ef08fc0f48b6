// lstm_pointwise: the backend's fused kernel (one node, ThnnFusedLstmCellBackward0 as PyTorch's
// fused cell names it) where it has one, else composed from Tensor ops. The node's backward uses
// the kernel too, except under create_graph, where it writes the same formulas with Tensor ops so
// that double backward works.
#include "lstm_pointwise.h"

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/shape_ops.h"

namespace wick::nn::functional {
namespace {

std::tuple<Tensor, Tensor> composed(const Tensor& gates, const Tensor& c) {
  std::vector<Tensor> g = gates.chunk(4, 1);  // i, f, g, o
  Tensor c2 = g[1].sigmoid() * c + g[0].sigmoid() * g[2].tanh();
  return {g[3].sigmoid() * c2.tanh(), c2};
}

// d(gates), d(c) from dh2 and dc2 (either undefined: zero), differentiable in gates and c.
autograd::variable_list composed_grad(const Tensor& gates, const Tensor& c, const Tensor& dh2,
                                      const Tensor& dc2) {
  std::vector<Tensor> a = gates.chunk(4, 1);
  Tensor i = a[0].sigmoid(), f = a[1].sigmoid(), g = a[2].tanh(), o = a[3].sigmoid();
  Tensor t = (f * c + i * g).tanh();
  Tensor dh = dh2.defined() ? dh2 : zeros_like(t);
  Tensor dct = dh * o * (1 - t * t);
  if (dc2.defined()) dct = dct + dc2;
  Tensor dgates = cat(
      {dct * g * i * (1 - i), dct * c * f * (1 - f), dct * i * (1 - g * g), dh * t * o * (1 - o)},
      1);
  return {dgates, dct * f};
}

}  // namespace

std::tuple<Tensor, Tensor> lstm_pointwise(const Tensor& gates, const Tensor& c) {
  if (gates.dtype() != c.dtype() || gates.device() != c.device()) return composed(gates, c);
  Tensor gc = gates.contiguous(), cc = c.contiguous();
  Tensor h2 = empty(c.sizes(), c.options()), c2 = empty(c.sizes(), c.options());
  Tensor ws = empty(gates.sizes(), gates.options());
  {
    autograd::NoGradGuard no_grad;
    if (!backend_for(gc).lstm_cell_forward(h2, c2, ws, gc.detach(), cc.detach()))
      return composed(gates, c);
  }
  std::vector<Tensor> out = autograd::record(
      "ThnnFusedLstmCellBackward0", {h2, c2}, {gc, cc},
      [sg = autograd::SavedTensor(gc), sc = autograd::SavedTensor(cc),
       sc2 = autograd::SavedTensor(c2, true, 1), ws](const autograd::variable_list& g) {
        Tensor gv = sg.unpack(), cv = sc.unpack();
        if (autograd::GradMode::is_enabled()) return composed_grad(gv, cv, g[0], g[1]);
        Tensor dgates = empty(ws.sizes(), ws.options()), dc = empty(cv.sizes(), cv.options());
        const Tensor dh2 = g[0].defined() ? g[0].contiguous() : Tensor(),
                     dc2 = g[1].defined() ? g[1].contiguous() : Tensor();
        if (!backend_for(ws).lstm_cell_backward(dgates, dc, dh2, dc2, ws, cv.detach(),
                                                sc2.unpack().detach()))
          return composed_grad(gv, cv, g[0], g[1]);
        return autograd::variable_list{dgates, dc};
      });
  return {out[0], out[1]};
}

}  // namespace wick::nn::functional

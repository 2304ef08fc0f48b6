// F::nll_loss: a fused op over the backend's NLL kernels, with PyTorch's shape rules for (C),
// (N, C) and (N, C, d1, ...) inputs and its node names (NllLossBackward0, and
// NllLossBackwardBackward0 for double backward). Not differentiable in weight or target (as
// PyTorch). cross_entropy and the other losses live in src/nn/functional/loss*.cpp.
#include <memory>

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/nn/functional/loss.h"
#include "wick/ops/creation.h"

namespace wick::nn::functional {
namespace {

// What the NLL kernels need, in their (N, C, K) / (N, K) layout.
struct NllArgs {
  Tensor target;  // (N, K) int64 contiguous
  Tensor weight;  // (C) in the input's dtype, contiguous, or undefined
  LossReduction reduction;
  int64_t ignore_index;
};

Shape flat3(const Tensor& x) {
  if (x.dim() == 1) return {1, x.size(0), 1};
  int64_t k = 1;
  for (int64_t d = 2; d < x.dim(); ++d) k *= x.size(d);
  return {x.size(0), x.size(1), k};
}

Tensor nll_forward(const Tensor& input, const std::shared_ptr<const NllArgs>& a, IntArrayRef out_shape);

// grad_input (input's shape) from grad_output; records the double-backward node, which is
// nll_loss itself applied to the incoming gradient (the map is linear in grad_output).
Tensor nll_backward(const Tensor& grad_output, const Shape& input_shape,
                    const std::shared_ptr<const NllArgs>& a, const Tensor& total_weight) {
  Tensor gi = empty(input_shape, grad_output.options());
  Tensor gi3 = gi.view(flat3(gi));
  Tensor go = grad_output.contiguous();
  {
    NoGradGuard ng;
    backend_for(gi).nll_loss_backward(gi3, go, a->target, a->weight, a->reduction, a->ignore_index,
                                      total_weight);
  }
  Shape go_shape(grad_output.sizes().begin(), grad_output.sizes().end());
  return autograd::record("NllLossBackwardBackward0", gi, {grad_output},
                          [a, go_shape](const autograd::variable_list& g) {
                            return autograd::variable_list{nll_forward(g[0], a, go_shape)};
                          });
}

Tensor nll_forward(const Tensor& input, const std::shared_ptr<const NllArgs>& a, IntArrayRef out_shape) {
  Tensor x = input.contiguous();
  Shape s3 = flat3(x);
  const bool none = a->reduction == LossReduction::None;
  Tensor out = none ? empty({s3[0], s3[2]}, x.options()) : empty({}, x.options());
  Tensor total_weight = empty({}, x.options());
  {
    NoGradGuard ng;
    backend_for(x).nll_loss_forward(out, total_weight, x.view(s3), a->target, a->weight,
                                    a->reduction, a->ignore_index);
  }
  if (none) out = out.view(out_shape);
  Shape in_shape(input.sizes().begin(), input.sizes().end());
  return autograd::record("NllLossBackward0", out, {input},
                          [a, in_shape, total_weight](const autograd::variable_list& g) {
                            return autograd::variable_list{nll_backward(g[0], in_shape, a, total_weight)};
                          });
}

}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options) {
  const LossReduction reduction = parse_reduction(options.reduction);
  WICK_CHECK(input.dim() >= 1, "Expected 1 or more dimensions (got ", input.dim(), ")");
  WICK_CHECK(target.dtype() == kInt64, "nll_loss: expected scalar type Long but found ",
             dtype_name(target.dtype()), " for target");
  WICK_CHECK(input.is_floating_point(), "nll_loss: expected a floating point input, got ",
             dtype_name(input.dtype()));
  WICK_CHECK(input.device() == target.device(), "nll_loss: expected input and target on the same device, got ",
             input.device(), " and ", target.device());
  if (input.dim() == 1) {
    WICK_CHECK(target.dim() == 0, "size mismatch (got input: ", input.sizes(), ", target: ",
               target.sizes(), ")");
  } else {
    const int64_t tn = target.dim() == 0 ? 0 : target.size(0);
    WICK_CHECK(input.size(0) == tn, "Expected input batch_size (", input.size(0),
               ") to match target batch_size (", tn, ").");
    if (input.dim() == 2) {
      WICK_CHECK(target.dim() == 1, "0D or 1D target tensor expected, multi-target not supported");
    } else {
      Shape expected{input.size(0)};
      for (int64_t d = 2; d < input.dim(); ++d) expected.push_back(input.size(d));
      WICK_CHECK(target.sizes() == IntArrayRef(expected), "Expected target size ", IntArrayRef(expected),
                 ", got ", target.sizes());
    }
  }
  const int64_t classes = input.dim() == 1 ? input.size(0) : input.size(1);
  const Tensor& w = options.weight;
  WICK_CHECK(!w.defined() || (w.dim() == 1 && w.numel() == classes),
             "weight tensor should be defined either for all ", classes,
             " classes or no classes but got weight tensor of shape: ", w.defined() ? w.sizes() : IntArrayRef{});
  auto args = std::make_shared<NllArgs>();
  Shape s3 = flat3(input);
  args->target = target.contiguous().view({s3[0], s3[2]});
  if (w.defined()) args->weight = w.detach().to(input.dtype()).contiguous();
  args->reduction = reduction;
  args->ignore_index = options.ignore_index;
  return nll_forward(input, args, target.sizes());
}

}  // namespace wick::nn::functional

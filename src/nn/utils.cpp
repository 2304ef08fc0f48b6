// nn::utils: clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters, written
// with Tensor ops (one norm per gradient, one in-place scale), following torch.nn.utils in 1.13.
#include "wick/nn/utils.h"

#include <cmath>

#include "wick/autograd/grad_mode.h"
#include "wick/nn/modules/common.h"
#include "wick/ops/creation.h"
#include "wick/ops/reduction.h"
#include "wick/ops/shape_ops.h"

namespace wick::nn::utils {

using autograd::NoGradGuard;

Tensor clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  NoGradGuard ng;
  std::vector<Tensor> grads;
  for (const Tensor& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return zeros({});
  const Device device = grads[0].device();
  std::vector<Tensor> norms;
  const bool inf = std::isinf(norm_type) && norm_type > 0;
  for (const Tensor& g : grads) norms.push_back(inf ? g.detach().abs().max().to(device) : g.detach().norm(norm_type).to(device));
  Tensor total = norms.size() == 1 ? norms[0] : (inf ? stack(norms).max() : stack(norms).norm(norm_type));
  const double t = total.item<double>();
  WICK_CHECK(!error_if_nonfinite || std::isfinite(t), "The total norm of order ", nn::detail::py_repr(norm_type),
             " for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and "
             "scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
  // As PyTorch: coef = max_norm / (total + 1e-6), clamped to 1, computed in the norm's dtype.
  Tensor coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
  for (Tensor& g : grads) {
    Tensor gd = g.detach();
    gd.mul_(coef.to(g.device()));
  }
  return total;
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  NoGradGuard ng;
  for (const Tensor& p : parameters) {
    Tensor g = p.grad();
    if (g.defined()) g.clamp_(-clip_value, clip_value);
  }
}

Tensor parameters_to_vector(const std::vector<Tensor>& parameters) {
  WICK_CHECK(!parameters.empty(), "parameters_to_vector: expected at least one parameter");
  std::vector<Tensor> flat;
  for (const Tensor& p : parameters) {
    WICK_CHECK(p.device() == parameters[0].device(),
               "Found two parameters on different devices, this is currently not supported.");
    flat.push_back(p.reshape({-1}));
  }
  return cat(flat);
}

void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters) {
  WICK_CHECK(vec.defined() && vec.dim() == 1, "vector_to_parameters: expected a 1-d tensor, got ",
             vec.defined() ? shape_str(vec.sizes()) : std::string("an undefined tensor"));
  int64_t total = 0;
  for (const Tensor& p : parameters) total += p.numel();
  WICK_CHECK(vec.numel() == total, "vector_to_parameters: the vector has ", vec.numel(),
             " elements, the parameters ", total);
  NoGradGuard ng;
  int64_t offset = 0;
  for (const Tensor& p : parameters) {
    WICK_CHECK(p.device() == vec.device(), "Found two parameters on different devices, this is currently not supported.");
    Tensor dst = p;
    dst.copy_(vec.narrow(0, offset, p.numel()).view(p.sizes()));
    offset += p.numel();
  }
}

}  // namespace wick::nn::utils

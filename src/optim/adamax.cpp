// optim::Adamax, NAdam and RAdam: option checks, state creation and the per-step scalars (bias
// corrections, NAdam's momentum schedule, RAdam's rectification); the kernel does the elementwise part.
#include "wick/optim/adamax.h"

#include <cmath>

#include "wick/ops/creation.h"

namespace wick::optim {

using detail::check_option;

namespace {
// lr, betas, eps, weight_decay: checked and listed as PyTorch's defaults dicts begin.
GroupOptions adam_like(double lr, std::pair<double, double> betas, double eps, double weight_decay) {
  check_option(0.0 <= lr, "learning rate", lr);
  check_option(0.0 <= eps, "epsilon value", eps);
  detail::check_betas(betas);
  check_option(0.0 <= weight_decay, "weight_decay value", weight_decay);
  GroupOptions d;
  d.insert("lr", lr);
  d.insert("betas", betas);
  d.insert("eps", eps);
  d.insert("weight_decay", weight_decay);
  return d;
}

GroupOptions adamax_defaults(const AdamaxOptions& o) {
  GroupOptions d = adam_like(o.lr, o.betas, o.eps, o.weight_decay);
  d.insert("maximize", o.maximize);
  return d;
}

GroupOptions nadam_defaults(const NAdamOptions& o) {
  GroupOptions d = adam_like(o.lr, o.betas, o.eps, o.weight_decay);
  check_option(0.0 <= o.momentum_decay, "momentum_decay value", o.momentum_decay);
  d.insert("momentum_decay", o.momentum_decay);
  return d;
}

OptimizerStepArgs adam_like_args(OptimizerKernel kind, const ParamGroup& g) {
  OptimizerStepArgs a;
  a.kind = kind;
  a.lr = g.num("lr");
  std::tie(a.beta1, a.beta2) = g.pair("betas");
  a.eps = g.num("eps");
  a.weight_decay = g.num("weight_decay");
  return a;
}

// step = 0, then the two moment buffers under their PyTorch names.
void init_moments(ParamState& state, const Tensor& param, const char* first, const char* second) {
  if (state.contains(first)) return;
  state.insert("step", zeros({}, {.dtype = kFloat32}));
  state.insert(first, zeros_like(param));
  state.insert(second, zeros_like(param));
}
}  // namespace

Adamax::Adamax(std::vector<ParamGroup> groups, AdamaxOptions options)
    : Optimizer("Adamax", std::move(groups), adamax_defaults(options)) {}

void Adamax::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a = adam_like_args(OptimizerKernel::Adamax, group);
  a.maximize = group.flag("maximize");
  init_moments(state, param, "exp_avg", "exp_inf");
  const double step = increment_step(state);
  a.lr = a.lr / (1 - std::pow(a.beta1, step));
  fused_step(a, param, grad, {state["exp_avg"], state["exp_inf"]});
}

NAdam::NAdam(std::vector<ParamGroup> groups, NAdamOptions options)
    : Optimizer("NAdam", std::move(groups), nadam_defaults(options)) {}

void NAdam::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a = adam_like_args(OptimizerKernel::NAdam, group);
  if (!state.contains("exp_avg")) {
    state.insert("step", zeros({}, {.dtype = kFloat32}));
    state.insert("mu_product", ones({}, {.dtype = kFloat32}));
    state.insert("exp_avg", zeros_like(param));
    state.insert("exp_avg_sq", zeros_like(param));
  }
  const double step = increment_step(state);
  const double decay = group.num("momentum_decay");
  a.bias_correction2 = 1 - std::pow(a.beta2, step);
  const double mu = a.beta1 * (1. - 0.5 * std::pow(0.96, step * decay));
  const double mu_next = a.beta1 * (1. - 0.5 * std::pow(0.96, (step + 1) * decay));
  // mu_product is a float32 tensor in PyTorch: its products round to float at each step.
  Tensor& mu_t = state["mu_product"];
  const float mu_product = mu_t.item<float>() * static_cast<float>(mu);
  mu_t.fill_(mu_product);
  const float mu_product_next = mu_product * static_cast<float>(mu) * static_cast<float>(mu_next);
  a.coef1 = -a.lr * (1. - mu) / (1. - static_cast<double>(mu_product));
  a.coef2 = -a.lr * mu_next / (1. - static_cast<double>(mu_product_next));
  fused_step(a, param, grad, {state["exp_avg"], state["exp_avg_sq"]});
}

RAdam::RAdam(std::vector<ParamGroup> groups, RAdamOptions o)
    : Optimizer("RAdam", std::move(groups), adam_like(o.lr, o.betas, o.eps, o.weight_decay)) {}

void RAdam::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a = adam_like_args(OptimizerKernel::RAdam, group);
  init_moments(state, param, "exp_avg", "exp_avg_sq");
  const double step = increment_step(state);
  a.bias_correction1 = 1 - std::pow(a.beta1, step);
  a.bias_correction2 = 1 - std::pow(a.beta2, step);
  // The variance of the adaptive lr is tractable only once rho_t > 5; before that, plain momentum.
  const double rho_inf = 2 / (1 - a.beta2) - 1;
  const double rho_t = rho_inf - 2 * step * std::pow(a.beta2, step) / a.bias_correction2;
  a.coef1 = rho_t > 5. ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) : -1;
  fused_step(a, param, grad, {state["exp_avg"], state["exp_avg_sq"]});
}

}  // namespace wick::optim

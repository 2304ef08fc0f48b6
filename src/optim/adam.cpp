// optim::Adam and optim::AdamW: option checks, state creation and the per-step bias corrections;
// the elementwise update is the fused backend kernel.
#include "wick/optim/adam.h"

#include <cmath>

#include "wick/ops/creation.h"

namespace wick::optim {

namespace {
GroupOptions adam_defaults(const AdamOptions& o) {
  detail::check_option(0.0 <= o.lr, "learning rate", o.lr);
  detail::check_option(0.0 <= o.eps, "epsilon value", o.eps);
  detail::check_betas(o.betas);
  detail::check_option(0.0 <= o.weight_decay, "weight_decay value", o.weight_decay);
  GroupOptions d;
  d.insert("lr", o.lr);
  d.insert("betas", o.betas);
  d.insert("eps", o.eps);
  d.insert("weight_decay", o.weight_decay);
  d.insert("amsgrad", o.amsgrad);
  d.insert("maximize", o.maximize);
  return d;
}
}  // namespace

Adam::Adam(std::vector<ParamGroup> groups, AdamOptions options) : Adam("Adam", std::move(groups), options) {}

Adam::Adam(const char* name, std::vector<ParamGroup> groups, const AdamOptions& options)
    : Optimizer(name, std::move(groups), adam_defaults(options)) {}

AdamW::AdamW(std::vector<ParamGroup> groups, AdamWOptions o)
    : Adam("AdamW", std::move(groups), {o.lr, o.betas, o.eps, o.weight_decay, o.amsgrad, o.maximize}) {}

void Adam::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a;
  a.kind = name() == "AdamW" ? OptimizerKernel::AdamW : OptimizerKernel::Adam;
  a.lr = group.num("lr");
  std::tie(a.beta1, a.beta2) = group.pair("betas");
  a.eps = group.num("eps");
  a.weight_decay = group.num("weight_decay");
  a.amsgrad = group.flag("amsgrad");
  a.maximize = group.flag("maximize");
  if (!state.contains("exp_avg")) {
    state.insert("step", zeros({}, {.dtype = kFloat32}));
    state.insert("exp_avg", zeros_like(param));
    state.insert("exp_avg_sq", zeros_like(param));
  }
  if (a.amsgrad && !state.contains("max_exp_avg_sq")) state.insert("max_exp_avg_sq", zeros_like(param));
  const double step = increment_step(state);
  a.step_size = a.lr / (1 - std::pow(a.beta1, step));
  a.bias_correction2 = 1 - std::pow(a.beta2, step);
  std::vector<Tensor> buffers{state["exp_avg"], state["exp_avg_sq"]};
  if (a.amsgrad) buffers.push_back(state["max_exp_avg_sq"]);
  fused_step(a, param, grad, buffers);
}

}  // namespace wick::optim

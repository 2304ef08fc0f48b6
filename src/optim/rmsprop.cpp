// optim::RMSprop, Adagrad and Adadelta: option checks, state creation and per-step scalars; the
// elementwise update is the fused backend kernel.
#include "wick/optim/rmsprop.h"

#include "wick/ops/creation.h"

namespace wick::optim {

using detail::check_option;

namespace {
GroupOptions rmsprop_defaults(const RMSpropOptions& o) {
  check_option(0.0 <= o.lr, "learning rate", o.lr);
  check_option(0.0 <= o.eps, "epsilon value", o.eps);
  check_option(0.0 <= o.momentum, "momentum value", o.momentum);
  check_option(0.0 <= o.weight_decay, "weight_decay value", o.weight_decay);
  check_option(0.0 <= o.alpha, "alpha value", o.alpha);
  GroupOptions d;
  d.insert("lr", o.lr);
  d.insert("momentum", o.momentum);
  d.insert("alpha", o.alpha);
  d.insert("eps", o.eps);
  d.insert("centered", o.centered);
  d.insert("weight_decay", o.weight_decay);
  d.insert("maximize", o.maximize);
  return d;
}

GroupOptions adagrad_defaults(const AdagradOptions& o) {
  check_option(0.0 <= o.lr, "learning rate", o.lr);
  check_option(0.0 <= o.lr_decay, "lr_decay value", o.lr_decay);
  check_option(0.0 <= o.weight_decay, "weight_decay value", o.weight_decay);
  check_option(0.0 <= o.initial_accumulator_value, "initial_accumulator_value value", o.initial_accumulator_value);
  check_option(0.0 <= o.eps, "epsilon value", o.eps);
  GroupOptions d;
  d.insert("lr", o.lr);
  d.insert("lr_decay", o.lr_decay);
  d.insert("eps", o.eps);
  d.insert("weight_decay", o.weight_decay);
  d.insert("initial_accumulator_value", o.initial_accumulator_value);
  d.insert("maximize", o.maximize);
  return d;
}

GroupOptions adadelta_defaults(const AdadeltaOptions& o) {
  check_option(0.0 <= o.lr, "learning rate", o.lr);
  check_option(0.0 <= o.rho && o.rho <= 1.0, "rho value", o.rho);
  check_option(0.0 <= o.eps, "epsilon value", o.eps);
  check_option(0.0 <= o.weight_decay, "weight_decay value", o.weight_decay);
  GroupOptions d;
  d.insert("lr", o.lr);
  d.insert("rho", o.rho);
  d.insert("eps", o.eps);
  d.insert("weight_decay", o.weight_decay);
  d.insert("maximize", o.maximize);
  return d;
}

// The options every rule reads the same way.
OptimizerStepArgs common_args(OptimizerKernel kind, const ParamGroup& g) {
  OptimizerStepArgs a;
  a.kind = kind;
  a.lr = g.num("lr");
  a.eps = g.num("eps");
  a.weight_decay = g.num("weight_decay");
  a.maximize = g.flag("maximize");
  return a;
}
}  // namespace

RMSprop::RMSprop(std::vector<ParamGroup> groups, RMSpropOptions options)
    : Optimizer("RMSprop", std::move(groups), rmsprop_defaults(options)) {}

void RMSprop::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a = common_args(OptimizerKernel::RMSprop, group);
  a.alpha = group.num("alpha");
  a.momentum = group.num("momentum");
  a.centered = group.flag("centered");
  if (!state.contains("square_avg")) {
    state.insert("step", zeros({}, {.dtype = kFloat32}));
    state.insert("square_avg", zeros_like(param));
    if (a.momentum > 0) state.insert("momentum_buffer", zeros_like(param));
    if (a.centered) state.insert("grad_avg", zeros_like(param));
  }
  increment_step(state);
  Tensor none;
  const ParamState& s = state;
  fused_step(a, param, grad,
             {s["square_avg"], a.momentum > 0 ? s["momentum_buffer"] : none, a.centered ? s["grad_avg"] : none});
}

Adagrad::Adagrad(std::vector<ParamGroup> groups, AdagradOptions options)
    : Optimizer("Adagrad", std::move(groups), adagrad_defaults(options)) {
  for (const auto& g : param_groups()) {
    for (const Tensor& p : g.params) {
      ParamState& s = state(p);
      s.insert("step", zeros({}, {.dtype = kFloat32}));
      s.insert("sum", full_like(p, g.num("initial_accumulator_value")));
    }
  }
}

void Adagrad::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a = common_args(OptimizerKernel::Adagrad, group);
  if (!state.contains("sum")) {  // a parameter added later with add_param_group
    state.insert("step", zeros({}, {.dtype = kFloat32}));
    state.insert("sum", full_like(param, group.num("initial_accumulator_value")));
  }
  const double step = increment_step(state);
  a.lr = a.lr / (1 + (step - 1) * group.num("lr_decay"));
  fused_step(a, param, grad, {state["sum"]});
}

Adadelta::Adadelta(std::vector<ParamGroup> groups, AdadeltaOptions options)
    : Optimizer("Adadelta", std::move(groups), adadelta_defaults(options)) {}

void Adadelta::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a = common_args(OptimizerKernel::Adadelta, group);
  a.alpha = group.num("rho");
  if (!state.contains("square_avg")) {
    state.insert("step", zeros({}, {.dtype = kFloat32}));
    state.insert("square_avg", zeros_like(param));
    state.insert("acc_delta", zeros_like(param));
  }
  increment_step(state);
  fused_step(a, param, grad, {state["square_avg"], state["acc_delta"]});
}

}  // namespace wick::optim

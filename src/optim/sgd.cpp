// optim::SGD: option checks and the per-parameter step (the arithmetic is the fused backend kernel).
#include "wick/optim/sgd.h"

#include "wick/ops/creation.h"

namespace wick::optim {

namespace {
GroupOptions sgd_defaults(const SGDOptions& o) {
  WICK_CHECK(!std::isnan(o.lr), "SGD: the learning rate is required, e.g. optim::SGD(params, {.lr = 0.1})");
  detail::check_option(o.lr >= 0, "learning rate", o.lr);
  detail::check_option(o.momentum >= 0, "momentum value", o.momentum);
  detail::check_option(o.weight_decay >= 0, "weight_decay value", o.weight_decay);
  WICK_CHECK(!o.nesterov || (o.momentum > 0 && o.dampening == 0),
             "Nesterov momentum requires a momentum and zero dampening");
  GroupOptions d;
  d.insert("lr", o.lr);
  d.insert("momentum", o.momentum);
  d.insert("dampening", o.dampening);
  d.insert("weight_decay", o.weight_decay);
  d.insert("nesterov", o.nesterov);
  d.insert("maximize", o.maximize);
  return d;
}
}  // namespace

SGD::SGD(std::vector<ParamGroup> groups, SGDOptions options)
    : Optimizer("SGD", std::move(groups), sgd_defaults(options)) {}

void SGD::update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) {
  OptimizerStepArgs a;
  a.kind = OptimizerKernel::SGD;
  a.lr = group.num("lr");
  a.momentum = group.num("momentum");
  a.dampening = group.num("dampening");
  a.weight_decay = group.num("weight_decay");
  a.nesterov = group.flag("nesterov");
  a.maximize = group.flag("maximize");
  std::vector<Tensor> buffers;
  if (a.momentum != 0) {
    a.first_step = !state.contains("momentum_buffer");
    if (a.first_step) state.insert("momentum_buffer", empty_like(param));
    buffers.push_back(state["momentum_buffer"]);
  }
  fused_step(a, param, grad, buffers);
}

}  // namespace wick::optim

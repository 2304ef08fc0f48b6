// optim::Optimizer: parameter groups, per-parameter state, step/zero_grad and state_dict. The
// algorithms' math is elsewhere (one file each); the flat checkpoint form is in state_flat.cpp.
#include "wick/optim/optimizer.h"

#include <set>

#include "wick/autograd/grad_mode.h"
#include "wick/backend/backend.h"
#include "wick/nn/modules/common.h"
#include "wick/ops/creation.h"

namespace wick::optim {

using autograd::NoGradGuard;

ParamGroup::ParamGroup(std::vector<Tensor> params_, std::vector<std::pair<std::string, OptionValue>> options_)
    : params(std::move(params_)) {
  for (auto& [k, v] : options_) options.insert(k, v);
}

namespace {
template <typename V>
const V& get_as(const GroupOptions& options, const std::string& key, const char* kind) {
  const OptionValue* v = options.find(key);
  WICK_CHECK(v != nullptr, "param group: no option '", key, "'");
  const V* x = std::get_if<V>(v);
  WICK_CHECK(x != nullptr, "param group: option '", key, "' is not a ", kind);
  return *x;
}
}  // namespace

double ParamGroup::num(const std::string& key) const { return get_as<double>(options, key, "number"); }
bool ParamGroup::flag(const std::string& key) const { return get_as<bool>(options, key, "flag"); }
std::pair<double, double> ParamGroup::pair(const std::string& key) const {
  return get_as<std::pair<double, double>>(options, key, "pair");
}

namespace detail {
void check_option(bool ok, const char* what, double value) {
  WICK_CHECK(ok, "Invalid ", what, ": ", nn::detail::py_repr(value));
}
void check_betas(std::pair<double, double> betas) {
  WICK_CHECK(0.0 <= betas.first && betas.first < 1.0, "Invalid beta parameter at index 0: ",
             nn::detail::py_repr(betas.first));
  WICK_CHECK(0.0 <= betas.second && betas.second < 1.0, "Invalid beta parameter at index 1: ",
             nn::detail::py_repr(betas.second));
}
}  // namespace detail

Optimizer::Optimizer(std::string name, std::vector<ParamGroup> groups, GroupOptions defaults)
    : name_(std::move(name)), defaults_(std::move(defaults)) {
  WICK_CHECK(!groups.empty(), name_, ": optimizer got an empty parameter list");
  for (auto& g : groups) add_param_group(std::move(g));
}

void Optimizer::add_param_group(ParamGroup group) {
  WICK_CHECK(!group.params.empty(), name_, ": optimizer got an empty parameter list");
  for (const Tensor& p : group.params) {
    WICK_CHECK(p.defined(), name_, ": a parameter is an undefined tensor");
    WICK_CHECK(p.is_leaf(), name_, ": can't optimize a non-leaf Tensor");
    WICK_CHECK(p.is_floating_point(), name_, ": expected floating-point parameters, got ", dtype_name(p.dtype()));
  }
  std::set<TensorImpl*> seen;
  for (const auto& g : groups_)
    for (const Tensor& p : g.params) seen.insert(p.impl());
  std::set<TensorImpl*> mine;
  for (const Tensor& p : group.params) {
    WICK_CHECK(mine.insert(p.impl()).second, name_, ": a parameter group contains the same parameter twice");
    WICK_CHECK(!seen.count(p.impl()), name_, ": some parameters appear in more than one parameter group");
  }
  // Defaults first in their own order, then the group's extra keys, so every group lists alike.
  GroupOptions merged;
  for (const auto& [k, v] : defaults_) {
    const OptionValue* own = group.options.find(k);
    merged.insert(k, own != nullptr ? *own : v);
  }
  for (const auto& [k, v] : group.options)
    if (!merged.contains(k)) merged.insert(k, v);
  group.options = std::move(merged);
  groups_.push_back(std::move(group));
}

Tensor Optimizer::step(const std::function<Tensor()>& closure) {
  Tensor loss;
  if (closure) {
    autograd::EnableGradGuard eg;
    loss = closure();
  }
  NoGradGuard ng;
  for (auto& group : groups_) {
    for (Tensor& p : group.params) {
      Tensor g = p.grad();
      if (!g.defined()) continue;
      WICK_CHECK(g.sizes() == p.sizes() && g.dtype() == p.dtype() && g.device() == p.device(), name_,
                 ": a gradient does not match its parameter: grad ", dtype_name(g.dtype()), shape_str(g.sizes()),
                 ", param ", dtype_name(p.dtype()), shape_str(p.sizes()));
      update(group, p, g, state_[p.impl()]);
    }
  }
  return loss;
}

void Optimizer::zero_grad(bool set_to_none) {
  NoGradGuard ng;
  for (auto& group : groups_) {
    for (Tensor& p : group.params) {
      Tensor g = p.grad();
      if (!g.defined()) continue;
      if (set_to_none) {
        p.set_grad(Tensor());
        continue;
      }
      if (g.grad_fn()) {
        g = g.detach();
        p.set_grad(g);
      }
      g.zero_();
    }
  }
}

void Optimizer::fused_step(const OptimizerStepArgs& args, Tensor& param, const Tensor& grad,
                           const std::vector<Tensor>& state) {
  bool contiguous = param.is_contiguous() && grad.is_contiguous();
  for (const Tensor& s : state) contiguous = contiguous && (!s.defined() || s.is_contiguous());
  if (contiguous) return backend_for(param).optimizer_step_(args, param, grad, state);
  // Rare (a parameter that is a strided view): update contiguous copies, then write them back.
  Tensor p = param.contiguous();
  std::vector<Tensor> s;
  for (const Tensor& t : state) s.push_back(t.defined() ? t.contiguous() : t);
  backend_for(param).optimizer_step_(args, p, grad.contiguous(), s);
  param.copy_(p);
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i].defined() && !s[i].is_same(state[i])) {
      Tensor dst = state[i];
      dst.copy_(s[i]);
    }
}

double Optimizer::increment_step(ParamState& state) {
  if (!state.contains("step")) state.insert("step", zeros({}, {.dtype = kFloat32}));
  Tensor& step = state["step"];
  step.add_(1);
  return step.item<double>();
}

OptimizerStateDict Optimizer::state_dict() const {
  OptimizerStateDict sd;
  int64_t index = 0;
  for (const auto& group : groups_) {
    OptimizerStateDict::Group g{group.options, {}};
    for (const Tensor& p : group.params) {
      auto it = state_.find(p.impl());
      if (it != state_.end() && !it->second.empty()) {
        ParamState copy;
        for (const auto& [k, v] : it->second) copy.insert(k, v.detach().clone());
        sd.state.emplace(index, std::move(copy));
      }
      g.params.push_back(index++);
    }
    sd.param_groups.push_back(std::move(g));
  }
  return sd;
}

void Optimizer::load_state_dict(const OptimizerStateDict& sd) {
  WICK_CHECK(sd.param_groups.size() == groups_.size(), name_,
             ".load_state_dict: loaded state dict has a different number of parameter groups (",
             sd.param_groups.size(), " vs ", groups_.size(), ")");
  std::map<int64_t, Tensor> by_index;
  for (size_t i = 0; i < groups_.size(); ++i) {
    const auto& saved = sd.param_groups[i];
    WICK_CHECK(saved.params.size() == groups_[i].params.size(), name_,
               ".load_state_dict: loaded state dict contains a parameter group that doesn't match the size of "
               "optimizer's group (group ", i, ": ", saved.params.size(), " vs ", groups_[i].params.size(), ")");
    for (size_t j = 0; j < saved.params.size(); ++j) by_index[saved.params[j]] = groups_[i].params[j];
  }
  for (const auto& [index, st] : sd.state) {
    WICK_CHECK(by_index.count(index), name_, ".load_state_dict: state for parameter ", index,
               " which no parameter group lists");
  }
  NoGradGuard ng;
  state_.clear();
  for (const auto& [index, st] : sd.state) {
    const Tensor& p = by_index[index];
    ParamState copy;
    for (const auto& [k, v] : st) {
      Tensor t = v.detach();
      // Per-element buffers follow the parameter's dtype and device; 0-dim counters ("step",
      // NAdam's "mu_product") keep their dtype so a resumed run computes exactly as before.
      if (k == "step") {
        t = t.to(p.device(), kFloat32);  // PyTorch's dtype for the count (the flat form holds float64)
      } else if (t.dim() == 0) {
        t = t.to(p.device());
      } else if (t.is_floating_point()) {
        WICK_CHECK(t.sizes() == p.sizes(), name_, ".load_state_dict: state '", k, "' of parameter ", index,
                   " has shape ", shape_str(t.sizes()), ", the parameter ", shape_str(p.sizes()));
        t = t.to(p.device(), p.dtype());
      }
      copy.insert(k, t.clone());  // never share storage with the caller's dict
    }
    state_.emplace(p.impl(), std::move(copy));
  }
  for (size_t i = 0; i < groups_.size(); ++i) groups_[i].options = sd.param_groups[i].options;
}

}  // namespace wick::optim

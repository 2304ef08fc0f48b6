// optim::Optimizer: the base of every torch.optim algorithm. It holds parameter groups (params plus
// per-group options, as PyTorch's group dicts), per-parameter state, zero_grad, step(closure), and
// state_dict/load_state_dict (with a flat nn::StateDict form for safetensors checkpoints). It does no
// math itself: each algorithm implements update() for one parameter.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "wick/backend/optim_args.h"
#include "wick/core/tensor.h"
#include "wick/nn/module.h"

namespace wick::optim {

// A group option's value: a number (lr, momentum, ...), a flag (nesterov, amsgrad, ...) or a pair
// (betas). Write 0.0 rather than 0 for numbers: an int converts to neither alternative.
using OptionValue = std::variant<double, bool, std::pair<double, double>>;
using GroupOptions = nn::OrderedDict<OptionValue>;

// One parameter group, as {'params': [...], 'lr': ..., ...}. Options missing from a group take the
// optimizer's defaults when the group is added: optim::SGD opt({{a}, {b, {{"lr", 0.01}}}}, {.lr = 0.1}).
class ParamGroup {
 public:
  ParamGroup(std::vector<Tensor> params, std::vector<std::pair<std::string, OptionValue>> options = {});  // NOLINT

  std::vector<Tensor> params;
  GroupOptions options;

  // group["lr"] = 0.01; as Python's group['lr'] (throws naming the key when missing).
  OptionValue& operator[](const std::string& key) { return options[key]; }
  bool has(const std::string& key) const { return options.contains(key); }
  // Typed reads; each throws naming the key when it is missing or of another kind.
  double num(const std::string& key) const;
  bool flag(const std::string& key) const;
  std::pair<double, double> pair(const std::string& key) const;
  double lr() const { return num("lr"); }
};

// Per-parameter state: name -> tensor (PyTorch's state[p] dict; "step" is a 0-dim float32 tensor).
using ParamState = nn::StateDict;

// optimizer.state_dict(): state keyed by the parameter's position over all groups, and the groups'
// options with the positions of their parameters, as PyTorch's {'state': ..., 'param_groups': ...}.
struct OptimizerStateDict {
  struct Group {
    GroupOptions options;
    std::vector<int64_t> params;
  };
  std::map<int64_t, ParamState> state;
  std::vector<Group> param_groups;

  // The flat form for checkpoint files: "state.0.momentum_buffer" as stored, "state.0.step" as 0-dim float64,
  // "param_groups.0.lr" as 0-dim float64, flags as 0-dim bool, pairs as float64 [2], and
  // "param_groups.0.params" as int64.
  nn::StateDict flatten() const;
  // The inverse of flatten (throws naming the key on a key or tensor it cannot place).
  static OptimizerStateDict unflatten(const nn::StateDict& flat);
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter with a gradient. The closure, when given, runs first with grad
  // enabled (it re-evaluates the model and calls backward); its loss is returned (else undefined).
  Tensor step(const std::function<Tensor()>& closure = nullptr);
  // set_to_none: drop the gradients (PyTorch's default since 2.0); else zero them in place.
  void zero_grad(bool set_to_none = true);
  // Adds a group; options it lacks come from defaults(). Throws if a parameter is already present.
  void add_param_group(ParamGroup group);

  std::vector<ParamGroup>& param_groups() { return groups_; }
  const std::vector<ParamGroup>& param_groups() const { return groups_; }
  const GroupOptions& defaults() const { return defaults_; }
  // The state of one parameter (empty until its first step).
  ParamState& state(const Tensor& param) { return state_[param.impl()]; }
  bool has_state(const Tensor& param) const { return state_.count(param.impl()) != 0; }

  // A copy of the state (tensors cloned), so later steps do not change a saved dict.
  OptimizerStateDict state_dict() const;
  // Restores state and group options; the groups' parameters stay. Group count and sizes must match;
  // floating-point state moves to each parameter's dtype and device (except "step").
  void load_state_dict(const OptimizerStateDict& state_dict);

  // The algorithm's name, for messages ("SGD").
  const std::string& name() const { return name_; }

 protected:
  Optimizer(std::string name, std::vector<ParamGroup> groups, GroupOptions defaults);
  // The update of one parameter with a defined gradient, under no_grad.
  virtual void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) = 0;
  // The fused backend update over param, grad and state (contiguous copies when the layout needs them).
  static void fused_step(const OptimizerStepArgs& args, Tensor& param, const Tensor& grad,
                         const std::vector<Tensor>& state);
  // Increments state["step"] (a 0-dim float32 tensor, created at 0) and returns the new count.
  static double increment_step(ParamState& state);

 private:
  std::string name_;
  GroupOptions defaults_;
  std::vector<ParamGroup> groups_;
  std::unordered_map<TensorImpl*, ParamState> state_;
};

// The two constructors every algorithm has: from a parameter list or from parameter groups.
#define WICK_OPTIMIZER_CONSTRUCTORS(Name, Options, default_options)                                \
  Name(std::vector<Tensor> params, Options options default_options)                                  \
      : Name(std::vector<::wick::optim::ParamGroup>{::wick::optim::ParamGroup(std::move(params))}, options) {} \
  Name(std::vector<::wick::optim::ParamGroup> groups, Options options default_options)

namespace detail {
// "Invalid learning rate: -0.1" style checks shared by the algorithms' constructors.
void check_option(bool ok, const char* what, double value);
void check_betas(std::pair<double, double> betas);
}  // namespace detail

}  // namespace wick::optim

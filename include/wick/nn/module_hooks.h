// Module hooks, as register_forward_pre_hook / register_forward_hook / register_full_backward_hook
// in PyTorch (LibTorch has none). Hooks see the Tensor arguments and the Tensor outputs of a call
// as vectors (one entry per Tensor argument; a forward returning a tuple of tensors gives several
// outputs). Non-Tensor arguments pass through untouched.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "wick/nn/module.h"

namespace wick::nn {

// Returns replacement inputs, or nullopt to keep them.
using ForwardPreHook = std::function<std::optional<std::vector<Tensor>>(Module&, const std::vector<Tensor>& inputs)>;
// Returns replacement outputs, or nullopt to keep them.
using ForwardHook = std::function<std::optional<std::vector<Tensor>>(Module&, const std::vector<Tensor>& inputs,
                                                                     const std::vector<Tensor>& outputs)>;
// Runs when the gradients w.r.t. the module's tensor inputs are known (undefined entries for
// inputs that need none); returns replacement grad_input or nullopt.
using BackwardHook = std::function<std::optional<std::vector<Tensor>>(Module&, const std::vector<Tensor>& grad_input,
                                                                      const std::vector<Tensor>& grad_output)>;

struct Module::Hooks {
  int next_id = 0;
  std::vector<std::pair<int, ForwardPreHook>> forward_pre;
  std::vector<std::pair<int, ForwardHook>> forward;
  std::vector<std::pair<int, BackwardHook>> backward;
  bool empty() const { return forward_pre.empty() && forward.empty() && backward.empty(); }
};

HookHandle register_forward_pre_hook(Module& m, ForwardPreHook hook);
HookHandle register_forward_hook(Module& m, ForwardHook hook);
HookHandle register_full_backward_hook(Module& m, BackwardHook hook);

namespace detail {

// Runs pre-hooks; returns the (possibly replaced) tensor inputs.
std::vector<Tensor> run_forward_pre_hooks(Module& m, std::vector<Tensor> inputs);
// Backward hooks, part 1: routes the inputs through a node that will see grad_input. Returns the
// inputs to pass to forward (the same values).
std::vector<Tensor> wrap_backward_inputs(Module& m, const std::vector<Tensor>& inputs, std::shared_ptr<void>& state);
// Part 2: routes the outputs through a node that records grad_output.
std::vector<Tensor> wrap_backward_outputs(Module& m, const std::vector<Tensor>& outputs, const std::shared_ptr<void>& state);
std::vector<Tensor> run_forward_hooks(Module& m, const std::vector<Tensor>& inputs, std::vector<Tensor> outputs);

template <typename T>
void collect_tensor(std::vector<Tensor>& out, const T& v) {
  if constexpr (std::is_same_v<std::decay_t<T>, Tensor>) out.push_back(v);
}
template <typename T>
void replace_tensor(const std::vector<Tensor>& in, size_t& k, T& v) {
  if constexpr (std::is_same_v<std::decay_t<T>, Tensor>) v = in[k++];
}

// Flattens a forward's result into tensors and rebuilds it from replacements.
inline std::vector<Tensor> outputs_of(const Tensor& t) { return {t}; }
inline Tensor rebuild(const Tensor&, const std::vector<Tensor>& v) { return v.at(0); }
inline std::vector<Tensor> outputs_of(const std::vector<Tensor>& t) { return t; }
inline std::vector<Tensor> rebuild(const std::vector<Tensor>&, const std::vector<Tensor>& v) { return v; }
template <typename... Ts>
std::vector<Tensor> outputs_of(const std::tuple<Ts...>& t) {
  std::vector<Tensor> out;
  std::apply([&](const auto&... e) { (collect_tensor(out, e), ...); }, t);
  return out;
}
template <typename... Ts>
std::tuple<Ts...> rebuild(const std::tuple<Ts...>& t, const std::vector<Tensor>& v) {
  std::tuple<Ts...> r = t;
  size_t k = 0;
  std::apply([&](auto&... e) { (replace_tensor(v, k, e), ...); }, r);
  return r;
}
template <typename T>
std::vector<Tensor> outputs_of(const T&) { return {}; }
template <typename T>
T rebuild(const T& t, const std::vector<Tensor>&) { return t; }

// The call protocol behind `module(args...)`: pre-hooks, backward-hook wrapping, forward,
// forward hooks. Without hooks it is a plain forward call.
template <typename Impl, typename... Args>
auto call_module(Impl& impl, Args&&... args) {
  if (!impl.has_hooks() || impl.hooks().empty()) return impl.forward(std::forward<Args>(args)...);
  std::tuple<std::decay_t<Args>...> a(std::forward<Args>(args)...);
  std::vector<Tensor> inputs;
  std::apply([&](const auto&... e) { (collect_tensor(inputs, e), ...); }, a);
  inputs = run_forward_pre_hooks(impl, inputs);
  std::shared_ptr<void> bw_state;
  if (!impl.hooks().backward.empty()) inputs = wrap_backward_inputs(impl, inputs, bw_state);
  size_t k = 0;
  std::apply([&](auto&... e) { (replace_tensor(inputs, k, e), ...); }, a);
  auto out = std::apply([&](auto&... e) { return impl.forward(e...); }, a);
  std::vector<Tensor> outs = outputs_of(out);
  if (!impl.hooks().forward.empty()) outs = run_forward_hooks(impl, inputs, outs);
  if (bw_state) outs = wrap_backward_outputs(impl, outs, bw_state);
  return rebuild(out, outs);
}

}  // namespace detail
}  // namespace wick::nn

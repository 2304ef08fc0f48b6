// Module hooks. Backward hooks work as PyTorch's full backward hooks: the tensor inputs and outputs
// of the call pass through identity nodes; the output node records grad_output, the input node
// (reached last) calls the hooks with grad_input and may replace it.
#include "wick/nn/module_hooks.h"

#include <algorithm>

#include "wick/autograd/record.h"

namespace wick::nn {

Module::Hooks& Module::hooks() {
  if (!hooks_) hooks_ = std::make_shared<Hooks>();
  return *hooks_;
}

namespace {
template <typename H>
HookHandle add_hook(Module& m, std::vector<std::pair<int, H>> Module::Hooks::*list, H hook) {
  Module::Hooks& hs = m.hooks();
  int id = hs.next_id++;
  (hs.*list).emplace_back(id, std::move(hook));
  std::weak_ptr<Module> weak = m.weak_from_this();
  Module* raw = &m;
  const bool owned = !weak.expired();  // false for a module not held by a shared_ptr
  return HookHandle([weak, raw, owned, list, id] {
    std::shared_ptr<Module> keep = weak.lock();
    if (owned && !keep) return;  // the module is gone, and its hooks with it
    std::erase_if(raw->hooks().*list, [id](const auto& h) { return h.first == id; });
  });
}

struct BackwardState {
  std::weak_ptr<Module> module;
  Module* raw = nullptr;
  size_t n_inputs = 0;
  bool inputs_wrapped = false;
  std::vector<Tensor> grad_output;
};

Module& module_of(BackwardState& st) {
  auto m = st.module.lock();
  return m ? *m : *st.raw;
}

// Calls the hooks; returns grad_input, possibly replaced.
std::vector<Tensor> call_backward_hooks(BackwardState& st, std::vector<Tensor> grad_input) {
  Module& m = module_of(st);
  auto hooks = m.hooks().backward;  // a hook may remove itself
  for (auto& [id, h] : hooks) {
    auto r = h(m, grad_input, st.grad_output);
    if (r) {
      WICK_CHECK(r->size() == grad_input.size(), m.name(), ": backward hook returned ", r->size(),
                 " gradients, expected ", grad_input.size());
      grad_input = *r;
    }
  }
  return grad_input;
}

// Fresh aliases of the tensors at `idx` joined to one identity node running `fn`.
std::vector<Tensor> through_identity(const std::vector<Tensor>& ts, autograd::BackwardFn fn, std::vector<size_t>& idx) {
  std::vector<Tensor> srcs, aliases;
  for (size_t i = 0; i < ts.size(); ++i) {
    if (ts[i].defined() && ts[i].requires_grad()) {
      idx.push_back(i);
      srcs.push_back(ts[i]);
      aliases.push_back(ts[i].detach());
    }
  }
  std::vector<Tensor> out = ts;
  if (srcs.empty()) return out;
  aliases = autograd::record("BackwardHookFunctionBackward", aliases, srcs, std::move(fn));
  for (size_t k = 0; k < idx.size(); ++k) out[idx[k]] = aliases[k];
  return out;
}
}  // namespace

HookHandle register_forward_pre_hook(Module& m, ForwardPreHook hook) {
  return add_hook(m, &Module::Hooks::forward_pre, std::move(hook));
}
HookHandle register_forward_hook(Module& m, ForwardHook hook) {
  return add_hook(m, &Module::Hooks::forward, std::move(hook));
}
HookHandle register_full_backward_hook(Module& m, BackwardHook hook) {
  return add_hook(m, &Module::Hooks::backward, std::move(hook));
}

namespace detail {

std::vector<Tensor> run_forward_pre_hooks(Module& m, std::vector<Tensor> inputs) {
  auto hooks = m.hooks().forward_pre;
  for (auto& [id, h] : hooks) {
    auto r = h(m, inputs);
    if (r) {
      WICK_CHECK(r->size() == inputs.size(), m.name(), ": forward pre-hook returned ", r->size(),
                 " inputs, expected ", inputs.size());
      inputs = *r;
    }
  }
  return inputs;
}

std::vector<Tensor> run_forward_hooks(Module& m, const std::vector<Tensor>& inputs, std::vector<Tensor> outputs) {
  auto hooks = m.hooks().forward;
  for (auto& [id, h] : hooks) {
    auto r = h(m, inputs, outputs);
    if (r) {
      WICK_CHECK(r->size() == outputs.size(), m.name(), ": forward hook returned ", r->size(),
                 " outputs, expected ", outputs.size());
      outputs = *r;
    }
  }
  return outputs;
}

std::vector<Tensor> wrap_backward_inputs(Module& m, const std::vector<Tensor>& inputs, std::shared_ptr<void>& state) {
  auto st = std::make_shared<BackwardState>();
  st->module = m.weak_from_this();
  st->raw = &m;
  st->n_inputs = inputs.size();
  state = st;
  if (!autograd::GradMode::is_enabled()) return inputs;
  auto idx = std::make_shared<std::vector<size_t>>();
  std::vector<Tensor> out = through_identity(inputs, [st, idx](const autograd::variable_list& g) {
    std::vector<Tensor> grad_input(st->n_inputs);
    for (size_t k = 0; k < idx->size(); ++k) grad_input[(*idx)[k]] = g[k];
    grad_input = call_backward_hooks(*st, grad_input);
    autograd::variable_list r;
    for (size_t k : *idx) r.push_back(grad_input[k]);
    return r;
  }, *idx);
  st->inputs_wrapped = !idx->empty();
  return out;
}

std::vector<Tensor> wrap_backward_outputs(Module&, const std::vector<Tensor>& outputs, const std::shared_ptr<void>& state) {
  auto st = std::static_pointer_cast<BackwardState>(state);
  if (!autograd::GradMode::is_enabled()) return outputs;
  auto idx = std::make_shared<std::vector<size_t>>();
  const size_t n_out = outputs.size();
  return through_identity(outputs, [st, idx, n_out](const autograd::variable_list& g) {
    st->grad_output.assign(n_out, Tensor());
    for (size_t k = 0; k < idx->size(); ++k) st->grad_output[(*idx)[k]] = g[k];
    // No input needs grad: PyTorch calls the hook now, with undefined grad_input.
    if (!st->inputs_wrapped) call_backward_hooks(*st, std::vector<Tensor>(st->n_inputs));
    return g;
  }, *idx);
}

}  // namespace detail
}  // namespace wick::nn

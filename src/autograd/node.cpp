// Node bookkeeping, AccumulateGrad, and FunctionNode's apply.
#include "wick/autograd/node.h"

#include <algorithm>
#include <atomic>

#include "wick/autograd/grad_mode.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"

namespace wick::autograd {

namespace {
std::atomic<uint64_t> g_sequence{0};
}

Node::Node() : sequence_nr_(g_sequence.fetch_add(1)) {}

int Node::add_pre_hook(uint32_t output_nr, TensorHook hook) {
  int id = next_hook_id_++;
  pre_hooks_.emplace_back(id, output_nr, std::move(hook));
  return id;
}

void Node::remove_pre_hook(int id) {
  std::erase_if(pre_hooks_, [id](const auto& h) { return std::get<0>(h) == id; });
}

void Node::set_retain_grad(uint32_t output_nr, std::weak_ptr<TensorImpl> impl) {
  for (auto& [nr, w] : retain_grads_)
    if (nr == output_nr && !w.expired() && w.lock() == impl.lock()) return;
  retain_grads_.emplace_back(output_nr, std::move(impl));
}

AccumulateGrad::AccumulateGrad(std::shared_ptr<TensorImpl> leaf) : leaf_(std::move(leaf)) {
  output_meta_.push_back({leaf_->sizes, leaf_->dtype, leaf_->device()});
}

variable_list AccumulateGrad::apply(variable_list&& grads) {
  Tensor g = grads.empty() ? Tensor() : grads[0];
  if (!g.defined()) return {};
  const bool create_graph = GradMode::is_enabled();
  if (!leaf_->grad) {
    // Steal the incoming buffer when nothing else can see its storage; otherwise copy, so that a
    // later in-place accumulation cannot write into another tensor.
    bool exclusive = g.impl()->storage.use_count() == 1 && g.is_contiguous() && g.dtype() == leaf_->dtype;
    Tensor stored = create_graph ? g : (exclusive ? g.detach() : g.detach().clone());
    if (stored.dtype() != leaf_->dtype) stored = stored.to(leaf_->dtype);
    leaf_->grad = stored.impl_ptr();
  } else {
    Tensor old(leaf_->grad);
    if (create_graph || old.requires_grad()) {
      leaf_->grad = (old + g).impl_ptr();
    } else {
      NoGradGuard ng;
      old.add_(g);
    }
  }
  return {};
}

variable_list FunctionNode::apply(variable_list&& grad_outputs) {
  WICK_CHECK(!released_, "Trying to backward through the graph a second time (or directly access saved tensors after "
             "they have already been freed). Saved intermediate values of the graph are freed when you call "
             ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a "
             "second time or if you need to access saved tensors after calling backward. (node ", name_, ")");
  // Outputs that received no gradient get zeros, so formulas never see undefined grads.
  for (size_t i = 0; i < grad_outputs.size() && i < output_meta_.size(); ++i) {
    if (!grad_outputs[i].defined())
      grad_outputs[i] = zeros(output_meta_[i].sizes, {.dtype = output_meta_[i].dtype, .device = output_meta_[i].device});
  }
  return run_backward(grad_outputs);
}

Edge gradient_edge(const Tensor& t) {
  if (!t.defined()) return {};
  TensorImpl* impl = t.impl();
  if (impl->grad_fn) return {impl->grad_fn, impl->output_nr};
  if (!impl->requires_grad) return {};
  auto acc = impl->grad_accumulator.lock();
  if (!acc) {
    acc = wick::detail::make_pooled<AccumulateGrad>(t.impl_ptr());
    impl->grad_accumulator = acc;
  }
  return {acc, 0};
}

}  // namespace wick::autograd

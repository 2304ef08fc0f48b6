// Tensor's autograd methods: requires_grad_, grad, backward, retain_grad, detach, hooks.
#include "wick/autograd/engine.h"
#include "wick/autograd/grad_mode.h"
#include "wick/autograd/node.h"
#include "wick/core/tensor.h"

namespace wick {

Tensor& Tensor::requires_grad_(bool requires_grad) {
  TensorImpl* i = checked();
  if (!requires_grad && i->grad_fn) {
    WICK_FAIL("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a "
              "subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  }
  WICK_CHECK(!requires_grad || wick::is_floating_point(i->dtype),
             "only Tensors of floating point dtype can require gradients (got ", dtype_name(i->dtype), ")");
  i->requires_grad = requires_grad;
  return *this;
}

Tensor Tensor::grad() const { return checked()->grad ? Tensor(checked()->grad) : Tensor(); }

void Tensor::set_grad(const Tensor& g) const {
  if (g.defined()) {
    WICK_CHECK(g.sizes() == sizes(), "assigned grad has data of a different size: ", shape_str(g.sizes()), " vs ",
               shape_str(sizes()));
  }
  checked()->grad = g.defined() ? g.impl_ptr() : nullptr;
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph) const {
  autograd::backward({*this}, gradient.defined() ? autograd::variable_list{gradient} : autograd::variable_list{},
                     retain_graph, create_graph);
}

void Tensor::retain_grad() const {
  WICK_CHECK(requires_grad(), "can't retain_grad on Tensor that has requires_grad=False");
  if (is_leaf()) return;  // leaves keep .grad anyway
  checked()->retains_grad = true;
  grad_fn()->set_retain_grad(output_nr(), impl_);
}

Tensor Tensor::detach() const {
  TensorImpl* i = checked();
  auto a =
      wick::detail::make_pooled<TensorImpl>(i->storage, i->offset, i->sizes, i->strides, i->dtype);
  return Tensor(std::move(a));
}

Tensor& Tensor::detach_() {
  TensorImpl* i = checked();
  WICK_CHECK(!is_view() || !i->grad_fn, "detach_: can't detach views in-place; use detach() instead");
  i->grad_fn = nullptr;
  i->output_nr = 0;
  i->requires_grad = false;
  return *this;
}

HookHandle Tensor::register_hook_impl(TensorHook hook) const {
  WICK_CHECK(requires_grad(), "cannot register a hook on a tensor that doesn't require gradient");
  TensorImpl* i = checked();
  if (i->grad_fn) {
    std::weak_ptr<autograd::Node> node = i->grad_fn;
    int id = i->grad_fn->add_pre_hook(i->output_nr, std::move(hook));
    return HookHandle([node, id] {
      if (auto n = node.lock()) n->remove_pre_hook(id);
    });
  }
  static int next_id = 0;
  int id = next_id++;
  i->leaf_hooks.emplace_back(id, std::move(hook));
  std::weak_ptr<TensorImpl> w = impl_;
  return HookHandle([w, id] {
    if (auto p = w.lock()) std::erase_if(p->leaf_hooks, [id](const auto& h) { return h.first == id; });
  });
}

}  // namespace wick

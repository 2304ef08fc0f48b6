// record(): attaching backward lambdas to forward results; SavedTensor and its version check.
#include "wick/autograd/record.h"

namespace wick::autograd {

namespace {
thread_local Node* t_current_node = nullptr;

OutputMeta meta_of(const Tensor& t) { return {t.sizes(), t.dtype(), t.device()}; }

// A new TensorImpl over the same memory and metadata (autograd fields left empty).
std::shared_ptr<TensorImpl> alias_impl(const Tensor& t) {
  auto a = wick::detail::make_pooled<TensorImpl>(
      t.impl()->storage, t.impl()->offset, t.impl()->sizes, t.impl()->strides, t.impl()->dtype);
  return a;
}
}  // namespace

Node* current_node() { return t_current_node; }
namespace detail {
void set_current_node(Node* n) { t_current_node = n; }
}  // namespace detail

bool any_requires_grad(std::span<const Tensor> inputs) {
  for (const auto& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

bool needs_grad(std::span<const Tensor> inputs) { return GradMode::is_enabled() && any_requires_grad(inputs); }

static void attach(const std::shared_ptr<Node>& node, const Tensor& out, uint32_t nr) {
  TensorImpl* impl = out.impl();
  WICK_CHECK(impl->grad_fn == nullptr && !impl->requires_grad,
             "internal error: op ", node->name(), " recorded onto a tensor that already has autograd history");
  impl->grad_fn = node;
  impl->output_nr = nr;
  impl->requires_grad = true;
}

namespace {
// Gives `node` its edges to `inputs` and room for `n_outputs` output metas.
void connect(FunctionNode& node, std::span<const Tensor> inputs, size_t n_outputs) {
  node.next_edges().reserve(inputs.size());
  for (const auto& in : inputs) node.next_edges().push_back(gradient_edge(in));
  node.output_meta().reserve(n_outputs);
}
}  // namespace

std::vector<Tensor> record(const char* name, const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                           BackwardFn backward) {
  if (!needs_grad(inputs)) return outputs;
  auto node = wick::detail::make_pooled<LambdaNode<BackwardFn>>(name, std::move(backward));
  connect(*node, inputs, outputs.size());
  for (uint32_t i = 0; i < outputs.size(); ++i) {
    node->output_meta().push_back(meta_of(outputs[i]));
    attach(node, outputs[i], i);
  }
  return outputs;
}

namespace detail {
// The one-output form, without the vectors of the general one (it runs once per op).
Tensor attach_node(std::shared_ptr<FunctionNode> node, const Tensor& output,
                   std::span<const Tensor> inputs) {
  connect(*node, inputs, 1);
  node->output_meta().push_back(meta_of(output));
  attach(node, output, 0);
  return output;
}
}  // namespace detail

void check_inplace(const Tensor& self, const char* op) {
  if (!GradMode::is_enabled()) return;
  WICK_CHECK(!(self.is_leaf() && self.requires_grad()),
             "a leaf Variable that requires grad is being used in an in-place operation (", op, ")");
}

void record_inplace(const char* name, Tensor& self, const std::vector<Tensor>& inputs, BackwardFn backward) {
  check_inplace(self, name);
  if (!GradMode::is_enabled() || !(self.requires_grad() || any_requires_grad(inputs))) return;
  std::vector<Tensor> all = inputs;
  all.insert(all.begin(), self);
  WICK_CHECK(!self.is_view(), "in-place operation ", name, " on a view is not supported when autograd records it "
             "(the view's base would not see the change); use the out-of-place form, or run it under NoGradGuard");
  auto node = wick::detail::make_pooled<LambdaNode<BackwardFn>>(name, std::move(backward));
  connect(*node, all, 1);
  node->output_meta().push_back(meta_of(self));
  TensorImpl* impl = self.impl();
  impl->grad_fn = node;
  impl->output_nr = 0;
  impl->requires_grad = true;
}

SavedTensor::SavedTensor(const Tensor& t, bool is_output, uint32_t output_nr) : is_output_(is_output) {
  if (!t.defined()) return;
  saved_version_ = t._version();
  // An output is saved before record() attaches it: it will require grad iff a node is made.
  requires_grad_ = is_output || t.requires_grad();
  output_nr_ = is_output ? output_nr : t.impl()->output_nr;
  if (!is_output && t.is_leaf()) {
    data_ = t;  // leaves keep their identity (their AccumulateGrad hangs off the impl)
    return;
  }
  auto a = alias_impl(t);
  if (!is_output) {
    a->grad_fn = t.impl()->grad_fn;
    a->output_nr = t.impl()->output_nr;
    a->requires_grad = t.requires_grad();
  }
  data_ = Tensor(a);
}

Tensor SavedTensor::unpack() const {
  if (!data_.defined()) return {};
  uint32_t now = data_._version();
  if (now != saved_version_) {
    std::string producer = current_node() ? current_node()->name() : std::string("an op");
    WICK_FAIL("one of the variables needed for gradient computation has been modified by an inplace operation: [",
              legacy_type_name(data_.dtype()), " ", shape_str(data_.sizes()), "], which is saved by ", producer,
              ", is at version ", now, "; expected version ", saved_version_, " instead.");
  }
  if (is_output_ && requires_grad_ && current_node() && GradMode::is_enabled()) {
    // Double backward: the saved output must lead back to the node that made it.
    auto a = alias_impl(data_);
    a->grad_fn = current_node()->shared_from_this();
    a->output_nr = output_nr_;
    a->requires_grad = true;
    return Tensor(a);
  }
  return data_;
}

}  // namespace wick::autograd

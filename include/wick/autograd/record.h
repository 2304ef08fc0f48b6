// record(): how an op attaches its backward to its forward result. SavedTensor: a tensor kept for
// backward that refuses to unpack after an in-place change (PyTorch's version-counter check).
//
//   Tensor tanh(const Tensor& x) {
//     Tensor y = unary_op(UnaryOp::Tanh, x);
//     return record("TanhBackward0", y, {x}, [y = SavedTensor(y, true)](const variable_list& g) {
//       Tensor yv = y.unpack();
//       return variable_list{g[0] * (1 - yv * yv)};
//     });
//   }
#pragma once

#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include "wick/autograd/grad_mode.h"
#include "wick/autograd/node.h"

namespace wick::autograd {

// True when grad mode is on and some input requires grad: only then is a node worth building
// (and only then should an op pay for saving tensors).
// (The initializer_list forms serve the usual `needs_grad({a, b})` without a heap-allocated vector.)
bool any_requires_grad(std::span<const Tensor> inputs);
bool needs_grad(std::span<const Tensor> inputs);
inline bool any_requires_grad(const std::vector<Tensor>& inputs) { return any_requires_grad(std::span<const Tensor>(inputs)); }
inline bool any_requires_grad(std::initializer_list<Tensor> inputs) { return any_requires_grad(std::span<const Tensor>(inputs.begin(), inputs.size())); }
inline bool needs_grad(const std::vector<Tensor>& inputs) { return needs_grad(std::span<const Tensor>(inputs)); }
inline bool needs_grad(std::initializer_list<Tensor> inputs) { return needs_grad(std::span<const Tensor>(inputs.begin(), inputs.size())); }

namespace detail {
// Makes `node` the grad_fn of `output` (output_nr 0), with edges to `inputs`.
Tensor attach_node(std::shared_ptr<FunctionNode> node, const Tensor& output,
                   std::span<const Tensor> inputs);
}  // namespace detail

// Makes `output` the (output_nr 0) result of a new node running `backward` (a callable taking
// the gradients of the outputs, `const variable_list&`), whose edges lead to `inputs`; it must
// return one gradient per input (undefined = none). Returns `output` unchanged when no input
// needs grad.
template <class F>
Tensor record(const char* name, const Tensor& output, std::span<const Tensor> inputs,
              F&& backward) {
  if (!needs_grad(inputs)) return output;
  auto node =
      wick::detail::make_pooled<LambdaNode<std::decay_t<F>>>(name, std::forward<F>(backward));
  return detail::attach_node(std::move(node), output, inputs);
}
template <class F>
Tensor record(const char* name, const Tensor& output, const std::vector<Tensor>& inputs,
              F&& backward) {
  return record(name, output, std::span<const Tensor>(inputs), std::forward<F>(backward));
}
template <class F>
Tensor record(const char* name, const Tensor& output, std::initializer_list<Tensor> inputs,
              F&& backward) {
  return record(name, output, std::span<const Tensor>(inputs.begin(), inputs.size()),
                std::forward<F>(backward));
}
// Several outputs (e.g. max with indices); only differentiable ones should be listed.
std::vector<Tensor> record(const char* name, const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                           BackwardFn backward);
// For in-place ops: rebases `self`'s history onto a new node (self becomes its output 0).
// Throws PyTorch's error for a leaf that requires grad, and for a view of a tensor that needs grad.
void record_inplace(const char* name, Tensor& self, const std::vector<Tensor>& inputs, BackwardFn backward);
// Check to call before mutating `self` in place (leaf requiring grad under grad mode -> error).
void check_inplace(const Tensor& self, const char* op);

class SavedTensor {
 public:
  SavedTensor() = default;
  // is_output: `t` is the result of the op saving it (kept without its grad_fn to avoid a cycle;
  // re-attached to the node running backward when unpacked; output_nr says which output it is).
  // In-place ops save after bumping the version.
  explicit SavedTensor(const Tensor& t, bool is_output = false, uint32_t output_nr = 0);
  Tensor unpack() const;
  bool defined() const { return data_.defined(); }

 private:
  Tensor data_;
  uint32_t saved_version_ = 0;
  bool is_output_ = false;
  uint32_t output_nr_ = 0;
  bool requires_grad_ = false;
};

// The node whose backward is running on this thread (SavedTensor uses it to re-attach outputs).
Node* current_node();

}  // namespace wick::autograd

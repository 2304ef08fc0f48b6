// Node: one step of the backward graph (a grad_fn). Edges point from a node to the nodes that made
// its inputs. FunctionNode runs a backward lambda recorded beside a forward; AccumulateGrad
// writes into a leaf's .grad.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wick/core/tensor.h"

namespace wick::autograd {

using variable_list = std::vector<Tensor>;

class Node;

struct Edge {
  std::shared_ptr<Node> fn;
  uint32_t input_nr = 0;
  bool valid() const { return fn != nullptr; }
};

// Pooled: every node has both lists, and a chain of tiny ops makes and drops a node per op.
using edge_list = std::vector<Edge, wick::detail::PoolAllocator<Edge>>;

// What an output of a node looked like, so the engine can check or materialise its gradient.
struct OutputMeta {
  DimVector sizes;
  DType dtype = kFloat32;
  Device device;
};
using output_meta_list = std::vector<OutputMeta, wick::detail::PoolAllocator<OutputMeta>>;

class Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // PyTorch's class name, e.g. "AddmmBackward0".
  virtual std::string name() const = 0;
  // Gradients w.r.t. this node's outputs in, gradients w.r.t. its inputs out (one per edge;
  // undefined = no gradient).
  virtual variable_list apply(variable_list&& grad_outputs) = 0;
  // Frees saved tensors after a backward without retain_graph.
  virtual void release_variables() {}

  const edge_list& next_functions() const { return next_edges_; }
  edge_list& next_edges() { return next_edges_; }
  output_meta_list& output_meta() { return output_meta_; }
  uint64_t sequence_nr() const { return sequence_nr_; }

  // Tensor hooks of non-leaf outputs: run on the incoming gradient of output `output_nr`.
  int add_pre_hook(uint32_t output_nr, TensorHook hook);
  void remove_pre_hook(int id);
  std::vector<std::tuple<int, uint32_t, TensorHook>>& pre_hooks() { return pre_hooks_; }
  // retain_grad(): stores the incoming gradient of output `output_nr` into `impl` (weakly held).
  void set_retain_grad(uint32_t output_nr, std::weak_ptr<TensorImpl> impl);
  std::vector<std::pair<uint32_t, std::weak_ptr<TensorImpl>>>& retain_grads() { return retain_grads_; }

 protected:
  edge_list next_edges_;
  output_meta_list output_meta_;

 private:
  uint64_t sequence_nr_;
  int next_hook_id_ = 0;
  std::vector<std::tuple<int, uint32_t, TensorHook>> pre_hooks_;
  std::vector<std::pair<uint32_t, std::weak_ptr<TensorImpl>>> retain_grads_;
};

// The gradient sink of a leaf that requires grad.
class AccumulateGrad : public Node {
 public:
  explicit AccumulateGrad(std::shared_ptr<TensorImpl> leaf);
  std::string name() const override { return "AccumulateGrad"; }
  variable_list apply(variable_list&& grads) override;
  const std::shared_ptr<TensorImpl>& variable() const { return leaf_; }

 private:
  std::shared_ptr<TensorImpl> leaf_;
};

using BackwardFn = std::function<variable_list(const variable_list& grad_outputs)>;

// A node whose backward is a lambda written next to its forward (see record()).
class FunctionNode : public Node {
 public:
  explicit FunctionNode(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  variable_list apply(variable_list&& grad_outputs) override;
  void release_variables() override {
    release_backward();
    released_ = true;
  }

 protected:
  virtual variable_list run_backward(const variable_list& grad_outputs) = 0;
  virtual void release_backward() = 0;

 private:
  std::string name_;
  bool released_ = false;
};

// The lambda lives inside the node (one allocation, from the pool, instead of a node plus a
// std::function's heap copy of the closure).
template <class F>
class LambdaNode final : public FunctionNode {
 public:
  template <class G>
  LambdaNode(std::string name, G&& fn) : FunctionNode(std::move(name)), fn_(std::forward<G>(fn)) {}

 protected:
  variable_list run_backward(const variable_list& grad_outputs) override {
    return (*fn_)(grad_outputs);
  }
  void release_backward() override { fn_.reset(); }

 private:
  std::optional<F> fn_;
};

// The edge a gradient for `t` flows into: its grad_fn, its leaf accumulator, or none.
Edge gradient_edge(const Tensor& t);

}  // namespace wick::autograd

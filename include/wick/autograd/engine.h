// The backward engine: runs the graph from roots in reverse topological order with dependency
// counts, accumulating gradients per node input, and autograd::grad / backward entry points.
#pragma once

#include <optional>
#include <vector>

#include "wick/autograd/node.h"

namespace wick::autograd {

// torch.autograd.backward.
void backward(const variable_list& tensors, const variable_list& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false);

// torch.autograd.grad: gradients of outputs w.r.t. inputs, without touching .grad.
variable_list grad(const variable_list& outputs, const variable_list& inputs,
                   const variable_list& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                   bool create_graph = false, bool allow_unused = false);

}  // namespace wick::autograd

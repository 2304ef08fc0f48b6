// Fold and Unfold (torch.nn): hold the block geometry, print as PyTorch's print(module), forward
// to nn::functional::fold / unfold. No parameters, no buffers.
#pragma once

#include <string>

#include "wick/nn/functional/fold.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

using FoldOptions = functional::FoldFuncOptions;  // dilation, padding, stride
using UnfoldOptions = functional::UnfoldFuncOptions;

class FoldImpl : public Module {
 public:
  FoldImpl(ExpandingArray<2> output_size, ExpandingArray<2> kernel_size, FoldOptions options = {});
  Tensor forward(const Tensor& input);
  std::string extra_repr() const override;

  ExpandingArray<2> output_size, kernel_size, dilation, padding, stride;
};

class UnfoldImpl : public Module {
 public:
  explicit UnfoldImpl(ExpandingArray<2> kernel_size, UnfoldOptions options = {});
  Tensor forward(const Tensor& input);
  std::string extra_repr() const override;

  ExpandingArray<2> kernel_size, dilation, padding, stride;
};

// Holders with explicit constructors, so braced arguments work: nn::Fold({4, 5}, 2, {.stride = 2}).
class Fold : public ModuleHolder<FoldImpl> {
 public:
  using ModuleHolder<FoldImpl>::ModuleHolder;
  Fold(ExpandingArray<2> output_size, ExpandingArray<2> kernel_size,
       FoldOptions options = {});  // NOLINT
};

class Unfold : public ModuleHolder<UnfoldImpl> {
 public:
  using ModuleHolder<UnfoldImpl>::ModuleHolder;
  Unfold(ExpandingArray<2> kernel_size, UnfoldOptions options = {});  // NOLINT
};

}  // namespace wick::nn

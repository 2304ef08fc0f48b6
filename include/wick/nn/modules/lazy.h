// LazyLinear (torch.nn.LazyLinear): a Linear whose in_features is taken from the first input.
// Until then weight and bias are registered but empty (shape [0], PyTorch's uninitialized
// parameters); the first forward gives them their shapes in place (handles already taken, e.g.
// by an optimizer, see the change) and initialises them as Linear does. Printing follows
// PyTorch: LazyLinear(in_features=0, ...) before, Linear(in_features=N, ...) after. Loading a
// state dict into an uninitialised LazyLinear is not supported (run one forward first).
#pragma once

#include <optional>
#include <string>

#include "wick/nn/modules/common.h"
#include "wick/nn/modules/linear.h"

namespace wick::nn {

struct LazyLinearImpl : Module {
  explicit LazyLinearImpl(int64_t out_features, LinearOptions options = {});
  Tensor forward(const Tensor& input);
  // Gives weight (out_features, input.size(-1)) and bias (out_features) their shapes and
  // initial values; does nothing once done.
  void initialize_parameters(const Tensor& input);
  bool has_uninitialized_params() const { return !initialized_; }
  // As Linear's; a no-op while uninitialised.
  void reset_parameters();
  std::string extra_repr() const override;
  std::string repr() const override;

  int64_t in_features = 0, out_features;
  Tensor weight, bias;  // bias undefined when options.bias is false

 private:
  bool initialized_ = false;
};

class LazyLinear : public ModuleHolder<LazyLinearImpl> {
 public:
  using ModuleHolder<LazyLinearImpl>::ModuleHolder;
  explicit LazyLinear(int64_t out_features, LinearOptions options = {});
};

}  // namespace wick::nn

// optim::SGD: stochastic gradient descent with momentum, dampening, weight decay, Nesterov momentum
// and maximize, as torch.optim.SGD (PyTorch 1.13's update rule and checks). lr has no default.
#pragma once

#include <cmath>
#include <limits>

#include "wick/optim/optimizer.h"

namespace wick::optim {

struct SGDOptions {
  double lr = std::numeric_limits<double>::quiet_NaN();  // required: {.lr = 0.1}
  double momentum = 0;
  double dampening = 0;
  double weight_decay = 0;
  bool nesterov = false;
  bool maximize = false;
};

class SGD : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(SGD, SGDOptions, );

 protected:
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

}  // namespace wick::optim

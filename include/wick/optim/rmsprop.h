// optim::RMSprop, optim::Adagrad and optim::Adadelta: the running-average-of-squares family, as
// torch.optim in PyTorch 1.13 (options, defaults, state names and update rules). No sparse gradients.
#pragma once

#include "wick/optim/optimizer.h"

namespace wick::optim {

struct RMSpropOptions {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0;
  double momentum = 0;
  bool centered = false;
  bool maximize = false;
};

class RMSprop : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(RMSprop, RMSpropOptions, = {});

 protected:
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

struct AdagradOptions {
  double lr = 1e-2;
  double lr_decay = 0;
  double weight_decay = 0;
  double initial_accumulator_value = 0;
  double eps = 1e-10;
  bool maximize = false;
};

// As PyTorch's, Adagrad creates the state of the constructor's parameters at once ("sum" starts at
// initial_accumulator_value).
class Adagrad : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(Adagrad, AdagradOptions, = {});

 protected:
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

struct AdadeltaOptions {
  double lr = 1.0;
  double rho = 0.9;
  double eps = 1e-6;
  double weight_decay = 0;
  bool maximize = false;
};

class Adadelta : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(Adadelta, AdadeltaOptions, = {});

 protected:
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

}  // namespace wick::optim

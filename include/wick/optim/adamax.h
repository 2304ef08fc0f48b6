// optim::Adamax, optim::NAdam and optim::RAdam: Adam's variants, as torch.optim in PyTorch 1.13
// (NAdam and RAdam have no maximize there, so none here).
#pragma once

#include "wick/optim/optimizer.h"

namespace wick::optim {

struct AdamaxOptions {
  double lr = 2e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  bool maximize = false;
};

class Adamax : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(Adamax, AdamaxOptions, = {});

 protected:
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

struct NAdamOptions {
  double lr = 2e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  double momentum_decay = 4e-3;
};

// state "mu_product" is a 0-dim float32 tensor multiplied in float32, as PyTorch's.
class NAdam : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(NAdam, NAdamOptions, = {});

 protected:
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

struct RAdamOptions {
  double lr = 1e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
};

class RAdam : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(RAdam, RAdamOptions, = {});

 protected:
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

}  // namespace wick::optim

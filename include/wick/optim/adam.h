// optim::Adam and optim::AdamW (decoupled weight decay), as torch.optim in PyTorch 1.13: betas, eps,
// weight_decay, amsgrad, maximize. Not here: foreach/fused/capturable switches (one fused kernel).
#pragma once

#include "wick/optim/optimizer.h"

namespace wick::optim {

struct AdamOptions {
  double lr = 1e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  bool amsgrad = false;
  bool maximize = false;
};

class Adam : public Optimizer {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(Adam, AdamOptions, = {});

 protected:
  Adam(const char* name, std::vector<ParamGroup> groups, const AdamOptions& options);
  void update(const ParamGroup& group, Tensor& param, const Tensor& grad, ParamState& state) override;
};

// AdamW's options differ from Adam's only in the weight_decay default.
struct AdamWOptions {
  double lr = 1e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
  bool maximize = false;
};

class AdamW : public Adam {
 public:
  WICK_OPTIMIZER_CONSTRUCTORS(AdamW, AdamWOptions, = {});
};

}  // namespace wick::optim

// Arguments of the fused optimizer update kernel (Backend::optimizer_step_): which torch.optim rule
// and the per-step coefficients the optimizer has already computed on the host. Plain data only:
// the rules themselves live in the backends (src/cpu/optim_step.cpp).
#pragma once

namespace wick {

// One value per torch.optim algorithm with a single-sweep elementwise update.
enum class OptimizerKernel { SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam };

// Every field a rule may read; each rule documents (in optim_step.cpp) which ones it uses. The
// state tensors travel separately, in the order each rule lists.
struct OptimizerStepArgs {
  OptimizerKernel kind = OptimizerKernel::SGD;
  double lr = 0;            // the step's learning rate (Adagrad/Adamax: the decayed/bias-corrected clr)
  double weight_decay = 0;  // L2 term added to the gradient (AdamW: decoupled, param *= 1 - lr * wd)
  double momentum = 0;      // SGD/RMSprop momentum
  double dampening = 0;     // SGD
  double alpha = 0;         // RMSprop smoothing constant; Adadelta rho
  double beta1 = 0, beta2 = 0, eps = 0;
  double step_size = 0;     // Adam: lr / (1 - beta1^t)
  double bias_correction1 = 1, bias_correction2 = 1;
  double coef1 = 0, coef2 = 0;  // NAdam: the grad and exp_avg coefficients; RAdam: rect (coef1 < 0: unrectified)
  bool nesterov = false;
  bool maximize = false;
  bool amsgrad = false;
  bool centered = false;
  bool first_step = false;  // SGD: the momentum buffer starts as a copy of the gradient
};

}  // namespace wick

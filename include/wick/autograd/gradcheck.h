// gradcheck: compares backward's gradients with central finite differences in float64, as
// torch.autograd.gradcheck. Every differentiable op's test calls it.
#pragma once

#include <functional>
#include <string>

#include "wick/autograd/node.h"

namespace wick::autograd {

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  // Also check second derivatives (gradgradcheck) by differentiating the vector-Jacobian product.
  bool check_grad_grad = false;
};

struct GradcheckResult {
  bool ok = true;
  std::string message;  // the first mismatch: input, element, analytical vs numerical
  explicit operator bool() const { return ok; }
};

// fn maps inputs to outputs; inputs that require grad are checked (they must be float64).
GradcheckResult gradcheck(const std::function<variable_list(const variable_list&)>& fn, const variable_list& inputs,
                          GradcheckOptions opts = {});
GradcheckResult gradcheck(const std::function<Tensor(const variable_list&)>& fn, const variable_list& inputs,
                          GradcheckOptions opts = {});

}  // namespace wick::autograd

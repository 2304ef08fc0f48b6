// The fixed problem of tools/goldens/optim.py for optimizer tests: loss = sum((tanh(x @ w + b) - y)^2)
// over w (3, 2) and b (2,), and a driver that records the parameters after each step.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick::testing {

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<Tensor>)>;

struct OptimProblem {
  Tensor x, y, w, b;
  explicit OptimProblem(const Golden& gold, DType dt = kFloat64)
      // Copies: the golden tensors are shared, and the steps update w and b in place.
      : x(gold["x"].to(dt)), y(gold["y"].to(dt)),
        w(gold["w"].to(dt).clone().requires_grad_()), b(gold["b"].to(dt).clone().requires_grad_()) {}

  Tensor loss() const { return (tanh(x.matmul(w) + b) - y).pow(2).sum(); }

  // Runs `steps` zero_grad/backward/step rounds; returns (steps, 8): w and b after each step.
  Tensor run(optim::Optimizer& opt, int steps) const {
    std::vector<Tensor> rows;
    for (int i = 0; i < steps; ++i) {
      opt.zero_grad();
      loss().backward();
      opt.step();
      rows.push_back(cat({w.detach().flatten(), b.detach().flatten()}).to(kFloat64));
    }
    return stack(rows);
  }
};

// The 37-value parameter of tools/goldens/optim.py (long_init) stepped with its recorded gradients
// (long_grads), as float64 after the last step: longer than a vector register, so the fused
// kernels' vector loops run (the problem above has at most 6 values per parameter).
inline Tensor run_long_parameter(const Golden& gold, const MakeOptimizer& make, DType dt) {
  const Tensor grads = gold["long_grads"];
  Tensor p = gold["long_init"].to(dt).clone().requires_grad_();
  auto opt = make({p});
  for (int64_t step = 0; step < grads.size(0); ++step) {
    p.set_grad(grads.select(0, step).to(dt).clone());
    opt->step();
  }
  return p.detach().to(kFloat64);
}

}  // namespace wick::testing

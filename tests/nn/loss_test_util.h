// Shared runner for the loss golden tests: a case is a name (the key prefix in the golden file)
// and a function of its inputs; inputs, output, G and gradients come from tools/goldens/nn_loss*.py.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick::testing {

using LossFn = std::function<Tensor(const std::vector<Tensor>&)>;
struct LossCase {
  std::string name;
  LossFn fn;
};

// Runs `c` in `dtype` (floating inputs cast, index inputs kept) and compares the output and the
// gradients of sum(out * G) with the golden ones, as float64.
inline void check_loss_case(const Golden& golden, const LossCase& c, DType dtype, double rtol,
                            double atol) {
  SCOPED_TRACE(c.name + " " + dtype_name(dtype));
  ASSERT_TRUE(golden.has(c.name + "_out")) << "no golden for " << c.name;
  std::vector<Tensor> xs;
  for (int i = 0; golden.has(c.name + "_in" + std::to_string(i)); ++i) {
    // A fresh leaf per run (the golden's tensor is shared between runs).
    Tensor t = golden[c.name + "_in" + std::to_string(i)].detach().clone();
    if (t.is_floating_point()) t = t.to(dtype);
    if (golden.has(c.name + "_gx" + std::to_string(i))) t.requires_grad_();
    xs.push_back(t);
  }
  Tensor out = c.fn(xs);
  EXPECT_EQ(out.dtype(), dtype);
  EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), golden[c.name + "_out"], rtol, atol);
  if (!out.requires_grad()) return;
  (out * golden[c.name + "_g"].to(dtype)).sum().backward();
  for (size_t i = 0; i < xs.size(); ++i) {
    const std::string key = c.name + "_gx" + std::to_string(i);
    if (!golden.has(key)) continue;
    ASSERT_TRUE(xs[i].grad().defined()) << key;
    EXPECT_TENSOR_CLOSE(xs[i].grad().to(kFloat64), golden[key], rtol, atol) << key;
  }
}

inline void check_loss_cases(const std::string& family, const std::vector<LossCase>& cases) {
  Golden golden(family);
  for (const auto& c : cases) {
    check_loss_case(golden, c, kFloat64, 1e-10, 1e-12);
    check_loss_case(golden, c, kFloat32, 1e-5, 1e-6);
  }
}

}  // namespace wick::testing

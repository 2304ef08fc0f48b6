// The README's example, run as written, with its gradient checked by hand:
// d/dw mean((x w - 1)^2) = 2/N * x^T (x w - 1).
#include <gtest/gtest.h>

#include <sstream>

#include "wick/wick.h"

namespace wick {
namespace {

TEST(Readme, ExampleRunsAndItsGradientIsRight) {
  manual_seed(0);
  Tensor w = randn({3, 1}, {.requires_grad = true});
  Tensor x = randn({8, 3});
  Tensor loss = (matmul(x, w) - 1).pow(2).mean();
  loss.backward();
  std::ostringstream os;
  os << w.grad();
  EXPECT_EQ(os.str().rfind("tensor([[", 0), 0u) << os.str();

  auto xv = x.tolist<float>(), wv = w.tolist<float>(), g = w.grad().tolist<float>();
  for (int j = 0; j < 3; ++j) {
    double expect = 0;
    for (int n = 0; n < 8; ++n) {
      double r = xv[n * 3 + 0] * wv[0] + xv[n * 3 + 1] * wv[1] + xv[n * 3 + 2] * wv[2] - 1.0;
      expect += 2.0 / 8.0 * xv[n * 3 + j] * r;
    }
    EXPECT_NEAR(g[j], expect, 1e-5);
  }
}

}  // namespace
}  // namespace wick

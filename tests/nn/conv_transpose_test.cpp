// ConvTranspose1d/2d/3d and F::conv_transpose*: goldens from PyTorch (output_padding, groups,
// dilation, unbatched), gradchecks incl. double backward, output_size in forward, printing and
// errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

Tensor d64(const Tensor& t) { return t.detach().to(kFloat64); }

std::string str(const auto& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

// Mirrors CASES in tools/goldens/nn_conv_transpose.py; run(x, w, b) calls the function.
struct Case {
  const char* name;
  bool bias;
  std::function<Tensor(const Tensor&, const Tensor&, const Tensor&)> run;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"t2_basic", true, [](auto& x, auto& w, auto& b) { return F::conv_transpose2d(x, w, b); }},
      {"t2_strided", true,
       [](auto& x, auto& w, auto& b) {
         return F::conv_transpose2d(x, w, b,
                                    {.stride = {2, 3}, .padding = {1, 0}, .output_padding = {1, 2}});
       }},
      {"t2_groups", false,
       [](auto& x, auto& w, auto& b) {
         return F::conv_transpose2d(
             x, w, b, {.stride = 2, .padding = 1, .output_padding = 1, .groups = 2, .dilation = 2});
       }},
      {"t2_unbatched", true,
       [](auto& x, auto& w, auto& b) { return F::conv_transpose2d(x, w, b, {.padding = 1}); }},
      {"t1_basic", true,
       [](auto& x, auto& w, auto& b) {
         return F::conv_transpose1d(x, w, b, {.stride = 3, .padding = 2, .output_padding = 1});
       }},
      {"t3_basic", true,
       [](auto& x, auto& w, auto& b) {
         return F::conv_transpose3d(x, w, b, {.stride = {2, 1, 2}, .padding = {0, 1, 1}});
       }},
  };
  return c;
}

TEST(NnConvTranspose, MatchesPyTorch) {
  testing::Golden gold("nn_conv_transpose");
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const std::string k = c.name;
    for (DType dt : {kFloat64, kFloat32}) {
      double tol = dt == kFloat64 ? 1e-10 : 1e-4;
      Tensor x = gold[k + "_x"].to(dt).detach().requires_grad_();
      Tensor w = gold[k + "_w"].to(dt).detach().requires_grad_();
      Tensor b = c.bias ? gold[k + "_b"].to(dt).detach().requires_grad_() : Tensor();
      Tensor y = c.run(x, w, b);
      if (k != "t2_unbatched") {
        EXPECT_EQ(y.grad_fn()->name(), "ConvolutionBackward0");
      }
      (y * gold[k + "_g"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(d64(y), gold[k + "_out"], tol, tol);
      EXPECT_TENSOR_CLOSE(d64(x.grad()), gold[k + "_gx"], tol, tol);
      EXPECT_TENSOR_CLOSE(d64(w.grad()), gold[k + "_gw"], tol, tol);
      if (c.bias) {
        EXPECT_TENSOR_CLOSE(d64(b.grad()), gold[k + "_gb"], tol, tol);
      }
    }
  }
}

TEST(NnConvTranspose, Gradcheck) {
  auto o = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  Tensor x = randn({2, 4, 3, 2}, o), w = randn({4, 1, 2, 3}, o), b = randn({2}, o);
  auto r = autograd::gradcheck(
      [](const autograd::variable_list& in) {
        return F::conv_transpose2d(in[0], in[1], in[2],
                                   {.stride = {2, 1}, .padding = {0, 1}, .output_padding = {1, 0},
                                    .groups = 2, .dilation = {1, 2}});
      },
      {x, w, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
}

TEST(NnConvTranspose, ModuleOutputSizePrintAndErrors) {
  manual_seed(0);
  nn::ConvTranspose2d m(4, 6, 3, {.stride = 2});
  EXPECT_EQ(str(m), "ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2))");
  EXPECT_EQ(m->weight.sizes(), (Shape{4, 6, 3, 3}));
  EXPECT_EQ(m->bias.sizes(), (Shape{6}));
  // fan_in of a transposed weight (in, out/g, k) is out/g * k = 54.
  EXPECT_LE(m->weight.abs().max().item<float>(), 1.0f / std::sqrt(54.0f) + 1e-6f);
  Tensor x = randn({1, 4, 5, 5});
  EXPECT_EQ(m(x).sizes(), (Shape{1, 6, 11, 11}));
  EXPECT_EQ(m(x, Shape{12, 12}).sizes(), (Shape{1, 6, 12, 12}));
  EXPECT_EQ(m(x, Shape{1, 6, 11, 12}).sizes(), (Shape{1, 6, 11, 12}));
  EXPECT_TENSOR_CLOSE(m(x, Shape{12, 11}),
                      F::conv_transpose2d(x, m->weight, m->bias, {.stride = 2, .output_padding = {1, 0}}));
  testing::expect_error([&] { m(x, Shape{13, 12}); },
                        "requested an output size of [13, 12], but valid sizes range from 11 to 12");
  EXPECT_EQ(str(nn::ConvTranspose1d(4, 6, 3,
                                    {.stride = 2, .padding = 1, .output_padding = 1, .groups = 2,
                                     .bias = false, .dilation = 2})),
            "ConvTranspose1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,), dilation=(2,), "
            "output_padding=(1,), groups=2, bias=False)");
  EXPECT_EQ(str(nn::ConvTranspose3d(4, 6, {3, 2, 1})),
            "ConvTranspose3d(4, 6, kernel_size=(3, 2, 1), stride=(1, 1, 1))");
  testing::expect_error([] { nn::ConvTranspose2d(4, 6, 3, {.padding_mode = "reflect"}); },
                        "Only \"zeros\" padding mode is supported for ConvTranspose2d");
  testing::expect_error([] { F::conv_transpose2d(randn({1, 2, 4, 4}), randn({4, 6, 3, 3})); },
                        "Given transposed=1, weight of size [4, 6, 3, 3], expected input[1, 2, 4, 4] "
                        "to have 4 channels, but got 2 channels instead");
  testing::expect_error(
      [] { F::conv_transpose2d(randn({1, 4, 1, 1}), randn({4, 6, 3, 3}), {.padding = 2}); },
      "Given input size per channel: (1 x 1). Calculated output size per channel: (-1 x -1). "
      "Output size is too small");
  testing::expect_error(
      [] {
        F::conv_transpose2d(randn({1, 4, 2, 2}), randn({4, 6, 3, 3}),
                            {.stride = 2, .output_padding = 2});
      },
      "output padding must be smaller than either stride or dilation");
}

}  // namespace
}  // namespace wick

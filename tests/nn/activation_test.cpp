// nn::functional activations and their modules against PyTorch goldens (output and the input
// gradient of sum(out * G), float64 to 1e-10, float32 to 1e-5), float64 gradchecks with second
// derivatives, inplace variants, and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using Fn = std::function<Tensor(const Tensor&)>;

struct Case {
  std::string name;
  Fn fn;      // the functional form
  Fn module;  // the same through its nn module
};

std::vector<Case> cases() {
  auto mod = [](auto m) { return Fn([m](const Tensor& x) mutable { return m(x); }); };
  return {
      {"relu", [](const Tensor& x) { return F::relu(x); }, mod(nn::ReLU())},
      {"relu6", [](const Tensor& x) { return F::relu6(x); }, mod(nn::ReLU6())},
      {"leaky_relu", [](const Tensor& x) { return F::leaky_relu(x, 0.2); },
       mod(nn::LeakyReLU({.negative_slope = 0.2}))},
      // Not training: the mean slope (training draws slopes: RReLUTrainingDrawsASlopePerElement).
      {"rrelu", [](const Tensor& x) { return F::rrelu(x, 0.1, 0.4); }, mod([] {
         nn::RReLU m({.lower = 0.1, .upper = 0.4});
         m->eval();
         return m;
       }())},
      {"elu", [](const Tensor& x) { return F::elu(x, 0.7); }, mod(nn::ELU({.alpha = 0.7}))},
      {"selu", [](const Tensor& x) { return F::selu(x); }, mod(nn::SELU())},
      {"celu", [](const Tensor& x) { return F::celu(x, 1.3); }, mod(nn::CELU({.alpha = 1.3}))},
      {"gelu", [](const Tensor& x) { return F::gelu(x); }, mod(nn::GELU())},
      {"gelu_tanh", [](const Tensor& x) { return F::gelu(x, "tanh"); },
       mod(nn::GELU({.approximate = "tanh"}))},
      {"silu", [](const Tensor& x) { return F::silu(x); }, mod(nn::SiLU())},
      {"mish", [](const Tensor& x) { return F::mish(x); }, mod(nn::Mish())},
      {"sigmoid", [](const Tensor& x) { return F::sigmoid(x); }, mod(nn::Sigmoid())},
      {"logsigmoid", [](const Tensor& x) { return F::logsigmoid(x); }, mod(nn::LogSigmoid())},
      {"tanh", [](const Tensor& x) { return F::tanh(x); }, mod(nn::Tanh())},
      {"hardtanh", [](const Tensor& x) { return F::hardtanh(x, -2.0, 1.5); },
       mod(nn::Hardtanh({.min_val = -2.0, .max_val = 1.5}))},
      {"hardsigmoid", [](const Tensor& x) { return F::hardsigmoid(x); }, mod(nn::Hardsigmoid())},
      {"hardswish", [](const Tensor& x) { return F::hardswish(x); }, mod(nn::Hardswish())},
      {"hardshrink", [](const Tensor& x) { return F::hardshrink(x, 0.6); },
       mod(nn::Hardshrink({.lambd = 0.6}))},
      {"softshrink", [](const Tensor& x) { return F::softshrink(x, 0.6); },
       mod(nn::Softshrink({.lambd = 0.6}))},
      {"tanhshrink", [](const Tensor& x) { return F::tanhshrink(x); }, mod(nn::Tanhshrink())},
      {"softplus", [](const Tensor& x) { return F::softplus(x, 2.0, 5.0); },
       mod(nn::Softplus({.beta = 2.0, .threshold = 5.0}))},
      {"softsign", [](const Tensor& x) { return F::softsign(x); }, mod(nn::Softsign())},
      {"threshold", [](const Tensor& x) { return F::threshold(x, 0.3, -2.0); },
       mod(nn::Threshold(0.3, -2.0))},
      {"glu", [](const Tensor& x) { return F::glu(x, -1); }, mod(nn::GLU())},
      {"glu0", [](const Tensor& x) { return F::glu(x, 0); }, mod(nn::GLU(0))},
      {"softmax", [](const Tensor& x) { return F::softmax(x, 1); }, mod(nn::Softmax(1))},
      {"log_softmax", [](const Tensor& x) { return F::log_softmax(x, -1); },
       mod(nn::LogSoftmax(-1))},
      {"softmin", [](const Tensor& x) { return F::softmin(x, 0); }, mod(nn::Softmin(0))},
  };
}

// out and d(sum(out * G))/dx in `dtype`, returned as float64.
std::pair<Tensor, Tensor> run(const Fn& f, const Tensor& x64, const Tensor& g64, DType dtype) {
  Tensor x = x64.to(dtype).detach().requires_grad_();
  Tensor out = f(x);
  Tensor g = g64.to(dtype);
  for (int64_t d = 0; d < out.dim(); ++d) g = g.narrow(d, 0, out.size(d));
  (out * g).sum().backward();
  return {out.detach().to(kFloat64), x.grad().to(kFloat64)};
}

// PyTorch's float64 backward of hardsigmoid and celu rounds a constant through float32 (1.0f
// / 6.0f, and celu's 1/alpha), so its gradient is off by ~4e-9 relative; Wick's is exact, checked
// to 1e-7.
double grad_rtol64(const std::string& name) {
  return name == "hardsigmoid" || name == "celu" ? 1e-7 : 1e-10;
}

TEST(NnActivation, FunctionalAndModulesMatchPyTorch) {
  testing::Golden gold("nn_activations");
  Tensor x = gold["x"], g = gold["g"];
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    for (const Fn* f : {&c.fn, &c.module}) {
      auto [out64, gx64] = run(*f, x, g, kFloat64);
      EXPECT_TENSOR_CLOSE(out64, gold[c.name + "_out"], 1e-10, 1e-12);
      EXPECT_TENSOR_CLOSE(gx64, gold[c.name + "_gx"], grad_rtol64(c.name), 1e-12);
      auto [out32, gx32] = run(*f, x, g, kFloat32);
      EXPECT_TENSOR_CLOSE(out32, gold[c.name + "_out"], 1e-5, 1e-6);
      EXPECT_TENSOR_CLOSE(gx32, gold[c.name + "_gx"], 1e-5, 1e-6);
    }
  }
}

TEST(NnActivation, Gradcheck) {
  // Away from the kinks (0, +-3, thresholds), where finite differences are not defined.
  Tensor x = tensor({{-2.3, -0.8, 0.45, 1.7}, {2.6, -1.35, 0.9, -0.2}}, {.dtype = kFloat64})
                 .requires_grad_();
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    auto r = autograd::gradcheck([&](const autograd::variable_list& in) { return c.fn(in[0]); },
                                 {x}, {.check_grad_grad = true});
    EXPECT_TRUE(r) << r.message;
  }
}

TEST(NnActivation, StableForLargeInputs) {
  auto has_nan = [](const Tensor& t) { return (t != t).any().item<bool>(); };
  for (const auto& c : cases()) {
    if (c.name.find("glu") != std::string::npos || c.name.find("softm") != std::string::npos)
      continue;  // need a dim
    SCOPED_TRACE(c.name);
    Tensor x = tensor({-1000.0, 1000.0}, {.dtype = kFloat32}).requires_grad_();
    Tensor y = c.fn(x);
    y.sum().backward();
    EXPECT_FALSE(has_nan(y)) << y;
    EXPECT_FALSE(has_nan(x.grad())) << x.grad();
  }
}

TEST(NnActivation, InplaceWritesIntoInputAndKeepsGradients) {
  testing::Golden gold("nn_activations");
  std::vector<std::pair<std::string, std::function<Tensor(Tensor&)>>> inplace = {
      {"relu", [](Tensor& x) { return F::relu(x, true); }},
      {"relu6", [](Tensor& x) { return nn::ReLU6({.inplace = true})(x); }},
      {"leaky_relu", [](Tensor& x) { return F::leaky_relu(x, 0.2, true); }},
      {"rrelu", [](Tensor& x) { return F::rrelu(x, 0.1, 0.4, false, true); }},
      {"elu", [](Tensor& x) { return nn::ELU({.alpha = 0.7, .inplace = true})(x); }},
      {"selu", [](Tensor& x) { return F::selu(x, true); }},
      {"celu", [](Tensor& x) { return F::celu(x, 1.3, true); }},
      {"silu", [](Tensor& x) { return nn::SiLU({.inplace = true})(x); }},
      {"mish", [](Tensor& x) { return F::mish(x, true); }},
      {"hardtanh", [](Tensor& x) { return F::hardtanh(x, -2.0, 1.5, true); }},
      {"hardsigmoid", [](Tensor& x) { return F::hardsigmoid(x, true); }},
      {"hardswish", [](Tensor& x) { return nn::Hardswish({.inplace = true})(x); }},
      {"threshold", [](Tensor& x) { return nn::Threshold(0.3, -2.0, {.inplace = true})(x); }},
  };
  for (auto& [name, f] : inplace) {
    SCOPED_TRACE(name);
    Tensor leaf = gold["x"].clone().requires_grad_();
    Tensor x = leaf * 1.0;  // a non-leaf, so in-place is allowed
    Tensor y = f(x);
    EXPECT_TRUE(y.is_same(x));
    EXPECT_TENSOR_CLOSE(x.detach(), gold[name + "_out"], 1e-10, 1e-12);
    (y * gold["g"]).sum().backward();
    EXPECT_TENSOR_CLOSE(leaf.grad(), gold[name + "_gx"], grad_rtol64(name), 1e-12);
  }
  Tensor leaf = ones({2}).requires_grad_();
  EXPECT_THROW(F::relu(leaf, true), Error);  // a leaf that requires grad cannot be modified
  Tensor plain = tensor({-1.0, 2.0});
  nn::ReLU({.inplace = true})(plain);
  EXPECT_EQ(plain.tolist<float>(), (std::vector<float>{0, 2}));
}

// In training each element at or below 0 gets its own slope from U(lower, upper), and its
// gradient is that slope (PyTorch's noise); the values differ from PyTorch's (another generator),
// so the test checks what the draw must satisfy.
TEST(NnActivation, RReLUTrainingDrawsASlopePerElement) {
  const double lower = 0.1, upper = 0.4;
  nn::RReLU m({.lower = lower, .upper = upper});
  ASSERT_TRUE(m->is_training());
  Tensor neg = -(rand({2000}, {.dtype = kFloat64}) + 0.5);
  Tensor x = cat({neg, tensor({0.0, 0.5, 3.0}, {.dtype = kFloat64})}).requires_grad_();
  manual_seed(7);
  Tensor y = m(x);
  EXPECT_EQ(y.grad_fn()->name(), "RreluWithNoiseBackward0");
  Tensor slopes = y.detach().narrow(0, 0, 2000) / neg;
  EXPECT_GE(slopes.min().item<double>(), lower);
  EXPECT_LE(slopes.max().item<double>(), upper);
  EXPECT_NEAR(slopes.mean().item<double>(), (lower + upper) / 2, 0.01);  // sd of the mean 0.002
  EXPECT_NEAR(slopes.std().item<double>(), (upper - lower) / std::sqrt(12.0), 0.01);
  EXPECT_EQ(y.detach().narrow(0, 2000, 3).tolist<double>(), (std::vector<double>{0.0, 0.5, 3.0}));
  Tensor g = randn({2003}, {.dtype = kFloat64});
  (y * g).sum().backward();
  EXPECT_TENSOR_CLOSE(x.grad().narrow(0, 0, 2000), g.narrow(0, 0, 2000) * slopes, 1e-12, 1e-15);
  EXPECT_TENSOR_CLOSE(x.grad().narrow(0, 2001, 2), g.narrow(0, 2001, 2), 0.0, 0.0);
  // At 0 the gradient is a drawn slope too.
  const double g0 = x.grad()[2000].item<double>() / g[2000].item<double>();
  EXPECT_GE(g0, lower);
  EXPECT_LE(g0, upper);
  // Reproducible from the seed; the mean slope in eval mode, as leaky_relu.
  manual_seed(7);
  EXPECT_TRUE(equal(m(x).detach(), y.detach()));
  m->eval();
  EXPECT_TENSOR_CLOSE(m(x), F::leaky_relu(x, (lower + upper) / 2), 0.0, 0.0);
  EXPECT_TENSOR_CLOSE(F::rrelu(x, lower, upper), F::leaky_relu(x, (lower + upper) / 2), 0.0, 0.0);
  // lower == upper: every slope is that value.
  EXPECT_TENSOR_CLOSE(F::rrelu(x, 0.3, 0.3, true), F::leaky_relu(x, 0.3), 1e-15, 0.0);
  testing::expect_error([&] { F::rrelu(x, 0.5, 0.1, true); },
                        "Lower bound should be less than or equal to the upper bound");
  testing::expect_error([&] { nn::RReLU({.lower = 0.5, .upper = 0.1})(x); },
                        "Lower bound should be less than or equal to the upper bound");
  Tensor ints = tensor({1, -2});
  testing::expect_error([&] { F::rrelu(ints); },
                        "rrelu: expected a floating point tensor, got int64");
}

TEST(NnActivation, SoftmaxProperties) {
  Tensor x = tensor({{1000.0, 1001.0, 1002.0}, {-5.0, 0.0, 5.0}}, {.dtype = kFloat64});
  Tensor s = F::softmax(x, 1);
  EXPECT_TENSOR_CLOSE(s.sum({1}), ones({2}, {.dtype = kFloat64}), 1e-12);
  EXPECT_TENSOR_CLOSE(F::log_softmax(x, 1), log(s), 1e-12);
  EXPECT_EQ(F::softmax(x, 1, kFloat32).dtype(), kFloat32);
  EXPECT_EQ(F::softmax(x.requires_grad_(), 1).grad_fn()->name(), "SoftmaxBackward0");
  EXPECT_EQ(F::log_softmax(x, 1).grad_fn()->name(), "LogSoftmaxBackward0");
  // dim=None picks 1 for 2-D input, 0 for 1-D and 3-D.
  EXPECT_TENSOR_CLOSE(nn::Softmax()(x), F::softmax(x, 1));
  Tensor x3 = randn({2, 3, 4}, {.dtype = kFloat64});
  EXPECT_TENSOR_CLOSE(nn::LogSoftmax()(x3), F::log_softmax(x3, 0));
  EXPECT_TENSOR_CLOSE(nn::Softmax2d()(x3), F::softmax(x3, 0));
  Tensor x4 = randn({2, 3, 2, 2}, {.dtype = kFloat64});
  EXPECT_TENSOR_CLOSE(nn::Softmax2d()(x4), F::softmax(x4, 1));
  testing::expect_error([&] { nn::Softmax2d()(x); },
                        "Softmax2d: expected input to be 3D or 4D, got 2D instead");
  testing::expect_error([&] { F::softmax(x, 2); }, "Dimension out of range");
  EXPECT_THROW(F::softmax(tensor({1, 2}), 0), Error);  // integer input
  EXPECT_EQ(F::softmax(empty({0, 3}), 1).sizes().vec(), (Shape{0, 3}));
}

// Along the last dim softmax and log_softmax run the backend's fused kernel (forward and, without
// create_graph, backward); along another dim they are composed of Tensor ops. Both must agree:
// values and input gradients, float32 and float64, rows shorter and longer than the kernel's 16
// lanes, a non-contiguous input.
TEST(NnActivation, SoftmaxAlongTheLastDimMatchesTheComposedForm) {
  manual_seed(21);
  for (DType dt : {kFloat64, kFloat32}) {
    for (const Shape& shape : {Shape{5, 37}, Shape{2, 3, 7}, Shape{4, 16}}) {
      SCOPED_TRACE(::testing::Message()
                   << dtype_name(dt) << " " << shape.size() << "-d, last " << shape.back());
      Tensor x = (3 * randn(shape, {.dtype = kFloat64})).to(dt);
      Tensor g = randn(shape, {.dtype = kFloat64}).to(dt);
      const double tol = dt == kFloat64 ? 1e-12 : 2e-6;
      for (bool log : {false, true}) {
        auto along = [&](const Tensor& in, int64_t dim) {
          return log ? F::log_softmax(in, dim) : F::softmax(in, dim);
        };
        Tensor a = x.detach().requires_grad_(), b = x.detach().requires_grad_();
        Tensor fused = along(a, -1);
        // The same rows put along dim 0 (composed), then moved back.
        Tensor composed = along(b.transpose(0, -1).contiguous(), 0).transpose(0, -1);
        EXPECT_TENSOR_CLOSE(fused, composed, tol, tol);
        (fused * g).sum().backward();
        (composed * g).sum().backward();
        EXPECT_TENSOR_CLOSE(a.grad(), b.grad(), tol, tol);
      }
      // A non-contiguous input along the last dim.
      Tensor xt = x.transpose(0, -1);
      EXPECT_TENSOR_CLOSE(F::softmax(xt, -1), F::softmax(xt.contiguous(), -1), 0.0, 0.0);
    }
  }
}

// Masked entries (-inf, as attention masks make them) get exactly 0 (log_softmax: -inf) and no
// gradient; a row with nothing finite gives NaN, as PyTorch: values of torch.softmax /
// torch.log_softmax on these rows.
TEST(NnActivation, SoftmaxOfMaskedRows) {
  const double inf = std::numeric_limits<double>::infinity();
  for (DType dt : {kFloat32, kFloat64}) {
    SCOPED_TRACE(dtype_name(dt));
    Tensor x = tensor({{1.0, -inf, 2.0}, {-inf, -inf, -inf}, {inf, 1.0, 0.0}}, {.dtype = dt});
    Tensor a = x.detach().requires_grad_();
    Tensor s = F::softmax(a, -1);
    const double e = 1.0 / (1.0 + std::exp(1.0));
    EXPECT_TENSOR_CLOSE(s.narrow(0, 0, 1).to(kFloat64),
                        tensor({{e, 0.0, 1.0 - e}}, {.dtype = kFloat64}), 1e-6, 0.0);
    EXPECT_EQ(s[0][1].item<double>(), 0.0);
    EXPECT_TRUE((s.narrow(0, 1, 2) != s.narrow(0, 1, 2)).all().item<bool>()) << s;
    (s * tensor({{1.0, 2.0, 3.0}, {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}}, {.dtype = dt}))
        .sum()
        .backward();
    EXPECT_EQ(a.grad()[0][1].item<double>(), 0.0);
    Tensor b = x.detach().requires_grad_();
    Tensor l = F::log_softmax(b, -1);
    EXPECT_EQ(l[0][1].item<double>(), -inf);
    EXPECT_TRUE((l.narrow(0, 1, 2) != l.narrow(0, 1, 2)).all().item<bool>()) << l;
    // g - exp(y) * sum(g): the masked entry keeps its g exactly.
    (l.narrow(0, 0, 1) * tensor({{3.0, 4.0, 5.0}}, {.dtype = dt})).sum().backward();
    EXPECT_EQ(b.grad()[0][1].item<double>(), 4.0);
  }
}

TEST(NnActivation, PReLUMatchesPyTorch) {
  testing::Golden gold("nn_activations");
  for (const std::string tag : {"prelu", "prelu1"}) {
    SCOPED_TRACE(tag);
    Tensor w = tag == "prelu" ? gold["prelu_w"] : gold["prelu_w"].narrow(0, 0, 1);
    for (DType dt : {kFloat64, kFloat32}) {
      double rtol = dt == kFloat64 ? 1e-10 : 1e-5, atol = dt == kFloat64 ? 1e-12 : 1e-6;
      nn::PReLU m({.num_parameters = w.numel(), .dtype = dt});
      {
        NoGradGuard ng;
        m->weight.copy_(w);
      }
      Tensor x = gold["x"].to(dt).detach().requires_grad_();
      Tensor y = m(x);
      (y * gold["g"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(y.detach().to(kFloat64), gold[tag + "_out"], rtol, atol);
      EXPECT_TENSOR_CLOSE(x.grad().to(kFloat64), gold[tag + "_gx"], rtol, atol);
      EXPECT_TENSOR_CLOSE(m->weight.grad().to(kFloat64), gold[tag + "_gw"], rtol, atol);
    }
  }
  nn::PReLU m({.num_parameters = 3, .init = 0.1});
  EXPECT_EQ(m->weight.tolist<float>(), (std::vector<float>{0.1f, 0.1f, 0.1f}));
  EXPECT_EQ(m->state_dict().keys(), (std::vector<std::string>{"weight"}));
  testing::expect_error(
      [&] {
        m(zeros({2, 4}));
      },
      "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and "
      "channel size = 4.");
  Tensor x = tensor({{-1.0, 0.5, 2.0}, {0.3, -0.7, -2.0}}, {.dtype = kFloat64}).requires_grad_();
  Tensor w = tensor({0.2, -0.4, 1.5}, {.dtype = kFloat64}).requires_grad_();
  auto r =
      autograd::gradcheck([](const autograd::variable_list& in) { return F::prelu(in[0], in[1]); },
                          {x, w}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
}

TEST(NnActivation, Errors) {
  Tensor x = zeros({2, 3});
  testing::expect_error([&] { F::glu(x, 1); },
                        "Halving dimension must be even, but dimension 1 is size 3");
  testing::expect_error([&] { F::gelu(x, "fast"); },
                        "approximate argument must be either none or tanh.");
  testing::expect_error([&] { nn::GELU({.approximate = "fast"}); },
                        "approximate argument must be either none or tanh");
  testing::expect_error([&] { F::softshrink(x, -1.0); }, "lambda must be greater or equal to 0");
  EXPECT_THROW(nn::Hardtanh({.min_val = 1.0, .max_val = -1.0}), Error);
}

}  // namespace
}  // namespace wick

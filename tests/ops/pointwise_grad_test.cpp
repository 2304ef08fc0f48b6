// Backward of the elementwise ops: float64 gradchecks with second derivatives for every
// differentiable op, PyTorch's grad_fn names, and goldens at ties and kinks (where finite
// differences say nothing), plus the in-place forms' gradients.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "ops/unary_op_table.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;
using Fn = std::function<Tensor(const variable_list&)>;

Tensor leaf(const TensorData& data) {
  return tensor(data, {.dtype = kFloat64, .requires_grad = true});
}

// Away from every kink: no element near 0, +-0.5, +-1 or a tie between operands.
Tensor x23() { return leaf({{0.7, -1.3, 0.2}, {-0.35, 1.6, -0.8}}); }
Tensor pos23() { return leaf({{0.7, 1.3, 0.2}, {0.35, 1.6, 0.8}}); }
Tensor row3() { return leaf({0.45, -0.6, 1.1}); }
// A (2, 1) column (a nested {{a}, {b}} literal would read as a flat list).
Tensor col2(double a, double b) {
  return tensor({a, b}, {.dtype = kFloat64}).view({2, 1}).requires_grad_();
}

void check(const std::string& what, const Fn& fn, const variable_list& inputs) {
  auto r = autograd::gradcheck(fn, inputs, {.check_grad_grad = true});
  EXPECT_TRUE(r.ok) << what << ": " << r.message;
}

TEST(PointwiseGrad, UnaryGradcheck) {
  for (const auto& [name, fn, positive_only] : testing::unary_op_table()) {
    check(name, [fn](const variable_list& v) { return fn(v[0]); },
          {positive_only ? pos23() : x23()});
  }
}

TEST(PointwiseGrad, BinaryGradcheck) {
  check("pow tensor-tensor (broadcast)", [](const variable_list& v) { return pow(v[0], v[1]); },
        {pos23(), row3()});
  check("pow tensor-scalar", [](const variable_list& v) { return pow(v[0], 3); }, {x23()});
  check("pow tensor-0.5", [](const variable_list& v) { return pow(v[0], 0.5); }, {pos23()});
  check("pow tensor-(-1.5)", [](const variable_list& v) { return v[0].pow(-1.5); }, {pos23()});
  check("pow scalar-tensor", [](const variable_list& v) { return pow(2.5, v[0]); }, {x23()});
  check("minimum (broadcast)", [](const variable_list& v) { return minimum(v[0], v[1]); },
        {x23(), row3()});
  check("maximum (broadcast)", [](const variable_list& v) { return maximum(v[0], v[1]); },
        {x23(), row3()});
  check("clamp scalar", [](const variable_list& v) { return clamp(v[0], -0.9, 0.9); }, {x23()});
  check("clamp_min", [](const variable_list& v) { return v[0].clamp_min(0.1); }, {x23()});
  check("clamp_max", [](const variable_list& v) { return v[0].clamp_max(0.1); }, {x23()});
  Tensor lo = col2(-0.5, -1.0), hi = leaf({0.5, 1.0, 0.6});
  check("clamp tensor (broadcast)", [](const variable_list& v) { return clamp(v[0], v[1], v[2]); },
        {x23(), lo, hi});
  check("clamp tensor min only", [](const variable_list& v) { return clamp(v[0], v[1], Tensor()); },
        {x23(), row3()});
  check("where", [](const variable_list& v) { return where(v[0] > 0, v[0], v[1]); },
        {x23(), row3()});
  check("where scalar", [](const variable_list& v) { return where(v[0] > 0, 2.0, v[0] * v[0]); },
        {x23()});
  check("masked_fill", [](const variable_list& v) { return masked_fill(v[0], v[1] > 0, 3.0); },
        {x23(), row3()});
  check("masked_fill tensor value",
        [](const variable_list& v) { return masked_fill(v[0], v[0] > 0, v[1] * v[1]); },
        {x23(), leaf(1.5)});
  check("lerp scalar", [](const variable_list& v) { return lerp(v[0], v[1], 0.3); },
        {x23(), row3()});
  check("lerp tensor", [](const variable_list& v) { return lerp(v[0], v[1], v[2]); },
        {x23(), row3(), col2(0.2, 0.8)});
}

TEST(PointwiseGrad, InplaceGradcheck) {
  check("relu_", [](const variable_list& v) { return (v[0] * 1.0).relu_(); }, {x23()});
  check("clamp_", [](const variable_list& v) { return (v[0] * 1.0).clamp_(-0.9, 0.9); }, {x23()});
  check("masked_fill_",
        [](const variable_list& v) { return (v[0] * 1.0).masked_fill_(v[0] > 0, 2.0); }, {x23()});
  check("lerp_", [](const variable_list& v) { return (v[0] * 1.0).lerp_(v[1], 0.7); },
        {x23(), row3()});
}

TEST(PointwiseGrad, GradFnNames) {
  Tensor x = x23(), y = row3(), p = pos23();
  const std::vector<std::pair<Tensor, std::string>> cases = {
      {abs(x), "AbsBackward0"},
      {sign(x), "SignBackward0"},
      {exp(x), "ExpBackward0"},
      {log(p), "LogBackward0"},
      {log1p(p), "Log1PBackward0"},
      {expm1(x), "Expm1Backward0"},
      {sqrt(p), "SqrtBackward0"},
      {rsqrt(p), "RsqrtBackward0"},
      {sin(x), "SinBackward0"},
      {cos(x), "CosBackward0"},
      {tanh(x), "TanhBackward0"},
      {sigmoid(x), "SigmoidBackward0"},
      {relu(x), "ReluBackward0"},
      {erf(x), "ErfBackward0"},
      {reciprocal(x), "ReciprocalBackward0"},
      {square(x), "PowBackward0"},
      {pow(x, 2.5), "PowBackward0"},
      {pow(p, y), "PowBackward1"},
      {pow(2, x), "PowBackward2"},
      {minimum(x, y), "MinimumBackward0"},
      {maximum(x, y), "MaximumBackward0"},
      {clamp(x, 0, 1), "ClampBackward1"},
      {x.clamp(0.1), "ClampBackward1"},
      {x.clamp_min(0), "ClampMinBackward0"},
      {x.clamp_max(0), "ClampMaxBackward0"},
      {clamp(x, y, Tensor()), "ClampBackward0"},
      {where(x > 0, x, y), "WhereBackward0"},
      {where(x > 0, 1.0, x), "WhereBackward0"},
      {x.masked_fill(x > 0, 1.0), "MaskedFillBackward0"},
      {x.masked_fill(x > 0, leaf(1.0)), "MaskedFillBackward1"},
      {lerp(x, y, 0.5), "LerpBackward0"},
      {lerp(x, y, y), "LerpBackward1"},
      {(x * 1.0).relu_(), "ReluBackward0"},
      {(x * 1.0).clamp_(0, 1), "ClampBackward1"},
      {(x * 1.0).masked_fill_(x > 0, 1.0), "MaskedFillBackward0"},
      {(x * 1.0).lerp_(y, 0.5), "LerpBackward0"},
  };
  for (const auto& [t, name] : cases) {
    ASSERT_TRUE(t.grad_fn() != nullptr) << name;
    EXPECT_EQ(t.grad_fn()->name(), name);
  }
  // Comparisons and integer results record nothing.
  EXPECT_FALSE((x > y).requires_grad());
  EXPECT_FALSE(logical_not(x).requires_grad());
  EXPECT_FALSE(isclose(x, x).requires_grad());
}

class PointwiseKinks : public ::testing::Test {
 protected:
  static const testing::Golden& g() {
    static testing::Golden golden("pointwise");
    return golden;
  }
  static Tensor in(const std::string& key) { return g()[key].to(kFloat32).requires_grad_(); }
  static void expect_grad(const Tensor& grad, const std::string& key) {
    SCOPED_TRACE(key);
    EXPECT_TENSOR_CLOSE(grad, g()[key], 1e-6, 1e-7);
  }
};

TEST_F(PointwiseKinks, MinimumMaximumTiesSplitTheGradient) {
  for (const std::string name : {"maximum", "minimum"}) {
    Tensor x = in("tie_x"), y = in("tie_y");
    (name == "maximum" ? maximum(x, y) : minimum(x, y)).sum().backward();
    expect_grad(x.grad(), name + "_grad_x");
    expect_grad(y.grad(), name + "_grad_y");
  }
}

TEST_F(PointwiseKinks, ClampReluAbsSignPowAtKinks) {
  const std::vector<std::pair<std::string, std::function<Tensor(const Tensor&)>>> ops = {
      {"clamp", [](const Tensor& v) { return v.clamp(-0.5, 0.5); }},
      {"relu", [](const Tensor& v) { return relu(v); }},
      {"abs", [](const Tensor& v) { return abs(v); }},
      {"clamp_min", [](const Tensor& v) { return v.clamp_min(0.0); }},
      {"clamp_max", [](const Tensor& v) { return v.clamp_max(0.0); }},
      {"pow0", [](const Tensor& v) { return pow(v, 0.0); }},
      {"sign", [](const Tensor& v) { return sign(v); }},
  };
  for (const auto& [name, fn] : ops) {
    Tensor k = in("kink");
    fn(k).sum().backward();
    expect_grad(k.grad(), name + "_grad_kink");
  }
}

TEST_F(PointwiseKinks, PowAtZeroBase) {
  Tensor z = tensor({0.0, 0.0, 2.0}, {.requires_grad = true}),
         ze = tensor({0.0, 2.0, 0.0}, {.requires_grad = true});
  pow(z, ze).sum().backward();
  expect_grad(z.grad(), "pow0_grad_base");
  expect_grad(ze.grad(), "pow0_grad_exp");
  Tensor e2 = tensor({0.0, 2.0, 0.0}, {.requires_grad = true});
  pow(0.0, e2).sum().backward();
  expect_grad(e2.grad(), "pow_s0_grad");
}

TEST_F(PointwiseKinks, ClampTensorBoundsTakeTheirGradient) {
  Tensor x = in("cl_x"), lo = in("cl_lo"), hi = in("cl_hi");
  clamp(x, lo, hi).sum().backward();
  expect_grad(x.grad(), "clamp_t_grad_x");
  expect_grad(lo.grad(), "clamp_t_grad_lo");
  expect_grad(hi.grad(), "clamp_t_grad_hi");
}

TEST(PointwiseGrad, InplaceOnSavedInputIsDetected) {
  Tensor x = x23();
  Tensor h = x * 1.0;
  Tensor y = sin(h);  // saves h
  h.relu_();
  EXPECT_THROW(y.sum().backward(), Error);
}


TEST(PointwiseGrad, ReluGradientIsThresholdBackwardAndDifferentiable) {
  // The gradient passes where the output is positive, NaN included, and nowhere else.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = tensor({-1.0, 0.0, 2.0, 3.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor g = tensor({nan, nan, 5.0, nan}, {.dtype = kFloat64, .requires_grad = true});
  Tensor gx = autograd::grad({relu(x)}, {x}, {g}, std::nullopt, /*create_graph=*/true)[0];
  EXPECT_EQ(gx.grad_fn()->name(), "ThresholdBackwardBackward0");
  EXPECT_EQ(gx[0].item<double>(), 0.0);
  EXPECT_EQ(gx[1].item<double>(), 0.0);
  EXPECT_EQ(gx[2].item<double>(), 5.0);
  EXPECT_TRUE(std::isnan(gx[3].item<double>()));
  // Second derivatives, on float32 too (the backend's fast path).
  auto r = autograd::gradcheck([](const variable_list& v) { return relu(v[0]) * v[0]; }, {x23()},
                               {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor xf = randn({1000}, {.requires_grad = true});
  Tensor gf = autograd::grad({relu(xf)}, {xf}, {ones_like(xf) * 3.0})[0];
  EXPECT_TENSOR_CLOSE(gf, (xf > 0).to(kFloat32) * 3.0, 0.0, 0.0);
}

}  // namespace
}  // namespace wick

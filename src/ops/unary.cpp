// Unary elementwise math (abs, sign, exp, log, ..., relu, relu_) with backward. Float ops on
// integer or bool tensors compute in the default float dtype, as torch.exp(int tensor) -> float32.
// square is pow(x, 2) (pow.cpp); neg lives with the arithmetic operators.
#include <cmath>
#include <numbers>

#include "pointwise_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"

namespace wick {

using namespace ops;

namespace {

// A unary op whose result is a float even for integer input.
Tensor float_unary(UnaryOp op, const Tensor& x) {
  DType dt = to_float_dtype(x.dtype());
  return unary_kernel(op, x, dt, dt);
}

// Unary op recorded with a backward of (g, saved) -> grad; `saved` is the input or the output.
template <typename F>
Tensor with_input_grad(const char* name, const Tensor& x, const Tensor& y, F&& grad) {
  if (!autograd::needs_grad({x})) return y;
  return autograd::record(name, y, {x}, [s = SavedTensor(x), grad](const variable_list& g) {
    return variable_list{grad(g[0], s.unpack())};
  });
}
template <typename F>
Tensor with_output_grad(const char* name, const Tensor& x, const Tensor& y, F&& grad) {
  if (!autograd::needs_grad({x})) return y;
  return autograd::record(name, y, {x},
                          [s = SavedTensor(y, /*is_output=*/true), grad](const variable_list& g) {
                            return variable_list{grad(g[0], s.unpack())};
                          });
}

}  // namespace

Tensor abs(const Tensor& x) {
  WICK_CHECK(x.dtype() != kBool, "\"abs_cpu\" not implemented for 'Bool'");
  Tensor y = unary_kernel(UnaryOp::Abs, x, x.dtype(), x.dtype());
  return with_input_grad("AbsBackward0", x, y,
                         [](const Tensor& g, const Tensor& xv) { return g * sign(xv); });
}

Tensor sign(const Tensor& x) {
  Tensor y = unary_kernel(UnaryOp::Sign, x, x.dtype(), x.dtype());
  if (!autograd::needs_grad({x})) return y;
  return autograd::record("SignBackward0", y, {x},
                          [](const variable_list& g) { return variable_list{zeros_like(g[0])}; });
}

Tensor exp(const Tensor& x) {
  return with_output_grad("ExpBackward0", x, float_unary(UnaryOp::Exp, x),
                          [](const Tensor& g, const Tensor& y) { return g * y; });
}

Tensor log(const Tensor& x) {
  return with_input_grad("LogBackward0", x, float_unary(UnaryOp::Log, x),
                         [](const Tensor& g, const Tensor& xv) { return g / xv; });
}

Tensor log1p(const Tensor& x) {
  return with_input_grad("Log1PBackward0", x, float_unary(UnaryOp::Log1p, x),
                         [](const Tensor& g, const Tensor& xv) { return g / (xv + 1); });
}

Tensor expm1(const Tensor& x) {
  return with_output_grad("Expm1Backward0", x, float_unary(UnaryOp::Expm1, x),
                          [](const Tensor& g, const Tensor& y) { return g * (y + 1); });
}

Tensor sqrt(const Tensor& x) {
  return with_output_grad("SqrtBackward0", x, float_unary(UnaryOp::Sqrt, x),
                          [](const Tensor& g, const Tensor& y) { return g / (2 * y); });
}

Tensor rsqrt(const Tensor& x) {
  return with_output_grad("RsqrtBackward0", x, float_unary(UnaryOp::Rsqrt, x),
                          [](const Tensor& g, const Tensor& y) { return -0.5 * g * y * y * y; });
}

Tensor sin(const Tensor& x) {
  return with_input_grad("SinBackward0", x, float_unary(UnaryOp::Sin, x),
                         [](const Tensor& g, const Tensor& xv) { return g * cos(xv); });
}

Tensor cos(const Tensor& x) {
  return with_input_grad("CosBackward0", x, float_unary(UnaryOp::Cos, x),
                         [](const Tensor& g, const Tensor& xv) { return -g * sin(xv); });
}

Tensor tanh(const Tensor& x) {
  return with_output_grad("TanhBackward0", x, float_unary(UnaryOp::Tanh, x),
                          [](const Tensor& g, const Tensor& y) { return g * (1 - y * y); });
}

Tensor sigmoid(const Tensor& x) {
  return with_output_grad("SigmoidBackward0", x, float_unary(UnaryOp::Sigmoid, x),
                          [](const Tensor& g, const Tensor& y) { return g * y * (1 - y); });
}

Tensor erf(const Tensor& x) {
  return with_input_grad("ErfBackward0", x, float_unary(UnaryOp::Erf, x),
                         [](const Tensor& g, const Tensor& xv) {
                           return g * (2.0 / std::sqrt(std::numbers::pi)) * exp(-(xv * xv));
                         });
}

Tensor reciprocal(const Tensor& x) {
  return with_output_grad("ReciprocalBackward0", x, float_unary(UnaryOp::Reciprocal, x),
                          [](const Tensor& g, const Tensor& y) { return -g * (y * y); });
}

// threshold_backward: the gradient passes where the output is positive (NaN gradients included).
// One backend pass (where(y > 0, g, 0) took two over ReLU-sized tensors); its own node, linear in
// g, so double backward applies it again.
static Tensor relu_grad(const Tensor& g, const Tensor& y) {
  Tensor out = binary_kernel(BinaryOp::ThresholdBackward, g, y, g.dtype(), g.dtype(), "threshold_backward");
  if (!autograd::needs_grad({g})) return out;
  return autograd::record("ThresholdBackwardBackward0", out, {g}, [s = SavedTensor(y)](const variable_list& gg) {
    return variable_list{relu_grad(gg[0], s.unpack())};
  });
}

Tensor relu(const Tensor& x) {
  WICK_CHECK(x.dtype() != kBool, "Boolean inputs not supported for relu");
  return with_output_grad("ReluBackward0", x, unary_kernel(UnaryOp::Relu, x, x.dtype(), x.dtype()),
                          relu_grad);
}

Tensor& Tensor::relu_() {
  WICK_CHECK(dtype() != kBool, "Boolean inputs not supported for relu");
  autograd::check_inplace(*this, "relu_");
  if (numel() > 0) backend_for(*this).unary(UnaryOp::Relu, *this, *this);
  impl()->storage->bump_version();
  if (!autograd::needs_grad({*this})) return *this;
  SavedTensor y(*this, /*is_output=*/true);
  autograd::record_inplace("ReluBackward0", *this, {}, [y](const variable_list& g) {
    return variable_list{relu_grad(g[0], y.unpack())};
  });
  return *this;
}

Tensor Tensor::abs() const { return wick::abs(*this); }
Tensor Tensor::sign() const { return wick::sign(*this); }
Tensor Tensor::exp() const { return wick::exp(*this); }
Tensor Tensor::log() const { return wick::log(*this); }
Tensor Tensor::log1p() const { return wick::log1p(*this); }
Tensor Tensor::expm1() const { return wick::expm1(*this); }
Tensor Tensor::sqrt() const { return wick::sqrt(*this); }
Tensor Tensor::rsqrt() const { return wick::rsqrt(*this); }
Tensor Tensor::sin() const { return wick::sin(*this); }
Tensor Tensor::cos() const { return wick::cos(*this); }
Tensor Tensor::tanh() const { return wick::tanh(*this); }
Tensor Tensor::sigmoid() const { return wick::sigmoid(*this); }
Tensor Tensor::relu() const { return wick::relu(*this); }
Tensor Tensor::erf() const { return wick::erf(*this); }
Tensor Tensor::reciprocal() const { return wick::reciprocal(*this); }

}  // namespace wick

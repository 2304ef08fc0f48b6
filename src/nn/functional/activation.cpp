// Pointwise activations as composites of Tensor ops. Branches use where() with the unselected side
// clamped into range first (expm1(min(x, 0)), log1p(exp(min(bx, threshold)))), so a huge input
// never makes an inf whose zero gradient would turn into NaN. Boundary gradients follow PyTorch's
// kernels (hardtanh/relu6: 0 at the clamp limits; relu: 0 at 0).
#include "wick/nn/functional/activation.h"

#include <cmath>

#include "wick/autograd/grad_mode.h"
#include "wick/autograd/record.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {
namespace {

// Runs f out of place, then writes the result into input when inplace. f reads a clone when
// autograd is on, so its saved tensors are not the ones copy_ then modifies.
template <typename F>
Tensor maybe_inplace(const Tensor& input, bool inplace, F&& f) {
  if (!inplace) return f(input);
  Tensor y = f(autograd::needs_grad({input}) ? input.clone() : input);
  Tensor out = input;
  out.copy_(y);
  return out;
}

void check_floating(const Tensor& x, const char* op) {
  WICK_CHECK(x.is_floating_point(), op, ": expected a floating point tensor, got ",
             dtype_name(x.dtype()));
}

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

Tensor elu_impl(const Tensor& x, double alpha, double scale, double input_scale) {
  check_floating(x, "elu");
  Tensor neg = expm1(clamp_max(x, 0) * input_scale) * (alpha * scale);
  return where(x > 0, x * scale, neg);
}

}  // namespace

Tensor relu(const Tensor& input, bool inplace) {
  return maybe_inplace(input, inplace, [](const Tensor& x) { return wick::relu(x); });
}

Tensor hardtanh(const Tensor& input, double min_val, double max_val, bool inplace) {
  WICK_CHECK(max_val >= min_val, "hardtanh(): max_val (", max_val,
             ") must be greater than or equal to min_val (", min_val, ")");
  return maybe_inplace(input, inplace, [&](const Tensor& x) {
    return where(x <= min_val, Scalar(min_val), where(x >= max_val, Scalar(max_val), x));
  });
}

Tensor relu6(const Tensor& input, bool inplace) { return hardtanh(input, 0.0, 6.0, inplace); }

Tensor leaky_relu(const Tensor& input, double negative_slope, bool inplace) {
  return maybe_inplace(input, inplace,
                       [&](const Tensor& x) { return where(x > 0, x, x * negative_slope); });
}

Tensor rrelu(const Tensor& input, double lower, double upper, bool training, bool inplace) {
  WICK_CHECK(lower <= upper,
             "rrelu: Lower bound should be less than or equal to the upper bound, got lower=",
             lower, " and upper=", upper);
  check_floating(input, "rrelu");
  return maybe_inplace(input, inplace, [&](const Tensor& x) {
    // PyTorch's noise: 1 above 0, the slope at or below 0; out = x * noise, grad = g * noise.
    Tensor noise;
    {
      autograd::NoGradGuard no_grad;
      Tensor slope =
          training ? empty_like(x).uniform_(lower, upper) : full_like(x, (lower + upper) / 2);
      noise = where(x > 0, Scalar(1.0), slope);
    }
    return autograd::record("RreluWithNoiseBackward0", x.detach() * noise, {x},
                            [noise](const autograd::variable_list& g) {
                              return autograd::variable_list{g[0] * noise};
                            });
  });
}

Tensor prelu(const Tensor& input, const Tensor& weight) {
  WICK_CHECK(weight.dim() <= 1, "prelu: expected weight to be a scalar or 1D tensor, got ",
             weight.dim(), "D");
  Tensor w = weight;
  if (weight.numel() != 1) {
    WICK_CHECK(input.dim() >= 1, "prelu: a 0-D input needs a weight with one element, got ",
               weight.numel());
    int64_t channels = input.dim() >= 2 ? input.size(1) : input.size(0);
    WICK_CHECK(channels == weight.numel(),
               "Mismatch of parameter numbers and input channel size. Found parameter numbers = ",
               weight.numel(), " and channel size = ", channels, ".");
    if (input.dim() >= 2) {
      Shape s(static_cast<size_t>(input.dim() - 1), 1);
      s[0] = channels;
      w = weight.reshape(s);  // (C, 1, ..., 1) broadcasts over dim 1
    }
  }
  return where(input > 0, input, w * input);
}

Tensor elu(const Tensor& input, double alpha, bool inplace) {
  return maybe_inplace(input, inplace,
                       [&](const Tensor& x) { return elu_impl(x, alpha, 1.0, 1.0); });
}

Tensor selu(const Tensor& input, bool inplace) {
  return maybe_inplace(input, inplace,
                       [](const Tensor& x) { return elu_impl(x, kSeluAlpha, kSeluScale, 1.0); });
}

Tensor celu(const Tensor& input, double alpha, bool inplace) {
  WICK_CHECK(alpha != 0, "ZeroDivisionError from celu: alpha cannot be 0.");
  return maybe_inplace(input, inplace,
                       [&](const Tensor& x) { return elu_impl(x, alpha, 1.0, 1.0 / alpha); });
}

Tensor gelu(const Tensor& input, const std::string& approximate) {
  WICK_CHECK(approximate == "none" || approximate == "tanh",
             "approximate argument must be either none or tanh.");
  check_floating(input, "gelu");
  if (approximate == "tanh") {
    const double k = std::sqrt(2.0 / M_PI);
    Tensor inner = (input + input * input * input * 0.044715) * k;
    return input * 0.5 * (wick::tanh(inner) + 1);
  }
  return input * 0.5 * (erf(input * M_SQRT1_2) + 1);
}

Tensor silu(const Tensor& input, bool inplace) {
  return maybe_inplace(input, inplace, [](const Tensor& x) { return x * wick::sigmoid(x); });
}

Tensor mish(const Tensor& input, bool inplace) {
  return maybe_inplace(input, inplace, [](const Tensor& x) { return x * wick::tanh(softplus(x)); });
}

Tensor sigmoid(const Tensor& input) { return wick::sigmoid(input); }
Tensor tanh(const Tensor& input) { return wick::tanh(input); }

// log(sigmoid(x)) = x - log1p(exp(x)) for x < 0, -log1p(exp(-x)) otherwise: no overflow either
// side.
Tensor logsigmoid(const Tensor& input) {
  check_floating(input, "log_sigmoid");
  Tensor neg = clamp_max(input, 0);
  Tensor pos = clamp_min(input, 0);
  return where(input < 0, neg - log1p(exp(neg)), -log1p(exp(-pos)));
}

Tensor hardsigmoid(const Tensor& input, bool inplace) {
  return maybe_inplace(input, inplace,
                       [](const Tensor& x) { return hardtanh(x, -3.0, 3.0) / 6 + 0.5; });
}

Tensor hardswish(const Tensor& input, bool inplace) {
  return maybe_inplace(input, inplace,
                       [](const Tensor& x) { return x * hardtanh(x + 3, 0.0, 6.0) / 6; });
}

Tensor hardshrink(const Tensor& input, double lambd) {
  return where(abs(input) > lambd, input, Scalar(0));
}

Tensor softshrink(const Tensor& input, double lambd) {
  WICK_CHECK(lambd >= 0, "lambda must be greater or equal to 0, but found to be ", lambd, ".");
  return where(input > lambd, input - lambd, where(input < -lambd, input + lambd, Scalar(0)));
}

Tensor tanhshrink(const Tensor& input) { return input - wick::tanh(input); }

// PyTorch's softplus: x where beta * x > threshold, else log1p(exp(beta * x)) / beta.
Tensor softplus(const Tensor& input, double beta, double threshold) {
  check_floating(input, "softplus");
  Tensor bx = input * beta;
  return where(bx > threshold, input, log1p(exp(clamp_max(bx, threshold))) / beta);
}

Tensor softsign(const Tensor& input) { return input / (abs(input) + 1); }

Tensor threshold(const Tensor& input, double threshold, double value, bool inplace) {
  return maybe_inplace(input, inplace,
                       [&](const Tensor& x) { return where(x > threshold, x, Scalar(value)); });
}

Tensor glu(const Tensor& input, int64_t dim) {
  WICK_CHECK(input.dim() > 0, "glu does not support scalars because halving size must be even");
  int64_t d = wrap_dim(dim, input.dim());
  WICK_CHECK(input.size(d) % 2 == 0, "Halving dimension must be even, but dimension ", d,
             " is size ", input.size(d));
  int64_t half = input.size(d) / 2;
  return input.narrow(d, 0, half) * wick::sigmoid(input.narrow(d, half, half));
}

}  // namespace wick::nn::functional

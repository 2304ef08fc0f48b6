// LazyLinear: materialises its parameters in place on the first forward (see lazy.h), then
// behaves as Linear.
#include <cmath>

#include "wick/autograd/grad_mode.h"
#include "wick/nn/init.h"
#include "wick/nn/modules/lazy.h"
#include "wick/ops/creation.h"

namespace wick::nn {
namespace {

// Makes every handle to `param` see `fresh` (shape, strides, storage), as Module::to does.
void materialize(const Tensor& param, const Tensor& fresh) {
  TensorImpl* i = param.impl();
  i->storage = fresh.impl()->storage;
  i->offset = fresh.impl()->offset;
  i->sizes = fresh.impl()->sizes;
  i->strides = fresh.impl()->strides;
}

}  // namespace

LazyLinearImpl::LazyLinearImpl(int64_t out, LinearOptions o) : Module("LazyLinear"), out_features(out) {
  WICK_CHECK(out >= 0, "LazyLinear: out_features must be non-negative, got ", out);
  const TensorOptions f{.dtype = o.dtype.value_or(default_dtype()), .device = o.device.value_or(Device(kCPU))};
  weight = register_parameter("weight", empty({0}, f));
  if (o.bias) bias = register_parameter("bias", empty({0}, f));
}

void LazyLinearImpl::initialize_parameters(const Tensor& input) {
  if (initialized_) return;
  WICK_CHECK(input.dim() >= 1, "LazyLinear: expected an input with at least 1 dimension, got ", input.sizes());
  in_features = input.size(-1);
  {
    autograd::NoGradGuard ng;
    const TensorOptions f{.dtype = weight.dtype(), .device = weight.device()};
    materialize(weight, empty({out_features, in_features}, f));
    if (bias.defined()) materialize(bias, empty({out_features}, f));
  }
  initialized_ = true;
  reset_parameters();
}

void LazyLinearImpl::reset_parameters() {
  if (!initialized_ || in_features == 0) return;
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)});
  if (bias.defined()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    init::uniform_(bias, -bound, bound);
  }
}

Tensor LazyLinearImpl::forward(const Tensor& input) {
  initialize_parameters(input);
  WICK_CHECK(input.dim() >= 1 && input.size(-1) == in_features, repr(), ": expected input with last dimension ",
             in_features, ", got ", input.sizes());
  return functional::linear(input, weight, bias);
}

std::string LazyLinearImpl::extra_repr() const {
  return "in_features=" + std::to_string(in_features) + ", out_features=" + std::to_string(out_features) +
         ", bias=" + detail::py_bool(bias.defined());
}

// PyTorch turns the module into a Linear once initialised, so it prints as one.
std::string LazyLinearImpl::repr() const {
  return std::string(initialized_ ? "Linear" : "LazyLinear") + "(" + extra_repr() + ")";
}

LazyLinear::LazyLinear(int64_t out_features, LinearOptions options)
    : ModuleHolder<LazyLinearImpl>(out_features, options) {}

}  // namespace wick::nn

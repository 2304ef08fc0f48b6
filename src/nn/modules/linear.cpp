// Linear and Bilinear: construction with PyTorch's default init, and input checks that name the
// module (its printed form) and the shape it expected.
#include "wick/nn/modules/linear.h"

#include <cmath>

#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {
namespace {

TensorOptions factory(const LinearOptions& o) {
  return {.dtype = o.dtype.value_or(default_dtype()), .device = o.device.value_or(Device(kCPU))};
}

std::string head(const Module& m) { return m.name() + "(" + m.extra_repr() + ")"; }

}  // namespace

LinearImpl::LinearImpl(int64_t in_features_, int64_t out_features_, LinearOptions options)
    : Module("Linear"), in_features(in_features_), out_features(out_features_) {
  WICK_CHECK(in_features >= 0 && out_features >= 0,
             "Linear: in_features and out_features must be non-negative, got ", in_features,
             " and ", out_features);
  weight = register_parameter("weight", empty({out_features, in_features}, factory(options)));
  if (options.bias) bias = register_parameter("bias", empty({out_features}, factory(options)));
  reset_parameters();
}

void LinearImpl::reset_parameters() {
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)});
  if (bias.defined()) {
    auto fan_in = init::calculate_fan_in_and_fan_out(weight).first;
    double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
    init::uniform_(bias, -bound, bound);
  }
}

Tensor LinearImpl::forward(const Tensor& input) {
  WICK_CHECK(input.dim() >= 1 && input.size(-1) == in_features, head(*this),
             ": expected input with last dimension ", in_features, ", got ", input.sizes());
  return functional::linear(input, weight, bias);
}

std::string LinearImpl::extra_repr() const {
  return "in_features=" + std::to_string(in_features) +
         ", out_features=" + std::to_string(out_features) +
         ", bias=" + detail::py_bool(bias.defined());
}

BilinearImpl::BilinearImpl(int64_t in1, int64_t in2, int64_t out, LinearOptions options)
    : Module("Bilinear"), in1_features(in1), in2_features(in2), out_features(out) {
  weight = register_parameter("weight", empty({out, in1, in2}, factory(options)));
  if (options.bias) bias = register_parameter("bias", empty({out}, factory(options)));
  reset_parameters();
}

void BilinearImpl::reset_parameters() {
  double bound = in1_features > 0 ? 1.0 / std::sqrt(static_cast<double>(in1_features)) : 0.0;
  init::uniform_(weight, -bound, bound);
  if (bias.defined()) init::uniform_(bias, -bound, bound);
}

Tensor BilinearImpl::forward(const Tensor& input1, const Tensor& input2) {
  WICK_CHECK(input1.dim() >= 1 && input1.size(-1) == in1_features, head(*this),
             ": expected input1 with last dimension ", in1_features, ", got ", input1.sizes());
  WICK_CHECK(input2.dim() >= 1 && input2.size(-1) == in2_features, head(*this),
             ": expected input2 with last dimension ", in2_features, ", got ", input2.sizes());
  return functional::bilinear(input1, input2, weight, bias);
}

std::string BilinearImpl::extra_repr() const {
  return "in1_features=" + std::to_string(in1_features) +
         ", in2_features=" + std::to_string(in2_features) +
         ", out_features=" + std::to_string(out_features) +
         ", bias=" + detail::py_bool(bias.defined());
}

Linear::Linear(int64_t in_features, int64_t out_features, LinearOptions options)
    : ModuleHolder<LinearImpl>(in_features, out_features, options) {}

Bilinear::Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features,
                   LinearOptions options)
    : ModuleHolder<BilinearImpl>(in1_features, in2_features, out_features, options) {}

}  // namespace wick::nn

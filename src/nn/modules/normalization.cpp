// LayerNorm, GroupNorm, LocalResponseNorm: parameters with PyTorch's initialisation, input checks
// naming the module, printing; the work is in functional (normalization.cpp, layer_norm.cpp).
#include "wick/nn/modules/normalization.h"

#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {
namespace {

TensorOptions factory(std::optional<DType> dtype, std::optional<Device> device) {
  return {.dtype = dtype.value_or(default_dtype()), .device = device.value_or(Device(kCPU))};
}

}  // namespace

LayerNormImpl::LayerNormImpl(IntArrayRef shape, LayerNormOptions o)
    : Module("LayerNorm"),
      normalized_shape(shape.vec()),
      eps(o.eps),
      elementwise_affine(o.elementwise_affine) {
  for (int64_t s : normalized_shape)
    WICK_CHECK(s >= 0, "LayerNorm: normalized_shape must be non-negative, got ", shape);
  if (elementwise_affine) {
    weight = register_parameter("weight", empty(normalized_shape, factory(o.dtype, o.device)));
    if (o.bias)
      bias = register_parameter("bias", empty(normalized_shape, factory(o.dtype, o.device)));
  }
  reset_parameters();
}

void LayerNormImpl::reset_parameters() {
  if (weight.defined()) init::ones_(weight);
  if (bias.defined()) init::zeros_(bias);
}

Tensor LayerNormImpl::forward(const Tensor& input) {
  return functional::layer_norm(input, normalized_shape, weight, bias, eps);
}

std::string LayerNormImpl::extra_repr() const {
  return detail::py_tuple(normalized_shape) + ", eps=" + detail::py_repr(eps) +
         ", elementwise_affine=" + detail::py_bool(elementwise_affine);
}

GroupNormImpl::GroupNormImpl(int64_t num_groups_, int64_t num_channels_, GroupNormOptions o)
    : Module("GroupNorm"),
      num_groups(num_groups_),
      num_channels(num_channels_),
      eps(o.eps),
      affine(o.affine) {
  WICK_CHECK(num_groups > 0 && num_channels % num_groups == 0,
             "GroupNorm: num_channels must be divisible by num_groups, got num_channels=",
             num_channels, " and num_groups=", num_groups);
  if (affine) {
    weight = register_parameter("weight", empty({num_channels}, factory(o.dtype, o.device)));
    bias = register_parameter("bias", empty({num_channels}, factory(o.dtype, o.device)));
  }
  reset_parameters();
}

void GroupNormImpl::reset_parameters() {
  if (!affine) return;
  init::ones_(weight);
  init::zeros_(bias);
}

Tensor GroupNormImpl::forward(const Tensor& input) {
  WICK_CHECK(input.dim() >= 2 && input.size(1) == num_channels, "GroupNorm(", extra_repr(),
             "): expected input (N, ", num_channels, ", *), got ", input.sizes());
  return functional::group_norm(input, num_groups, weight, bias, eps);
}

std::string GroupNormImpl::extra_repr() const {
  return std::to_string(num_groups) + ", " + std::to_string(num_channels) +
         ", eps=" + detail::py_repr(eps) + ", affine=" + detail::py_bool(affine);
}

LocalResponseNormImpl::LocalResponseNormImpl(int64_t size_, LocalResponseNormOptions o)
    : Module("LocalResponseNorm"), size(size_), alpha(o.alpha), beta(o.beta), k(o.k) {
  WICK_CHECK(size > 0, "LocalResponseNorm: size must be positive, got ", size);
}

Tensor LocalResponseNormImpl::forward(const Tensor& input) {
  return functional::local_response_norm(input, size, alpha.to_double(), beta.to_double(),
                                         k.to_double());
}

std::string LocalResponseNormImpl::extra_repr() const {
  return std::to_string(size) + ", alpha=" + detail::py_repr(alpha) +
         ", beta=" + detail::py_repr(beta) + ", k=" + detail::py_repr(k);
}

LayerNorm::LayerNorm(IntArrayRef normalized_shape, LayerNormOptions options)
    : ModuleHolder<LayerNormImpl>(normalized_shape.vec(), options) {}

GroupNorm::GroupNorm(int64_t num_groups, int64_t num_channels, GroupNormOptions options)
    : ModuleHolder<GroupNormImpl>(num_groups, num_channels, options) {}

LocalResponseNorm::LocalResponseNorm(int64_t size, LocalResponseNormOptions options)
    : ModuleHolder<LocalResponseNormImpl>(size, options) {}

}  // namespace wick::nn

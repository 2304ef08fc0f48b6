// LayerNorm, GroupNorm, LocalResponseNorm (torch.nn.*): parameters initialised as PyTorch's
// (weight 1, bias 0), printed as PyTorch (`LayerNorm((10,), eps=1e-05, elementwise_affine=True)`).
// LayerNorm's normalized_shape is an int or a list: LayerNorm(10), LayerNorm({3, 4}, {.eps =
// 1e-6}).
#pragma once

#include <optional>
#include <string>

#include "wick/core/device.h"
#include "wick/nn/functional/normalization.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

struct LayerNormOptions {
  double eps = 1e-5;
  bool elementwise_affine = true;
  bool bias = true;  // PyTorch 2.1's bias=False: a weight but no bias
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

struct LayerNormImpl : Module {
  explicit LayerNormImpl(IntArrayRef normalized_shape, LayerNormOptions options = {});
  Tensor forward(const Tensor& input);
  void reset_parameters();  // weight = 1, bias = 0
  std::string extra_repr() const override;

  Shape normalized_shape;
  double eps;
  bool elementwise_affine;
  Tensor weight, bias;  // undefined without elementwise_affine (bias also without options.bias)
};

class LayerNorm : public ModuleHolder<LayerNormImpl> {
 public:
  using ModuleHolder<LayerNormImpl>::ModuleHolder;
  LayerNorm(IntArrayRef normalized_shape, LayerNormOptions options = {});  // NOLINT
};

struct GroupNormOptions {
  double eps = 1e-5;
  bool affine = true;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

// input (N, num_channels, *); weight, bias (num_channels).
struct GroupNormImpl : Module {
  GroupNormImpl(int64_t num_groups, int64_t num_channels, GroupNormOptions options = {});
  Tensor forward(const Tensor& input);
  void reset_parameters();
  std::string extra_repr() const override;

  int64_t num_groups, num_channels;
  double eps;
  bool affine;
  Tensor weight, bias;
};

class GroupNorm : public ModuleHolder<GroupNormImpl> {
 public:
  using ModuleHolder<GroupNormImpl>::ModuleHolder;
  GroupNorm(int64_t num_groups, int64_t num_channels, GroupNormOptions options = {});  // NOLINT
};

// Scalars, so LocalResponseNorm(3, {.k = 1}) prints k=1 as Python does.
struct LocalResponseNormOptions {
  Scalar alpha = 1e-4;
  Scalar beta = 0.75;
  Scalar k = 1.0;
};

struct LocalResponseNormImpl : Module {
  explicit LocalResponseNormImpl(int64_t size, LocalResponseNormOptions options = {});
  Tensor forward(const Tensor& input);
  std::string extra_repr() const override;

  int64_t size;
  Scalar alpha, beta, k;
};

class LocalResponseNorm : public ModuleHolder<LocalResponseNormImpl> {
 public:
  using ModuleHolder<LocalResponseNormImpl>::ModuleHolder;
  LocalResponseNorm(int64_t size, LocalResponseNormOptions options = {});  // NOLINT
};

}  // namespace wick::nn

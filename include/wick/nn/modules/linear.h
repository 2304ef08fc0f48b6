// Identity, Linear and Bilinear (torch.nn.Identity/Linear/Bilinear): parameters named and shaped as
// PyTorch's (weight, bias) with PyTorch's default initialisation (see reset_parameters()).
#pragma once

#include <optional>
#include <string>

#include "wick/core/device.h"
#include "wick/nn/functional/linear.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

struct IdentityImpl : Module {
  IdentityImpl() : Module("Identity") {}
  Tensor forward(const Tensor& input) { return input; }
};
WICK_MODULE(Identity);

struct LinearOptions {
  bool bias = true;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

// y = x W^T + b; weight (out_features, in_features), bias (out_features).
struct LinearImpl : Module {
  LinearImpl(int64_t in_features, int64_t out_features, LinearOptions options = {});
  Tensor forward(const Tensor& input);
  // kaiming_uniform_(weight, a=sqrt(5)); bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  void reset_parameters();
  std::string extra_repr() const override;

  int64_t in_features, out_features;
  Tensor weight, bias;  // bias undefined when options.bias is false
};

class Linear : public ModuleHolder<LinearImpl> {
 public:
  using ModuleHolder<LinearImpl>::ModuleHolder;
  Linear(int64_t in_features, int64_t out_features, LinearOptions options = {});
};

// y = x1^T W x2 + b; weight (out_features, in1_features, in2_features), bias (out_features).
struct BilinearImpl : Module {
  BilinearImpl(int64_t in1_features, int64_t in2_features, int64_t out_features,
               LinearOptions options = {});
  Tensor forward(const Tensor& input1, const Tensor& input2);
  // weight and bias ~ U(-1/sqrt(in1_features), 1/sqrt(in1_features)).
  void reset_parameters();
  std::string extra_repr() const override;

  int64_t in1_features, in2_features, out_features;
  Tensor weight, bias;
};

class Bilinear : public ModuleHolder<BilinearImpl> {
 public:
  using ModuleHolder<BilinearImpl>::ModuleHolder;
  Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features,
           LinearOptions options = {});
};

}  // namespace wick::nn

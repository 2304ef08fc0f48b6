// Upsample, UpsamplingNearest2d and UpsamplingBilinear2d (torch.nn): settings and printing as
// PyTorch's; forward is nn::functional::interpolate.
#pragma once

#include <string>

#include "wick/nn/functional/upsampling.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

using UpsampleOptions = functional::InterpolateFuncOptions;

class UpsampleImpl : public Module {
 public:
  explicit UpsampleImpl(UpsampleOptions options = {}) : UpsampleImpl("Upsample", std::move(options)) {}
  Tensor forward(const Tensor& input) { return functional::interpolate(input, options); }
  // scale_factor=2.0 / size=(3, 4), then mode=nearest (PyTorch prints the mode unquoted).
  std::string extra_repr() const override;

  UpsampleOptions options;

 protected:
  UpsampleImpl(std::string name, UpsampleOptions options) : Module(std::move(name)), options(std::move(options)) {}
};
WICK_OPTIONS_MODULE(Upsample, UpsampleOptions);

struct UpsamplingOptions {
  ScalarOrList<int64_t> size = std::nullopt;
  ScalarOrList<double> scale_factor = std::nullopt;
};

// Upsample with mode='nearest'.
class UpsamplingNearest2dImpl : public UpsampleImpl {
 public:
  explicit UpsamplingNearest2dImpl(UpsamplingOptions o = {})
      : UpsampleImpl("UpsamplingNearest2d", {.size = o.size, .scale_factor = o.scale_factor, .mode = "nearest"}) {}
};
WICK_OPTIONS_MODULE(UpsamplingNearest2d, UpsamplingOptions);

// Upsample with mode='bilinear', align_corners=True.
class UpsamplingBilinear2dImpl : public UpsampleImpl {
 public:
  explicit UpsamplingBilinear2dImpl(UpsamplingOptions o = {})
      : UpsampleImpl("UpsamplingBilinear2d",
                     {.size = o.size, .scale_factor = o.scale_factor, .mode = "bilinear", .align_corners = true}) {}
};
WICK_OPTIONS_MODULE(UpsamplingBilinear2d, UpsamplingOptions);

}  // namespace wick::nn

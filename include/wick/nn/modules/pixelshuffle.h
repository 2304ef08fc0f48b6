// PixelShuffle and PixelUnshuffle (torch.nn): hold the factor, print as PyTorch, forward to
// nn::functional.
#pragma once

#include <string>

#include "wick/nn/functional/pixelshuffle.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

struct PixelShuffleImpl : Module {
  explicit PixelShuffleImpl(int64_t upscale_factor_) : Module("PixelShuffle"), upscale_factor(upscale_factor_) {}
  Tensor forward(const Tensor& input) { return functional::pixel_shuffle(input, upscale_factor); }
  std::string extra_repr() const override { return "upscale_factor=" + std::to_string(upscale_factor); }
  int64_t upscale_factor;
};
WICK_MODULE(PixelShuffle);

struct PixelUnshuffleImpl : Module {
  explicit PixelUnshuffleImpl(int64_t downscale_factor_)
      : Module("PixelUnshuffle"), downscale_factor(downscale_factor_) {}
  Tensor forward(const Tensor& input) { return functional::pixel_unshuffle(input, downscale_factor); }
  std::string extra_repr() const override { return "downscale_factor=" + std::to_string(downscale_factor); }
  int64_t downscale_factor;
};
WICK_MODULE(PixelUnshuffle);

}  // namespace wick::nn

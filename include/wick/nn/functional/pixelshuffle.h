// nn::functional::pixel_shuffle / pixel_unshuffle (torch.nn.functional): depth <-> space
// rearrangements on (*, C, H, W), as reshape + permute (views and a copy; gradients from those).
#pragma once

#include "wick/core/tensor.h"

namespace wick::nn::functional {

// (*, C * r^2, H, W) -> (*, C, H * r, W * r)
Tensor pixel_shuffle(const Tensor& input, int64_t upscale_factor);
// (*, C, H * r, W * r) -> (*, C * r^2, H, W)
Tensor pixel_unshuffle(const Tensor& input, int64_t downscale_factor);

}  // namespace wick::nn::functional

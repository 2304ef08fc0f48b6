// nn::functional dropout family (torch.nn.functional.dropout ...), PyTorch's arguments and
// defaults. Masks come from the seeded default generator (manual_seed makes runs repeatable); the
// random stream is Wick's own, not PyTorch's. When not training (or p == 0) the input is returned.
#pragma once

#include "wick/core/tensor.h"

namespace wick::nn::functional {

// Zeroes each element with probability p and scales the rest by 1 / (1 - p).
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false);
// Zeroes whole channels: input (N, C, L) or (C, L) / (N, C, H, W) or (C, H, W) / (N, C, D, H, W)
// or (C, D, H, W).
Tensor dropout1d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false);
Tensor dropout2d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false);
Tensor dropout3d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false);
// SELU-preserving dropout: dropped elements take the negative saturation value, then an affine
// map keeps mean 0 and variance 1. Note PyTorch's default training=false for these two.
Tensor alpha_dropout(const Tensor& input, double p = 0.5, bool training = false,
                     bool inplace = false);
// alpha_dropout with one draw per channel (dims 0 and 1 of input (N, C, *)).
Tensor feature_alpha_dropout(const Tensor& input, double p = 0.5, bool training = false,
                             bool inplace = false);

}  // namespace wick::nn::functional

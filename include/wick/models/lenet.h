// LeNet-5 as in d2l 6.6 (sigmoid activations, average pooling, 28x28 input) and the
// batch-normalised variant of d2l 8.5. Both are plain Sequentials, so state_dict keys are
// PyTorch's (0.weight, 0.bias, 3.weight, ...). Not the original LeNet's sparse connections.
#pragma once

#include "wick/models/options.h"
#include "wick/nn/nn.h"

namespace wick::models {

// Input (N, in_channels, 28, 28) -> logits (N, num_classes).
inline nn::Sequential lenet(ModelOptions o = {}) {
  return nn::Sequential(
      nn::Conv2d(o.in_channels, 6, 5, {.padding = 2}), nn::Sigmoid(), nn::AvgPool2d(2, {.stride = 2}),
      nn::Conv2d(6, 16, 5), nn::Sigmoid(), nn::AvgPool2d(2, {.stride = 2}), nn::Flatten(),
      nn::Linear(16 * 5 * 5, 120), nn::Sigmoid(), nn::Linear(120, 84), nn::Sigmoid(),
      nn::Linear(84, o.num_classes));
}

// d2l 8.5's concise BatchNorm LeNet: no padding in the first conv, so the flatten size is 16*4*4.
inline nn::Sequential lenet_bn(ModelOptions o = {}) {
  return nn::Sequential(
      nn::Conv2d(o.in_channels, 6, 5), nn::BatchNorm2d(6), nn::Sigmoid(), nn::AvgPool2d(2, {.stride = 2}),
      nn::Conv2d(6, 16, 5), nn::BatchNorm2d(16), nn::Sigmoid(), nn::AvgPool2d(2, {.stride = 2}),
      nn::Flatten(), nn::Linear(256, 120), nn::BatchNorm1d(120), nn::Sigmoid(), nn::Linear(120, 84),
      nn::BatchNorm1d(84), nn::Sigmoid(), nn::Linear(84, o.num_classes));
}

}  // namespace wick::models

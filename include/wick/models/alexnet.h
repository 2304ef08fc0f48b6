// AlexNet as in d2l 7.1: one input channel, 224x224 input, 10 classes by default; dropout 0.5
// in the classifier. Not torchvision's AlexNet (different widths and no adaptive pooling).
#pragma once

#include "wick/models/options.h"
#include "wick/nn/nn.h"

namespace wick::models {

// Input (N, in_channels, 224, 224) -> logits (N, num_classes).
inline nn::Sequential alexnet(ModelOptions o = {}) {
  return nn::Sequential(
      nn::Conv2d(o.in_channels, 96, 11, {.stride = 4, .padding = 1}), nn::ReLU(), nn::MaxPool2d(3, {.stride = 2}),
      nn::Conv2d(96, 256, 5, {.padding = 2}), nn::ReLU(), nn::MaxPool2d(3, {.stride = 2}),
      nn::Conv2d(256, 384, 3, {.padding = 1}), nn::ReLU(), nn::Conv2d(384, 384, 3, {.padding = 1}), nn::ReLU(),
      nn::Conv2d(384, 256, 3, {.padding = 1}), nn::ReLU(), nn::MaxPool2d(3, {.stride = 2}), nn::Flatten(),
      nn::Linear(6400, 4096), nn::ReLU(), nn::Dropout(0.5), nn::Linear(4096, 4096), nn::ReLU(), nn::Dropout(0.5),
      nn::Linear(4096, o.num_classes));
}

}  // namespace wick::models

// Network in Network as in d2l 7.3: nin_block = conv + two 1x1 convs, each followed by ReLU;
// global average pooling replaces the fully connected classifier. Input 224x224.
#pragma once

#include "wick/models/options.h"
#include "wick/nn/nn.h"

namespace wick::models {

inline nn::Sequential nin_block(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t strides,
                                int64_t padding) {
  return nn::Sequential(nn::Conv2d(in_channels, out_channels, kernel_size, {.stride = strides, .padding = padding}),
                        nn::ReLU(), nn::Conv2d(out_channels, out_channels, 1), nn::ReLU(),
                        nn::Conv2d(out_channels, out_channels, 1), nn::ReLU());
}

// Input (N, in_channels, 224, 224) -> logits (N, num_classes).
inline nn::Sequential nin(ModelOptions o = {}) {
  return sequential(nin_block(o.in_channels, 96, 11, 4, 0), nn::MaxPool2d(3, {.stride = 2}),
                    nin_block(96, 256, 5, 1, 2), nn::MaxPool2d(3, {.stride = 2}),
                    nin_block(256, 384, 3, 1, 1), nn::MaxPool2d(3, {.stride = 2}), nn::Dropout(0.5),
                    nin_block(384, o.num_classes, 3, 1, 1), nn::AdaptiveAvgPool2d({1, 1}), nn::Flatten());
}

}  // namespace wick::models

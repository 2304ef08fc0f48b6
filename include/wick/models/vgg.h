// VGG as in d2l 7.2: vgg_block(num_convs, in, out) and a network built from a conv_arch list
// (VGG-11 by default). `ratio` divides every conv's channel count, as d2l's small_conv_arch (ratio 4)
// that trains on Fashion-MNIST in reasonable time. Input 224x224.
#pragma once

#include <utility>
#include <vector>

#include "wick/models/options.h"
#include "wick/nn/nn.h"

namespace wick::models {

inline nn::Sequential vgg_block(int64_t num_convs, int64_t in_channels, int64_t out_channels) {
  nn::Sequential block;
  for (int64_t i = 0; i < num_convs; ++i) {
    block->append(nn::Conv2d(in_channels, out_channels, 3, {.padding = 1}));
    block->append(nn::ReLU());
    in_channels = out_channels;
  }
  block->append(nn::MaxPool2d(2, {.stride = 2}));
  return block;
}

struct VGGOptions {
  int64_t in_channels = 1;
  int64_t num_classes = 10;
  // (num_convs, out_channels) per block; VGG-11.
  std::vector<std::pair<int64_t, int64_t>> conv_arch = {{1, 64}, {1, 128}, {2, 256}, {2, 512}, {2, 512}};
  int64_t ratio = 1;  // d2l trains with 4 on Fashion-MNIST
};

// Input (N, in_channels, 224, 224) -> logits (N, num_classes).
inline nn::Sequential vgg(VGGOptions o = {}) {
  WICK_CHECK(!o.conv_arch.empty() && o.ratio > 0, "vgg: expected a non-empty conv_arch and ratio > 0, got ",
             o.conv_arch.size(), " blocks and ratio ", o.ratio);
  nn::Sequential net;
  int64_t in_channels = o.in_channels, out_channels = 0;
  for (const auto& [num_convs, channels] : o.conv_arch) {
    out_channels = channels / o.ratio;
    net->append(vgg_block(num_convs, in_channels, out_channels));
    in_channels = out_channels;
  }
  // Each block halves the side: 224 / 2^5 = 7. d2l keeps the 4096-wide classifier at any ratio.
  const int64_t hidden = 4096;
  net->append(nn::Flatten());
  net->append(nn::Linear(out_channels * 7 * 7, hidden));
  net->append(nn::ReLU());
  net->append(nn::Dropout(0.5));
  net->append(nn::Linear(hidden, hidden));
  net->append(nn::ReLU());
  net->append(nn::Dropout(0.5));
  net->append(nn::Linear(hidden, o.num_classes));
  return net;
}

}  // namespace wick::models

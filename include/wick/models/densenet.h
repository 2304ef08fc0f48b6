// DenseNet as in d2l 8.7: conv_block = BN-ReLU-3x3 conv, DenseBlock concatenates each block's
// output to its input on channels, transition_block = BN-ReLU-1x1 conv-avgpool halves channels
// and side. Growth rate 32, four dense blocks of four convs. Input 96x96.
#pragma once

#include <vector>

#include "wick/models/options.h"
#include "wick/nn/nn.h"
#include "wick/ops/shape_ops.h"

namespace wick::models {

inline nn::Sequential conv_block(int64_t input_channels, int64_t num_channels) {
  return nn::Sequential(nn::BatchNorm2d(input_channels), nn::ReLU(),
                        nn::Conv2d(input_channels, num_channels, 3, {.padding = 1}));
}

struct DenseBlockImpl : nn::Module {
  DenseBlockImpl(int64_t num_convs, int64_t input_channels, int64_t num_channels) {
    for (int64_t i = 0; i < num_convs; ++i) net->append(conv_block(num_channels * i + input_channels, num_channels));
    register_module("net", net);
  }
  // x (N, C, H, W) -> (N, C + num_convs * num_channels, H, W)
  Tensor forward(Tensor x) {
    for (const auto& blk : *net) x = cat({x, blk(x)}, 1);
    return x;
  }
  nn::Sequential net;
};
WICK_MODULE(DenseBlock);

inline nn::Sequential transition_block(int64_t input_channels, int64_t num_channels) {
  return nn::Sequential(nn::BatchNorm2d(input_channels), nn::ReLU(), nn::Conv2d(input_channels, num_channels, 1),
                        nn::AvgPool2d(2, {.stride = 2}));
}

struct DenseNetOptions {
  int64_t in_channels = 1;
  int64_t num_classes = 10;
  int64_t num_channels = 64;  // after the stem
  int64_t growth_rate = 32;
  std::vector<int64_t> num_convs_in_dense_blocks = {4, 4, 4, 4};
};

// Input (N, in_channels, 96, 96) -> logits (N, num_classes).
inline nn::Sequential densenet(DenseNetOptions o = {}) {
  nn::Sequential net = sequential(nn::Sequential(nn::Conv2d(o.in_channels, 64, 7, {.stride = 2, .padding = 3}), nn::BatchNorm2d(64),
                                    nn::ReLU(), nn::MaxPool2d(3, {.stride = 2, .padding = 1})));
  int64_t num_channels = o.num_channels;
  const size_t n = o.num_convs_in_dense_blocks.size();
  for (size_t i = 0; i < n; ++i) {
    const int64_t num_convs = o.num_convs_in_dense_blocks[i];
    net->append(DenseBlock(num_convs, num_channels, o.growth_rate));
    num_channels += num_convs * o.growth_rate;
    if (i + 1 != n) {
      net->append(transition_block(num_channels, num_channels / 2));
      num_channels /= 2;
    }
  }
  net->append(nn::BatchNorm2d(num_channels));
  net->append(nn::ReLU());
  net->append(nn::AdaptiveAvgPool2d({1, 1}));
  net->append(nn::Flatten());
  net->append(nn::Linear(num_channels, o.num_classes));
  return net;
}

}  // namespace wick::models

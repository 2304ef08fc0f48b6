// GoogLeNet as in d2l 7.4: the Inception block (four parallel paths concatenated on channels)
// and the five-stage network; d2l trains it on Fashion-MNIST at 96x96. No auxiliary classifiers
// and no batch norm (those are later Inception versions).
#pragma once

#include <utility>

#include "wick/models/options.h"
#include "wick/nn/nn.h"
#include "wick/ops/shape_ops.h"

namespace wick::models {

// c1..c4: output channels of each path; c2 and c3 are (1x1 reduce, 3x3 or 5x5) pairs.
struct InceptionImpl : nn::Module {
  InceptionImpl(int64_t in_channels, int64_t c1, std::pair<int64_t, int64_t> c2, std::pair<int64_t, int64_t> c3,
                int64_t c4)
      : p1_1(register_module("p1_1", nn::Conv2d(in_channels, c1, 1))),
        p2_1(register_module("p2_1", nn::Conv2d(in_channels, c2.first, 1))),
        p2_2(register_module("p2_2", nn::Conv2d(c2.first, c2.second, 3, {.padding = 1}))),
        p3_1(register_module("p3_1", nn::Conv2d(in_channels, c3.first, 1))),
        p3_2(register_module("p3_2", nn::Conv2d(c3.first, c3.second, 5, {.padding = 2}))),
        p4_1(register_module("p4_1", nn::MaxPool2d(3, {.stride = 1, .padding = 1}))),
        p4_2(register_module("p4_2", nn::Conv2d(in_channels, c4, 1))) {}

  // x (N, in, H, W) -> (N, c1 + c2.second + c3.second + c4, H, W)
  Tensor forward(const Tensor& x) {
    namespace F = nn::functional;
    Tensor p1 = F::relu(p1_1(x));
    Tensor p2 = F::relu(p2_2(F::relu(p2_1(x))));
    Tensor p3 = F::relu(p3_2(F::relu(p3_1(x))));
    Tensor p4 = F::relu(p4_2(p4_1(x)));
    return cat({p1, p2, p3, p4}, 1);
  }

  nn::Conv2d p1_1, p2_1, p2_2, p3_1, p3_2;
  nn::MaxPool2d p4_1;
  nn::Conv2d p4_2;
};
WICK_MODULE(Inception);

// Inception(in, c1, {c2a, c2b}, {c3a, c3b}, c4): the holder's forwarding constructor cannot take
// braced pairs, so this spells the types out.
inline Inception inception(int64_t in_channels, int64_t c1, std::pair<int64_t, int64_t> c2,
                           std::pair<int64_t, int64_t> c3, int64_t c4) {
  return Inception(in_channels, c1, c2, c3, c4);
}

// Input (N, in_channels, 96, 96) (any size >= 32 works thanks to adaptive pooling) -> logits.
inline nn::Sequential googlenet(ModelOptions o = {}) {
  nn::Sequential b1(nn::Conv2d(o.in_channels, 64, 7, {.stride = 2, .padding = 3}), nn::ReLU(),
                    nn::MaxPool2d(3, {.stride = 2, .padding = 1}));
  nn::Sequential b2(nn::Conv2d(64, 64, 1), nn::ReLU(), nn::Conv2d(64, 192, 3, {.padding = 1}), nn::ReLU(),
                    nn::MaxPool2d(3, {.stride = 2, .padding = 1}));
  nn::Sequential b3(inception(192, 64, {96, 128}, {16, 32}, 32), inception(256, 128, {128, 192}, {32, 96}, 64),
                    nn::MaxPool2d(3, {.stride = 2, .padding = 1}));
  nn::Sequential b4(inception(480, 192, {96, 208}, {16, 48}, 64), inception(512, 160, {112, 224}, {24, 64}, 64),
                    inception(512, 128, {128, 256}, {24, 64}, 64), inception(512, 112, {144, 288}, {32, 64}, 64),
                    inception(528, 256, {160, 320}, {32, 128}, 128), nn::MaxPool2d(3, {.stride = 2, .padding = 1}));
  nn::Sequential b5(inception(832, 256, {160, 320}, {32, 128}, 128), inception(832, 384, {192, 384}, {48, 128}, 128),
                    nn::AdaptiveAvgPool2d({1, 1}), nn::Flatten());
  return sequential(b1, b2, b3, b4, b5, nn::Linear(1024, o.num_classes));
}

}  // namespace wick::models

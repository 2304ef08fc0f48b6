// ResNet-18 as in d2l 8.6 (the Residual block with an optional 1x1 conv shortcut, stages b1..b5
// in one Sequential, so keys read `1.0.conv1.weight`), plus resnet34/resnet50 in the standard
// (torchvision) layout: conv1/bn1/layer1..4/fc with BasicBlock or Bottleneck and `downsample`.
#pragma once

#include <string>
#include <vector>

#include "wick/models/options.h"
#include "wick/nn/nn.h"

namespace wick::models {

// d2l's Residual: conv3 exists only with use_1x1conv, as Python's `self.conv3 = None`.
struct ResidualImpl : nn::Module {
  explicit ResidualImpl(int64_t input_channels, int64_t num_channels, bool use_1x1conv = false, int64_t strides = 1)
      : conv1(register_module("conv1", nn::Conv2d(input_channels, num_channels, 3, {.stride = strides, .padding = 1}))),
        conv2(register_module("conv2", nn::Conv2d(num_channels, num_channels, 3, {.padding = 1}))) {
    if (use_1x1conv) conv3 = register_module("conv3", nn::Conv2d(input_channels, num_channels, 1, {.stride = strides}));
    bn1 = register_module("bn1", nn::BatchNorm2d(num_channels));
    bn2 = register_module("bn2", nn::BatchNorm2d(num_channels));
  }

  Tensor forward(const Tensor& x) {
    namespace F = nn::functional;
    Tensor y = F::relu(bn1(conv1(x)));
    y = bn2(conv2(y));
    return F::relu(y + (conv3.is_empty() ? x : conv3(x)));
  }

  nn::Conv2d conv1, conv2, conv3{nullptr};
  nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
};
WICK_MODULE(Residual);

// One stage of d2l's ResNet: the first block halves the side unless first_block.
inline nn::Sequential resnet_block(int64_t input_channels, int64_t num_channels, int64_t num_residuals,
                                   bool first_block = false) {
  nn::Sequential blk;
  for (int64_t i = 0; i < num_residuals; ++i) {
    if (i == 0 && !first_block)
      blk->append(Residual(input_channels, num_channels, true, 2));
    else
      blk->append(Residual(num_channels, num_channels));
  }
  return blk;
}

// d2l's ResNet-18. Input (N, in_channels, 96, 96) -> logits (N, num_classes).
inline nn::Sequential resnet18(ModelOptions o = {}) {
  nn::Sequential b1(nn::Conv2d(o.in_channels, 64, 7, {.stride = 2, .padding = 3}), nn::BatchNorm2d(64), nn::ReLU(),
                    nn::MaxPool2d(3, {.stride = 2, .padding = 1}));
  return sequential(b1, resnet_block(64, 64, 2, true), resnet_block(64, 128, 2), resnet_block(128, 256, 2),
                    resnet_block(256, 512, 2), nn::AdaptiveAvgPool2d({1, 1}), nn::Flatten(),
                    nn::Linear(512, o.num_classes));
}

// ---- the standard architecture (He et al.; torchvision's module names) ----

// torchvision's init for every conv of its ResNets: Kaiming normal, fan_out, relu (BatchNorm keeps
// weight 1 and bias 0). Done as each conv is made: a module cannot walk its tree in its constructor.
inline nn::Conv2d kaiming_conv(nn::Conv2d conv) {
  nn::init::kaiming_normal_(conv->weight, {.mode = "fan_out", .nonlinearity = "relu"});
  return conv;
}

// 1x1 conv + BatchNorm shortcut when the shape changes (torchvision's `downsample`).
inline nn::Sequential downsample(int64_t in_planes, int64_t out_planes, int64_t stride) {
  return nn::Sequential(kaiming_conv(nn::Conv2d(in_planes, out_planes, 1, {.stride = stride, .bias = false})),
                        nn::BatchNorm2d(out_planes));
}

struct BasicBlockImpl : nn::Module {
  static constexpr int64_t expansion = 1;
  BasicBlockImpl(int64_t inplanes, int64_t planes, int64_t stride = 1)
      : conv1(register_module("conv1", kaiming_conv(nn::Conv2d(inplanes, planes, 3, {.stride = stride, .padding = 1, .bias = false})))),
        bn1(register_module("bn1", nn::BatchNorm2d(planes))),
        relu(register_module("relu", nn::ReLU({.inplace = true}))),
        conv2(register_module("conv2", kaiming_conv(nn::Conv2d(planes, planes, 3, {.padding = 1, .bias = false})))),
        bn2(register_module("bn2", nn::BatchNorm2d(planes))) {
    if (stride != 1 || inplanes != planes) down = register_module("downsample", downsample(inplanes, planes, stride));
  }
  Tensor forward(const Tensor& x) {
    Tensor out = relu(bn1(conv1(x)));
    out = bn2(conv2(out));
    return relu(out + (down.is_empty() ? x : down(x)));
  }
  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::ReLU relu;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Sequential down{nullptr};
};
WICK_MODULE(BasicBlock);

struct BottleneckImpl : nn::Module {
  static constexpr int64_t expansion = 4;
  BottleneckImpl(int64_t inplanes, int64_t planes, int64_t stride = 1)
      : conv1(register_module("conv1", kaiming_conv(nn::Conv2d(inplanes, planes, 1, {.bias = false})))),
        bn1(register_module("bn1", nn::BatchNorm2d(planes))),
        conv2(register_module("conv2", kaiming_conv(nn::Conv2d(planes, planes, 3, {.stride = stride, .padding = 1, .bias = false})))),
        bn2(register_module("bn2", nn::BatchNorm2d(planes))),
        conv3(register_module("conv3", kaiming_conv(nn::Conv2d(planes, planes * expansion, 1, {.bias = false})))),
        bn3(register_module("bn3", nn::BatchNorm2d(planes * expansion))),
        relu(register_module("relu", nn::ReLU({.inplace = true}))) {
    if (stride != 1 || inplanes != planes * expansion)
      down = register_module("downsample", downsample(inplanes, planes * expansion, stride));
  }
  Tensor forward(const Tensor& x) {
    Tensor out = relu(bn1(conv1(x)));
    out = relu(bn2(conv2(out)));
    out = bn3(conv3(out));
    return relu(out + (down.is_empty() ? x : down(x)));
  }
  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::Conv2d conv2;
  nn::BatchNorm2d bn2;
  nn::Conv2d conv3;
  nn::BatchNorm2d bn3;
  nn::ReLU relu;
  nn::Sequential down{nullptr};
};
WICK_MODULE(Bottleneck);

// torchvision's ResNet body: conv1 7x7/2, maxpool, layer1..layer4, avgpool, fc. `bottleneck`
// picks Bottleneck (ResNet-50 and deeper) or BasicBlock (ResNet-18/34) for every stage.
struct ResNetImpl : nn::Module {
  ResNetImpl(std::vector<int64_t> layers, bool bottleneck, ModelOptions o = {})
      : conv1(register_module("conv1", kaiming_conv(nn::Conv2d(o.in_channels, 64, 7, {.stride = 2, .padding = 3, .bias = false})))),
        bn1(register_module("bn1", nn::BatchNorm2d(64))),
        relu(register_module("relu", nn::ReLU({.inplace = true}))),
        maxpool(register_module("maxpool", nn::MaxPool2d(3, {.stride = 2, .padding = 1}))) {
    WICK_CHECK(layers.size() == 4, "ResNet: expected 4 stage depths, got ", layers.size());
    const int64_t expansion = bottleneck ? BottleneckImpl::expansion : BasicBlockImpl::expansion;
    const int64_t planes[4] = {64, 128, 256, 512};
    int64_t inplanes = 64;
    for (size_t i = 0; i < 4; ++i) {
      nn::Sequential stage;
      for (int64_t j = 0; j < layers[i]; ++j) {
        const int64_t stride = (j == 0 && i > 0) ? 2 : 1;
        if (bottleneck)
          stage->append(Bottleneck(inplanes, planes[i], stride));
        else
          stage->append(BasicBlock(inplanes, planes[i], stride));
        inplanes = planes[i] * expansion;
      }
      stages[i] = register_module("layer" + std::to_string(i + 1), stage);
    }
    avgpool = register_module("avgpool", nn::AdaptiveAvgPool2d({1, 1}));
    fc = register_module("fc", nn::Linear(512 * expansion, o.num_classes));
  }
  // x (N, in_channels, H, W) -> logits (N, num_classes)
  Tensor forward(const Tensor& x) {
    Tensor y = maxpool(relu(bn1(conv1(x))));
    for (auto& stage : stages) y = stage(y);
    return fc(flatten(avgpool(y), 1));
  }

  nn::Conv2d conv1;
  nn::BatchNorm2d bn1;
  nn::ReLU relu;
  nn::MaxPool2d maxpool;
  nn::Sequential stages[4] = {nullptr, nullptr, nullptr, nullptr};
  nn::AdaptiveAvgPool2d avgpool{nullptr};
  nn::Linear fc{nullptr};
};
WICK_MODULE(ResNet);

inline ResNet resnet34(ModelOptions o = {}) { return ResNet(std::vector<int64_t>{3, 4, 6, 3}, false, o); }
inline ResNet resnet50(ModelOptions o = {}) { return ResNet(std::vector<int64_t>{3, 4, 6, 3}, true, o); }

}  // namespace wick::models

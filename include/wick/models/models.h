// The model zoo: the d2l.ai CNNs for Fashion-MNIST (and resnet34/50 in the standard layout), plus
// a by-name factory for the trainer. Not included by wick/wick.h: include <wick/models/models.h>.
#pragma once

#include <string>

#include "wick/models/alexnet.h"
#include "wick/models/densenet.h"
#include "wick/models/googlenet.h"
#include "wick/models/lenet.h"
#include "wick/models/nin.h"
#include "wick/models/resnet.h"
#include "wick/models/vgg.h"

namespace wick::models {

// "lenet", "lenet_bn", "alexnet", "vgg11", "vgg11_small" (d2l's ratio 4), "nin", "googlenet",
// "resnet18", "resnet34", "resnet50", "densenet".
inline nn::AnyModule make_model(const std::string& name, ModelOptions o = {}) {
  if (name == "lenet") return lenet(o);
  if (name == "lenet_bn") return lenet_bn(o);
  if (name == "alexnet") return alexnet(o);
  if (name == "vgg11") return vgg({.in_channels = o.in_channels, .num_classes = o.num_classes});
  if (name == "vgg11_small") return vgg({.in_channels = o.in_channels, .num_classes = o.num_classes, .ratio = 4});
  if (name == "nin") return nin(o);
  if (name == "googlenet") return googlenet(o);
  if (name == "resnet18") return resnet18(o);
  if (name == "resnet34") return resnet34(o);
  if (name == "resnet50") return resnet50(o);
  if (name == "densenet") return densenet({.in_channels = o.in_channels, .num_classes = o.num_classes});
  WICK_CHECK(false, "make_model: unknown model '", name,
             "'; expected one of lenet, lenet_bn, alexnet, vgg11, vgg11_small, nin, googlenet, resnet18, resnet34, "
             "resnet50, densenet");
  return {};
}

}  // namespace wick::models

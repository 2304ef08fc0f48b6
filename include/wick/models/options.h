// ModelOptions: what every zoo model takes (input channels and classes; d2l's Fashion-MNIST
// defaults). Models needing more settings extend it.
#pragma once

#include <cstdint>

namespace wick::models {

struct ModelOptions {
  int64_t in_channels = 1;
  int64_t num_classes = 10;
};

}  // namespace wick::models

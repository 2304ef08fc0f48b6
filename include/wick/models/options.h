// ModelOptions: what every zoo model takes (input channels and classes; d2l's Fashion-MNIST
// defaults), and sequential(), the zoo's nn.Sequential(*modules).
#pragma once

#include <cstdint>
#include <utility>

#include "wick/nn/nn.h"

namespace wick::models {

struct ModelOptions {
  int64_t in_channels = 1;
  int64_t num_classes = 10;
};

// nn.Sequential(*modules) for any mix of modules, including Sequentials (the holder's own
// constructor treats a leading Sequential as a copy, so the d2l `nn.Sequential(b1, b2, ...)`
// needs this spelling).
template <typename... Modules>
nn::Sequential sequential(Modules&&... modules) {
  nn::Sequential seq;
  (seq->append(nn::AnyModule(std::forward<Modules>(modules))), ...);
  return seq;
}

}  // namespace wick::models

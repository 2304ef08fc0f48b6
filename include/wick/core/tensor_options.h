// TensorOptions: the keyword arguments of tensor creation, {.dtype = kFloat64, .device = kCUDA,
// .requires_grad = true}. Unset fields mean "the default" (or "like the source" for *_like).
#pragma once

#include <optional>

#include "wick/core/device.h"
#include "wick/core/dtype.h"

namespace wick {

struct TensorOptions {
  // Every field has an initializer so designated initializers may omit any (-Wextra).
  std::optional<DType> dtype = std::nullopt;
  std::optional<Device> device = std::nullopt;
  bool requires_grad = false;
};

}  // namespace wick

// Plain types the loss kernels share with the ops above them: the reduction a loss applies to its
// per-element values. Holds no logic beyond parsing PyTorch's reduction strings.
#pragma once

#include <string>

#include "wick/core/error.h"

namespace wick {

enum class LossReduction { None, Mean, Sum };

// "none" / "mean" / "sum" -> LossReduction, with PyTorch's message for anything else.
inline LossReduction parse_reduction(const std::string& reduction) {
  if (reduction == "none") return LossReduction::None;
  if (reduction == "mean") return LossReduction::Mean;
  if (reduction == "sum") return LossReduction::Sum;
  WICK_FAIL(reduction, " is not a valid value for reduction");
}

}  // namespace wick

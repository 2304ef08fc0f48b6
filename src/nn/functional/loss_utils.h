// Helpers shared by the loss files: applying a reduction to per-element losses, and the check
// that two loss inputs share a device and a floating dtype. Internal to src/nn/functional.
#pragma once

#include <string>

#include "wick/backend/loss_args.h"
#include "wick/core/tensor.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional::detail {

inline Tensor reduce_loss(const Tensor& loss, LossReduction reduction) {
  switch (reduction) {
    case LossReduction::None: return loss;
    case LossReduction::Mean: return loss.mean();
    case LossReduction::Sum: return loss.sum();
  }
  return loss;
}

inline Tensor reduce_loss(const Tensor& loss, const std::string& reduction) {
  return reduce_loss(loss, parse_reduction(reduction));
}

// `op`'s input must be floating point (an integer prediction is a caller bug, not a loss).
inline void check_floating(const Tensor& t, const char* op, const char* what = "input") {
  WICK_CHECK(t.is_floating_point(), op, ": expected a floating point ", what, ", got ",
             dtype_name(t.dtype()));
}

}  // namespace wick::nn::functional::detail

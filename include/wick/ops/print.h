// Tensor printing, as PyTorch 1.13's repr(t). Tensor::repr() and operator<< (tensor.h) are the API;
// this header only exposes the formatter behind them so that the CUDA suffix can be tested on a
// machine without a GPU. No set_printoptions: Wick prints with torch's defaults.
#pragma once

#include <string>

#include "wick/core/tensor.h"

namespace wick::detail {

// repr(t) as PyTorch writes it for a tensor with t's values, dtype and autograd state that lives on
// `device` (t itself may be anywhere; its values are copied to the host).
std::string tensor_repr(const Tensor& t, Device device);

}  // namespace wick::detail

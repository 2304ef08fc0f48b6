// nn::functional::linear and bilinear (torch.nn.functional.linear/bilinear), composed of matmul and
// broadcasting ops: their gradients come from those ops, so there is no backward of their own here.
#pragma once

#include "wick/core/tensor.h"

namespace wick::nn::functional {

// input (*, in), weight (out, in), bias (out) -> (*, out)
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});
// input1 (*, in1), input2 (*, in2), weight (out, in1, in2), bias (out) -> (*, out)
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias = {});

}  // namespace wick::nn::functional

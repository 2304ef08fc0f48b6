// nn::functional activations (torch.nn.functional.relu ... softmin), with PyTorch's argument order
// and defaults. Pointwise ones are composites of Tensor ops (their gradients come from those ops);
// the softmax family is a fused op with its own backward (softmax.cpp). `inplace = true` writes the
// result into `input` (a copy_ recorded by autograd) and returns it, as PyTorch's in-place
// variants.
#pragma once

#include <optional>
#include <string>

#include "wick/core/tensor.h"

namespace wick::nn::functional {

Tensor relu(const Tensor& input, bool inplace = false);
Tensor relu6(const Tensor& input, bool inplace = false);
Tensor leaky_relu(const Tensor& input, double negative_slope = 0.01, bool inplace = false);
// Randomized leaky ReLU: in training each element at or below 0 gets its own slope drawn from
// U(lower, upper); otherwise the slope is (lower + upper) / 2. PyTorch's default is
// training = false for the function (the module passes its own mode).
Tensor rrelu(const Tensor& input, double lower = 1.0 / 8, double upper = 1.0 / 3,
             bool training = false, bool inplace = false);
// weight (num_parameters) applies per channel (dim 1), or to everything when it has one element.
Tensor prelu(const Tensor& input, const Tensor& weight);
Tensor elu(const Tensor& input, double alpha = 1.0, bool inplace = false);
Tensor selu(const Tensor& input, bool inplace = false);
Tensor celu(const Tensor& input, double alpha = 1.0, bool inplace = false);
// approximate: "none" (erf) or "tanh".
Tensor gelu(const Tensor& input, const std::string& approximate = "none");
Tensor silu(const Tensor& input, bool inplace = false);
Tensor mish(const Tensor& input, bool inplace = false);
Tensor sigmoid(const Tensor& input);
Tensor logsigmoid(const Tensor& input);
Tensor tanh(const Tensor& input);
Tensor hardtanh(const Tensor& input, double min_val = -1.0, double max_val = 1.0,
                bool inplace = false);
Tensor hardsigmoid(const Tensor& input, bool inplace = false);
Tensor hardswish(const Tensor& input, bool inplace = false);
Tensor hardshrink(const Tensor& input, double lambd = 0.5);
Tensor softshrink(const Tensor& input, double lambd = 0.5);
Tensor tanhshrink(const Tensor& input);
Tensor softplus(const Tensor& input, double beta = 1.0, double threshold = 20.0);
Tensor softsign(const Tensor& input);
// y = x where x > threshold, else value.
Tensor threshold(const Tensor& input, double threshold, double value, bool inplace = false);
// First half of `dim` times sigmoid of the second half.
Tensor glu(const Tensor& input, int64_t dim = -1);

// dtype: cast the input first (as PyTorch's dtype= argument).
Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor softmin(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt);

}  // namespace wick::nn::functional

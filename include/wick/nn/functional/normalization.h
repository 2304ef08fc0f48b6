// nn::functional normalization (torch.nn.functional.layer_norm, batch_norm, ...), PyTorch's
// argument order and defaults (weight/bias optional: pass {} for None). layer_norm and batch_norm
// are fused ops with their own backward (NativeLayerNormBackward0, NativeBatchNormBackward0);
// group_norm, instance_norm, local_response_norm and normalize are composed from them and Tensor
// ops.
#pragma once

#include "wick/core/tensor.h"

namespace wick::nn::functional {

// Normalizes over the trailing dims given by normalized_shape; weight, bias have that shape.
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight = {},
                  const Tensor& bias = {}, double eps = 1e-5);

// input (N, C, *); running_mean/var, weight, bias (C) or undefined. training: batch statistics,
// and the running stats (when given) are updated in place with `momentum` (unbiased variance);
// otherwise the running stats normalize.
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight = {}, const Tensor& bias = {}, bool training = false,
                  double momentum = 0.1, double eps = 1e-5);

// input (N, C, *) normalized over each of num_groups groups of C / num_groups channels;
// weight, bias (C).
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight = {},
                  const Tensor& bias = {}, double eps = 1e-5);

// input (N, C, *) normalized per sample and channel. use_input_stats: statistics of the input
// (running stats, when given, are updated with their mean over the batch); otherwise the running
// stats normalize.
Tensor instance_norm(const Tensor& input, const Tensor& running_mean = {},
                     const Tensor& running_var = {}, const Tensor& weight = {},
                     const Tensor& bias = {}, bool use_input_stats = true, double momentum = 0.1,
                     double eps = 1e-5);

// input (N, C, *): x / (k + alpha / size * sum of x^2 over `size` neighbouring channels)^beta.
Tensor local_response_norm(const Tensor& input, int64_t size, double alpha = 1e-4,
                           double beta = 0.75, double k = 1.0);

// input / max(||input||_p along dim, eps).
Tensor normalize(const Tensor& input, double p = 2.0, int64_t dim = 1, double eps = 1e-12);

}  // namespace wick::nn::functional

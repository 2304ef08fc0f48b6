// nn::utils: gradient clipping and flat parameter vectors, as torch.nn.utils (clip_grad_norm_,
// clip_grad_value_, parameters_to_vector, vector_to_parameters). Parameters without a gradient are
// skipped by the clipping functions, as in PyTorch.
#pragma once

#include <limits>
#include <vector>

#include "wick/core/tensor.h"

namespace wick::nn::utils {

// Scales the gradients so that their total norm (the norm of the per-gradient norms; norm_type may
// be infinity) is at most max_norm; returns the total norm before clipping (0-dim). With
// error_if_nonfinite, a NaN or infinite total norm throws instead of scaling.
Tensor clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
inline Tensor clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type = 2.0,
                              bool error_if_nonfinite = false) {
  return clip_grad_norm_(std::vector<Tensor>{parameter}, max_norm, norm_type, error_if_nonfinite);
}

// Clamps every gradient to [-clip_value, clip_value] in place.
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);
inline void clip_grad_value_(const Tensor& parameter, double clip_value) {
  clip_grad_value_(std::vector<Tensor>{parameter}, clip_value);
}

// The parameters flattened and concatenated into one 1-d tensor (a copy; autograd flows through).
Tensor parameters_to_vector(const std::vector<Tensor>& parameters);
// Copies consecutive slices of vec into the parameters (in place, without recording autograd).
void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters);

}  // namespace wick::nn::utils

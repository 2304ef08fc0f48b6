// group_norm, instance_norm, local_response_norm and normalize, composed of the fused layer_norm /
// batch_norm ops and Tensor ops (so they have no backward of their own): group norm is layer norm
// over (N, G, C/G * S) plus a per-channel affine; instance norm is batch norm over (1, N * C, S).
#include "wick/nn/functional/normalization.h"

#include <algorithm>
#include <vector>

#include "wick/autograd/grad_mode.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"
#include "wick/ops/shape_ops.h"

namespace wick::nn::functional {
namespace {

// (C) -> (1, C, 1, ...) for broadcasting against an input of rank ndim.
Tensor per_channel(const Tensor& t, int64_t ndim) {
  Shape s(static_cast<size_t>(ndim), 1);
  s[1] = t.numel();
  return t.reshape(s);
}

// (C) -> (N * C): the per-channel tensor repeated for each sample.
Tensor repeat_batch(const Tensor& t, int64_t n) {
  return t.defined() ? t.unsqueeze(0).expand({n, t.numel()}).reshape({-1}) : t;
}

void check_channels(const Tensor& t, const char* op, const char* name, int64_t c) {
  if (!t.defined()) return;
  WICK_CHECK(t.dim() == 1 && t.numel() == c, op, ": expected ", name, " of shape [", c, "], got ",
             t.sizes());
}

}  // namespace

Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias,
                  double eps) {
  WICK_CHECK(input.dim() >= 2,
             "group_norm: Expected at least 2 dimensions for input tensor but received ",
             input.dim());
  const int64_t n = input.size(0), c = input.size(1);
  WICK_CHECK(num_groups > 0 && c % num_groups == 0,
             "group_norm: Expected number of channels in input to be divisible by num_groups, but "
             "got input of "
             "shape ",
             input.sizes(), " and num_groups=", num_groups);
  check_channels(weight, "group_norm", "weight", c);
  check_channels(bias, "group_norm", "bias", c);
  int64_t group_numel = n * num_groups > 0 ? input.numel() / (n * num_groups) : 0;
  Tensor y = layer_norm(input.reshape({n, num_groups, group_numel}), {group_numel}, {}, {}, eps)
                 .view(input.sizes());
  if (weight.defined()) y = y * per_channel(weight, input.dim());
  if (bias.defined()) y = y + per_channel(bias, input.dim());
  return y;
}

Tensor instance_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                     const Tensor& weight, const Tensor& bias, bool use_input_stats,
                     double momentum, double eps) {
  WICK_CHECK(input.dim() >= 3,
             "instance_norm: expected input of shape (N, C, *) with at least 3 dims, got ",
             input.sizes());
  const int64_t n = input.size(0), c = input.size(1);
  if (use_input_stats) {
    int64_t spatial = n * c > 0 ? input.numel() / (n * c) : 0;
    WICK_CHECK(spatial > 1, "Expected more than 1 spatial element when training, got input size ",
               input.sizes());
  }
  check_channels(running_mean, "instance_norm", "running_mean", c);
  check_channels(running_var, "instance_norm", "running_var", c);
  check_channels(weight, "instance_norm", "weight", c);
  check_channels(bias, "instance_norm", "bias", c);
  Shape folded = input.sizes().vec();
  folded[0] = 1;
  folded[1] = n * c;
  Tensor rm = repeat_batch(running_mean, n), rv = repeat_batch(running_var, n);
  Tensor y = batch_norm(input.reshape(folded), rm, rv, repeat_batch(weight, n),
                        repeat_batch(bias, n), use_input_stats, momentum, eps);
  if (use_input_stats) {
    // Each running stat moves toward its mean over the batch, as PyTorch does.
    NoGradGuard ng;
    if (running_mean.defined()) Tensor(running_mean).copy_(rm.view({n, c}).mean({0}));
    if (running_var.defined()) Tensor(running_var).copy_(rv.view({n, c}).mean({0}));
  }
  return y.view(input.sizes());
}

Tensor local_response_norm(const Tensor& input, int64_t size, double alpha, double beta, double k) {
  WICK_CHECK(input.dim() >= 3,
             "local_response_norm: Expected 3D or higher dimensionality input (got ", input.dim(),
             " dimensions)");
  WICK_CHECK(size > 0, "local_response_norm: size must be positive, got ", size);
  if (input.numel() == 0) return input * 1.0;
  const int64_t c = input.size(1);
  // Zero-padded window over channels [c - size/2, c + (size-1)/2], averaged over `size`.
  Tensor sq = input * input;
  Shape pad_before = input.sizes().vec(), pad_after = input.sizes().vec();
  pad_before[1] = size / 2;
  pad_after[1] = (size - 1) / 2;
  Tensor padded =
      cat({zeros(pad_before, input.options()), sq, zeros(pad_after, input.options())}, 1);
  Tensor window = padded.narrow(1, 0, c);
  for (int64_t i = 1; i < size; ++i) window = window + padded.narrow(1, i, c);
  Tensor div = (window * (alpha / static_cast<double>(size)) + k).pow(beta);
  return input / div;
}

Tensor normalize(const Tensor& input, double p, int64_t dim, double eps) {
  int64_t d = wrap_dim(dim, std::max<int64_t>(input.dim(), 1));
  if (input.dim() == 0) return input / input.abs().clamp_min(eps);
  return input / input.norm(p, {d}, true).clamp_min(eps);
}

}  // namespace wick::nn::functional

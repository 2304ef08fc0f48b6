// nn::init: torch.nn.init's weight initialisers. Each fills its tensor in place under NoGradGuard
// and returns it; random ones draw from the default generator (or `gen`). They do not record
// autograd history and do not warn on zero-element tensors (they simply leave them unchanged).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "wick/core/generator.h"
#include "wick/core/tensor.h"

namespace wick::nn::init {

// The recommended gain for a nonlinearity ("linear", "conv1d".."conv_transpose3d", "sigmoid",
// "tanh", "relu", "leaky_relu" (param = negative_slope, default 0.01), "selu").
double calculate_gain(const std::string& nonlinearity, std::optional<double> param = std::nullopt);
// (fan_in, fan_out) as torch.nn.init._calculate_fan_in_and_fan_out: needs at least 2 dims.
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor);

Tensor uniform_(Tensor tensor, double a = 0.0, double b = 1.0, Generator* gen = nullptr);
Tensor normal_(Tensor tensor, double mean = 0.0, double std = 1.0, Generator* gen = nullptr);
Tensor trunc_normal_(Tensor tensor, double mean = 0.0, double std = 1.0, double a = -2.0,
                     double b = 2.0, Generator* gen = nullptr);
Tensor constant_(Tensor tensor, double val);
Tensor ones_(Tensor tensor);
Tensor zeros_(Tensor tensor);
// 2-D only: the identity matrix.
Tensor eye_(Tensor tensor);
// 3-, 4- or 5-D: the identity convolution (per group).
Tensor dirac_(Tensor tensor, int64_t groups = 1);

Tensor xavier_uniform_(Tensor tensor, double gain = 1.0, Generator* gen = nullptr);
Tensor xavier_normal_(Tensor tensor, double gain = 1.0, Generator* gen = nullptr);

struct KaimingOptions {
  double a = 0.0;               // negative slope of the following leaky_relu
  std::string mode = "fan_in";  // "fan_in" or "fan_out"
  std::string nonlinearity = "leaky_relu";
};
// init::kaiming_uniform_(w, {.a = std::sqrt(5.0)}) is nn.init.kaiming_uniform_(w, a=math.sqrt(5)).
Tensor kaiming_uniform_(Tensor tensor, KaimingOptions opts = {}, Generator* gen = nullptr);
Tensor kaiming_normal_(Tensor tensor, KaimingOptions opts = {}, Generator* gen = nullptr);

// A (semi-)orthogonal matrix (trailing dims flattened), scaled by gain.
Tensor orthogonal_(Tensor tensor, double gain = 1.0, Generator* gen = nullptr);
// 2-D only: N(0, std) with ceil(sparsity * rows) zeros in every column.
Tensor sparse_(Tensor tensor, double sparsity, double std = 0.01, Generator* gen = nullptr);

}  // namespace wick::nn::init

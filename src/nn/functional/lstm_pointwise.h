// The elementwise half of an LSTM step (shared by nn::LSTM's time loop and F::lstm_cell).
#pragma once

#include <tuple>

#include "wick/core/tensor.h"

namespace wick::nn::functional {

// (h2, c2) of one step from its gate pre-activations (N, 4H) in PyTorch's order i, f, g, o and
// the cell state c (N, H): c2 = sigmoid(f) * c + sigmoid(i) * tanh(g), h2 = sigmoid(o) * tanh(c2).
std::tuple<Tensor, Tensor> lstm_pointwise(const Tensor& gates, const Tensor& c);

}  // namespace wick::nn::functional

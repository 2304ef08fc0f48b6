// Recurrent cells (torch.rnn_tanh_cell, rnn_relu_cell, lstm_cell, gru_cell) and the multi-layer,
// optionally bidirectional sequence runner behind nn::RNN/LSTM/GRU. Composites of Tensor ops (their
// gradients come from those ops); no fused per-step kernel here.
#pragma once

#include <tuple>
#include <vector>

#include "wick/core/tensor.h"

namespace wick::nn::functional {

// input (N, I) or (I), hx (N, H) or (H); w_ih (G*H, I), w_hh (G*H, H), b_ih/b_hh (G*H) or undefined.
Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});
Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});
// Gates in PyTorch's order (i, f, g, o); returns (h', c').
std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, const Tensor& hx, const Tensor& cx,
                                     const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih = {},
                                     const Tensor& b_hh = {});
// Gates in PyTorch's order (r, z, n); n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih = {}, const Tensor& b_hh = {});

enum class RNNMode { RNN_TANH, RNN_RELU, LSTM, GRU };

struct RNNSequenceArgs {
  RNNMode mode = RNNMode::RNN_TANH;
  int64_t num_layers = 1;
  bool bidirectional = false;
  bool has_biases = true;
  bool has_proj = false;   // LSTM with proj_size > 0: each group ends with weight_hr
  double dropout = 0.0;    // on each layer's output but the last, when training
  bool training = false;
};

// The whole stack, time-major: input (T, N, I), hx (L*D, N, H_out), cx (L*D, N, H) for LSTM
// (undefined otherwise). flat_weights: per layer, per direction, PyTorch's _flat_weights order
// (w_ih, w_hh, [b_ih, b_hh], [w_hr]). Returns (output (T, N, D*H_out), h_n, c_n or undefined).
// The input projection of a layer/direction is one GEMM over all T steps.
std::tuple<Tensor, Tensor, Tensor> rnn_sequence(const Tensor& input, const Tensor& hx, const Tensor& cx,
                                                const std::vector<Tensor>& flat_weights,
                                                const RNNSequenceArgs& args);

// The same stack over a packed batch (a PackedSequence's data and batch_sizes, sequences longest
// first): data (rows, I) holds batch_sizes[t] rows for step t, batch_sizes non-increasing; hx
// (L*D, batch_sizes[0], H_out). Each sequence's final state is taken at its own last step and its
// reverse direction starts there. Returns (output (rows, D*H_out), h_n, c_n or undefined).
std::tuple<Tensor, Tensor, Tensor> rnn_packed_sequence(const Tensor& data, IntArrayRef batch_sizes,
                                                       const Tensor& hx, const Tensor& cx,
                                                       const std::vector<Tensor>& flat_weights,
                                                       const RNNSequenceArgs& args);

}  // namespace wick::nn::functional

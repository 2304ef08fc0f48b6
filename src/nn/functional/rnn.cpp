// Recurrent cells and the layer/direction/time loop of nn::RNN/LSTM/GRU, written with Tensor ops
// (addmm, chunk, sigmoid, tanh, ...), so autograd and double backward come from those ops. The
// input side of every step is projected for all T steps at once (one GEMM per layer/direction).
#include "wick/nn/functional/rnn.h"

#include "wick/nn/functional/dropout.h"
#include "wick/nn/functional/linear.h"
#include "wick/ops/linalg.h"
#include "wick/ops/shape_ops.h"

namespace wick::nn::functional {
namespace {

// ---- one step, given xp = the input-side projection of this step (N, G*H) ----
// For RNN/LSTM xp already holds b_ih + b_hh; GRU keeps b_hh on the hidden side (the n gate needs it).

Tensor simple_step(RNNMode mode, const Tensor& xp, const Tensor& h, const Tensor& w_hh_t) {
  Tensor pre = addmm(xp, h, w_hh_t);
  return mode == RNNMode::RNN_TANH ? pre.tanh() : pre.relu();
}

std::tuple<Tensor, Tensor> lstm_step(const Tensor& xp, const Tensor& h, const Tensor& c,
                                     const Tensor& w_hh_t, const Tensor& w_hr_t) {
  std::vector<Tensor> gates = addmm(xp, h, w_hh_t).chunk(4, 1);  // i, f, g, o
  Tensor c2 = gates[1].sigmoid() * c + gates[0].sigmoid() * gates[2].tanh();
  Tensor h2 = gates[3].sigmoid() * c2.tanh();
  if (w_hr_t.defined()) h2 = h2.mm(w_hr_t);
  return {h2, c2};
}

Tensor gru_step(const Tensor& xp, const Tensor& h, const Tensor& w_hh_t, const Tensor& b_hh) {
  Tensor gh = b_hh.defined() ? addmm(b_hh, h, w_hh_t) : h.mm(w_hh_t);
  std::vector<Tensor> xi = xp.chunk(3, 1), hh = gh.chunk(3, 1);  // r, z, n
  Tensor r = (xi[0] + hh[0]).sigmoid();
  Tensor z = (xi[1] + hh[1]).sigmoid();
  Tensor n = (xi[2] + r * hh[2]).tanh();
  return n + z * (h - n);  // (1 - z) * n + z * h
}

// Input-side bias of a step: b_ih + b_hh, except for GRU (b_hh stays inside the n gate).
Tensor input_bias(RNNMode mode, const Tensor& b_ih, const Tensor& b_hh) {
  if (!b_ih.defined()) return {};
  return mode == RNNMode::GRU ? b_ih : b_ih + b_hh;
}

// The cell checks PyTorch makes (its wording), for input (N, I) and one hidden (N, H).
void check_cell(const char* fn, const Tensor& input, const Tensor& hx, const Tensor& w_ih,
                const Tensor& w_hh, const char* hname) {
  WICK_CHECK(w_ih.dim() == 2 && w_hh.dim() == 2, fn, ": expected 2-D weights, got ", w_ih.sizes(),
             " and ", w_hh.sizes());
  WICK_CHECK(input.dim() == 2 && hx.dim() == 2, fn, ": expected 2-D input and hidden, got ",
             input.sizes(), " and ", hx.sizes());
  WICK_CHECK(input.size(1) == w_ih.size(1), "input has inconsistent input_size: got ",
             input.size(1), " expected ", w_ih.size(1));
  WICK_CHECK(input.size(0) == hx.size(0), "Input batch size ", input.size(0), " doesn't match ",
             hname, " batch size ", hx.size(0));
  WICK_CHECK(hx.size(1) == w_hh.size(1), hname, " has inconsistent hidden_size: got ",
             hx.size(1), ", expected ", w_hh.size(1));
}

// A cell on 1-D (unbatched) or 2-D input: runs f on 2-D tensors and squeezes back.
template <typename F>
auto on_batch(const Tensor& input, F&& f) {
  return f(input.dim() == 1 ? input.unsqueeze(0) : input, input.dim() == 1);
}

Tensor simple_cell(RNNMode mode, const char* fn, const Tensor& input, const Tensor& hx,
                   const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih, const Tensor& b_hh) {
  return on_batch(input, [&](const Tensor& x, bool unbatched) {
    Tensor h = unbatched ? hx.unsqueeze(0) : hx;
    check_cell(fn, x, h, w_ih, w_hh, "hidden0");
    Tensor y = simple_step(mode, linear(x, w_ih, input_bias(mode, b_ih, b_hh)), h, w_hh.t());
    return unbatched ? y.squeeze(0) : y;
  });
}

}  // namespace

Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  return simple_cell(RNNMode::RNN_TANH, "rnn_tanh_cell", input, hx, w_ih, w_hh, b_ih, b_hh);
}

Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih, const Tensor& b_hh) {
  return simple_cell(RNNMode::RNN_RELU, "rnn_relu_cell", input, hx, w_ih, w_hh, b_ih, b_hh);
}

std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, const Tensor& hx, const Tensor& cx,
                                     const Tensor& w_ih, const Tensor& w_hh, const Tensor& b_ih,
                                     const Tensor& b_hh) {
  return on_batch(input, [&](const Tensor& x, bool unbatched) {
    Tensor h = unbatched ? hx.unsqueeze(0) : hx, c = unbatched ? cx.unsqueeze(0) : cx;
    check_cell("lstm_cell", x, h, w_ih, w_hh, "hidden0");
    check_cell("lstm_cell", x, c, w_ih, w_hh, "hidden1");
    auto [h2, c2] = lstm_step(linear(x, w_ih, input_bias(RNNMode::LSTM, b_ih, b_hh)), h, c,
                              w_hh.t(), Tensor());
    return unbatched ? std::tuple<Tensor, Tensor>{h2.squeeze(0), c2.squeeze(0)}
                     : std::tuple<Tensor, Tensor>{h2, c2};
  });
}

Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih, const Tensor& b_hh) {
  return on_batch(input, [&](const Tensor& x, bool unbatched) {
    Tensor h = unbatched ? hx.unsqueeze(0) : hx;
    check_cell("gru_cell", x, h, w_ih, w_hh, "hidden0");
    Tensor y = gru_step(linear(x, w_ih, b_ih), h, w_hh.t(), b_hh);
    return unbatched ? y.squeeze(0) : y;
  });
}

std::tuple<Tensor, Tensor, Tensor> rnn_sequence(const Tensor& input, const Tensor& hx, const Tensor& cx,
                                                const std::vector<Tensor>& flat_weights,
                                                const RNNSequenceArgs& args) {
  const bool lstm = args.mode == RNNMode::LSTM;
  const int64_t dirs = args.bidirectional ? 2 : 1;
  const size_t per_group = 2 + (args.has_biases ? 2 : 0) + (args.has_proj ? 1 : 0);
  WICK_CHECK(flat_weights.size() == per_group * static_cast<size_t>(args.num_layers * dirs),
             "rnn_sequence: expected ", per_group * static_cast<size_t>(args.num_layers * dirs),
             " weights, got ", flat_weights.size());
  WICK_CHECK(input.dim() == 3, "rnn_sequence: expected input (T, N, I), got ", input.sizes());
  const int64_t T = input.size(0), N = input.size(1);
  WICK_CHECK(T > 0, "Expected sequence length to be larger than 0 in RNN");
  std::vector<Tensor> h0 = hx.unbind(0), c0 = lstm ? cx.unbind(0) : std::vector<Tensor>();

  Tensor layer_input = input;
  std::vector<Tensor> h_n, c_n;
  for (int64_t layer = 0; layer < args.num_layers; ++layer) {
    std::vector<Tensor> dir_outputs;
    for (int64_t dir = 0; dir < dirs; ++dir) {
      const int64_t idx = layer * dirs + dir;
      const Tensor* w = &flat_weights[static_cast<size_t>(idx) * per_group];
      const Tensor &w_ih = w[0], &w_hh = w[1];
      Tensor b_ih = args.has_biases ? w[2] : Tensor(), b_hh = args.has_biases ? w[3] : Tensor();
      Tensor w_hr_t = args.has_proj ? w[per_group - 1].t() : Tensor();
      Tensor w_hh_t = w_hh.t();
      const int64_t gh = w_ih.size(0);
      // (T*N, I) @ w_ih^T: every step's input projection in one GEMM.
      Tensor xp = linear(layer_input.reshape({T * N, layer_input.size(2)}), w_ih,
                         input_bias(args.mode, b_ih, b_hh))
                      .view({T, N, gh});
      std::vector<Tensor> xs = xp.unbind(0), outs(static_cast<size_t>(T));
      Tensor h = h0[static_cast<size_t>(idx)], c = lstm ? c0[static_cast<size_t>(idx)] : Tensor();
      for (int64_t s = 0; s < T; ++s) {
        const size_t t = static_cast<size_t>(dir == 0 ? s : T - 1 - s);
        if (lstm) {
          std::tie(h, c) = lstm_step(xs[t], h, c, w_hh_t, w_hr_t);
        } else if (args.mode == RNNMode::GRU) {
          h = gru_step(xs[t], h, w_hh_t, b_hh);
        } else {
          h = simple_step(args.mode, xs[t], h, w_hh_t);
        }
        outs[t] = h;
      }
      dir_outputs.push_back(stack(outs, 0));
      h_n.push_back(h);
      if (lstm) c_n.push_back(c);
    }
    layer_input = dirs == 1 ? dir_outputs[0] : cat(dir_outputs, 2);
    if (args.dropout > 0 && args.training && layer + 1 < args.num_layers)
      layer_input = dropout(layer_input, args.dropout, true);
  }
  return {layer_input, stack(h_n, 0), lstm ? stack(c_n, 0) : Tensor()};
}

}  // namespace wick::nn::functional

// Recurrent cells and the layer/direction/time loop of nn::RNN/LSTM/GRU, written with Tensor ops
// (addmm, chunk, sigmoid, tanh, ...), so autograd and double backward come from those ops. The
// input side of every step is projected for all T steps at once (one GEMM per layer/direction).
// Padded (T, N, I) input runs as the packed layout with N rows at every step.
#include "wick/nn/functional/rnn.h"

#include <algorithm>

#include "lstm_pointwise.h"
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
  auto [h2, c2] = lstm_pointwise(addmm(xp, h, w_hh_t), c);
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

namespace {

// One layer and direction over packed rows: xp (rows, G*H) holds every step's input projection,
// step t the batch_sizes[t] rows after those of the steps before it. A sequence that ends leaves its final
// state behind (forward); in reverse a sequence joins, from its initial state, at its last step.
// Returns (outputs (rows, H_out), h_n, c_n) with the states in batch order.
std::tuple<Tensor, Tensor, Tensor> run_direction(RNNMode mode, const Tensor& xp,
                                                 IntArrayRef batch_sizes, bool reverse,
                                                 const Tensor& h0, const Tensor& c0,
                                                 const Tensor& w_hh_t, const Tensor& b_hh,
                                                 const Tensor& w_hr_t) {
  const bool lstm = mode == RNNMode::LSTM;
  const auto T = static_cast<int64_t>(batch_sizes.size());
  std::vector<Tensor> outs(static_cast<size_t>(T)), done_h, done_c;
  // One split node rather than a narrow per step: each narrow's backward would write a zero-filled
  // gradient the size of all of xp, T times over.
  const std::vector<Tensor> xs = xp.split(batch_sizes, 0);
  Tensor h = h0, c = c0;
  if (reverse) {
    h = h0.narrow(0, 0, batch_sizes.back());
    if (lstm) c = c0.narrow(0, 0, batch_sizes.back());
  }
  for (int64_t s = 0; s < T; ++s) {
    const auto t = static_cast<size_t>(reverse ? T - 1 - s : s);
    const int64_t bs = batch_sizes[t], have = h.size(0);
    if (bs < have) {  // forward: sequences [bs, have) just ended
      done_h.push_back(h.narrow(0, bs, have - bs));
      h = h.narrow(0, 0, bs);
      if (lstm) {
        done_c.push_back(c.narrow(0, bs, have - bs));
        c = c.narrow(0, 0, bs);
      }
    } else if (bs > have) {  // reverse: sequences [have, bs) start here
      h = cat({h, h0.narrow(0, have, bs - have)}, 0);
      if (lstm) c = cat({c, c0.narrow(0, have, bs - have)}, 0);
    }
    const Tensor& xt = xs[t];
    if (lstm) {
      std::tie(h, c) = lstm_step(xt, h, c, w_hh_t, w_hr_t);
    } else if (mode == RNNMode::GRU) {
      h = gru_step(xt, h, w_hh_t, b_hh);
    } else {
      h = simple_step(mode, xt, h, w_hh_t);
    }
    outs[t] = h;
  }
  // Ended sequences were split off from the back: the latest holds the lowest batch rows.
  auto final_state = [](const Tensor& last, std::vector<Tensor>& done) {
    if (done.empty()) return last;
    done.push_back(last);
    std::reverse(done.begin(), done.end());
    return cat(done, 0);
  };
  return {T == 1 ? outs[0] : cat(outs, 0), final_state(h, done_h),
          lstm ? final_state(c, done_c) : Tensor()};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> rnn_packed_sequence(const Tensor& data, IntArrayRef batch_sizes,
                                                       const Tensor& hx, const Tensor& cx,
                                                       const std::vector<Tensor>& flat_weights,
                                                       const RNNSequenceArgs& args) {
  const bool lstm = args.mode == RNNMode::LSTM;
  const int64_t dirs = args.bidirectional ? 2 : 1;
  const size_t per_group = 2 + (args.has_biases ? 2 : 0) + (args.has_proj ? 1 : 0);
  WICK_CHECK(flat_weights.size() == per_group * static_cast<size_t>(args.num_layers * dirs),
             "rnn_sequence: expected ", per_group * static_cast<size_t>(args.num_layers * dirs),
             " weights, got ", flat_weights.size());
  WICK_CHECK(data.dim() == 2, "rnn_sequence: expected packed input (rows, I), got ", data.sizes());
  WICK_CHECK(!batch_sizes.empty(), "Expected sequence length to be larger than 0 in RNN");
  std::vector<Tensor> h0 = hx.unbind(0), c0 = lstm ? cx.unbind(0) : std::vector<Tensor>();

  Tensor layer_input = data;
  std::vector<Tensor> h_n, c_n;
  for (int64_t layer = 0; layer < args.num_layers; ++layer) {
    std::vector<Tensor> dir_outputs;
    for (int64_t dir = 0; dir < dirs; ++dir) {
      const auto idx = static_cast<size_t>(layer * dirs + dir);
      const Tensor* w = &flat_weights[idx * per_group];
      Tensor b_ih = args.has_biases ? w[2] : Tensor(), b_hh = args.has_biases ? w[3] : Tensor();
      Tensor w_hr_t = args.has_proj ? w[per_group - 1].t() : Tensor();
      // (rows, I) @ w_ih^T: every step's input projection in one GEMM.
      Tensor xp = linear(layer_input, w[0], input_bias(args.mode, b_ih, b_hh));
      auto [out, h, c] = run_direction(args.mode, xp, batch_sizes, dir == 1, h0[idx],
                                       lstm ? c0[idx] : Tensor(), w[1].t(), b_hh, w_hr_t);
      dir_outputs.push_back(out);
      h_n.push_back(h);
      if (lstm) c_n.push_back(c);
    }
    layer_input = dirs == 1 ? dir_outputs[0] : cat(dir_outputs, 1);
    if (args.dropout > 0 && args.training && layer + 1 < args.num_layers)
      layer_input = dropout(layer_input, args.dropout, true);
  }
  return {layer_input, stack(h_n, 0), lstm ? stack(c_n, 0) : Tensor()};
}

std::tuple<Tensor, Tensor, Tensor> rnn_sequence(const Tensor& input, const Tensor& hx, const Tensor& cx,
                                                const std::vector<Tensor>& flat_weights,
                                                const RNNSequenceArgs& args) {
  WICK_CHECK(input.dim() == 3, "rnn_sequence: expected input (T, N, I), got ", input.sizes());
  const int64_t T = input.size(0), N = input.size(1);
  WICK_CHECK(T > 0, "Expected sequence length to be larger than 0 in RNN");
  // Every sequence runs all T steps: the packed layout with N rows per step is (T, N) flattened.
  const std::vector<int64_t> batch_sizes(static_cast<size_t>(T), N);
  auto [out, h_n, c_n] = rnn_packed_sequence(input.reshape({T * N, input.size(2)}), batch_sizes,
                                             hx, cx, flat_weights, args);
  return {out.view({T, N, out.size(1)}), h_n, c_n};
}

}  // namespace wick::nn::functional

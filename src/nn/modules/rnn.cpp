// RNN, LSTM, GRU (torch.nn.RNNBase and subclasses): parameter registration in PyTorch's order,
// init, printing, and the shape handling around functional::rnn_sequence (unbatched input,
// batch_first, default zero states) with PyTorch's error messages prefixed by the module.
#include <cmath>

#include "wick/nn/init.h"
#include "wick/nn/modules/rnn.h"
#include "wick/ops/creation.h"

namespace wick::nn {
namespace {

using functional::RNNMode;
using utils::rnn::PackedSequence;

template <typename O>
RNNBaseImpl::Settings settings(const O& o, int64_t proj_size = 0) {
  return {o.num_layers, o.bias, o.batch_first, o.dropout, o.bidirectional, proj_size, o.device, o.dtype};
}

template <typename O>
O with_layers(O o, int64_t num_layers) {
  o.num_layers = num_layers;
  return o;
}

RNNMode rnn_mode(const std::string& nonlinearity) {
  WICK_CHECK(nonlinearity == "tanh" || nonlinearity == "relu", "RNN: Unknown nonlinearity '",
             nonlinearity, "'. Select from 'tanh' or 'relu'.");
  return nonlinearity == "tanh" ? RNNMode::RNN_TANH : RNNMode::RNN_RELU;
}

int64_t gate_count(RNNMode mode) {
  return mode == RNNMode::LSTM ? 4 : mode == RNNMode::GRU ? 3 : 1;
}

}  // namespace

RNNBaseImpl::RNNBaseImpl(const char* name, RNNMode mode_, int64_t input_size_, int64_t hidden_size_,
                         const Settings& s)
    : Module(name), mode(mode_), input_size(input_size_), hidden_size(hidden_size_),
      num_layers(s.num_layers), bias(s.bias), batch_first(s.batch_first), dropout(s.dropout),
      bidirectional(s.bidirectional), proj_size(s.proj_size) {
  WICK_CHECK(dropout >= 0 && dropout <= 1, name,
             ": dropout should be a number in range [0, 1] representing the probability of an "
             "element being zeroed, got ", dropout);
  WICK_CHECK(hidden_size > 0, name, ": hidden_size must be greater than zero, got ", hidden_size);
  WICK_CHECK(input_size >= 0, name, ": input_size must be non-negative, got ", input_size);
  WICK_CHECK(num_layers > 0, name, ": num_layers must be greater than zero, got ", num_layers);
  WICK_CHECK(proj_size >= 0, name, ": proj_size should be a positive integer or zero to disable projections");
  WICK_CHECK(proj_size < hidden_size, name, ": proj_size has to be smaller than hidden_size");
  TensorOptions f{.dtype = s.dtype.value_or(default_dtype()), .device = s.device.value_or(Device(kCPU))};
  const int64_t gates = gate_count(mode) * hidden_size, dirs = bidirectional ? 2 : 1;
  const int64_t real_hidden = proj_size > 0 ? proj_size : hidden_size;
  for (int64_t layer = 0; layer < num_layers; ++layer) {
    for (int64_t dir = 0; dir < dirs; ++dir) {
      const int64_t in = layer == 0 ? input_size : real_hidden * dirs;
      const std::string sfx = std::to_string(layer) + (dir == 1 ? "_reverse" : "");
      register_parameter("weight_ih_l" + sfx, empty({gates, in}, f));
      register_parameter("weight_hh_l" + sfx, empty({gates, real_hidden}, f));
      if (bias) {
        register_parameter("bias_ih_l" + sfx, empty({gates}, f));
        register_parameter("bias_hh_l" + sfx, empty({gates}, f));
      }
      if (proj_size > 0) register_parameter("weight_hr_l" + sfx, empty({proj_size, hidden_size}, f));
    }
  }
  reset_parameters();
}

void RNNBaseImpl::reset_parameters() {
  const double stdv = 1.0 / std::sqrt(static_cast<double>(hidden_size));
  for (Tensor& p : parameters(false)) init::uniform_(p, -stdv, stdv);
}

std::string RNNBaseImpl::extra_repr() const {
  std::string s = std::to_string(input_size) + ", " + std::to_string(hidden_size);
  if (proj_size != 0) s += ", proj_size=" + std::to_string(proj_size);
  if (num_layers != 1) s += ", num_layers=" + std::to_string(num_layers);
  if (!bias) s += ", bias=False";
  if (batch_first) s += ", batch_first=True";
  if (dropout != 0) s += ", dropout=" + detail::py_repr(dropout);
  if (bidirectional) s += ", bidirectional=True";
  return s;
}

void RNNBaseImpl::init_states(const std::string& head, const Tensor& x, int64_t n, Tensor& hx,
                              Tensor& cx) const {
  const bool lstm = mode == RNNMode::LSTM;
  const int64_t dirs = bidirectional ? 2 : 1;
  const Shape h_shape{num_layers * dirs, n, proj_size > 0 ? proj_size : hidden_size};
  const Shape c_shape{num_layers * dirs, n, hidden_size};
  const TensorOptions like{.dtype = x.dtype(), .device = x.device()};
  if (!hx.defined()) hx = zeros(h_shape, like);
  WICK_CHECK(hx.sizes() == h_shape, head, ": Expected hidden", lstm ? "[0]" : "", " size ",
             detail::py_tuple(h_shape), ", got ", hx.sizes());
  if (lstm) {
    if (!cx.defined()) cx = zeros(c_shape, like);
    WICK_CHECK(cx.sizes() == c_shape, head, ": Expected hidden[1] size ", detail::py_tuple(c_shape),
               ", got ", cx.sizes());
  }
}

functional::RNNSequenceArgs RNNBaseImpl::sequence_args() const {
  return {.mode = mode, .num_layers = num_layers, .bidirectional = bidirectional,
          .has_biases = bias, .has_proj = proj_size > 0, .dropout = dropout,
          .training = is_training()};
}

std::tuple<Tensor, Tensor, Tensor> RNNBaseImpl::run(const Tensor& input, Tensor hx, Tensor cx) const {
  const std::string head = name() + "(" + extra_repr() + ")";
  const bool lstm = mode == RNNMode::LSTM;
  WICK_CHECK(input.dim() == 2 || input.dim() == 3, head,
             ": Expected input to be 2-D or 3-D but received ", input.dim(), "-D tensor");
  WICK_CHECK(input.size(-1) == input_size, head,
             ": input.size(-1) must be equal to input_size. Expected ", input_size, ", got ",
             input.size(-1));
  const bool batched = input.dim() == 3;
  for (const Tensor* s : {&hx, &cx}) {
    if (!s->defined()) continue;
    const char* what = lstm ? "hx and cx" : "hx";
    if (batched) {
      WICK_CHECK(s->dim() == 3, head, ": For batched 3-D input, ", what,
                 " should also be 3-D but got ", s->dim(), "-D tensor");
    } else {
      WICK_CHECK(s->dim() == 2, head, ": For unbatched 2-D input, ", what,
                 " should also be 2-D but got ", s->dim(), "-D tensor");
    }
  }
  // Time-major (T, N, I) inside.
  Tensor x = !batched ? input.unsqueeze(1) : batch_first ? input.transpose(0, 1) : input;
  if (!batched) {
    if (hx.defined()) hx = hx.unsqueeze(1);
    if (cx.defined()) cx = cx.unsqueeze(1);
  }
  init_states(head, x, x.size(1), hx, cx);
  auto [out, h_n, c_n] = functional::rnn_sequence(x, hx, cx, flat_weights(), sequence_args());
  if (!batched) {
    out = out.squeeze(1);
    h_n = h_n.squeeze(1);
    if (c_n.defined()) c_n = c_n.squeeze(1);
  } else if (batch_first) {
    out = out.transpose(0, 1);
  }
  return {out, h_n, c_n};
}

std::tuple<PackedSequence, Tensor, Tensor> RNNBaseImpl::run_packed(const PackedSequence& input,
                                                                   Tensor hx, Tensor cx) const {
  const std::string head = name() + "(" + extra_repr() + ")";
  const Tensor& data = input.data;
  WICK_CHECK(data.defined() && input.batch_sizes.defined() && input.batch_sizes.dim() == 1 &&
                 input.batch_sizes.numel() > 0,
             head, ": expected a PackedSequence with data and 1-D batch_sizes");
  WICK_CHECK(data.dim() == 2, head, ": input must have 2 dimensions, got ", data.dim());
  WICK_CHECK(data.size(-1) == input_size, head,
             ": input.size(-1) must be equal to input_size. Expected ", input_size, ", got ",
             data.size(-1));
  for (const Tensor* s : {&hx, &cx})
    WICK_CHECK(!s->defined() || s->dim() == 3, head, ": For batched 3-D input, ",
               mode == RNNMode::LSTM ? "hx and cx" : "hx", " should also be 3-D but got ",
               s->dim(), "-D tensor");
  Tensor sizes = input.batch_sizes.cpu().to(kInt64).contiguous();
  const int64_t* bs = sizes.data_ptr<int64_t>();
  const std::vector<int64_t> batch_sizes(bs, bs + sizes.numel());
  // The caller's states are in its own batch order; the runner's are longest first.
  const Tensor& sorted = input.sorted_indices;
  if (sorted.defined()) {
    if (hx.defined()) hx = hx.index_select(1, sorted);
    if (cx.defined()) cx = cx.index_select(1, sorted);
  }
  init_states(head, data, batch_sizes.front(), hx, cx);
  auto [out, h_n, c_n] =
      functional::rnn_packed_sequence(data, batch_sizes, hx, cx, flat_weights(), sequence_args());
  if (input.unsorted_indices.defined()) {
    h_n = h_n.index_select(1, input.unsorted_indices);
    if (c_n.defined()) c_n = c_n.index_select(1, input.unsorted_indices);
  }
  return {PackedSequence{out, input.batch_sizes, input.sorted_indices, input.unsorted_indices}, h_n,
          c_n};
}

RNNImpl::RNNImpl(int64_t input_size_, int64_t hidden_size_, RNNOptions o)
    : RNNBaseImpl("RNN", rnn_mode(o.nonlinearity), input_size_, hidden_size_, settings(o)) {}
RNNImpl::RNNImpl(int64_t input_size_, int64_t hidden_size_, int64_t layers, RNNOptions o)
    : RNNImpl(input_size_, hidden_size_, with_layers(o, layers)) {}

std::tuple<Tensor, Tensor> RNNImpl::forward(const Tensor& input, const Tensor& hx) {
  auto [out, h_n, c_n] = run(input, hx, Tensor());
  return {out, h_n};
}

std::tuple<PackedSequence, Tensor> RNNImpl::forward(const PackedSequence& input, const Tensor& hx) {
  auto [out, h_n, c_n] = run_packed(input, hx, Tensor());
  return {out, h_n};
}

LSTMImpl::LSTMImpl(int64_t input_size_, int64_t hidden_size_, LSTMOptions o)
    : RNNBaseImpl("LSTM", RNNMode::LSTM, input_size_, hidden_size_, settings(o, o.proj_size)) {}
LSTMImpl::LSTMImpl(int64_t input_size_, int64_t hidden_size_, int64_t layers, LSTMOptions o)
    : LSTMImpl(input_size_, hidden_size_, with_layers(o, layers)) {}

std::tuple<Tensor, std::tuple<Tensor, Tensor>> LSTMImpl::forward(
    const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx) {
  auto [out, h_n, c_n] = run(input, hx ? std::get<0>(*hx) : Tensor(), hx ? std::get<1>(*hx) : Tensor());
  return {out, {h_n, c_n}};
}

std::tuple<PackedSequence, std::tuple<Tensor, Tensor>> LSTMImpl::forward(
    const PackedSequence& input, std::optional<std::tuple<Tensor, Tensor>> hx) {
  auto [out, h_n, c_n] =
      run_packed(input, hx ? std::get<0>(*hx) : Tensor(), hx ? std::get<1>(*hx) : Tensor());
  return {out, {h_n, c_n}};
}

GRUImpl::GRUImpl(int64_t input_size_, int64_t hidden_size_, GRUOptions o)
    : RNNBaseImpl("GRU", RNNMode::GRU, input_size_, hidden_size_, settings(o)) {}
GRUImpl::GRUImpl(int64_t input_size_, int64_t hidden_size_, int64_t layers, GRUOptions o)
    : GRUImpl(input_size_, hidden_size_, with_layers(o, layers)) {}

std::tuple<Tensor, Tensor> GRUImpl::forward(const Tensor& input, const Tensor& hx) {
  auto [out, h_n, c_n] = run(input, hx, Tensor());
  return {out, h_n};
}

std::tuple<PackedSequence, Tensor> GRUImpl::forward(const PackedSequence& input, const Tensor& hx) {
  auto [out, h_n, c_n] = run_packed(input, hx, Tensor());
  return {out, h_n};
}

LSTM::LSTM(int64_t input_size, int64_t hidden_size, LSTMOptions options)
    : ModuleHolder<LSTMImpl>(input_size, hidden_size, options) {}

LSTM::LSTM(int64_t input_size, int64_t hidden_size, int64_t num_layers, LSTMOptions options)
    : ModuleHolder<LSTMImpl>(input_size, hidden_size, num_layers, options) {}

LSTMCell::LSTMCell(int64_t input_size, int64_t hidden_size, LSTMCellOptions options)
    : ModuleHolder<LSTMCellImpl>(input_size, hidden_size, options) {}

#define WICK_RNN_HOLDER_CTORS(Name, Options)                                               \
  Name::Name(int64_t input_size, int64_t hidden_size, Options options)                     \
      : ModuleHolder<Name##Impl>(input_size, hidden_size, options) {}                      \
  Name::Name(int64_t input_size, int64_t hidden_size, int64_t num_layers, Options options) \
      : ModuleHolder<Name##Impl>(input_size, hidden_size, num_layers, options) {}
WICK_RNN_HOLDER_CTORS(RNN, RNNOptions)
WICK_RNN_HOLDER_CTORS(GRU, GRUOptions)
#undef WICK_RNN_HOLDER_CTORS

RNNCell::RNNCell(int64_t input_size, int64_t hidden_size, RNNCellOptions options)
    : ModuleHolder<RNNCellImpl>(input_size, hidden_size, options) {}
GRUCell::GRUCell(int64_t input_size, int64_t hidden_size, GRUCellOptions options)
    : ModuleHolder<GRUCellImpl>(input_size, hidden_size, options) {}

}  // namespace wick::nn

// Recurrent layers (torch.nn.RNNCell/LSTMCell/GRUCell and RNN/LSTM/GRU): PyTorch's parameter names,
// shapes, registration order, init (uniform(-1/sqrt(hidden), 1/sqrt(hidden))) and printing. Unbatched
// inputs, batch_first, bidirectional, LSTM proj_size, and PackedSequence input (variable lengths).
#pragma once

#include <optional>
#include <string>
#include <tuple>

#include "wick/core/device.h"
#include "wick/nn/functional/rnn.h"
#include "wick/nn/modules/common.h"
#include "wick/nn/utils/rnn.h"

namespace wick::nn {

// ---- cells ----

struct RNNCellOptions {
  bool bias = true;
  std::string nonlinearity = "tanh";  // or "relu"
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

struct LSTMCellOptions {
  bool bias = true;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};
using GRUCellOptions = LSTMCellOptions;

// weight_ih (G*hidden, input), weight_hh (G*hidden, hidden), bias_ih, bias_hh (G*hidden); G = 1/4/3.
struct RNNCellBaseImpl : Module {
  RNNCellBaseImpl(const char* name, int64_t input_size, int64_t hidden_size, bool bias,
                  int64_t num_chunks, std::optional<Device> device, std::optional<DType> dtype);
  void reset_parameters();
  std::string extra_repr() const override;

  int64_t input_size, hidden_size;
  bool bias;
  Tensor weight_ih, weight_hh, bias_ih, bias_hh;

 protected:
  // Checks input (N, input_size) or (input_size) and hx against it; zeros when hx is undefined.
  Tensor check_and_init(const Tensor& input, const Tensor& hx, const char* hname) const;
};

struct RNNCellImpl : RNNCellBaseImpl {
  RNNCellImpl(int64_t input_size, int64_t hidden_size, RNNCellOptions options = {});
  // input (N, input_size) or (input_size), hx (N, hidden) or (hidden) -> h'
  Tensor forward(const Tensor& input, const Tensor& hx = {});
  std::string extra_repr() const override;
  std::string nonlinearity;
};

struct LSTMCellImpl : RNNCellBaseImpl {
  LSTMCellImpl(int64_t input_size, int64_t hidden_size, LSTMCellOptions options = {});
  // -> (h', c')
  std::tuple<Tensor, Tensor> forward(const Tensor& input,
                                     std::optional<std::tuple<Tensor, Tensor>> hx = std::nullopt);
};

struct GRUCellImpl : RNNCellBaseImpl {
  GRUCellImpl(int64_t input_size, int64_t hidden_size, GRUCellOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& hx = {});
};

// ---- multi-layer sequence modules ----

struct RNNOptions {
  int64_t num_layers = 1;
  std::string nonlinearity = "tanh";  // or "relu"
  bool bias = true;
  bool batch_first = false;
  double dropout = 0.0;  // between layers, training only
  bool bidirectional = false;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

struct LSTMOptions {
  int64_t num_layers = 1;
  bool bias = true;
  bool batch_first = false;
  double dropout = 0.0;
  bool bidirectional = false;
  int64_t proj_size = 0;  // > 0: h is projected to proj_size by weight_hr_l{k}
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

struct GRUOptions {
  int64_t num_layers = 1;
  bool bias = true;
  bool batch_first = false;
  double dropout = 0.0;
  bool bidirectional = false;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

// The shared machinery of RNN/LSTM/GRU (torch.nn.RNNBase): parameters weight_ih_l{k}[_reverse],
// weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k} per layer and direction, in that order.
struct RNNBaseImpl : Module {
  struct Settings {
    int64_t num_layers;
    bool bias, batch_first;
    double dropout;
    bool bidirectional;
    int64_t proj_size;
    std::optional<Device> device;
    std::optional<DType> dtype;
  };
  RNNBaseImpl(const char* name, functional::RNNMode mode, int64_t input_size, int64_t hidden_size,
              const Settings& s);
  void reset_parameters();
  std::string extra_repr() const override;
  // The parameters in PyTorch's _flat_weights order.
  std::vector<Tensor> flat_weights() const { return parameters(false); }

  functional::RNNMode mode;
  int64_t input_size, hidden_size, num_layers;
  bool bias, batch_first;
  double dropout;
  bool bidirectional;
  int64_t proj_size;

 protected:
  // Checks shapes (PyTorch's messages), handles unbatched input and batch_first, fills missing
  // states with zeros, runs the stack. Returns (output, h_n, c_n or undefined) in the caller's layout.
  std::tuple<Tensor, Tensor, Tensor> run(const Tensor& input, Tensor hx, Tensor cx) const;
  // The same for a PackedSequence: (output packed like the input, h_n, c_n or undefined), the
  // states in the caller's batch order.
  std::tuple<utils::rnn::PackedSequence, Tensor, Tensor> run_packed(
      const utils::rnn::PackedSequence& input, Tensor hx, Tensor cx) const;

 private:
  // Zeros for missing states; checks their shapes (n = batch size) with PyTorch's messages.
  void init_states(const std::string& head, const Tensor& x, int64_t n, Tensor& hx,
                   Tensor& cx) const;
  functional::RNNSequenceArgs sequence_args() const;
};

struct RNNImpl : RNNBaseImpl {
  RNNImpl(int64_t input_size, int64_t hidden_size, RNNOptions options = {});
  RNNImpl(int64_t input_size, int64_t hidden_size, int64_t num_layers, RNNOptions options = {});
  // input (L, N, H_in) / (N, L, H_in) with batch_first / (L, H_in); hx (D*num_layers, N, H)
  // -> (output (L, N, D*H), h_n (D*num_layers, N, H))
  std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = {});
  // Variable lengths: input packed (nn::utils::rnn), hx (D*num_layers, N, H) -> (packed output, h_n)
  std::tuple<utils::rnn::PackedSequence, Tensor> forward(const utils::rnn::PackedSequence& input,
                                                         const Tensor& hx = {});
};

struct LSTMImpl : RNNBaseImpl {
  LSTMImpl(int64_t input_size, int64_t hidden_size, LSTMOptions options = {});
  LSTMImpl(int64_t input_size, int64_t hidden_size, int64_t num_layers, LSTMOptions options = {});
  // hx = (h_0 (D*num_layers, N, H_out), c_0 (D*num_layers, N, H)); H_out = proj_size or hidden_size
  // -> (output, (h_n, c_n))
  std::tuple<Tensor, std::tuple<Tensor, Tensor>> forward(
      const Tensor& input, std::optional<std::tuple<Tensor, Tensor>> hx = std::nullopt);
  std::tuple<utils::rnn::PackedSequence, std::tuple<Tensor, Tensor>> forward(
      const utils::rnn::PackedSequence& input,
      std::optional<std::tuple<Tensor, Tensor>> hx = std::nullopt);
};

struct GRUImpl : RNNBaseImpl {
  GRUImpl(int64_t input_size, int64_t hidden_size, GRUOptions options = {});
  GRUImpl(int64_t input_size, int64_t hidden_size, int64_t num_layers, GRUOptions options = {});
  std::tuple<Tensor, Tensor> forward(const Tensor& input, const Tensor& hx = {});
  std::tuple<utils::rnn::PackedSequence, Tensor> forward(const utils::rnn::PackedSequence& input,
                                                         const Tensor& hx = {});
};

// Holders that also take a braced options struct (nn::LSTM(10, 20, {.batch_first = true})) and
// the Python-style positional num_layers (nn::LSTM(10, 20, 2)).
#define WICK_RNN_HOLDER(Name, Options)                                                       \
  class Name : public ModuleHolder<Name##Impl> {                                             \
   public:                                                                                   \
    using ModuleHolder<Name##Impl>::ModuleHolder;                                            \
    Name(int64_t input_size, int64_t hidden_size, Options options = {});                     \
    Name(int64_t input_size, int64_t hidden_size, int64_t num_layers, Options options = {}); \
  }
WICK_RNN_HOLDER(RNN, RNNOptions);
WICK_RNN_HOLDER(GRU, GRUOptions);
#undef WICK_RNN_HOLDER

class LSTM : public ModuleHolder<LSTMImpl> {
 public:
  using ModuleHolder<LSTMImpl>::ModuleHolder;
  using ModuleHolder<LSTMImpl>::operator();
  LSTM(int64_t input_size, int64_t hidden_size, LSTMOptions options = {});
  LSTM(int64_t input_size, int64_t hidden_size, int64_t num_layers, LSTMOptions options = {});
  // lstm(x, {h0, c0})
  auto operator()(const Tensor& input, std::tuple<Tensor, Tensor> hx) {
    return ModuleHolder<LSTMImpl>::operator()(input, std::optional<std::tuple<Tensor, Tensor>>(hx));
  }
  auto operator()(const utils::rnn::PackedSequence& input, std::tuple<Tensor, Tensor> hx) {
    return ModuleHolder<LSTMImpl>::operator()(input, std::optional<std::tuple<Tensor, Tensor>>(hx));
  }
};

#define WICK_CELL_HOLDER(Name, Options)                                  \
  class Name : public ModuleHolder<Name##Impl> {                         \
   public:                                                               \
    using ModuleHolder<Name##Impl>::ModuleHolder;                        \
    Name(int64_t input_size, int64_t hidden_size, Options options = {}); \
  }
WICK_CELL_HOLDER(RNNCell, RNNCellOptions);
WICK_CELL_HOLDER(GRUCell, GRUCellOptions);
#undef WICK_CELL_HOLDER

class LSTMCell : public ModuleHolder<LSTMCellImpl> {
 public:
  using ModuleHolder<LSTMCellImpl>::ModuleHolder;
  using ModuleHolder<LSTMCellImpl>::operator();
  LSTMCell(int64_t input_size, int64_t hidden_size, LSTMCellOptions options = {});
  // cell(x, {h, c})
  auto operator()(const Tensor& input, std::tuple<Tensor, Tensor> hx) {
    return ModuleHolder<LSTMCellImpl>::operator()(input, std::optional<std::tuple<Tensor, Tensor>>(hx));
  }
};

}  // namespace wick::nn

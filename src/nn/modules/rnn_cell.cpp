// RNNCell, LSTMCell, GRUCell: parameters, PyTorch's init and printing, input checks that name the
// cell; the step itself is functional::rnn_tanh_cell/lstm_cell/gru_cell.
#include <cmath>

#include "wick/nn/init.h"
#include "wick/nn/modules/rnn.h"
#include "wick/ops/creation.h"

namespace wick::nn {

RNNCellBaseImpl::RNNCellBaseImpl(const char* name, int64_t input_size_, int64_t hidden_size_,
                                 bool bias_, int64_t num_chunks, std::optional<Device> device,
                                 std::optional<DType> dtype)
    : Module(name), input_size(input_size_), hidden_size(hidden_size_), bias(bias_) {
  WICK_CHECK(input_size >= 0 && hidden_size >= 0, name,
             ": input_size and hidden_size must be non-negative, got ", input_size, " and ",
             hidden_size);
  TensorOptions f{.dtype = dtype.value_or(default_dtype()), .device = device.value_or(Device(kCPU))};
  weight_ih = register_parameter("weight_ih", empty({num_chunks * hidden_size, input_size}, f));
  weight_hh = register_parameter("weight_hh", empty({num_chunks * hidden_size, hidden_size}, f));
  if (bias) {
    bias_ih = register_parameter("bias_ih", empty({num_chunks * hidden_size}, f));
    bias_hh = register_parameter("bias_hh", empty({num_chunks * hidden_size}, f));
  }
  reset_parameters();
}

void RNNCellBaseImpl::reset_parameters() {
  double stdv = hidden_size > 0 ? 1.0 / std::sqrt(static_cast<double>(hidden_size)) : 0.0;
  for (Tensor& p : parameters(false)) init::uniform_(p, -stdv, stdv);
}

std::string RNNCellBaseImpl::extra_repr() const {
  std::string s = std::to_string(input_size) + ", " + std::to_string(hidden_size);
  if (!bias) s += ", bias=False";
  return s;
}

Tensor RNNCellBaseImpl::check_and_init(const Tensor& input, const Tensor& hx, const char* hname) const {
  WICK_CHECK(input.dim() == 1 || input.dim() == 2, name(),
             ": Expected input to be 1-D or 2-D but received ", input.dim(), "-D tensor");
  WICK_CHECK(input.size(-1) == input_size, name(), "(", extra_repr(),
             "): input has inconsistent input_size: got ", input.size(-1), " expected ", input_size);
  if (!hx.defined()) {
    Shape s = input.dim() == 2 ? Shape{input.size(0), hidden_size} : Shape{hidden_size};
    return zeros(s, {.dtype = input.dtype(), .device = input.device()});
  }
  WICK_CHECK(hx.dim() == input.dim(), name(), ": Expected ", hname, " to be ", input.dim(),
             "-D for ", input.dim(), "-D input but received ", hx.dim(), "-D tensor");
  return hx;
}

RNNCellImpl::RNNCellImpl(int64_t input_size_, int64_t hidden_size_, RNNCellOptions options)
    : RNNCellBaseImpl("RNNCell", input_size_, hidden_size_, options.bias, 1, options.device,
                      options.dtype),
      nonlinearity(options.nonlinearity) {
  WICK_CHECK(nonlinearity == "tanh" || nonlinearity == "relu", "RNNCell: Unknown nonlinearity: ",
             nonlinearity);
}

Tensor RNNCellImpl::forward(const Tensor& input, const Tensor& hx) {
  Tensor h = check_and_init(input, hx, "hidden");
  return nonlinearity == "tanh"
             ? functional::rnn_tanh_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh)
             : functional::rnn_relu_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh);
}

std::string RNNCellImpl::extra_repr() const {
  std::string s = RNNCellBaseImpl::extra_repr();
  if (nonlinearity != "tanh") s += ", nonlinearity=" + nonlinearity;
  return s;
}

LSTMCellImpl::LSTMCellImpl(int64_t input_size_, int64_t hidden_size_, LSTMCellOptions options)
    : RNNCellBaseImpl("LSTMCell", input_size_, hidden_size_, options.bias, 4, options.device,
                      options.dtype) {}

std::tuple<Tensor, Tensor> LSTMCellImpl::forward(const Tensor& input,
                                                 std::optional<std::tuple<Tensor, Tensor>> hx) {
  Tensor h = check_and_init(input, hx ? std::get<0>(*hx) : Tensor(), "hx[0]");
  Tensor c = check_and_init(input, hx ? std::get<1>(*hx) : Tensor(), "hx[1]");
  return functional::lstm_cell(input, h, c, weight_ih, weight_hh, bias_ih, bias_hh);
}

GRUCellImpl::GRUCellImpl(int64_t input_size_, int64_t hidden_size_, GRUCellOptions options)
    : RNNCellBaseImpl("GRUCell", input_size_, hidden_size_, options.bias, 3, options.device,
                      options.dtype) {}

Tensor GRUCellImpl::forward(const Tensor& input, const Tensor& hx) {
  Tensor h = check_and_init(input, hx, "hidden");
  return functional::gru_cell(input, h, weight_ih, weight_hh, bias_ih, bias_hh);
}

}  // namespace wick::nn

// tcn: a temporal convolutional network (Bai et al. 2018; seed 004) on the adding problem: each
// sequence has a row of random values and a row marking two positions; the target is the sum of
// the two marked values. Causal dilated Conv1d (left padding only), residual blocks with a 1x1
// shortcut when widths differ. Prints the MSE falling well below the 0.167 of always answering 1.
//   tcn [--steps 600] [--seq-len 64] [--batch 32]
#include <cstdio>
#include <map>
#include <string>

#include "wick/wick.h"

using namespace wick;
namespace F = nn::functional;

// One residual block: two causal dilated convs with ReLU and dropout.
struct TemporalBlockImpl : nn::Module {
  TemporalBlockImpl(int64_t in, int64_t out, int64_t kernel_size, int64_t dilation, double dropout)
      : left_pad((kernel_size - 1) * dilation),
        conv1(register_module("conv1", nn::Conv1d(in, out, kernel_size, {.dilation = dilation}))),
        conv2(register_module("conv2", nn::Conv1d(out, out, kernel_size, {.dilation = dilation}))),
        drop(register_module("dropout", nn::Dropout(dropout))) {
    if (in != out) downsample = register_module("downsample", nn::Conv1d(in, out, 1));
  }
  // x (N, in, T) -> (N, out, T); output t sees inputs <= t only.
  Tensor forward(const Tensor& x) {
    Tensor y = drop(F::relu(conv1(F::pad(x, {left_pad, 0}))));
    y = drop(F::relu(conv2(F::pad(y, {left_pad, 0}))));
    return F::relu(y + (downsample.is_empty() ? x : downsample(x)));
  }
  int64_t left_pad;
  nn::Conv1d conv1, conv2;
  nn::Dropout drop;
  nn::Conv1d downsample{nullptr};
};
WICK_MODULE(TemporalBlock);

// Dilation doubles per block, so the receptive field covers 2^levels * (kernel_size - 1) steps.
struct TCNImpl : nn::Module {
  TCNImpl(int64_t inputs, int64_t channels, int64_t levels, int64_t kernel_size) {
    int64_t in = inputs;
    for (int64_t i = 0; i < levels; ++i) {
      network->append(TemporalBlock(in, channels, kernel_size, int64_t{1} << i, 0.0));
      in = channels;
    }
    register_module("network", network);
    register_module("linear", linear = nn::Linear(channels, 1));
  }
  // x (N, 2, T) -> (N): read out the last time step.
  Tensor forward(const Tensor& x) { return linear(network(x).select(2, -1)).squeeze(1); }
  nn::Sequential network;
  nn::Linear linear{nullptr};
};
WICK_MODULE(TCN);

// The adding problem: x (N, 2, T): row 0 uniform values, row 1 two ones; y (N) their sum.
std::pair<Tensor, Tensor> adding_batch(int64_t n, int64_t t) {
  Tensor values = rand({n, 1, t});
  Tensor marks = zeros({n, 1, t});
  Tensor first = randint(0, t / 2, {n, 1, 1});
  Tensor second = randint(t / 2, t, {n, 1, 1});
  marks.scatter_(2, first, ones({n, 1, 1}));
  marks.scatter_(2, second, ones({n, 1, 1}));
  Tensor y = (values * marks).sum({1, 2});
  return {cat({values, marks}, 1), y};
}

int main(int argc, char** argv) {
  std::map<std::string, int64_t> a = {{"steps", 600}, {"seq-len", 64}, {"batch", 32}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = std::string(argv[i]).substr(2);
    if (!a.count(key)) {
      std::fprintf(stderr, "tcn: unknown option %s\n", argv[i]);
      return 2;
    }
    a[key] = std::stoll(argv[i + 1]);
  }
  manual_seed(0);
  TCN model(2, 24, 6, 3);  // receptive field 1 + 2 * (2^6 - 1) = 127 >= seq-len
  optim::Adam opt(model->parameters(), {.lr = 2e-3});
  double running = 0;
  for (int64_t step = 1; step <= a["steps"]; ++step) {
    auto [x, y] = adding_batch(a["batch"], a["seq-len"]);
    Tensor loss = F::mse_loss(model(x), y);
    opt.zero_grad();
    loss.backward();
    opt.step();
    running += loss.item<double>();
    if (step % 50 == 0 || step == a["steps"]) {
      std::printf("step %lld: mse %.4f\n", static_cast<long long>(step), running / (step % 50 == 0 ? 50 : step % 50));
      running = 0;
    }
  }
  NoGradGuard no_grad;
  model->eval();
  auto [x, y] = adding_batch(1000, a["seq-len"]);
  std::printf("test mse %.4f (always predicting 1: ~0.167)\n", F::mse_loss(model(x), y).item<double>());
  return 0;
}

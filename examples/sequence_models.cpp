// sequence_models: Fashion-MNIST as sequences. An LSTM or a GRU reads each image row by row
// (28 steps of 28 pixels) and classifies from its last hidden state; a Transformer encoder reads
// the image as 16 patches of 7x7 with a learned position embedding and classifies from the mean
// token. Adam, cross entropy, test accuracy after every epoch.
//   sequence_models [--model lstm|gru|transformer] [--epochs 5] [--batch-size 128] [--lr 1e-3]
//                   [--data DIR] [--limit-batches 0] [--threads 0]
#include <cstdio>
#include <map>
#include <string>

#include "wick/wick.h"

using namespace wick;
namespace F = nn::functional;

// x (N, 1, 28, 28) -> logits (N, 10)
struct RowRNNImpl : nn::Module {
  explicit RowRNNImpl(bool gru) {
    if (gru)
      gru_ = register_module("rnn", nn::GRU(28, 128, {.num_layers = 1, .batch_first = true}));
    else
      lstm_ = register_module("rnn", nn::LSTM(28, 128, {.num_layers = 1, .batch_first = true}));
    fc = register_module("fc", nn::Linear(128, 10));
  }
  Tensor forward(const Tensor& x) {
    Tensor rows = x.view({x.size(0), 28, 28});
    Tensor out = gru_.is_empty() ? std::get<0>(lstm_(rows)) : std::get<0>(gru_(rows));
    return fc(out.select(1, -1));
  }
  nn::LSTM lstm_{nullptr};
  nn::GRU gru_{nullptr};
  nn::Linear fc{nullptr};
};
WICK_MODULE(RowRNN);

// x (N, 1, 28, 28) -> 16 patches (N, 16, 49) -> tokens (N, 16, 64) -> logits (N, 10)
struct PatchTransformerImpl : nn::Module {
  PatchTransformerImpl()
      : embed(register_module("embed", nn::Linear(49, 64))),
        pos(register_parameter("pos", randn({1, 16, 64}) * 0.02)),
        encoder(register_module(
            "encoder", nn::TransformerEncoder(nn::TransformerEncoderLayer(64, 4, {.dim_feedforward = 128,
                                                                                  .dropout = 0.1,
                                                                                  .batch_first = true}),
                                              2))),
        fc(register_module("fc", nn::Linear(64, 10))) {}
  Tensor forward(const Tensor& x) {
    const int64_t n = x.size(0);
    // (N, 1, 4, 7, 4, 7) -> (N, 4, 4, 7, 7) -> (N, 16, 49)
    Tensor patches = x.reshape({n, 4, 7, 4, 7}).permute({0, 1, 3, 2, 4}).reshape({n, 16, 49});
    Tensor tokens = encoder(embed(patches) + pos);
    return fc(tokens.mean(1));
  }
  nn::Linear embed;
  Tensor pos;
  nn::TransformerEncoder encoder;
  nn::Linear fc;
};
WICK_MODULE(PatchTransformer);

int main(int argc, char** argv) {
  std::map<std::string, std::string> a = {{"model", "lstm"}, {"epochs", "5"}, {"batch-size", "128"},
                                          {"lr", "1e-3"}, {"data", "/usr/share/datasets/fashion-mnist"},
                                          {"limit-batches", "0"}, {"threads", "0"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = std::string(argv[i]).substr(2);
    if (!a.count(key)) {
      std::fprintf(stderr, "sequence_models: unknown option %s\n", argv[i]);
      return 2;
    }
    a[key] = argv[i + 1];
  }
  try {
    manual_seed(0);
    if (std::stoi(a["threads"]) > 0) set_num_threads(std::stoi(a["threads"]));
    const std::string which = a["model"];
    nn::AnyModule model;
    if (which == "lstm" || which == "gru")
      model = RowRNN(which == "gru");
    else if (which == "transformer")
      model = PatchTransformer();
    else
      throw std::invalid_argument("--model must be lstm, gru or transformer, got " + which);
    data::Transform to_tensor = data::transforms::ToTensor();
    data::FashionMNIST train_set(a["data"], {.train = true, .transform = to_tensor});
    data::FashionMNIST test_set(a["data"], {.train = false, .transform = to_tensor});
    const int64_t batch = std::stoll(a["batch-size"]), limit = std::stoll(a["limit-batches"]);
    data::DataLoader train_loader(train_set, {.batch_size = batch, .shuffle = true, .num_workers = 2});
    data::DataLoader test_loader(test_set, {.batch_size = 512, .shuffle = false, .num_workers = 2});
    optim::Adam opt(model->parameters(), {.lr = std::stod(a["lr"])});
    for (int64_t epoch = 1; epoch <= std::stoll(a["epochs"]); ++epoch) {
      model->train();
      double loss_sum = 0;
      int64_t seen = 0, batches = 0;
      for (auto& [x, y] : train_loader) {
        if (limit > 0 && batches++ >= limit) break;
        Tensor loss = F::cross_entropy(model(x), y);
        opt.zero_grad();
        loss.backward();
        opt.step();
        loss_sum += loss.item<double>() * static_cast<double>(y.size(0));
        seen += y.size(0);
      }
      NoGradGuard no_grad;
      model->eval();
      int64_t correct = 0, total = 0;
      batches = 0;
      for (auto& [x, y] : test_loader) {
        if (limit > 0 && batches++ >= limit) break;
        correct += model(x).argmax(1).eq(y).sum().item<int64_t>();
        total += y.size(0);
      }
      std::printf("%s epoch %lld: loss %.3f, test acc %.3f\n", which.c_str(), static_cast<long long>(epoch),
                  loss_sum / static_cast<double>(seen), static_cast<double>(correct) / static_cast<double>(total));
      std::fflush(stdout);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sequence_models: %s\n", e.what());
    return 1;
  }
}

// TrainConfig: wick-train's command line, with d2l's recipe for each model as the defaults
// (Dive into Deep Learning, chapters 7-8: SGD, Xavier init, the batch size, learning rate and
// input size each section trains Fashion-MNIST with). Parsing errors throw with the usage text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wick_train {

struct TrainConfig {
  std::string model = "lenet";
  int64_t epochs = 10;
  double lr = 0.9;
  int64_t batch_size = 256;
  int64_t resize = 0;  // 0: keep 28x28
  std::string device = "cpu";
  std::string data = "/usr/share/datasets/fashion-mnist";
  std::string optimizer = "sgd";
  double momentum = 0.0;
  double weight_decay = 0.0;
  std::string scheduler = "none";  // none | step | cosine | onecycle
  int64_t threads = 0;             // 0: the library's default
  uint64_t seed = 0;
  std::string out = "runs/lenet";
  std::string resume;              // checkpoint to continue from
  std::string init = "xavier";     // xavier (d2l) | default (PyTorch's per-layer init)
  int64_t num_workers = 2;
  int64_t limit_batches = 0;       // > 0: at most this many batches per epoch (smoke tests)
};

struct Recipe {
  int64_t epochs, batch_size, resize;
  double lr;
  const char* init;
};

// d2l's settings per model (resnet34/50 are not in d2l: they reuse ResNet-18's, PyTorch's init).
inline const std::map<std::string, Recipe>& recipes() {
  static const std::map<std::string, Recipe> r = {
      {"lenet", {10, 256, 0, 0.9, "xavier"}},       {"lenet_bn", {10, 256, 0, 1.0, "xavier"}},
      {"alexnet", {10, 128, 224, 0.01, "xavier"}},  {"vgg11", {10, 128, 224, 0.05, "xavier"}},
      {"vgg11_small", {10, 128, 224, 0.05, "xavier"}}, {"nin", {10, 128, 224, 0.1, "xavier"}},
      {"googlenet", {10, 128, 96, 0.1, "xavier"}},  {"resnet18", {10, 256, 96, 0.05, "xavier"}},
      {"resnet34", {10, 256, 96, 0.05, "default"}}, {"resnet50", {10, 256, 96, 0.05, "default"}},
      {"densenet", {10, 256, 96, 0.1, "xavier"}},
  };
  return r;
}

inline const char* usage() {
  return "usage: wick-train [--model NAME] [--epochs N] [--lr LR] [--batch-size N] [--resize PX]\n"
         "                  [--device cpu|cuda] [--data DIR] [--optimizer sgd|adam|adamw] [--momentum M]\n"
         "                  [--weight-decay WD] [--scheduler none|step|cosine|onecycle] [--threads N]\n"
         "                  [--seed S] [--out DIR] [--resume CHECKPOINT] [--init xavier|default]\n"
         "                  [--num-workers N] [--limit-batches N]\n"
         "models: lenet lenet_bn alexnet vgg11 vgg11_small nin googlenet resnet18 resnet34 resnet50 densenet\n"
         "Defaults for --epochs/--lr/--batch-size/--resize/--init are d2l's for the chosen model.\n";
}

// argv -> config: first the model's recipe, then every flag given on the command line.
inline TrainConfig parse_args(const std::vector<std::string>& args) {
  std::map<std::string, std::string> given;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") throw std::invalid_argument("");
    if (a.rfind("--", 0) != 0) throw std::invalid_argument("wick-train: unexpected argument '" + a + "'");
    std::string key = a.substr(2), value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key.resize(eq);
    } else {
      if (i + 1 >= args.size()) throw std::invalid_argument("wick-train: " + a + " needs a value");
      value = args[++i];
    }
    given[key] = value;
  }
  TrainConfig c;
  if (auto it = given.find("model"); it != given.end()) c.model = it->second;
  auto recipe = recipes().find(c.model);
  if (recipe == recipes().end()) throw std::invalid_argument("wick-train: unknown model '" + c.model + "'");
  c.epochs = recipe->second.epochs;
  c.batch_size = recipe->second.batch_size;
  c.resize = recipe->second.resize;
  c.lr = recipe->second.lr;
  c.init = recipe->second.init;
  c.out = "runs/" + c.model;

  auto number = [](const std::string& key, const std::string& v) {
    size_t used = 0;
    double d = 0;
    try {
      d = std::stod(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != v.size() || v.empty())
      throw std::invalid_argument("wick-train: --" + key + " expects a number, got '" + v + "'");
    return d;
  };
  auto integer = [&](const std::string& key, const std::string& v) {
    double d = number(key, v);
    if (d != static_cast<double>(static_cast<int64_t>(d)) || d < 0)
      throw std::invalid_argument("wick-train: --" + key + " expects a non-negative integer, got '" + v + "'");
    return static_cast<int64_t>(d);
  };
  for (const auto& [key, v] : given) {
    if (key == "model") continue;
    else if (key == "epochs") c.epochs = integer(key, v);
    else if (key == "lr") c.lr = number(key, v);
    else if (key == "batch-size") c.batch_size = integer(key, v);
    else if (key == "resize") c.resize = integer(key, v);
    else if (key == "device") c.device = v;
    else if (key == "data") c.data = v;
    else if (key == "optimizer") c.optimizer = v;
    else if (key == "momentum") c.momentum = number(key, v);
    else if (key == "weight-decay") c.weight_decay = number(key, v);
    else if (key == "scheduler") c.scheduler = v;
    else if (key == "threads") c.threads = integer(key, v);
    else if (key == "seed") c.seed = static_cast<uint64_t>(integer(key, v));
    else if (key == "out") c.out = v;
    else if (key == "resume") c.resume = v;
    else if (key == "init") c.init = v;
    else if (key == "num-workers") c.num_workers = integer(key, v);
    else if (key == "limit-batches") c.limit_batches = integer(key, v);
    else throw std::invalid_argument("wick-train: unknown option --" + key);
  }
  if (c.batch_size < 1) throw std::invalid_argument("wick-train: --batch-size must be at least 1");
  if (c.optimizer != "sgd" && c.optimizer != "adam" && c.optimizer != "adamw")
    throw std::invalid_argument("wick-train: --optimizer must be sgd, adam or adamw, got '" + c.optimizer + "'");
  if (c.scheduler != "none" && c.scheduler != "step" && c.scheduler != "cosine" && c.scheduler != "onecycle")
    throw std::invalid_argument("wick-train: --scheduler must be none, step, cosine or onecycle, got '" +
                                c.scheduler + "'");
  if (c.init != "xavier" && c.init != "default")
    throw std::invalid_argument("wick-train: --init must be xavier or default, got '" + c.init + "'");
  if (c.device != "cpu" && c.device != "cuda" && c.device.rfind("cuda:", 0) != 0)
    throw std::invalid_argument("wick-train: --device must be cpu or cuda, got '" + c.device + "'");
  return c;
}

}  // namespace wick_train

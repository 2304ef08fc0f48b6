// The model zoo against PyTorch (tools/goldens/models.py): every state_dict key and shape in
// order, print(model) for the smaller nets, and eval-mode logits for the same weights (set by a
// formula both sides compute) on a formula input, float32 to 1e-4.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/models/models.h"
#include "wick/wick.h"

namespace wick {
namespace {

// ((i * 2654435761 + k * 40503) mod 2^32) / 2^32 - 0.5, as the golden script.
Tensor formula(int64_t n, int64_t k) {
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const auto h = static_cast<uint64_t>(i) * 2654435761ULL + static_cast<uint64_t>(k) * 40503ULL;
    v[static_cast<size_t>(i)] = static_cast<double>(h % 4294967296ULL) / 4294967296.0 - 0.5;
  }
  return tensor(v, {.dtype = kFloat64});
}

void set_weights(nn::Module& model) {
  NoGradGuard no_grad;
  int64_t k = 0;
  for (auto [key, t] : model.state_dict()) {
    const int64_t index = k++;
    if (key.ends_with("num_batches_tracked")) continue;
    Tensor v = formula(t.numel(), index);
    if (key.ends_with("running_var"))
      v = v.abs() + 1.0;
    else if (t.dim() == 1 && key.ends_with("weight"))
      v = v * 0.2 + 1.0;
    else if (t.dim() == 1)
      v = v * 0.2;
    else
      v = v * std::sqrt(12.0 / static_cast<double>(t.numel() / t.size(0)));
    t.copy_(v.reshape(t.sizes()));
  }
}

struct Case {
  std::string name;
  int64_t side;
};

const std::vector<Case>& zoo() {
  static const std::vector<Case> cases = {{"lenet", 28},     {"lenet_bn", 28},  {"alexnet", 224}, {"vgg11_small", 224},
                                          {"nin", 224},      {"googlenet", 96}, {"resnet18", 96}, {"densenet", 96},
                                          {"resnet34", 64},  {"resnet50", 64}};
  return cases;
}

std::string read_file(const std::string& name) {
  std::ifstream in(std::string(WICK_GOLDEN_DIR) + "/" + name);
  EXPECT_TRUE(in.good()) << "missing golden " << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// model -> ["key d0 d1 ...", ...] in file order.
std::map<std::string, std::vector<std::string>> golden_keys() {
  std::map<std::string, std::vector<std::string>> keys;
  std::istringstream in(read_file("models_state_dict_keys.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find(' ');
    keys[line.substr(0, space)].push_back(line.substr(space + 1));
  }
  return keys;
}

// model -> print(model) text.
std::map<std::string, std::string> golden_prints() {
  std::map<std::string, std::string> prints;
  std::istringstream in(read_file("models_print.txt"));
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      current = line.substr(3);
      continue;
    }
    if (current.empty()) continue;
    std::string& text = prints[current];
    if (!text.empty()) text += '\n';
    text += line;
  }
  return prints;
}

TEST(Models, StateDictKeysAndShapesEqualPyTorch) {
  auto expected = golden_keys();
  for (const auto& c : zoo()) {
    SCOPED_TRACE(c.name);
    auto model = models::make_model(c.name);
    std::vector<std::string> got;
    for (const auto& [key, t] : model->state_dict()) {
      std::string line = key;
      for (int64_t s : t.sizes()) {
        line += ' ';  // appended piecewise: GCC 12's -Wrestrict misfires on " " + to_string(s)
        line += std::to_string(s);
      }
      got.push_back(line);
    }
    EXPECT_EQ(got, expected[c.name]);
  }
}

TEST(Models, PrintEqualsPyTorch) {
  auto expected = golden_prints();
  for (const char* name : {"lenet", "lenet_bn", "nin", "resnet18"}) {
    SCOPED_TRACE(name);
    std::ostringstream s;
    s << *models::make_model(name).ptr();
    EXPECT_EQ(s.str(), expected[name]);
  }
}

TEST(Models, LogitsEqualPyTorchForTheSameWeights) {
  testing::Golden golden("models");
  for (const auto& c : zoo()) {
    SCOPED_TRACE(c.name);
    auto model = models::make_model(c.name);
    set_weights(*model.ptr());
    model->eval();
    Tensor x = (formula(2 * c.side * c.side, 0) + 0.5).to(kFloat32).reshape({2, 1, c.side, c.side});
    NoGradGuard no_grad;
    Tensor logits = model(x);
    EXPECT_TENSOR_CLOSE(logits.to(kFloat64), golden[c.name + ".logits"], 1e-4, 1e-5);
  }
}

TEST(Models, TakeInChannelsAndNumClasses) {
  auto lenet = models::lenet({.in_channels = 3, .num_classes = 7});
  EXPECT_EQ(lenet(zeros({2, 3, 28, 28})).sizes(), (std::vector<int64_t>{2, 7}));
  auto resnet = models::resnet18({.in_channels = 3, .num_classes = 5});
  // Batch 2: in training mode BatchNorm needs more than one value per channel, as in PyTorch.
  EXPECT_EQ(resnet(zeros({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2, 5}));
  testing::expect_error([] { models::make_model("lenet7"); }, "unknown model 'lenet7'");
}

TEST(Models, OneTrainingStepOfEachSmallModelLowersTheLoss) {
  manual_seed(0);
  for (const char* name : {"lenet", "lenet_bn"}) {
    SCOPED_TRACE(name);
    auto model = models::make_model(name);
    optim::SGD opt(model->parameters(), {.lr = 0.1});
    Tensor x = rand({16, 1, 28, 28}), y = randint(0, 10, {16});
    double first = 0, last = 0;
    for (int step = 0; step < 20; ++step) {
      Tensor loss = nn::functional::cross_entropy(model(x), y);
      if (step == 0) first = loss.item<double>();
      last = loss.item<double>();
      opt.zero_grad();
      loss.backward();
      opt.step();
    }
    EXPECT_LT(last, first);
  }
}

}  // namespace
}  // namespace wick

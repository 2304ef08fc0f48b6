// docs/custom_modules.md, compiled: each snippet of the guide, with the claims the text makes
// about it checked (state_dict keys, printed form, hooks, empty holders, clone).
#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

struct AffineImpl : nn::Module {
  explicit AffineImpl(int64_t n)
      : weight(register_parameter("weight", ones({n}))),
        bias(register_parameter("bias", zeros({n}))),
        calls(register_buffer("calls", zeros({}))) {}
  Tensor forward(const Tensor& x) {
    {
      NoGradGuard no_grad;
      calls.add_(1);
    }
    return x * weight + bias;
  }
  Tensor weight, bias, calls;
};
WICK_MODULE(Affine);

struct MLPImpl : nn::Module {
  nn::Linear hidden = register_module("hidden", nn::Linear(784, 256));
  nn::ReLU act = register_module("act", nn::ReLU());
  nn::Linear output = register_module("output", nn::Linear(256, 10));
  Tensor forward(const Tensor& x) { return output(act(hidden(x))); }
};
WICK_MODULE(MLP);

struct MaybeProjectImpl : nn::Module {
  explicit MaybeProjectImpl(bool project) {
    if (project) proj = register_module("proj", nn::Linear(4, 4));
  }
  Tensor forward(const Tensor& x) { return proj.is_empty() ? x : proj(x); }
  nn::Linear proj{nullptr};
};
WICK_MODULE(MaybeProject);

std::string str(const nn::Module& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

TEST(CustomModulesGuide, ParametersAndBuffers) {
  Affine a(3);
  EXPECT_EQ(a->named_parameters().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(a->state_dict().keys(), (std::vector<std::string>{"weight", "bias", "calls"}));
  EXPECT_TRUE(a->weight.requires_grad());
  EXPECT_TRUE(a->weight.is_same(a->named_parameters()["weight"]));
  Tensor y = a(tensor({{1.0f, 2.0f, 3.0f}}));
  y.sum().backward();
  EXPECT_EQ(a->weight.grad().tolist<float>(), (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(a->calls.item<float>(), 1.0f);
  EXPECT_EQ(a->parameters().size(), 2u);  // the buffer is not a parameter
}

TEST(CustomModulesGuide, MLPPrintsAsPython) {
  EXPECT_EQ(str(*MLP()),
            "MLP(\n"
            "  (hidden): Linear(in_features=784, out_features=256, bias=True)\n"
            "  (act): ReLU()\n"
            "  (output): Linear(in_features=256, out_features=10, bias=True)\n"
            ")");
  EXPECT_EQ(MLP()(zeros({2, 784})).sizes(), (std::vector<int64_t>{2, 10}));
}

TEST(CustomModulesGuide, OptionalChildren) {
  MaybeProject with(true), without(false);
  EXPECT_EQ(with->state_dict().keys(), (std::vector<std::string>{"proj.weight", "proj.bias"}));
  EXPECT_TRUE(without->state_dict().keys().empty());
  Tensor x = ones({1, 4});
  EXPECT_TRUE(without(x).is_same(x));
  nn::Linear empty{nullptr};
  testing::expect_error([&] { empty(x); }, "empty");
}

TEST(CustomModulesGuide, SequentialKeys) {
  auto net = nn::Sequential(nn::Linear(3, 8), nn::ReLU(), Affine(8), nn::Linear(8, 1));
  EXPECT_EQ(net->state_dict().keys(),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "2.calls", "3.weight", "3.bias"}));
  EXPECT_EQ(net(ones({5, 3})).sizes(), (std::vector<int64_t>{5, 1}));
}

TEST(CustomModulesGuide, ForwardHook) {
  Affine layer(3);
  std::vector<Tensor> seen;
  auto handle = nn::register_forward_hook(*layer, [&](nn::Module&, const std::vector<Tensor>&,
                                                      const std::vector<Tensor>& out) {
    seen.push_back(out[0].detach());
    return std::optional<std::vector<Tensor>>();
  });
  layer(ones({2, 3}));
  handle.remove();
  layer(ones({2, 3}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].sizes(), (std::vector<int64_t>{2, 3}));
}

TEST(CustomModulesGuide, CloneIsDeep) {
  Affine a(2);
  auto copy = std::dynamic_pointer_cast<AffineImpl>(a->clone());
  ASSERT_NE(copy, nullptr);
  {
    NoGradGuard no_grad;
    a->weight.fill_(5.0);
  }
  EXPECT_EQ(copy->weight.tolist<float>(), (std::vector<float>{1, 1}));
  EXPECT_EQ(copy->state_dict().keys(), a->state_dict().keys());
}

}  // namespace
}  // namespace wick

// Printing of every layer, compared with the text print(module) gives in PyTorch 1.13 (the expected
// strings were copied from its output for the same constructor arguments).
#include <gtest/gtest.h>

#include <sstream>

#include "wick/wick.h"

namespace wick {
namespace {

template <typename M>
std::string str(const M& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

TEST(NnLayerPrint, MatchesPyTorch) {
  EXPECT_EQ(str(nn::Linear(784, 256)), "Linear(in_features=784, out_features=256, bias=True)");
  EXPECT_EQ(str(nn::Linear(3, 4, {.bias = false})),
            "Linear(in_features=3, out_features=4, bias=False)");
  EXPECT_EQ(str(nn::Bilinear(3, 4, 5)),
            "Bilinear(in1_features=3, in2_features=4, out_features=5, bias=True)");
  EXPECT_EQ(str(nn::Identity()), "Identity()");
  EXPECT_EQ(str(nn::Flatten()), "Flatten(start_dim=1, end_dim=-1)");
  EXPECT_EQ(str(nn::Unflatten(1, {2, 5})), "Unflatten(dim=1, unflattened_size=(2, 5))");
  EXPECT_EQ(str(nn::Unflatten(1, {5})), "Unflatten(dim=1, unflattened_size=(5,))");
  EXPECT_EQ(str(nn::ReLU()), "ReLU()");
  EXPECT_EQ(str(nn::ReLU({.inplace = true})), "ReLU(inplace=True)");
  EXPECT_EQ(str(nn::ReLU6()), "ReLU6()");
  EXPECT_EQ(str(nn::ReLU6({.inplace = true})), "ReLU6(inplace=True)");
  EXPECT_EQ(str(nn::LeakyReLU()), "LeakyReLU(negative_slope=0.01)");
  EXPECT_EQ(str(nn::LeakyReLU({.negative_slope = 0.2, .inplace = true})),
            "LeakyReLU(negative_slope=0.2, inplace=True)");
  EXPECT_EQ(str(nn::RReLU()), "RReLU(lower=0.125, upper=0.3333333333333333)");
  EXPECT_EQ(str(nn::RReLU({.lower = 0.1, .upper = 0.3, .inplace = true})),
            "RReLU(lower=0.1, upper=0.3, inplace=True)");
  EXPECT_EQ(str(nn::RReLU({.lower = 0, .upper = 1})), "RReLU(lower=0, upper=1)");
  EXPECT_EQ(str(nn::PReLU()), "PReLU(num_parameters=1)");
  EXPECT_EQ(str(nn::PReLU({.num_parameters = 3, .init = 0.1})), "PReLU(num_parameters=3)");
  EXPECT_EQ(str(nn::ELU()), "ELU(alpha=1.0)");
  EXPECT_EQ(str(nn::ELU({.alpha = 0.5, .inplace = true})), "ELU(alpha=0.5, inplace=True)");
  EXPECT_EQ(str(nn::ELU({.alpha = 1e-5})), "ELU(alpha=1e-05)");
  EXPECT_EQ(str(nn::SELU()), "SELU()");
  EXPECT_EQ(str(nn::SELU({.inplace = true})), "SELU(inplace=True)");
  EXPECT_EQ(str(nn::CELU()), "CELU(alpha=1.0)");
  EXPECT_EQ(str(nn::GELU()), "GELU(approximate='none')");
  EXPECT_EQ(str(nn::GELU({.approximate = "tanh"})), "GELU(approximate='tanh')");
  EXPECT_EQ(str(nn::SiLU()), "SiLU()");
  EXPECT_EQ(str(nn::SiLU({.inplace = true})), "SiLU(inplace=True)");
  EXPECT_EQ(str(nn::Mish()), "Mish()");
  EXPECT_EQ(str(nn::Mish({.inplace = true})), "Mish(inplace=True)");
  EXPECT_EQ(str(nn::Sigmoid()), "Sigmoid()");
  EXPECT_EQ(str(nn::LogSigmoid()), "LogSigmoid()");
  EXPECT_EQ(str(nn::Tanh()), "Tanh()");
  EXPECT_EQ(str(nn::Hardtanh()), "Hardtanh(min_val=-1.0, max_val=1.0)");
  EXPECT_EQ(str(nn::Hardtanh({.min_val = -2, .max_val = 2, .inplace = true})),
            "Hardtanh(min_val=-2, max_val=2, inplace=True)");
  EXPECT_EQ(str(nn::Hardsigmoid()), "Hardsigmoid()");
  EXPECT_EQ(str(nn::Hardsigmoid({.inplace = true})), "Hardsigmoid()");
  EXPECT_EQ(str(nn::Hardswish({.inplace = true})), "Hardswish()");
  EXPECT_EQ(str(nn::Hardshrink()), "Hardshrink(0.5)");
  EXPECT_EQ(str(nn::Softshrink()), "Softshrink(0.5)");
  EXPECT_EQ(str(nn::Tanhshrink()), "Tanhshrink()");
  EXPECT_EQ(str(nn::Softplus()), "Softplus(beta=1, threshold=20)");
  EXPECT_EQ(str(nn::Softplus({.beta = 0.5, .threshold = 10})), "Softplus(beta=0.5, threshold=10)");
  EXPECT_EQ(str(nn::Softsign()), "Softsign()");
  EXPECT_EQ(str(nn::Threshold(0.1, 20)), "Threshold(threshold=0.1, value=20)");
  EXPECT_EQ(str(nn::Threshold(0.1, 20.5, {.inplace = true})),
            "Threshold(threshold=0.1, value=20.5, inplace=True)");
  EXPECT_EQ(str(nn::GLU()), "GLU(dim=-1)");
  EXPECT_EQ(str(nn::Softmax()), "Softmax(dim=None)");
  EXPECT_EQ(str(nn::Softmax(1)), "Softmax(dim=1)");
  EXPECT_EQ(str(nn::LogSoftmax(-1)), "LogSoftmax(dim=-1)");
  EXPECT_EQ(str(nn::Softmin(0)), "Softmin(dim=0)");
  EXPECT_EQ(str(nn::Softmax2d()), "Softmax2d()");
}

TEST(NnLayerPrint, NestedInSequential) {
  nn::Sequential seq(nn::Flatten(), nn::Linear(4, 3), nn::LeakyReLU({.negative_slope = 0.1}),
                     nn::Linear(3, 2), nn::Softmax(1));
  EXPECT_EQ(str(seq),
            "Sequential(\n"
            "  (0): Flatten(start_dim=1, end_dim=-1)\n"
            "  (1): Linear(in_features=4, out_features=3, bias=True)\n"
            "  (2): LeakyReLU(negative_slope=0.1)\n"
            "  (3): Linear(in_features=3, out_features=2, bias=True)\n"
            "  (4): Softmax(dim=1)\n"
            ")");
  EXPECT_EQ(seq->state_dict().keys(),
            (std::vector<std::string>{"1.weight", "1.bias", "3.weight", "3.bias"}));
  // clone() rebuilds from the constructor arguments and copies the parameters.
  auto copy = seq->clone();
  EXPECT_EQ(copy->repr(), seq->repr());
  EXPECT_TRUE(copy->state_dict()["1.weight"].equal(seq->state_dict()["1.weight"]));
}

}  // namespace
}  // namespace wick

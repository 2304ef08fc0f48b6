// LazyConv*/LazyConvTranspose*/LazyBatchNorm*/LazyInstanceNorm* (lazy.h): printing and state_dict
// keys before and after the first forward against PyTorch 1.13's (strings from print(m) and
// m.state_dict()), initial values equal to the complete module's under the same seed, parameters
// materialised in place under an optimizer built before the first forward, dtype changes before
// it, clones, and errors.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

std::string str(const nn::Module& m) {
  std::ostringstream s;
  s << m.repr();
  return s.str();
}

struct Case {
  std::shared_ptr<nn::Module> module;
  std::function<Tensor(const Tensor&)> forward;
  Shape input;
  std::string before, after;
  std::vector<std::pair<std::string, Shape>> state;  // after the first forward
};

template <typename Holder>
Case make(Holder m, Shape input, std::string before, std::string after,
          std::vector<std::pair<std::string, Shape>> state) {
  return {m.ptr(),          [m](const Tensor& x) mutable { return m(x); },
          std::move(input), std::move(before),
          std::move(after), std::move(state)};
}

std::vector<Case> cases() {
  return {
      make(nn::LazyConv1d(4, 3, {.stride = 2}), {2, 3, 10},
           "LazyConv1d(0, 4, kernel_size=(3,), stride=(2,))",
           "Conv1d(3, 4, kernel_size=(3,), stride=(2,))", {{"weight", {4, 3, 3}}, {"bias", {4}}}),
      make(nn::LazyConv2d(6, 5, {.padding = 2}), {2, 3, 8, 8},
           "LazyConv2d(0, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))",
           "Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))",
           {{"weight", {6, 3, 5, 5}}, {"bias", {6}}}),
      make(nn::LazyConv3d(2, {1, 2, 3}, {.bias = false}), {1, 4, 3, 4, 5},
           "LazyConv3d(0, 2, kernel_size=(1, 2, 3), stride=(1, 1, 1), bias=False)",
           "Conv3d(4, 2, kernel_size=(1, 2, 3), stride=(1, 1, 1), bias=False)",
           {{"weight", {2, 4, 1, 2, 3}}}),
      make(nn::LazyConvTranspose1d(4, 3, {.stride = 2, .output_padding = 1}), {2, 3, 6},
           "LazyConvTranspose1d(0, 4, kernel_size=(3,), stride=(2,), output_padding=(1,))",
           "ConvTranspose1d(3, 4, kernel_size=(3,), stride=(2,), output_padding=(1,))",
           {{"weight", {3, 4, 3}}, {"bias", {4}}}),
      make(nn::LazyConvTranspose2d(4, 3, {.groups = 2}), {1, 6, 5, 5},
           "LazyConvTranspose2d(0, 4, kernel_size=(3, 3), stride=(1, 1), groups=2)",
           "ConvTranspose2d(6, 4, kernel_size=(3, 3), stride=(1, 1), groups=2)",
           {{"weight", {6, 2, 3, 3}}, {"bias", {4}}}),
      make(nn::LazyConvTranspose3d(2, 2), {1, 3, 2, 3, 4},
           "LazyConvTranspose3d(0, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1))",
           "ConvTranspose3d(3, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1))",
           {{"weight", {3, 2, 2, 2, 2}}, {"bias", {2}}}),
      make(nn::LazyBatchNorm1d(), {4, 5},
           "LazyBatchNorm1d(0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
           "BatchNorm1d(5, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
           {{"weight", {5}},
            {"bias", {5}},
            {"running_mean", {5}},
            {"running_var", {5}},
            {"num_batches_tracked", {}}}),
      make(nn::LazyBatchNorm2d({.momentum = std::nullopt}), {2, 3, 4, 4},
           "LazyBatchNorm2d(0, eps=1e-05, momentum=None, affine=True, track_running_stats=True)",
           "BatchNorm2d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)",
           {{"weight", {3}},
            {"bias", {3}},
            {"running_mean", {3}},
            {"running_var", {3}},
            {"num_batches_tracked", {}}}),
      make(nn::LazyBatchNorm3d({.affine = false}), {2, 3, 2, 2, 2},
           "LazyBatchNorm3d(0, eps=1e-05, momentum=0.1, affine=False, track_running_stats=True)",
           "BatchNorm3d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=True)",
           {{"running_mean", {3}}, {"running_var", {3}}, {"num_batches_tracked", {}}}),
      // PyTorch's lazy instance norms default to affine=True, track_running_stats=True.
      make(nn::LazyInstanceNorm1d(), {2, 3, 6},
           "LazyInstanceNorm1d(0, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
           "InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
           {{"weight", {3}},
            {"bias", {3}},
            {"running_mean", {3}},
            {"running_var", {3}},
            {"num_batches_tracked", {}}}),
      make(nn::LazyInstanceNorm3d({.eps = 1e-3, .affine = false, .track_running_stats = false}),
           {2, 3, 2, 2, 2},
           "LazyInstanceNorm3d(0, eps=0.001, momentum=0.1, affine=False, "
           "track_running_stats=False)",
           "InstanceNorm3d(3, eps=0.001, momentum=0.1, affine=False, track_running_stats=False)",
           {}),
  };
}

TEST(NnLazyModules, PrintAndStateDictAsPyTorchBeforeAndAfter) {
  for (Case& c : cases()) {
    SCOPED_TRACE(c.before);
    EXPECT_EQ(str(*c.module), c.before);
    // Until the first forward: the same keys, every floating tensor empty.
    auto sd = c.module->state_dict();
    ASSERT_EQ(sd.size(), c.state.size());
    for (const auto& [key, shape] : c.state) {
      ASSERT_TRUE(sd.contains(key)) << key;
      if (key != "num_batches_tracked") {
        EXPECT_EQ(sd[key].sizes(), (Shape{0})) << key;
      }
    }
    c.forward(randn(c.input));
    EXPECT_EQ(str(*c.module), c.after);
    sd = c.module->state_dict();
    ASSERT_EQ(sd.size(), c.state.size());
    for (const auto& [key, shape] : c.state) EXPECT_EQ(sd[key].sizes(), shape) << key;
  }
}

TEST(NnLazyModules, InitialiseAsTheCompleteModuleUnderTheSameSeed) {
  // Building the lazy module draws nothing; its first forward draws what building the complete
  // module then would.
  Tensor x = randn({2, 3, 8, 8});
  manual_seed(5);
  nn::Conv2d conv(3, 6, 5, {.padding = 2});
  manual_seed(5);
  nn::LazyConv2d lazy(6, 5, {.padding = 2});
  Tensor y = lazy(x);
  EXPECT_TRUE(equal(lazy->weight, conv->weight));
  EXPECT_TRUE(equal(lazy->bias, conv->bias));
  EXPECT_TRUE(equal(y, conv(x)));

  Tensor xt = randn({1, 6, 5, 5});
  manual_seed(9);
  nn::ConvTranspose2d convt(6, 4, 3, {.groups = 2});
  manual_seed(9);
  nn::LazyConvTranspose2d lazyt(4, 3, {.groups = 2});
  EXPECT_TRUE(equal(lazyt(xt), convt(xt)));
  EXPECT_TRUE(equal(lazyt->weight, convt->weight));

  // BatchNorm in training: the same running statistics after the first batch.
  nn::BatchNorm2d bn(3);
  nn::LazyBatchNorm2d lazy_bn;
  EXPECT_TRUE(equal(lazy_bn(x), bn(x)));
  EXPECT_TRUE(equal(lazy_bn->running_mean, bn->running_mean));
  EXPECT_TRUE(equal(lazy_bn->running_var, bn->running_var));
  EXPECT_EQ(lazy_bn->num_batches_tracked.item<int64_t>(), 1);
}

TEST(NnLazyModules, AnOptimizerBuiltBeforeTheFirstForwardStepsTheMaterialisedParameters) {
  nn::Sequential net(nn::LazyConv2d(4, 3), nn::LazyBatchNorm2d(), nn::ReLU(), nn::Flatten(),
                     nn::LazyLinear(2));
  optim::SGD opt(net->parameters(), {.lr = 0.1});
  Tensor x = randn({2, 3, 6, 6});
  Tensor loss = net->forward(x).square().sum();
  EXPECT_EQ(
      str(*net),
      "Sequential(\n"
      "  (0): Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1))\n"
      "  (1): BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
      "  (2): ReLU()\n"
      "  (3): Flatten(start_dim=1, end_dim=-1)\n"
      "  (4): Linear(in_features=64, out_features=2, bias=True)\n"
      ")");
  loss.backward();
  Tensor w = net[0]->as<nn::LazyConv2d>()->weight;
  Tensor before = w.detach().clone(), grad = w.grad().clone();
  ASSERT_EQ(grad.sizes(), (Shape{4, 3, 3, 3}));
  opt.step();
  EXPECT_TENSOR_CLOSE(w.detach(), before - 0.1 * grad, 1e-6, 1e-7);
}

TEST(NnLazyModules, FollowDtypeChangesAndCloneWithTheirValues) {
  nn::LazyConv1d m(2, 3);
  m->to(kFloat64);
  Tensor y = m(randn({1, 4, 7}, {.dtype = kFloat64}));
  EXPECT_EQ(m->weight.dtype(), kFloat64);
  EXPECT_EQ(m->weight.sizes(), (Shape{2, 4, 3}));
  EXPECT_EQ(y.dtype(), kFloat64);

  // A clone of an initialised lazy module has its shapes and values in storage of its own; a
  // clone of an uninitialised one is still lazy. Containers clone their lazy children too.
  auto copy = std::dynamic_pointer_cast<nn::LazyConv1dImpl>(m->clone());
  ASSERT_TRUE(copy);
  EXPECT_FALSE(copy->has_uninitialized_params());
  EXPECT_TRUE(equal(copy->weight, m->weight));
  EXPECT_FALSE(copy->weight.is_same(m->weight));
  {
    NoGradGuard no_grad;
    copy->weight.fill_(0.0);
  }
  EXPECT_NE(m->weight.abs().sum().item<double>(), 0.0);
  auto fresh = std::dynamic_pointer_cast<nn::LazyConv1dImpl>(nn::LazyConv1d(2, 3)->clone());
  EXPECT_TRUE(fresh->has_uninitialized_params());
  nn::Sequential seq(nn::LazyBatchNorm1d(), nn::LazyLinear(3));
  seq->forward(randn({4, 5}));
  auto seq_copy = std::dynamic_pointer_cast<nn::SequentialImpl>(seq->clone());
  EXPECT_EQ(str(*seq_copy), str(*seq));
  EXPECT_TRUE(equal(seq_copy->state_dict()["0.running_mean"], seq->state_dict()["0.running_mean"]));
  EXPECT_TRUE(equal(seq_copy->state_dict()["1.weight"], seq->state_dict()["1.weight"]));
}

TEST(NnLazyModules, Errors) {
  nn::LazyConv2d conv(6, 3);
  testing::expect_error(
      [&] {
        conv(randn({8, 8}));
      },
      "Expected 3D (unbatched) or 4D (batched) input to LazyConv2d, but got input of size: [8, 8]");
  EXPECT_TRUE(conv->has_uninitialized_params());
  // Unbatched input: channels from dim 0.
  conv(randn({3, 8, 8}));
  EXPECT_EQ(conv->in_channels, 3);
  testing::expect_error([&] { conv(randn({1, 4, 8, 8})); }, "Conv2d(3, 6, kernel_size=(3, 3)");
  nn::LazyConv2d grouped(6, 3, {.groups = 2});
  testing::expect_error(
      [&] {
        grouped(randn({1, 3, 8, 8}));
      },
      "Conv2d: in_channels must be divisible by groups, got 3 and groups=2");
  EXPECT_TRUE(grouped->has_uninitialized_params());
  nn::LazyBatchNorm1d bn;
  testing::expect_error([&] { bn(randn({4})); },
                        "LazyBatchNorm1d: expected an input (N, C, *) with at least 2 dimensions");
  nn::LazyInstanceNorm1d in;
  in(randn({3, 6}));  // unbatched (C, L): num_features from dim 0
  EXPECT_EQ(in->num_features, 3);
  // A state dict does not load before the first forward (the shapes differ).
  nn::LazyConv2d empty_conv(6, 3);
  EXPECT_THROW(empty_conv->load_state_dict(conv->state_dict()), Error);
}

}  // namespace
}  // namespace wick

// Fold / Unfold against PyTorch goldens: outputs and input gradients of sum(out * G) in float64
// (1e-10) and float32 (1e-5), functional and module forms; float64 gradchecks (with second
// derivatives), node names, printing, empty batches and PyTorch's error messages.
#include "wick/nn/functional/fold.h"

#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/nn/modules/fold.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using Fn = std::function<Tensor(const Tensor&)>;

template <typename M>
Fn mod(M m) {
  return [m](const Tensor& x) mutable { return m(x); };
}

struct Case {
  std::string name;
  Fn fn, module;
};

std::vector<Case> cases() {
  const F::FoldFuncOptions all{.dilation = {2, 1}, .padding = {1, 2}, .stride = {2, 3}};
  return {
      {"unfold_k2", [](const Tensor& x) { return F::unfold(x, 2); }, mod(nn::Unfold(2))},
      {"unfold_all",
       [all](const Tensor& x) {
         return F::unfold(x, {3, 2}, all);
       },
       mod(nn::Unfold({3, 2}, all))},
      {"unfold_unbatched",
       [](const Tensor& x) {
         return F::unfold(x, {2, 3}, {.padding = 1});
       },
       mod(nn::Unfold({2, 3}, {.padding = 1}))},
      {"unfold_stride", [](const Tensor& x) { return F::unfold(x, 2, {.stride = 2}); },
       mod(nn::Unfold(2, {.stride = 2}))},
      {"fold_k2",
       [](const Tensor& x) {
         return F::fold(x, {4, 5}, 2);
       },
       mod(nn::Fold({4, 5}, 2))},
      {"fold_all",
       [all](const Tensor& x) {
         return F::fold(x, {7, 6}, {3, 2}, all);
       },
       mod(nn::Fold({7, 6}, {3, 2}, all))},
      {"fold_unbatched",
       [](const Tensor& x) {
         return F::fold(x, {5, 4}, {2, 3}, {.padding = 1});
       },
       mod(nn::Fold({5, 4}, {2, 3}, {.padding = 1}))},
      {"fold_stride", [](const Tensor& x) { return F::fold(x, 6, 2, {.stride = 2}); },
       mod(nn::Fold(6, 2, {.stride = 2}))},
  };
}

std::pair<Tensor, Tensor> run(const Fn& f, const Tensor& x64, const Tensor& g64, DType dtype) {
  Tensor x = x64.to(dtype).detach().requires_grad_();
  Tensor out = f(x);
  (out * g64.to(dtype)).sum().backward();
  return {out.detach().to(kFloat64), x.grad().to(kFloat64)};
}

TEST(NnFold, FunctionalAndModulesMatchPyTorch) {
  testing::Golden gold("nn_fold");
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    Tensor x = gold[c.name + "_x"], g = gold[c.name + "_g"];
    for (const Fn* f : {&c.fn, &c.module}) {
      auto [out64, gx64] = run(*f, x, g, kFloat64);
      EXPECT_TENSOR_CLOSE(out64, gold[c.name + "_out"], 1e-10, 1e-12);
      EXPECT_TENSOR_CLOSE(gx64, gold[c.name + "_gx"], 1e-10, 1e-12);
      auto [out32, gx32] = run(*f, x, g, kFloat32);
      EXPECT_TENSOR_CLOSE(out32, gold[c.name + "_out"], 1e-5, 1e-5);
      EXPECT_TENSOR_CLOSE(gx32, gold[c.name + "_gx"], 1e-5, 1e-5);
    }
  }
}

TEST(NnFold, GradcheckAndNodeNames) {
  manual_seed(11);
  const autograd::GradcheckOptions gg{.check_grad_grad = true};
  const F::FoldFuncOptions all{.dilation = {2, 1}, .padding = {1, 2}, .stride = {2, 3}};
  Tensor x = randn({2, 2, 7, 6}, {.dtype = kFloat64, .requires_grad = true});
  auto r = autograd::gradcheck(
      [&](const autograd::variable_list& in) {
        return F::unfold(in[0], {3, 2}, all);
      },
      {x}, gg);
  EXPECT_TRUE(r) << r.message;
  Tensor col = randn({2, 12, 9}, {.dtype = kFloat64, .requires_grad = true});
  r = autograd::gradcheck(
      [&](const autograd::variable_list& in) {
        return F::fold(in[0], {7, 6}, {3, 2}, all);
      },
      {col}, gg);
  EXPECT_TRUE(r) << r.message;
  // A transposed (non-contiguous) input, unbatched.
  Tensor xt = randn({2, 5, 4}, {.dtype = kFloat64, .requires_grad = true});
  r = autograd::gradcheck(
      [&](const autograd::variable_list& in) { return F::unfold(in[0].transpose(1, 2), 2); }, {xt},
      gg);
  EXPECT_TRUE(r) << r.message;

  EXPECT_EQ(F::unfold(x, 2).grad_fn()->name(), "Im2ColBackward0");
  EXPECT_EQ(F::fold(col, {7, 6}, {3, 2}, all).grad_fn()->name(), "Col2ImBackward0");
}

// fold(unfold(x)) multiplies each cell by the number of blocks covering it, and large batches
// (which reach the threaded split) agree with one sample at a time.
TEST(NnFold, RoundTripAndLargeBatch) {
  manual_seed(5);
  Tensor x = randn({16, 8, 20, 20});
  Tensor cols = F::unfold(x, 3, {.padding = 1});
  EXPECT_EQ(cols.sizes(), (Shape{16, 72, 400}));
  Tensor back = F::fold(cols, 20, 3, {.padding = 1});
  Tensor count = F::fold(F::unfold(ones({1, 1, 20, 20}), 3, {.padding = 1}), 20, 3, {.padding = 1});
  EXPECT_TENSOR_CLOSE(back, x * count, 1e-5, 1e-5);
  EXPECT_TRUE(
      F::unfold(x.index({Slice(3, 4)}), 3, {.padding = 1}).equal(cols.index({Slice(3, 4)})));
  EXPECT_TRUE(
      F::fold(cols.index({Slice(9, 10)}), 20, 3, {.padding = 1}).equal(back.index({Slice(9, 10)})));
  // An empty batch gives an empty result, forward and backward.
  Tensor e = zeros({0, 2, 4, 5}, {.requires_grad = true});
  Tensor ue = F::unfold(e, 2);
  EXPECT_EQ(ue.sizes(), (Shape{0, 8, 12}));
  ue.sum().backward();
  EXPECT_EQ(e.grad().sizes(), e.sizes());
  EXPECT_EQ(F::fold(zeros({0, 8, 12}), {4, 5}, 2).sizes(), (Shape{0, 2, 4, 5}));
}

TEST(NnFold, PrintsAsPyTorch) {
  auto str = [](const auto& m) {
    std::ostringstream s;
    s << m;
    return s.str();
  };
  EXPECT_EQ(
      str(nn::Fold({7, 6}, {3, 2}, {.dilation = {2, 1}, .padding = {1, 2}, .stride = {2, 3}})),
      "Fold(output_size=(7, 6), kernel_size=(3, 2), dilation=(2, 1), padding=(1, 2), "
      "stride=(2, 3))");
  EXPECT_EQ(str(nn::Fold(6, 2, {.stride = 2})),
            "Fold(output_size=6, kernel_size=2, dilation=1, padding=0, stride=2)");
  EXPECT_EQ(str(nn::Sequential(nn::Unfold(2), nn::Fold({4, 5}, 2))),
            "Sequential(\n"
            "  (0): Unfold(kernel_size=2, dilation=1, padding=0, stride=1)\n"
            "  (1): Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)\n"
            ")");
  EXPECT_TRUE(nn::Fold(4, 2)->state_dict().empty());
}

TEST(NnFold, ErrorMessages) {
  using testing::expect_error;
  expect_error(
      [] {
        F::unfold(zeros({4, 5}), 2);
      },
      "unfold: Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other "
      "non-zero dimensions for input, but got: [4, 5]");
  expect_error([] { F::unfold(zeros({1, 0, 3, 3}), 2); }, "but got: [1, 0, 3, 3]");
  expect_error(
      [] {
        F::unfold(zeros({1, 2, 3, 3}), 4);
      },
      "Given input with spatial size (3, 3), kernel_size=(4, 4), dilation=(1, 1), "
      "padding=(0, 0), calculated shape of the array of sliding blocks as (0, 0), but its "
      "components must be at least one.");
  expect_error(
      [] {
        F::unfold(zeros({1, 2, 3, 3}), 0);
      },
      "kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0");
  expect_error(
      [] {
        F::unfold(zeros({1, 2, 3, 3}), 2, {.stride = 0});
      },
      "stride should be greater than zero, but got stride_height: 0 stride_width: 0");
  expect_error(
      [] {
        F::unfold(zeros({1, 2, 3, 3}), 2, {.padding = -1});
      },
      "padding should be non-negative, but got pad_height: -1 pad_width: -1");
  expect_error(
      [] {
        F::unfold(zeros({1, 2, 3, 3}), 2, {.dilation = {1, 0}});
      },
      "dilation should be greater than zero, but got dilation_height: 1 dilation_width: 0");
  expect_error(
      [] {
        F::unfold(zeros({1, 2, 3, 3}, {.dtype = kInt64}), 2);
      },
      "unfold: expected a floating point input, got int64");
  expect_error(
      [] {
        F::fold(zeros({2, 3, 4, 12}), {4, 5}, 2);
      },
      "fold: Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size "
      "and non-zero dimensions for input, but got: [2, 3, 4, 12]");
  expect_error(
      [] {
        F::fold(zeros({2, 13, 12}), {4, 5}, 2);
      },
      "Expected size of input's dimension 1 to be divisible by the product of "
      "kernel_size, but got input.size(1)=13 and kernel_size=(2, 2).");
  // The wrong number of blocks.
  expect_error(
      [] {
        F::fold(zeros({2, 12, 11}), {4, 5}, 2);
      },
      "fold: Given output_size=(4, 5), kernel_size=(2, 2), dilation=(1, 1), padding=(0, "
      "0), stride=(1, 1), expected size of input's dimension 2 to match the calculated "
      "number of sliding blocks 3 * 4 = 12, but got input.size(2)=11.");
  expect_error([] { F::fold(zeros({2, 12, 12}), {1, 1}, 2); }, "sliding blocks 0 * 0 = 0");
  nn::Fold m({4, 5}, 2);
  expect_error([&] { m(zeros({2, 12, 10})); }, "but got input.size(2)=10.");
}

}  // namespace
}  // namespace wick

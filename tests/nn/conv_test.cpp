// Conv1d/2d/3d and F::conv*: goldens from PyTorch (output, input/weight/bias gradients; strides,
// padding incl. "same"/"valid", dilation, groups, depthwise, unbatched, 1x1), float64 gradchecks
// incl. double backward, default init, printing, state_dict keys and PyTorch's error messages.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

// Mirrors CASES in tools/goldens/nn_conv.py.
struct Case {
  const char* name;
  int dims;
  std::vector<int64_t> stride, padding, dilation;
  std::string padding_mode;  // "" = use padding
  int64_t groups;
  bool bias;
};

const std::vector<Case> kCases = {
    {"c2_basic", 2, {1}, {0}, {1}, "", 1, true},
    {"c2_strided", 2, {2, 1}, {1, 2}, {1, 2}, "", 1, true},
    {"c2_groups", 2, {2}, {1}, {1}, "", 2, true},
    {"c2_depthwise", 2, {1}, {1}, {1}, "", 4, false},
    {"c2_same_even", 2, {1}, {0}, {1, 2}, "same", 1, true},
    {"c2_valid", 2, {1}, {0}, {1}, "valid", 1, true},
    {"c2_unbatched", 2, {1}, {1}, {1}, "", 1, true},
    {"c2_pointwise", 2, {1}, {0}, {1}, "", 1, true},
    {"c2_pointwise_strided", 2, {2}, {0}, {1}, "", 1, false},
    {"c1_basic", 1, {2}, {1}, {2}, "", 1, true},
    {"c1_same", 1, {1}, {0}, {1}, "same", 1, true},
    {"c3_basic", 3, {1, 2, 1}, {1}, {1}, "", 1, true},
    {"c3_groups", 3, {1}, {0}, {1, 1, 2}, "", 2, false},
};

template <size_t D>
nn::ExpandingArray<D> expand(const std::vector<int64_t>& v) {
  if (v.size() == 1) return nn::ExpandingArray<D>(v[0]);
  std::array<int64_t, D> a{};
  for (size_t i = 0; i < D; ++i) a[i] = v[i];
  return a;
}

template <size_t D>
F::ConvFuncOptions<D> options_of(const Case& c) {
  F::ConvFuncOptions<D> o{.stride = expand<D>(c.stride), .dilation = expand<D>(c.dilation),
                          .groups = c.groups};
  if (c.padding_mode.empty()) {
    o.padding = expand<D>(c.padding);
  } else {
    o.padding = c.padding_mode;
  }
  return o;
}

Tensor run(const Case& c, const Tensor& x, const Tensor& w, const Tensor& b) {
  if (c.dims == 1) return F::conv1d(x, w, b, options_of<1>(c));
  if (c.dims == 2) return F::conv2d(x, w, b, options_of<2>(c));
  return F::conv3d(x, w, b, options_of<3>(c));
}

Tensor d64(const Tensor& t) { return t.detach().to(kFloat64); }

TEST(NnConv, MatchesPyTorch) {
  testing::Golden gold("nn_conv");
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const std::string k = c.name;
    for (DType dt : {kFloat64, kFloat32}) {
      double rtol = dt == kFloat64 ? 1e-10 : 1e-4, atol = dt == kFloat64 ? 1e-10 : 1e-4;
      Tensor x = gold[k + "_x"].to(dt).detach().requires_grad_();
      Tensor w = gold[k + "_w"].to(dt).detach().requires_grad_();
      Tensor b = c.bias ? gold[k + "_b"].to(dt).detach().requires_grad_() : Tensor();
      Tensor y = run(c, x, w, b);
      if (k != "c2_unbatched" && k != "c1_same") {
        EXPECT_EQ(y.grad_fn()->name(), "ConvolutionBackward0");
      }
      (y * gold[k + "_g"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(d64(y), gold[k + "_out"], rtol, atol);
      EXPECT_TENSOR_CLOSE(d64(x.grad()), gold[k + "_gx"], rtol, atol);
      EXPECT_TENSOR_CLOSE(d64(w.grad()), gold[k + "_gw"], rtol, atol);
      if (c.bias) {
        EXPECT_TENSOR_CLOSE(d64(b.grad()), gold[k + "_gb"], rtol, atol);
      }
    }
  }
}

TEST(NnConv, Gradcheck) {
  auto o = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  // 2-d with stride, asymmetric padding, dilation and groups; second derivatives too.
  Tensor x = randn({2, 4, 5, 6}, o), w = randn({4, 2, 2, 3}, o), b = randn({4}, o);
  auto r = autograd::gradcheck(
      [](const autograd::variable_list& in) {
        return F::conv2d(in[0], in[1], in[2],
                         {.stride = {2, 1}, .padding = {1, 0}, .dilation = {1, 2}, .groups = 2});
      },
      {x, w, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  // "same" with an even kernel (asymmetric padding), 1-d and 3-d.
  Tensor x1 = randn({2, 3, 6}, o), w1 = randn({2, 3, 4}, o);
  r = autograd::gradcheck(
      [](const autograd::variable_list& in) {
        return F::conv1d(in[0], in[1], {.padding = "same", .dilation = 2});
      },
      {x1, w1}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor x3 = randn({1, 2, 3, 4, 3}, o), w3 = randn({2, 2, 2, 2, 2}, o), b3 = randn({2}, o);
  r = autograd::gradcheck(
      [](const autograd::variable_list& in) {
        return F::conv3d(in[0], in[1], in[2], {.stride = {1, 2, 1}, .padding = 1});
      },
      {x3, w3, b3});
  EXPECT_TRUE(r) << r.message;
}

TEST(NnConv, ModuleInitPrintAndKeys) {
  manual_seed(0);
  nn::Conv2d m(1, 6, 5, {.padding = 2});
  std::ostringstream os;
  os << m;
  EXPECT_EQ(os.str(), "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))");
  EXPECT_EQ(m->weight.sizes(), (Shape{6, 1, 5, 5}));
  // kaiming_uniform_(a=sqrt(5)) gives bound 1/sqrt(fan_in) for weight and bias alike: fan_in 25.
  EXPECT_LE(m->weight.abs().max().item<float>(), 0.2f + 1e-6f);
  EXPECT_GT(m->weight.abs().max().item<float>(), 0.15f);
  EXPECT_LE(m->bias.abs().max().item<float>(), 0.2f + 1e-6f);
  auto sd = m->state_dict();
  EXPECT_EQ(sd.size(), 2u);
  EXPECT_TRUE(sd.contains("weight") && sd.contains("bias"));

  auto str = [](const auto& mod) {
    std::ostringstream s;
    s << mod;
    return s.str();
  };
  EXPECT_EQ(str(nn::Conv2d(1, 6, 5, {.padding = "same"})),
            "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=same)");
  EXPECT_EQ(str(nn::Conv2d(4, 6, {5, 3},
                           {.stride = 2, .padding = {1, 2}, .dilation = 2, .groups = 2,
                            .bias = false, .padding_mode = "reflect"})),
            "Conv2d(4, 6, kernel_size=(5, 3), stride=(2, 2), padding=(1, 2), dilation=(2, 2), "
            "groups=2, bias=False, padding_mode=reflect)");
  EXPECT_EQ(str(nn::Conv1d(4, 6, 3, {.padding = "valid"})),
            "Conv1d(4, 6, kernel_size=(3,), stride=(1,), padding=valid)");
  EXPECT_EQ(str(nn::Conv3d(4, 6, 3)), "Conv3d(4, 6, kernel_size=(3, 3, 3), stride=(1, 1, 1))");
  nn::Conv2d nb(3, 8, 3, {.bias = false});
  EXPECT_EQ(nb->state_dict().size(), 1u);
  EXPECT_EQ(nn::Conv1d(2, 3, 4, {.dtype = kFloat64})->weight.dtype(), kFloat64);
}

TEST(NnConv, ModuleForwardMatchesFunctional) {
  nn::Conv2d m(4, 8, 3, {.stride = 2, .padding = 1, .groups = 2});
  Tensor x = randn({2, 4, 9, 7});
  Tensor y = m(x);
  EXPECT_EQ(y.sizes(), (Shape{2, 8, 5, 4}));
  EXPECT_TENSOR_CLOSE(y, F::conv2d(x, m->weight, m->bias, {.stride = 2, .padding = 1, .groups = 2}));
  // Unbatched (C, H, W).
  EXPECT_EQ(m(randn({4, 9, 7})).sizes(), (Shape{8, 5, 4}));
}

// The batch split over threads and the per-sample path agree (large enough to go parallel).
TEST(NnConv, ParallelBatchMatchesPerSample) {
  Tensor x = randn({8, 8, 20, 20}), w = randn({16, 8, 3, 3});
  Tensor y = F::conv2d(x, w, {.padding = 1});
  for (int64_t n : {0, 5}) {
    EXPECT_TENSOR_CLOSE(y[n], F::conv2d(x[n], w, {.padding = 1}), 1e-4, 1e-4);
  }
  Tensor xg = x.detach().requires_grad_(), wg = w.detach().requires_grad_();
  Tensor g = randn({8, 16, 20, 20});
  (F::conv2d(xg, wg, {.padding = 1}) * g).sum().backward();
  Tensor gw_sum = zeros_like(w);
  for (int64_t n = 0; n < 8; ++n) {
    Tensor xs = x[n].detach().requires_grad_(), ws = w.detach().requires_grad_();
    (F::conv2d(xs, ws, {.padding = 1}) * g[n]).sum().backward();
    gw_sum = gw_sum + ws.grad();
    if (n == 3) {
      EXPECT_TENSOR_CLOSE(xg.grad()[n], xs.grad(), 1e-4, 1e-4);
    }
  }
  EXPECT_TENSOR_CLOSE(wg.grad(), gw_sum, 1e-4, 1e-3);
}

TEST(NnConv, Errors) {
  using testing::expect_error;
  Tensor w = randn({6, 1, 5, 5});
  expect_error([&] { F::conv2d(randn({8, 3, 28, 28}), w); },
               "Given groups=1, weight of size [6, 1, 5, 5], expected input[8, 3, 28, 28] to have 1 "
               "channels, but got 3 channels instead");
  expect_error([&] { F::conv2d(randn({28, 28}), w); },
               "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
               "[28, 28]");
  expect_error([&] { F::conv2d(randn({1, 1, 4, 4}), w); },
               "Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel "
               "size can't be greater than actual input size");
  Tensor w3 = randn({6, 1, 3, 3});
  expect_error([&] { F::conv2d(randn({1, 1, 4, 4}), w3, {.padding = "foo"}); },
               "Invalid padding string: 'foo'");
  expect_error([&] { F::conv2d(randn({1, 1, 4, 4}), w3, {.stride = 2, .padding = "same"}); },
               "padding='same' is not supported for strided convolutions");
  expect_error([&] { F::conv2d(randn({1, 2, 4, 4}), randn({5, 1, 3, 3}), {.groups = 2}); },
               "Given groups=2, expected weight to be divisible by 2 at dimension 0");
  expect_error([&] { F::conv2d(randn({1, 1, 4, 4}), w3, randn({5})); },
               "expected bias to be 1-dimensional with 6 elements, but got bias of size [5]");
  expect_error([&] { F::conv2d(randn({1, 1, 4, 4}), w3, {.stride = 0}); },
               "non-positive stride is not supported");
  expect_error([&] { F::conv2d(randn({1, 1, 4, 4}), w3, {.padding = -1}); },
               "negative padding is not supported");
  expect_error([&] { nn::Conv2d(3, 6, 3, {.groups = 2}); }, "in_channels must be divisible by groups");
  expect_error([&] { nn::Conv2d(4, 6, 3, {.padding_mode = "foo"}); },
               "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got "
               "padding_mode='foo'");
  expect_error([&] { nn::Conv2d(4, 6, 3, {.stride = 2, .padding = "same"}); },
               "padding='same' is not supported for strided convolutions");
  nn::Conv2d m(3, 8, 3);
  expect_error([&] { m(randn({8, 1, 28, 28})); },
               "Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1)): Given groups=1, weight of size [8, "
               "3, 3, 3], expected input[8, 1, 28, 28] to have 3 channels, but got 1 channels "
               "instead");
}

}  // namespace
}  // namespace wick

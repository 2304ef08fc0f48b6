// Pooling (max/avg/adaptive/unpool/lp, 1d-3d) against PyTorch goldens: outputs, max indices and
// input gradients of sum(out * G) in float64 (1e-10) and float32 (1e-5), functional and module
// forms; float64 gradchecks (with second derivatives), node names, printing and error messages.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/nn/modules/pooling.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using Fn = std::function<Tensor(const Tensor&)>;
using IdxFn = std::function<std::tuple<Tensor, Tensor>(const Tensor&)>;

template <typename M>
Fn mod(M m) {
  return [m](const Tensor& x) mutable { return m(x); };
}

struct Case {
  std::string name;
  Fn fn;
  Fn module;  // empty when there is no module with the same settings
};

std::vector<Case> cases() {
  return {
      {"max2d_k3s2p1",
       [](const Tensor& x) { return F::max_pool2d(x, 3, {.stride = 2, .padding = 1}); },
       mod(nn::MaxPool2d(3, {.stride = 2, .padding = 1}))},
      {"max2d_k2", [](const Tensor& x) { return F::max_pool2d(x, 2); }, mod(nn::MaxPool2d(2))},
      {"max2d_ceil_dil",
       [](const Tensor& x) {
         return F::max_pool2d(x, {3, 2}, {.stride = {2, 3}, .padding = 1, .dilation = {2, 1}, .ceil_mode = true});
       },
       mod(nn::MaxPool2d(
           {3, 2}, {.stride = {2, 3}, .padding = {1, 1}, .dilation = {2, 1}, .ceil_mode = true}))},
      {"max2d_unbatched", [](const Tensor& x) { return F::max_pool2d(x, 2, {.stride = 1}); },
       mod(nn::MaxPool2d(2, {.stride = 1}))},
      {"max2d_k3s1p1",
       [](const Tensor& x) { return F::max_pool2d(x, 3, {.stride = 1, .padding = 1}); },
       mod(nn::MaxPool2d(3, {.stride = 1, .padding = 1}))},
      {"max2d_s1_dil",
       [](const Tensor& x) {
         return F::max_pool2d(x, {3, 2}, {.stride = 1, .padding = 1, .dilation = {2, 3}});
       },
       mod(nn::MaxPool2d({3, 2}, {.stride = 1, .padding = 1, .dilation = {2, 3}}))},
      {"avg2d_k2", [](const Tensor& x) { return F::avg_pool2d(x, 2); },
       mod(nn::AvgPool2d(2, {.stride = 2}))},
      {"avg2d_k2_odd", [](const Tensor& x) { return F::avg_pool2d(x, 2); }, nullptr},
      {"avg2d_k2_divisor",
       [](const Tensor& x) { return F::avg_pool2d(x, 2, {.divisor_override = 3}); },
       mod(nn::AvgPool2d(2, {.divisor_override = 3}))},
      {"avg2d_pad",
       [](const Tensor& x) { return F::avg_pool2d(x, 3, {.stride = 2, .padding = 1}); },
       mod(nn::AvgPool2d(3, {.stride = 2, .padding = 1}))},
      {"avg2d_pad_excl_ceil",
       [](const Tensor& x) {
         return F::avg_pool2d(x, 3, {.stride = 2, .padding = 1, .ceil_mode = true, .count_include_pad = false});
       },
       mod(nn::AvgPool2d(
           3, {.stride = 2, .padding = 1, .ceil_mode = true, .count_include_pad = false}))},
      {"avg2d_ceil_incl",
       [](const Tensor& x) {
         return F::avg_pool2d(x, {3, 2}, {.stride = 2, .padding = 1, .ceil_mode = true});
       },
       nullptr},
      {"avg2d_divisor",
       [](const Tensor& x) { return F::avg_pool2d(x, 2, {.stride = 1, .divisor_override = 3}); },
       mod(nn::AvgPool2d(2, {.stride = 1, .divisor_override = 3}))},
      {"adaptive_avg2d",
       [](const Tensor& x) {
         return F::adaptive_avg_pool2d(x, {3, 2});
       },
       mod(nn::AdaptiveAvgPool2d({3, 2}))},
      {"adaptive_avg2d_1", [](const Tensor& x) { return F::adaptive_avg_pool2d(x, 1); },
       mod(nn::AdaptiveAvgPool2d({1, 1}))},
      {"adaptive_avg2d_none",
       [](const Tensor& x) {
         return F::adaptive_avg_pool2d(x, {std::nullopt, 3});
       },
       mod(nn::AdaptiveAvgPool2d({std::nullopt, 3}))},
      {"adaptive_avg2d_up",
       [](const Tensor& x) {
         return F::adaptive_avg_pool2d(x, {5, 4});
       },
       nullptr},
      {"max1d",
       [](const Tensor& x) {
         return F::max_pool1d(x, 3, {.stride = 2, .padding = 1, .dilation = 2, .ceil_mode = true});
       },
       mod(nn::MaxPool1d(3, {.stride = 2, .padding = 1, .dilation = 2, .ceil_mode = true}))},
      {"max3d",
       [](const Tensor& x) {
         return F::max_pool3d(x, {2, 3, 2}, {.stride = {2, 2, 1}, .padding = {1, 1, 0}});
       },
       mod(nn::MaxPool3d({2, 3, 2}, {.stride = {2, 2, 1}, .padding = {1, 1, 0}}))},
      {"avg1d",
       [](const Tensor& x) {
         return F::avg_pool1d(x, 4, {.stride = 3, .padding = 2, .ceil_mode = true, .count_include_pad = false});
       },
       mod(nn::AvgPool1d(
           4, {.stride = 3, .padding = 2, .ceil_mode = true, .count_include_pad = false}))},
      {"avg3d", [](const Tensor& x) { return F::avg_pool3d(x, 3, {.stride = 2, .padding = 1}); },
       mod(nn::AvgPool3d(3, {.stride = 2, .padding = 1}))},
      {"avg3d_div", [](const Tensor& x) { return F::avg_pool3d(x, 2, {.divisor_override = 5}); },
       mod(nn::AvgPool3d(2, {.divisor_override = 5}))},
      {"adaptive_avg1d", [](const Tensor& x) { return F::adaptive_avg_pool1d(x, 4); },
       mod(nn::AdaptiveAvgPool1d(4))},
      {"adaptive_avg3d",
       [](const Tensor& x) {
         return F::adaptive_avg_pool3d(x, {2, 3, 3});
       },
       mod(nn::AdaptiveAvgPool3d({2, 3, 3}))},
      {"adaptive_max1d", [](const Tensor& x) { return F::adaptive_max_pool1d(x, 4); },
       mod(nn::AdaptiveMaxPool1d(4))},
      {"adaptive_max2d",
       [](const Tensor& x) {
         return F::adaptive_max_pool2d(x, {3, 2});
       },
       mod(nn::AdaptiveMaxPool2d({3, 2}))},
      {"adaptive_max3d",
       [](const Tensor& x) {
         return F::adaptive_max_pool3d(x, {2, 3, 3});
       },
       mod(nn::AdaptiveMaxPool3d({2, 3, 3}))},
      {"lp2d",
       [](const Tensor& x) {
         return F::lp_pool2d(x.abs() + 0.5, 2.0, {2, 3}, {.stride = 2});
       },
       [m = nn::LPPool2d(2.0, {2, 3}, {.stride = 2})](const Tensor& x) mutable {
         return m(x.abs() + 0.5);
       }},
      {"lp1d", [](const Tensor& x) { return F::lp_pool1d(x.abs() + 0.5, 3.0, 3); },
       [m = nn::LPPool1d(3, 3)](const Tensor& x) mutable { return m(x.abs() + 0.5); }},
      {"lp2d_p1", [](const Tensor& x) { return F::lp_pool2d(x.abs() + 0.5, 1.0, 2); }, nullptr},
  };
}

std::pair<Tensor, Tensor> run(const Fn& f, const Tensor& x64, const Tensor& g64, DType dtype) {
  Tensor x = x64.to(dtype).detach().requires_grad_();
  Tensor out = f(x);
  (out * g64.to(dtype)).sum().backward();
  return {out.detach().to(kFloat64), x.grad().to(kFloat64)};
}

TEST(NnPool, FunctionalAndModulesMatchPyTorch) {
  testing::Golden gold("nn_pool");
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    Tensor x = gold[c.name + "_x"], g = gold[c.name + "_g"];
    for (const Fn* f : {&c.fn, &c.module}) {
      if (!*f) continue;
      auto [out64, gx64] = run(*f, x, g, kFloat64);
      EXPECT_TENSOR_CLOSE(out64, gold[c.name + "_out"], 1e-10, 1e-12);
      EXPECT_TENSOR_CLOSE(gx64, gold[c.name + "_gx"], 1e-10, 1e-12);
      auto [out32, gx32] = run(*f, x, g, kFloat32);
      EXPECT_TENSOR_CLOSE(out32, gold[c.name + "_out"], 1e-5, 1e-5);
      EXPECT_TENSOR_CLOSE(gx32, gold[c.name + "_gx"], 1e-5, 1e-5);
    }
  }
}

TEST(NnPool, IndicesMatchPyTorch) {
  testing::Golden gold("nn_pool");
  std::vector<std::pair<std::string, IdxFn>> fns = {
      {"max2d_k3s2p1",
       [](const Tensor& x) {
         return F::max_pool2d_with_indices(x, 3, {.stride = 2, .padding = 1});
       }},
      {"max2d_ceil_dil",
       [](const Tensor& x) {
         return F::max_pool2d_with_indices(x, {3, 2}, {.stride = {2, 3}, .padding = 1, .dilation = {2, 1}, .ceil_mode = true});
       }},
      {"max1d",
       [](const Tensor& x) {
         return F::max_pool1d_with_indices(x, 3, {.stride = 2, .padding = 1, .dilation = 2, .ceil_mode = true});
       }},
      {"max3d",
       [m = nn::MaxPool3d({2, 3, 2},
                          {.stride = {2, 2, 1}, .padding = {1, 1, 0}, .return_indices = true})](
           const Tensor& x) mutable { return m->forward_with_indices(x); }},
      {"adaptive_max1d", [](const Tensor& x) { return F::adaptive_max_pool1d_with_indices(x, 4); }},
      {"adaptive_max2d", [m = nn::AdaptiveMaxPool2d({3, 2}, {.return_indices = true})](
                             const Tensor& x) mutable { return m->forward_with_indices(x); }},
      {"adaptive_max3d",
       [](const Tensor& x) {
         return F::adaptive_max_pool3d_with_indices(x, {2, 3, 3});
       }},
      {"max2d_ties_k3s2p1",
       [](const Tensor& x) {
         return F::max_pool2d_with_indices(x, 3, {.stride = 2, .padding = 1});
       }},
      {"max2d_ties_k2", [](const Tensor& x) { return F::max_pool2d_with_indices(x, 2); }},
      // Unit strides: the CPU kernel pads each plane with -inf once (src/cpu/pool.cpp).
      {"max2d_k3s1p1",
       [](const Tensor& x) {
         return F::max_pool2d_with_indices(x, 3, {.stride = 1, .padding = 1});
       }},
      {"max2d_s1_dil",
       [](const Tensor& x) {
         return F::max_pool2d_with_indices(x, {3, 2},
                                           {.stride = 1, .padding = 1, .dilation = {2, 3}});
       }},
      {"max2d_ties_k3s1p1",
       [](const Tensor& x) {
         return F::max_pool2d_with_indices(x, 3, {.stride = 1, .padding = 1});
       }},
      // NaN (the window's last wins) and windows of -inf (their first cell inside the input).
      {"max2d_special_k3s1p1",
       [](const Tensor&
              x) { return F::max_pool2d_with_indices(x, 3, {.stride = 1, .padding = 1}); }},
  };
  for (const auto& [name, f] : fns) {
    SCOPED_TRACE(name);
    for (DType dt : {kFloat64, kFloat32}) {
      auto [v, idx] = f(gold[name + "_x"].to(dt));
      EXPECT_EQ(idx.dtype(), kInt64);
      EXPECT_TRUE(idx.equal(gold[name + "_idx"]));
      EXPECT_TENSOR_CLOSE(v.to(kFloat64), gold[name + "_out"], 1e-5, 1e-5);
    }
  }
}

TEST(NnPool, MaxIndexIsTheFirstMaximumOrTheLastNaN) {
  // PyTorch's rule, scanning a window row by row: a later cell wins only when strictly greater or
  // NaN. Hand-made 3x3 windows (kernel 3, stride 3), one per case, in float32 and float64.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    std::vector<double> window;
    int64_t index;
  };
  for (const Case& c : {Case{{0, 5, 0, 5, 0, 0, 5, 0, 0}, 1},          // ties: the first 5
                        Case{{0, 0, 0, 0, 0, 0, 0, 0, 0}, 0},          // all equal
                        Case{{1, nan, 2, nan, 5, 0, 3, 4, 1}, 3},      // the last NaN
                        Case{{1, 2, nan, 9, 9, 0, 3, 4, 1}, 2}}) {     // NaN beats larger values
    for (DType dt : {kFloat64, kFloat32}) {
      Tensor x = tensor(c.window, {.dtype = dt}).view({1, 1, 3, 3});
      auto [v, idx] = F::max_pool2d_with_indices(x, 3);
      EXPECT_EQ(idx.item<int64_t>(), c.index);
      const double expect = c.window[static_cast<size_t>(c.index)];
      if (std::isnan(expect)) {
        EXPECT_TRUE(std::isnan(v.item<double>()));
      } else {
        EXPECT_EQ(v.item<double>(), expect);
      }
    }
  }
}

TEST(NnPool, MaxUnpoolMatchesPyTorch) {
  testing::Golden gold("nn_pool");
  for (std::string key : {"unpool2d", "unpool2d_size"}) {
    SCOPED_TRACE(key);
    Tensor v = gold[key + "_v"].detach().requires_grad_();
    F::MaxUnpool2dFuncOptions o;
    if (key == "unpool2d_size") o.output_size = std::vector<int64_t>{7, 9};
    Tensor out = F::max_unpool2d(v, gold[key + "_idx"], 2, o);
    EXPECT_TENSOR_CLOSE(out, gold[key + "_out"], 1e-12, 0);
    (out * gold[key + "_g"]).sum().backward();
    EXPECT_TENSOR_CLOSE(v.grad(), gold[key + "_gv"], 1e-12, 0);
  }
  nn::MaxUnpool1d un1(3, {.stride = 2});
  EXPECT_TENSOR_CLOSE(un1(gold["unpool1d_v"], gold["unpool1d_idx"]), gold["unpool1d_out"], 1e-12, 0);
  nn::MaxUnpool3d un3(2);
  EXPECT_TENSOR_CLOSE(un3(gold["unpool3d_v"].to(kFloat32), gold["unpool3d_idx"]).to(kFloat64), gold["unpool3d_out"],
                      1e-6, 1e-6);
}

TEST(NnPool, NodeNames) {
  Tensor x = randn({1, 2, 6, 6}, {.dtype = kFloat64, .requires_grad = true});
  EXPECT_EQ(F::max_pool2d(x, 2).grad_fn()->name(), "MaxPool2DWithIndicesBackward0");
  EXPECT_EQ(F::avg_pool2d(x, 2).grad_fn()->name(), "AvgPool2DBackward0");
  EXPECT_EQ(F::adaptive_avg_pool2d(x, 2).grad_fn()->name(), "AdaptiveAvgPool2DBackward0");
  EXPECT_EQ(F::adaptive_max_pool2d(x, 2).grad_fn()->name(), "AdaptiveMaxPool2DBackward0");
  Tensor x3 = randn({1, 2, 4, 4, 4}, {.dtype = kFloat64, .requires_grad = true});
  EXPECT_EQ(F::max_pool3d(x3, 2).grad_fn()->name(), "MaxPool3DWithIndicesBackward0");
  EXPECT_EQ(F::avg_pool3d(x3, 2).grad_fn()->name(), "AvgPool3DBackward0");
}

// Small inputs of distinct values, so max pooling has no ties within finite-difference reach.
Tensor distinct(IntArrayRef shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  Tensor perm = randperm(n, {.dtype = kFloat64});
  return (perm * 0.31 - 0.4 * static_cast<double>(n) * 0.31).reshape(shape).requires_grad_();
}

TEST(NnPool, Gradcheck) {
  manual_seed(3);
  const autograd::GradcheckOptions gg{.check_grad_grad = true};
  std::vector<std::pair<std::string, std::function<Tensor(const Tensor&)>>> fns = {
      {"max2d", [](const Tensor& x) { return F::max_pool2d(x, 3, {.stride = 2, .padding = 1, .ceil_mode = true}); }},
      {"max2d_dil", [](const Tensor& x) { return F::max_pool2d(x, 2, {.dilation = 2}); }},
      {"avg2d", [](const Tensor& x) { return F::avg_pool2d(x, 3, {.stride = 2, .padding = 1, .ceil_mode = true}); }},
      {"avg2d_excl",
       [](const Tensor& x) { return F::avg_pool2d(x, 3, {.stride = 2, .padding = 1, .count_include_pad = false}); }},
      {"adaptive_avg2d", [](const Tensor& x) { return F::adaptive_avg_pool2d(x, {3, 2}); }},
      {"adaptive_max2d", [](const Tensor& x) { return F::adaptive_max_pool2d(x, {2, 3}); }},
      {"max1d", [](const Tensor& x) { return F::max_pool1d(x.flatten(2), 3, {.stride = 2}); }},
      {"avg1d", [](const Tensor& x) { return F::avg_pool1d(x.flatten(2), 3, {.stride = 2, .padding = 1}); }},
      {"max3d", [](const Tensor& x) { return F::max_pool3d(x.unsqueeze(2), {1, 2, 2}); }},
      {"avg3d", [](const Tensor& x) { return F::avg_pool3d(x.unsqueeze(2), {1, 3, 2}, {.stride = 1}); }},
      {"lp2d", [](const Tensor& x) { return F::lp_pool2d(x + 30.0, 2.0, 2); }},  // positive: no kink
  };
  for (const auto& [name, f] : fns) {
    SCOPED_TRACE(name);
    Tensor x = distinct({2, 2, 5, 4});
    auto r = autograd::gradcheck([&](const autograd::variable_list& in) { return f(in[0]); }, {x}, gg);
    EXPECT_TRUE(r) << r.message;
  }
  // max_unpool through fixed indices.
  Tensor x = distinct({1, 2, 4, 4});
  auto [v, idx] = F::max_pool2d_with_indices(x.detach(), 2);
  Tensor vv = v.detach().requires_grad_();
  auto r = autograd::gradcheck([&](const autograd::variable_list& in) { return F::max_unpool2d(in[0], idx, 2); },
                               {vv}, gg);
  EXPECT_TRUE(r) << r.message;
}

// 32 planes of 32x32 reach the kernels' parallel split; each plane alone stays serial. The
// results must agree plane by plane, forward and backward, and for strided inputs.
TEST(NnPool, ParallelAndStridedInputsAgreeWithSerialPlanes) {
  manual_seed(7);
  Tensor x = randn({4, 8, 32, 32}, {.dtype = kFloat64});
  Tensor g = randn({4, 8, 16, 16}, {.dtype = kFloat64});
  std::vector<std::pair<std::string, Fn>> fns = {
      {"max", [](const Tensor& t) { return F::max_pool2d(t, 3, {.stride = 2, .padding = 1}); }},
      {"avg", [](const Tensor& t) { return F::avg_pool2d(t, 2); }},
      {"adaptive", [](const Tensor& t) { return F::adaptive_avg_pool2d(t, 16); }},
  };
  for (const auto& [name, f] : fns) {
    SCOPED_TRACE(name);
    Tensor xa = x.detach().requires_grad_();
    Tensor all = f(xa);
    (all * g).sum().backward();
    for (int64_t n : {0, 3}) {
      for (int64_t c : {0, 5}) {
        Tensor xp = x.index({n, Slice(c, c + 1)}).detach().requires_grad_();  // one plane (1, 32, 32)
        Tensor one = f(xp);
        (one * g.index({n, Slice(c, c + 1)})).sum().backward();
        EXPECT_TRUE(one.equal(all.index({n, Slice(c, c + 1)})));
        EXPECT_TRUE(xp.grad().equal(xa.grad().index({n, Slice(c, c + 1)})));
      }
    }
    // A transposed (non-contiguous) input gives the result of its contiguous copy.
    Tensor xt = x.transpose(2, 3);
    EXPECT_TRUE(f(xt).equal(f(xt.contiguous())));
  }
  // An empty batch gives an empty result.
  EXPECT_EQ(F::max_pool2d(randn({0, 3, 4, 4}), 2).sizes(), (Shape{0, 3, 2, 2}));
}

template <typename M>
std::string str(const M& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

TEST(NnPool, PrintsAsPyTorch) {
  EXPECT_EQ(str(nn::MaxPool2d(3, {.stride = 2, .padding = 1})),
            "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)");
  EXPECT_EQ(str(nn::MaxPool2d(2)), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
  EXPECT_EQ(str(nn::MaxPool2d({2, 3}, {.stride = {1, 2}, .padding = {1, 0}, .return_indices = true, .ceil_mode = true})),
            "MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), dilation=1, ceil_mode=True)");
  EXPECT_EQ(str(nn::AvgPool2d(2, {.stride = 2})), "AvgPool2d(kernel_size=2, stride=2, padding=0)");
  EXPECT_EQ(str(nn::AvgPool2d(3, {.stride = 1, .padding = 1, .count_include_pad = false, .divisor_override = 2})),
            "AvgPool2d(kernel_size=3, stride=1, padding=1)");
  EXPECT_EQ(str(nn::AdaptiveAvgPool2d({1, 1})), "AdaptiveAvgPool2d(output_size=(1, 1))");
  EXPECT_EQ(str(nn::AdaptiveAvgPool2d(1)), "AdaptiveAvgPool2d(output_size=1)");
  EXPECT_EQ(str(nn::AdaptiveAvgPool2d({std::nullopt, 3})), "AdaptiveAvgPool2d(output_size=(None, 3))");
  EXPECT_EQ(str(nn::MaxPool1d(3)), "MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)");
  EXPECT_EQ(str(nn::AvgPool1d(3)), "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))");
  EXPECT_EQ(str(nn::MaxPool3d(3)), "MaxPool3d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)");
  EXPECT_EQ(str(nn::AvgPool3d(3)), "AvgPool3d(kernel_size=3, stride=3, padding=0)");
  EXPECT_EQ(str(nn::AdaptiveMaxPool2d(2)), "AdaptiveMaxPool2d(output_size=2)");
  EXPECT_EQ(str(nn::AdaptiveMaxPool1d(2, {.return_indices = true})), "AdaptiveMaxPool1d(output_size=2)");
  EXPECT_EQ(str(nn::AdaptiveAvgPool3d(2)), "AdaptiveAvgPool3d(output_size=2)");
  EXPECT_EQ(str(nn::MaxUnpool2d(2)), "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))");
  EXPECT_EQ(str(nn::MaxUnpool1d(2)), "MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))");
  EXPECT_EQ(str(nn::LPPool2d(2, 3)), "LPPool2d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)");
  EXPECT_EQ(str(nn::LPPool1d(1.5, 3, {.stride = 2})), "LPPool1d(norm_type=1.5, kernel_size=3, stride=2, ceil_mode=False)");
  // No parameters, nothing in the state dict.
  EXPECT_TRUE(nn::MaxPool2d(2)->state_dict().empty());
}

TEST(NnPool, ErrorsNameTheFunctionAndMatchPyTorch) {
  using testing::expect_error;
  Tensor x = randn({1, 3, 2, 2});
  expect_error([&] { F::max_pool2d(x, 3); },
               "max_pool2d(): Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small");
  expect_error([&] { F::avg_pool2d(x, 3); }, "avg_pool2d(): Given input size: (3x2x2). Calculated output size: (3x0x0)");
  expect_error([&] { nn::MaxPool3d(3)(randn({1, 3, 2, 2, 2})); },
               "Given input size: (3x2x2x2). Calculated output size: (3x0x0x0). Output size is too small");
  Tensor y = randn({1, 3, 8, 8});
  expect_error([&] { F::max_pool2d(y, 3, {.padding = 2}); },
               "pad should be at most half of kernel size, but got pad=2 and kernel_size=3");
  expect_error([&] { F::max_pool2d(y, 2, {.stride = 0}); }, "max_pool2d(): stride should not be zero");
  expect_error([&] { F::max_pool2d(y, 2, {.dilation = 0}); }, "dilation should be greater than zero");
  expect_error([&] { F::max_pool2d(y, 0, {.stride = 1}); }, "kernel size should be greater than zero");
  expect_error([&] { F::avg_pool2d(y, 2, {.divisor_override = 0}); }, "avg_pool2d(): divisor must be not zero");
  expect_error([&] { F::max_pool2d(randn({3, 8}), 2); }, "max_pool2d(): expected a non-empty 3D or 4D (batch mode) tensor");
  expect_error([&] { F::max_pool2d(y.to(kInt64), 2); }, "max_pool2d(): expected a float32 or float64 input, got int64");
  expect_error([&] { F::adaptive_avg_pool2d(randn({3, 8}), 2); },
               "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [3, 8]");
  expect_error([&] { F::adaptive_avg_pool2d(randn({1, 3, 0, 8}), 2); },
               "Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 3, 0, 8] with "
               "dimension 2 being empty");
  auto [v, idx] = F::max_pool2d_with_indices(y, 2);
  expect_error([&] { F::max_unpool2d(v, idx, 2, {.output_size = std::vector<int64_t>{3, 3}}); },
               "max_unpool2d(): invalid output_size \"[3, 3]\" (dim 0 must be between 6 and 10)");
  expect_error([&] { F::max_unpool2d(v, idx.narrow(3, 0, 2), 2); }, "Expected shape of indices to be same");
  expect_error([&] { F::max_unpool2d(v, idx * 100, 2); }, "Found an invalid max index");
}

}  // namespace
}  // namespace wick

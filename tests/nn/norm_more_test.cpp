// GroupNorm, InstanceNorm, LocalResponseNorm and normalize against PyTorch goldens (float64 to
// 1e-10, float32 to 1e-5), InstanceNorm running stats, gradchecks, printing, keys and errors.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "norm_test_util.h"
#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using autograd::variable_list;
using Fn = std::function<Tensor(const variable_list&)>;

using testing::str;

double rtol(DType dt) { return testing::golden_rtol(dt); }
double atol(DType dt) { return testing::golden_atol(dt); }

struct Case {
  std::string prefix;
  std::vector<std::string> inputs;  // golden keys of the inputs; grads are <prefix>_g<name>
  std::vector<std::string> names;
  Fn fn;
};

std::vector<Case> cases() {
  return {
      {"gn",
       {"x", "w", "b"},
       {"x", "w", "b"},
       [](const variable_list& v) { return F::group_norm(v[0], 3, v[1], v[2], 1e-4); }},
      {"gn_plain", {"x"}, {"x"}, [](const variable_list& v) { return F::group_norm(v[0], 2); }},
      {"in",
       {"x", "w", "b"},
       {"x", "w", "b"},
       [](const variable_list& v) { return F::instance_norm(v[0], {}, {}, v[1], v[2]); }},
      {"lrn3",
       {"x"},
       {"x"},
       [](const variable_list& v) { return F::local_response_norm(v[0], 3, 1e-2, 0.75, 2.0); }},
      {"lrn2",
       {"x"},
       {"x"},
       [](const variable_list& v) { return F::local_response_norm(v[0], 2); }},
      {"normalize", {"x"}, {"x"}, [](const variable_list& v) { return F::normalize(v[0]); }},
      {"normalize_l1",
       {"x"},
       {"x"},
       [](const variable_list& v) { return F::normalize(v[0], 1.0, -1); }},
  };
}

TEST(NnNormMore, FunctionalMatchesPyTorch) {
  testing::Golden gold("nn_norm_more");
  for (const auto& c : cases()) {
    for (DType dt : {kFloat64, kFloat32}) {
      SCOPED_TRACE(c.prefix + (dt == kFloat64 ? " float64" : " float32"));
      variable_list xs;
      for (const auto& k : c.inputs) xs.push_back(gold[k].to(dt).clone().requires_grad_());
      Tensor out = c.fn(xs);
      (out * gold["G"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[c.prefix + "_out"], rtol(dt), atol(dt));
      for (size_t i = 0; i < c.names.size(); ++i)
        EXPECT_TENSOR_CLOSE(xs[i].grad().to(kFloat64), gold[c.prefix + "_g" + c.names[i]], rtol(dt),
                            atol(dt));
    }
  }
  // A 3-D input to local_response_norm.
  Tensor x3 = gold["x"].select(3, 0).clone().requires_grad_();
  Tensor y = F::local_response_norm(x3, 4, 0.5);
  (y * gold["G"].select(3, 0)).sum().backward();
  EXPECT_TENSOR_CLOSE(y.detach(), gold["lrn4_out"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(x3.grad(), gold["lrn4_gx"], 1e-10, 1e-12);
}

TEST(NnNormMore, ModulesMatchFunctional) {
  testing::Golden gold("nn_norm_more");
  nn::GroupNorm gn(3, 6, {.eps = 1e-4, .dtype = kFloat64});
  {
    NoGradGuard ng;
    gn->weight.copy_(gold["w"]);
    gn->bias.copy_(gold["b"]);
  }
  EXPECT_TENSOR_CLOSE(gn(gold["x"]), gold["gn_out"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(nn::LocalResponseNorm(3, {.alpha = 1e-2, .k = 2.0})(gold["x"]),
                      gold["lrn3_out"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(nn::InstanceNorm2d(3)(gold["in2u_x"]), gold["in2u_out"], 1e-10, 1e-12);
}

TEST(NnNormMore, InstanceNormRunningStatsMatchPyTorch) {
  testing::Golden gold("nn_norm_more");
  for (DType dt : {kFloat64, kFloat32}) {
    SCOPED_TRACE(dt == kFloat64 ? "float64" : "float32");
    nn::InstanceNorm1d m(
        3, {.momentum = 0.3, .affine = true, .track_running_stats = true, .dtype = dt});
    {
      NoGradGuard ng;
      m->weight.copy_(gold["in1_w"]);
      m->bias.copy_(gold["in1_b"]);
    }
    auto step = [&](const std::string& x, const std::string& g, const std::string& out,
                    const std::string& gx) {
      Tensor xi = gold[x].to(dt).clone().requires_grad_();
      Tensor y = m(xi);
      (y * gold[g].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(y.detach().to(kFloat64), gold[out], rtol(dt), atol(dt));
      EXPECT_TENSOR_CLOSE(xi.grad().to(kFloat64), gold[gx], rtol(dt), atol(dt));
    };
    step("in1_x0", "in1_G0", "in1_out0", "in1_gx0");
    step("in1_x1", "in1_G1", "in1_out1", "in1_gx1");
    EXPECT_TENSOR_CLOSE(m->running_mean.to(kFloat64), gold["in1_rm"], rtol(dt), atol(dt));
    EXPECT_TENSOR_CLOSE(m->running_var.to(kFloat64), gold["in1_rv"], rtol(dt), atol(dt));
    m->eval();
    step("in1_x0", "in1_G0", "in1_eval_out", "in1_eval_gx");
  }
}

TEST(NnNormMore, Gradcheck) {
  Tensor x = randn({2, 4, 3}, {.dtype = kFloat64}).requires_grad_();
  Tensor w = randn({4}, {.dtype = kFloat64}).requires_grad_(),
         b = randn({4}, {.dtype = kFloat64}).requires_grad_();
  std::vector<std::pair<std::string, Fn>> fns = {
      {"group_norm", [](const variable_list& v) { return F::group_norm(v[0], 2, v[1], v[2]); }},
      {"instance_norm",
       [](const variable_list& v) { return F::instance_norm(v[0], {}, {}, v[1], v[2]); }},
      {"local_response_norm",
       [](const variable_list& v) {
         return F::local_response_norm(v[0], 3, 0.1) + v[1].sum() + v[2].sum();
       }},
      {"normalize",
       [](const variable_list& v) { return F::normalize(v[0], 2.0, 1) * v[1].sum() + v[2].sum(); }},
  };
  for (auto& [name, f] : fns) {
    SCOPED_TRACE(name);
    auto r = autograd::gradcheck(f, {x, w, b}, {.check_grad_grad = true});
    EXPECT_TRUE(r) << r.message;
  }
}

TEST(NnNormMore, PrintsKeysAndErrors) {
  EXPECT_EQ(str(nn::GroupNorm(2, 6)), "GroupNorm(2, 6, eps=1e-05, affine=True)");
  EXPECT_EQ(str(nn::LocalResponseNorm(2)), "LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)");
  EXPECT_EQ(str(nn::LocalResponseNorm(3, {.k = 1})),
            "LocalResponseNorm(3, alpha=0.0001, beta=0.75, k=1)");
  EXPECT_EQ(str(nn::InstanceNorm2d(3)),
            "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)");
  EXPECT_EQ(str(nn::InstanceNorm1d(4, {.affine = true, .track_running_stats = true})),
            "InstanceNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
  EXPECT_EQ(nn::GroupNorm(2, 6)->state_dict().keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_TRUE(nn::GroupNorm(2, 6, {.affine = false})->state_dict().keys().empty());
  EXPECT_TRUE(nn::InstanceNorm2d(3)->state_dict().keys().empty());
  EXPECT_EQ(
      nn::InstanceNorm3d(3, {.affine = true, .track_running_stats = true})->state_dict().keys(),
      (std::vector<std::string>{"weight", "bias", "running_mean", "running_var",
                                "num_batches_tracked"}));
  testing::expect_error([] { nn::GroupNorm(4, 6); },
                        "num_channels must be divisible by num_groups");
  testing::expect_error(
      [] {
        F::group_norm(randn({2, 6, 4}), 4);
      },
      "Expected number of channels in input to be divisible by num_groups, but got input of "
      "shape [2, 6, 4] and num_groups=4");
  testing::expect_error(
      [] {
        nn::InstanceNorm1d(3)(randn({2, 3, 4, 5}));
      },
      "expected 2D or 3D input (got 4D input)");
  testing::expect_error(
      [] {
        nn::InstanceNorm2d(3, {.affine = true})(randn({2, 4, 3, 3}));
      },
      "expected input's size at dim=1 to match num_features (3), but got: 4.");
  testing::expect_error(
      [] {
        F::instance_norm(randn({2, 3, 1}));
      },
      "Expected more than 1 spatial element when training, got input size [2, 3, 1]");
  testing::expect_error(
      [] {
        F::local_response_norm(randn({2, 3}), 2);
      },
      "Expected 3D or higher dimensionality input (got 2 dimensions)");
  // No affine and no running stats: the channel count does not matter, as in PyTorch.
  EXPECT_EQ(nn::InstanceNorm2d(3)(randn({2, 4, 3, 3})).sizes().vec(), (Shape{2, 4, 3, 3}));
  // normalize: a zero row stays finite.
  Tensor z = F::normalize(zeros({2, 3}));
  EXPECT_TRUE(z.equal(zeros({2, 3})));
}

}  // namespace
}  // namespace wick

// optim::Optimizer base and SGD: trajectories against PyTorch 1.13 (float64 to 1e-10), param groups,
// zero_grad, step(closure), state_dict round trips (also through the flat form) and option errors.
#include <gtest/gtest.h>

#include "optim/optim_problem.h"
#include "support/expect_error.h"

namespace wick {
namespace {

using testing::expect_error;
using testing::Golden;
using testing::OptimProblem;
using testing::run_long_parameter;

Tensor trajectory(optim::SGDOptions o, DType dt = kFloat64) {
  Golden gold("optim");
  OptimProblem pb(gold, dt);
  optim::SGD opt({pb.w, pb.b}, o);
  return pb.run(opt, 20);
}

TEST(OptimSGD, TrajectoriesMatchPyTorch) {
  Golden gold("optim");
  const std::vector<std::pair<std::string, optim::SGDOptions>> cases = {
      {"sgd", {.lr = 0.1}},
      {"sgd_momentum", {.lr = 0.1, .momentum = 0.9}},
      {"sgd_dampening_wd", {.lr = 0.1, .momentum = 0.9, .dampening = 0.3, .weight_decay = 0.01}},
      {"sgd_nesterov_wd", {.lr = 0.05, .momentum = 0.9, .weight_decay = 0.1, .nesterov = true}},
      {"sgd_maximize", {.lr = 0.1, .momentum = 0.5, .maximize = true}},
  };
  for (const auto& [name, o] : cases) {
    SCOPED_TRACE(name);
    EXPECT_TENSOR_CLOSE(trajectory(o), gold["traj_" + name], 1e-10, 1e-12);
    // float32 against the float64 golden: 20 steps of rounding drift.
    EXPECT_TENSOR_CLOSE(trajectory(o, kFloat32), gold["traj_" + name], 1e-3, 1e-4);
    // A parameter longer than a vector register (the fused kernel's vector loop).
    auto make = [o](std::vector<Tensor> p) {
      return std::make_unique<optim::SGD>(std::move(p), o);
    };
    EXPECT_TENSOR_CLOSE(run_long_parameter(gold, make, kFloat64), gold["long_" + name], 1e-10,
                        1e-12);
    EXPECT_TENSOR_CLOSE(run_long_parameter(gold, make, kFloat32), gold["long_" + name], 1e-4, 1e-5);
  }
}

TEST(OptimSGD, ParamGroupsTakeDefaultsForMissingOptions) {
  Golden gold("optim");
  OptimProblem pb(gold);
  optim::SGD opt({{{pb.w}}, {{pb.b}, {{"lr", 0.05}, {"momentum", 0.5}}}}, {.lr = 0.1, .momentum = 0.9});
  ASSERT_EQ(opt.param_groups().size(), 2u);
  EXPECT_EQ(opt.param_groups()[0].lr(), 0.1);
  EXPECT_EQ(opt.param_groups()[1].lr(), 0.05);
  EXPECT_EQ(opt.param_groups()[1].num("momentum"), 0.5);
  EXPECT_EQ(opt.param_groups()[1].num("dampening"), 0.0);
  EXPECT_EQ(opt.param_groups()[1].options.keys(),
            (std::vector<std::string>{"lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"}));
  EXPECT_TENSOR_CLOSE(pb.run(opt, 20), gold["traj_sgd_groups"], 1e-10, 1e-12);
}

TEST(OptimSGD, AddParamGroupAndSetLr) {
  Tensor a = ones({2}, {.requires_grad = true}), b = ones({3}, {.requires_grad = true});
  optim::SGD opt({a}, {.lr = 0.1});
  opt.add_param_group({{b}, {{"lr", 0.5}}});
  opt.param_groups()[0]["lr"] = 0.2;
  a.set_grad(ones({2}));
  b.set_grad(ones({3}));
  opt.step();
  EXPECT_TRUE(allclose(a.detach(), full({2}, 0.8)));
  EXPECT_TRUE(allclose(b.detach(), full({3}, 0.5)));
  expect_error([&] { opt.add_param_group({{a}}); }, "some parameters appear in more than one parameter group");
}

TEST(OptimSGD, ZeroGradAndClosure) {
  Golden gold("optim");
  OptimProblem pb(gold);
  optim::SGD opt({pb.w, pb.b}, {.lr = 0.1});
  pb.loss().backward();
  opt.zero_grad(false);
  ASSERT_TRUE(pb.w.grad().defined());
  EXPECT_EQ(pb.w.grad().abs().sum().item<double>(), 0.0);
  opt.zero_grad();
  EXPECT_FALSE(pb.w.grad().defined());
  Tensor before = pb.w.detach().clone();
  opt.step();  // no gradients: nothing moves
  EXPECT_TRUE(equal(before, pb.w.detach()));
  int calls = 0;
  Tensor loss = opt.step([&] {
    ++calls;
    opt.zero_grad();
    Tensor l = pb.loss();
    l.backward();
    return l;
  });
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(loss.defined());
  EXPECT_FALSE(equal(before, pb.w.detach()));
  EXPECT_FALSE(opt.step().defined());
}

TEST(OptimSGD, StateDictResumesIdentically) {
  Golden gold("optim");
  for (bool through_flat : {false, true}) {
    OptimProblem a(gold), b(gold);
    optim::SGD opt_a({a.w, a.b}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
    a.run(opt_a, 7);
    optim::OptimizerStateDict sd = opt_a.state_dict();
    if (through_flat) sd = optim::OptimizerStateDict::unflatten(sd.flatten());
    {
      NoGradGuard ng;
      b.w.copy_(a.w);
      b.b.copy_(a.b);
    }
    optim::SGD opt_b({b.w, b.b}, {.lr = 0.5});
    opt_b.load_state_dict(sd);
    EXPECT_EQ(opt_b.param_groups()[0].lr(), 0.1);
    EXPECT_TRUE(opt_b.param_groups()[0].flag("nesterov"));
    EXPECT_TRUE(equal(a.run(opt_a, 5), b.run(opt_b, 5)));
  }
}

TEST(OptimSGD, FlatStateDictKeys) {
  Tensor a = ones({2}, {.requires_grad = true}), b = ones({3}, {.requires_grad = true});
  optim::SGD opt({a, b}, {.lr = 0.1, .momentum = 0.9});
  a.set_grad(ones({2}));
  opt.step();  // b has no gradient: no state
  nn::StateDict flat = opt.state_dict().flatten();
  EXPECT_EQ(flat.keys(), (std::vector<std::string>{"state.0.momentum_buffer", "param_groups.0.lr",
                                                   "param_groups.0.momentum", "param_groups.0.dampening",
                                                   "param_groups.0.weight_decay", "param_groups.0.nesterov",
                                                   "param_groups.0.maximize", "param_groups.0.params"}));
  EXPECT_EQ(flat["param_groups.0.lr"].dtype(), kFloat64);
  EXPECT_EQ(flat["param_groups.0.lr"].dim(), 0);
  EXPECT_EQ(flat["param_groups.0.nesterov"].dtype(), kBool);
  EXPECT_EQ(flat["param_groups.0.params"].dtype(), kInt64);
  EXPECT_EQ(flat["param_groups.0.params"].tolist<int64_t>(), (std::vector<int64_t>{0, 1}));
  // The saved copy does not follow later steps.
  Tensor saved = flat["state.0.momentum_buffer"].clone();
  opt.step();
  EXPECT_TRUE(allclose(opt.state_dict().flatten()["state.0.momentum_buffer"], full({2}, 1.9)));
  EXPECT_TRUE(equal(flat["state.0.momentum_buffer"], saved));
  nn::StateDict bad = flat;
  bad.insert("state.x.step", zeros({}));
  expect_error([&] { optim::OptimizerStateDict::unflatten(bad); }, "cannot read key 'state.x.step'");
}

TEST(OptimSGD, LoadStateDictChecksGroups) {
  Tensor a = ones({2}, {.requires_grad = true}), b = ones({3}, {.requires_grad = true});
  optim::SGD one({a, b}, {.lr = 0.1});
  optim::SGD two(std::vector<optim::ParamGroup>{{{a}}, {{b}}}, {.lr = 0.1});
  optim::SGD small({a}, {.lr = 0.1});
  expect_error([&] { two.load_state_dict(one.state_dict()); }, "different number of parameter groups");
  expect_error([&] { small.load_state_dict(one.state_dict()); },
               "doesn't match the size of optimizer's group");
}

TEST(OptimSGD, InvalidOptions) {
  Tensor a = ones({2}, {.requires_grad = true});
  expect_error([&] { optim::SGD({a}, {.lr = -0.1}); }, "Invalid learning rate: -0.1");
  expect_error([&] { optim::SGD({a}, {.lr = 0.1, .momentum = -0.5}); }, "Invalid momentum value: -0.5");
  expect_error([&] { optim::SGD({a}, {.lr = 0.1, .weight_decay = -1e-05}); }, "Invalid weight_decay value: -1e-05");
  expect_error([&] { optim::SGD({a}, {.lr = 0.1, .nesterov = true}); },
               "Nesterov momentum requires a momentum and zero dampening");
  expect_error([&] { optim::SGD({a}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}); },
               "Nesterov momentum requires a momentum and zero dampening");
  expect_error([&] { optim::SGD({a}, {}); }, "SGD: the learning rate is required");
  expect_error([&] { optim::SGD(std::vector<Tensor>{}, {.lr = 0.1}); }, "optimizer got an empty parameter list");
  expect_error([&] { optim::SGD({a * 2}, {.lr = 0.1}); }, "can't optimize a non-leaf Tensor");
  expect_error([&] { optim::SGD({a, a}, {.lr = 0.1}); }, "the same parameter twice");
}

TEST(OptimSGD, WorksWithModuleParameters) {
  nn::Linear fc(4, 3);
  optim::SGD opt(fc->parameters(), {.lr = 0.1, .momentum = 0.9});
  Tensor w0 = fc->weight.detach().clone();
  Tensor loss = fc(ones({2, 4})).sum();
  opt.zero_grad();
  loss.backward();
  opt.step();
  EXPECT_TRUE(allclose(fc->weight.detach(), w0 - 0.1 * 2));
}

}  // namespace
}  // namespace wick

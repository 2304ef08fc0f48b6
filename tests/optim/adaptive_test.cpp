// Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam: 20-step trajectories against
// PyTorch 1.13 (float64 to 1e-10, float32 loosely), defaults, state names, resume and option errors.
#include <gtest/gtest.h>

#include "optim/optim_problem.h"
#include "support/expect_error.h"

namespace wick {
namespace {

using testing::expect_error;
using testing::Golden;
using testing::MakeOptimizer;
using testing::OptimProblem;
using testing::run_long_parameter;

template <typename Opt, typename Options>
MakeOptimizer make(Options o) {
  return [o](std::vector<Tensor> params) { return std::make_unique<Opt>(std::move(params), o); };
}

// The cases of tools/goldens/optim.py, by the same names.
const std::vector<std::pair<std::string, MakeOptimizer>>& cases() {
  using namespace optim;
  static const std::vector<std::pair<std::string, MakeOptimizer>> c = {
      {"adam", make<Adam>(AdamOptions{.lr = 0.05})},
      {"adam_wd_amsgrad", make<Adam>(AdamOptions{.lr = 0.05, .weight_decay = 0.1, .amsgrad = true})},
      {"adam_maximize", make<Adam>(AdamOptions{.lr = 0.05, .betas = {0.8, 0.99}, .eps = 1e-6, .maximize = true})},
      {"adamw", make<AdamW>(AdamWOptions{.lr = 0.05})},
      {"adamw_amsgrad", make<AdamW>(AdamWOptions{.lr = 0.05, .weight_decay = 0.1, .amsgrad = true})},
      {"adamw_maximize", make<AdamW>(AdamWOptions{.lr = 0.05, .maximize = true})},
      {"rmsprop", make<RMSprop>(RMSpropOptions{.lr = 0.01})},
      {"rmsprop_centered_momentum_wd",
       make<RMSprop>(RMSpropOptions{.lr = 0.01, .weight_decay = 0.1, .momentum = 0.9, .centered = true})},
      {"rmsprop_momentum_maximize",
       make<RMSprop>(RMSpropOptions{.lr = 0.01, .alpha = 0.9, .momentum = 0.5, .maximize = true})},
      {"rmsprop_centered", make<RMSprop>(RMSpropOptions{.lr = 0.01, .eps = 1e-4, .centered = true})},
      {"adagrad", make<Adagrad>(AdagradOptions{.lr = 0.1})},
      {"adagrad_decay_wd", make<Adagrad>(AdagradOptions{.lr = 0.1, .lr_decay = 0.01, .weight_decay = 0.1,
                                                        .initial_accumulator_value = 0.5, .eps = 1e-6})},
      {"adagrad_maximize", make<Adagrad>(AdagradOptions{.lr = 0.1, .maximize = true})},
      {"adadelta", make<Adadelta>(AdadeltaOptions{})},
      {"adadelta_wd_maximize",
       make<Adadelta>(AdadeltaOptions{.lr = 0.5, .rho = 0.8, .weight_decay = 0.1, .maximize = true})},
      {"adamax", make<Adamax>(AdamaxOptions{.lr = 0.05})},
      {"adamax_wd_maximize",
       make<Adamax>(AdamaxOptions{.lr = 0.05, .betas = {0.8, 0.99}, .weight_decay = 0.1, .maximize = true})},
      {"nadam", make<NAdam>(NAdamOptions{.lr = 0.05})},
      {"nadam_wd", make<NAdam>(NAdamOptions{.lr = 0.05, .weight_decay = 0.1, .momentum_decay = 0.01})},
      {"radam", make<RAdam>(RAdamOptions{.lr = 0.05})},
      {"radam_wd", make<RAdam>(RAdamOptions{.lr = 0.05, .betas = {0.9, 0.99}, .weight_decay = 0.1})},
  };
  return c;
}

TEST(OptimAdaptive, TrajectoriesMatchPyTorch) {
  Golden gold("optim");
  for (const auto& [name, mk] : cases()) {
    SCOPED_TRACE(name);
    for (DType dt : {kFloat64, kFloat32}) {
      OptimProblem pb(gold, dt);
      auto opt = mk({pb.w, pb.b});
      Tensor traj = pb.run(*opt, 20);
      if (dt == kFloat64) EXPECT_TENSOR_CLOSE(traj, gold["traj_" + name], 1e-10, 1e-12);
      else EXPECT_TENSOR_CLOSE(traj, gold["traj_" + name], 1e-3, 1e-4);
    }
  }
}

TEST(OptimAdaptive, StateDictResumesIdentically) {
  Golden gold("optim");
  for (const auto& [name, mk] : cases()) {
    SCOPED_TRACE(name);
    OptimProblem a(gold), b(gold);
    auto opt_a = mk({a.w, a.b});
    a.run(*opt_a, 6);
    auto sd = optim::OptimizerStateDict::unflatten(opt_a->state_dict().flatten());
    {
      NoGradGuard ng;
      b.w.copy_(a.w);
      b.b.copy_(a.b);
    }
    auto opt_b = mk({b.w, b.b});
    opt_b->load_state_dict(sd);
    EXPECT_TRUE(equal(a.run(*opt_a, 6), b.run(*opt_b, 6)));
  }
}

// The fused kernels on a 37-value parameter against PyTorch: the trajectories' parameters have at
// most 6 values, fewer than one float32 vector, so there only the kernels' scalar tails ran.
TEST(OptimAdaptive, LongParameterMatchesPyTorch) {
  Golden gold("optim");
  for (const auto& [name, mk] : cases()) {
    SCOPED_TRACE(name);
    EXPECT_TENSOR_CLOSE(run_long_parameter(gold, mk, kFloat64), gold["long_" + name], 1e-10, 1e-12);
    EXPECT_TENSOR_CLOSE(run_long_parameter(gold, mk, kFloat32), gold["long_" + name], 1e-4, 1e-5);
  }
}

TEST(OptimAdaptive, StateNamesAndDefaults) {
  Tensor p = ones({2}, {.requires_grad = true});
  p.set_grad(ones({2}));
  auto keys = [&](optim::Optimizer& opt) {
    opt.step();
    return opt.state(p).keys();
  };
  using V = std::vector<std::string>;
  optim::Adam adam({p}, {.amsgrad = true});
  EXPECT_EQ(keys(adam), (V{"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}));
  EXPECT_EQ(adam.param_groups()[0].lr(), 1e-3);
  EXPECT_EQ(adam.param_groups()[0].pair("betas"), (std::pair<double, double>{0.9, 0.999}));
  optim::AdamW adamw({p});
  EXPECT_EQ(adamw.param_groups()[0].num("weight_decay"), 1e-2);
  optim::RMSprop rms({p}, {.momentum = 0.9, .centered = true});
  EXPECT_EQ(keys(rms), (V{"step", "square_avg", "momentum_buffer", "grad_avg"}));
  EXPECT_EQ(rms.param_groups()[0].options.keys(),
            (V{"lr", "momentum", "alpha", "eps", "centered", "weight_decay", "maximize"}));
  optim::Adagrad ada({p}, {.initial_accumulator_value = 0.25});
  EXPECT_TRUE(allclose(ada.state(p)["sum"], full({2}, 0.25)));  // created by the constructor
  EXPECT_EQ(keys(ada), (V{"step", "sum"}));
  optim::Adadelta adadelta({p});
  EXPECT_EQ(keys(adadelta), (V{"step", "square_avg", "acc_delta"}));
  EXPECT_EQ(adadelta.param_groups()[0].lr(), 1.0);
  optim::Adamax adamax({p});
  EXPECT_EQ(keys(adamax), (V{"step", "exp_avg", "exp_inf"}));
  optim::NAdam nadam({p});
  EXPECT_EQ(keys(nadam), (V{"step", "mu_product", "exp_avg", "exp_avg_sq"}));
  EXPECT_EQ(nadam.state(p)["mu_product"].dtype(), kFloat32);
  EXPECT_EQ(nadam.param_groups()[0].num("momentum_decay"), 4e-3);
  optim::RAdam radam({p});
  EXPECT_EQ(keys(radam), (V{"step", "exp_avg", "exp_avg_sq"}));
  EXPECT_EQ(radam.state(p)["step"].item<double>(), 1.0);
  nn::StateDict flat = radam.state_dict().flatten();
  EXPECT_EQ(flat["state.0.step"].dtype(), kFloat64);
  EXPECT_EQ(flat["state.0.step"].dim(), 0);
  radam.load_state_dict(optim::OptimizerStateDict::unflatten(flat));
  EXPECT_EQ(radam.state(p)["step"].dtype(), kFloat32);
}

TEST(OptimAdaptive, InvalidOptions) {
  Tensor p = ones({2}, {.requires_grad = true});
  using namespace optim;
  expect_error([&] { Adam({p}, {.lr = -0.1}); }, "Invalid learning rate: -0.1");
  expect_error([&] { Adam({p}, {.eps = -1.0}); }, "Invalid epsilon value: -1.0");
  expect_error([&] { Adam({p}, {.betas = {1.0, 0.999}}); }, "Invalid beta parameter at index 0: 1.0");
  expect_error([&] { AdamW({p}, {.betas = {0.9, -0.5}}); }, "Invalid beta parameter at index 1: -0.5");
  expect_error([&] { AdamW({p}, {.weight_decay = -0.01}); }, "Invalid weight_decay value: -0.01");
  expect_error([&] { RMSprop({p}, {.alpha = -0.9}); }, "Invalid alpha value: -0.9");
  expect_error([&] { RMSprop({p}, {.momentum = -0.9}); }, "Invalid momentum value: -0.9");
  expect_error([&] { Adagrad({p}, {.lr_decay = -1.0}); }, "Invalid lr_decay value: -1.0");
  expect_error([&] { Adagrad({p}, {.initial_accumulator_value = -1.0}); },
               "Invalid initial_accumulator_value value: -1.0");
  expect_error([&] { Adadelta({p}, {.rho = 1.5}); }, "Invalid rho value: 1.5");
  expect_error([&] { Adamax({p}, {.eps = -1e-08}); }, "Invalid epsilon value: -1e-08");
  expect_error([&] { NAdam({p}, {.momentum_decay = -0.1}); }, "Invalid momentum_decay value: -0.1");
  expect_error([&] { RAdam({p}, {.betas = {0.9, 1.0}}); }, "Invalid beta parameter at index 1: 1.0");
}

TEST(OptimAdaptive, RejectsIntegerParametersAndMismatchedGrads) {
  Tensor i = ones({2}, {.dtype = kInt64});
  expect_error([&] { optim::Adam({i}); }, "expected floating-point parameters");
  Tensor p = ones({2}, {.requires_grad = true});
  optim::Adam opt({p});
  p.set_grad(ones({2}, {.dtype = kFloat64}));
  expect_error([&] { opt.step(); }, "a gradient does not match its parameter");
}

}  // namespace
}  // namespace wick

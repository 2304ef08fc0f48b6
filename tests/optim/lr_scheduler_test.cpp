// LR schedulers: lr sequences of two param groups over 30 steps against PyTorch 1.13, OneCycleLR's
// momentum/beta1 cycling, ReduceLROnPlateau on a fixed metric sequence, state_dict round trips
// (also through the flat form) and argument errors.
#include <gtest/gtest.h>

#include <cmath>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::expect_error;
using testing::Golden;
using Sched = std::shared_ptr<optim::LRScheduler>;

constexpr int kSteps = 30;

// Two groups, lr 0.1 and 0.02, as tools/goldens/optim_schedulers.py.
struct Fixture {
  Tensor a = zeros({2}, {.requires_grad = true});
  Tensor b = zeros({3}, {.requires_grad = true});
  std::unique_ptr<optim::Optimizer> opt;
  explicit Fixture(bool adam = false) {
    std::vector<optim::ParamGroup> groups{{{a}}, {{b}, {{"lr", 0.02}}}};
    if (adam) opt = std::make_unique<optim::Adam>(groups, optim::AdamOptions{.lr = 0.1});
    else opt = std::make_unique<optim::SGD>(groups, optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
  }
};

Tensor rows_tensor(const std::vector<std::vector<double>>& rows) {
  std::vector<Tensor> t;
  for (const auto& r : rows) t.push_back(tensor(r, {.dtype = kFloat64}));
  return stack(t);
}

Tensor lr_sequence(optim::LRScheduler& s, int steps = kSteps) {
  std::vector<std::vector<double>> rows{s.get_last_lr()};
  for (int i = 0; i < steps; ++i) {
    s.optimizer().step();
    s.step();
    rows.push_back(s.get_last_lr());
  }
  return rows_tensor(rows);
}

std::vector<std::pair<std::string, std::function<Sched(optim::Optimizer&)>>> cases() {
  using namespace optim;
  return {
      {"step", [](Optimizer& o) { return std::make_shared<StepLR>(o, 7, StepLROptions{.gamma = 0.5}); }},
      {"multistep",
       [](Optimizer& o) { return std::make_shared<MultiStepLR>(o, std::vector<int64_t>{3, 8, 8, 20}, MultiStepLROptions{.gamma = 0.3}); }},
      {"exponential", [](Optimizer& o) { return std::make_shared<ExponentialLR>(o, 0.9); }},
      {"cosine", [](Optimizer& o) { return std::make_shared<CosineAnnealingLR>(o, 10, CosineAnnealingLROptions{.eta_min = 0.001}); }},
      {"cosine_default", [](Optimizer& o) { return std::make_shared<CosineAnnealingLR>(o, 7); }},
      {"warm_restarts",
       [](Optimizer& o) {
         return std::make_shared<CosineAnnealingWarmRestarts>(o, 4, CosineAnnealingWarmRestartsOptions{.T_mult = 2, .eta_min = 0.005});
       }},
      {"warm_restarts_1", [](Optimizer& o) { return std::make_shared<CosineAnnealingWarmRestarts>(o, 6); }},
      {"linear",
       [](Optimizer& o) {
         return std::make_shared<LinearLR>(o, LinearLROptions{.start_factor = 0.25, .end_factor = 0.75, .total_iters = 8});
       }},
      {"linear_default", [](Optimizer& o) { return std::make_shared<LinearLR>(o); }},
      {"constant", [](Optimizer& o) { return std::make_shared<ConstantLR>(o, ConstantLROptions{.factor = 0.5, .total_iters = 4}); }},
      {"lambda", [](Optimizer& o) { return std::make_shared<LambdaLR>(o, [](int64_t e) { return 1.0 / double(1 + e); }); }},
      {"lambda_per_group",
       [](Optimizer& o) {
         return std::make_shared<LambdaLR>(o, std::vector<LRLambda>{[](int64_t e) { return std::pow(0.95, double(e)); },
                                                                    [](int64_t e) { return 1.0 + 0.1 * double(e); }});
       }},
      {"multiplicative", [](Optimizer& o) { return std::make_shared<MultiplicativeLR>(o, [](int64_t) { return 0.9; }); }},
      {"sequential",
       [](Optimizer& o) {
         std::vector<Sched> s{std::make_shared<LinearLR>(o, LinearLROptions{.start_factor = 0.1, .total_iters = 5}),
                              std::make_shared<CosineAnnealingLR>(o, 12, CosineAnnealingLROptions{.eta_min = 0.001}),
                              std::make_shared<StepLR>(o, 3, StepLROptions{.gamma = 0.5})};
         return std::make_shared<SequentialLR>(o, s, std::vector<int64_t>{5, 17});
       }},
  };
}

TEST(OptimLRScheduler, SequencesMatchPyTorch) {
  Golden gold("optim_schedulers");
  for (const auto& [name, make] : cases()) {
    SCOPED_TRACE(name);
    Fixture st;
    Sched s = make(*st.opt);
    EXPECT_TENSOR_CLOSE(lr_sequence(*s), gold["lr_" + name], 1e-12, 1e-15);
  }
}

TEST(OptimLRScheduler, OneCycleMatchesPyTorch) {
  Golden gold("optim_schedulers");
  using O = optim::OneCycleLROptions;
  const std::vector<std::tuple<std::string, bool, optim::PerGroup, O>> cs = {
      {"onecycle", false, 1.0, O{.total_steps = kSteps}},
      {"onecycle_linear", false, {1.0, 0.5},
       O{.epochs = 5, .steps_per_epoch = 6, .pct_start = 0.4, .anneal_strategy = "linear", .div_factor = 10.0,
         .final_div_factor = 100.0}},
      {"onecycle_three_phase", false, 0.8,
       O{.total_steps = kSteps, .base_momentum = 0.8, .max_momentum = 0.9, .three_phase = true}},
      {"onecycle_adam", true, 0.01, O{.total_steps = kSteps + 5}},
      {"onecycle_no_momentum", false, 0.3, O{.total_steps = kSteps, .cycle_momentum = false}},
  };
  for (const auto& [name, adam, max_lr, o] : cs) {
    SCOPED_TRACE(name);
    Fixture st(adam);
    optim::OneCycleLR s(*st.opt, max_lr, o);
    auto momentum = [&] {
      std::vector<double> m;
      for (const auto& g : st.opt->param_groups()) m.push_back(adam ? g.pair("betas").first : g.num("momentum"));
      return m;
    };
    std::vector<std::vector<double>> lrs{s.get_last_lr()}, moms{momentum()};
    for (int i = 0; i < kSteps - 1; ++i) {
      st.opt->step();
      s.step();
      lrs.push_back(s.get_last_lr());
      moms.push_back(momentum());
    }
    EXPECT_TENSOR_CLOSE(rows_tensor(lrs), gold["lr_" + name], 1e-12, 1e-15);
    EXPECT_TENSOR_CLOSE(rows_tensor(moms), gold["mom_" + name], 1e-12, 1e-15);
  }
  Fixture st;
  optim::OneCycleLR s(*st.opt, 1.0, {.total_steps = 3});
  for (int i = 0; i < 3; ++i) s.step();
  expect_error([&] { s.step(); }, "Tried to step 5 times. The specified number of total steps is 3");
}

TEST(OptimLRScheduler, ReduceLROnPlateauMatchesPyTorch) {
  Golden gold("optim_schedulers");
  std::vector<double> metrics = gold["metrics_plateau"].tolist<double>();
  using O = optim::ReduceLROnPlateauOptions;
  const std::vector<std::pair<std::string, O>> cs = {
      {"plateau", O{.patience = 2}},
      {"plateau_max_abs", O{.mode = "max", .factor = 0.5, .patience = 1, .threshold = 0.01, .threshold_mode = "abs",
                            .cooldown = 2, .min_lr = {0.01, 0.005}}},
      {"plateau_min_lr", O{.factor = 0.2, .patience = 0, .cooldown = 1, .min_lr = 0.0009, .eps = 1e-4}},
  };
  for (const auto& [name, o] : cs) {
    SCOPED_TRACE(name);
    Fixture st;
    optim::ReduceLROnPlateau s(*st.opt, o);
    std::vector<std::vector<double>> rows{s.get_last_lr()};
    for (double m : metrics) {
      s.step(m);
      rows.push_back(s.get_last_lr());
    }
    EXPECT_TENSOR_CLOSE(rows_tensor(rows), gold["lr_" + name], 1e-12, 1e-15);
  }
}

TEST(OptimLRScheduler, StateDictResumesIdentically) {
  for (const auto& [name, make] : cases()) {
    SCOPED_TRACE(name);
    Fixture a, b;
    Sched sa = make(*a.opt);
    lr_sequence(*sa, 9);
    Sched sb = make(*b.opt);
    auto osd = optim::OptimizerStateDict::unflatten(a.opt->state_dict().flatten());
    auto ssd = optim::SchedulerStateDict::unflatten(sa->state_dict().flatten());
    b.opt->load_state_dict(osd);
    sb->load_state_dict(ssd);
    EXPECT_EQ(sb->last_epoch(), 9);
    EXPECT_EQ(sb->get_last_lr(), sa->get_last_lr());
    EXPECT_TRUE(equal(lr_sequence(*sa, 15), lr_sequence(*sb, 15)));
  }
  Fixture a, b;
  optim::ReduceLROnPlateau pa(*a.opt, {.patience = 1}), pb(*b.opt, {.patience = 1});
  for (double m : {1.0, 0.5, 0.6}) pa.step(m);
  b.opt->load_state_dict(a.opt->state_dict());
  pb.load_state_dict(optim::SchedulerStateDict::unflatten(pa.state_dict().flatten()));
  EXPECT_EQ(pb.best(), 0.5);
  EXPECT_EQ(pb.num_bad_epochs(), 1);
  pa.step(0.7);
  pb.step(0.7);
  EXPECT_EQ(pa.get_last_lr(), pb.get_last_lr());
  EXPECT_NEAR(pb.get_last_lr()[0], 0.01, 1e-15);
}

TEST(OptimLRScheduler, FlatStateKeys) {
  Fixture st;
  optim::StepLR s(*st.opt, 3);
  nn::StateDict flat = s.state_dict().flatten();
  EXPECT_EQ(flat.keys(), (std::vector<std::string>{"base_lrs", "last_epoch", "_step_count", "_last_lr", "step_size", "gamma"}));
  EXPECT_EQ(flat["last_epoch"].dim(), 0);
  EXPECT_EQ(flat["base_lrs"].dtype(), kFloat64);
  EXPECT_EQ(flat["base_lrs"].tolist<double>(), (std::vector<double>{0.1, 0.02}));
  // The scheduler records initial_lr in each group, and the optimizer's flat state keeps it.
  EXPECT_TRUE(st.opt->state_dict().flatten().contains("param_groups.1.initial_lr"));
}

TEST(OptimLRScheduler, InvalidArguments) {
  using namespace optim;
  Fixture st;
  expect_error([&] { LinearLR(*st.opt, {.start_factor = 1.5}); },
               "Starting multiplicative factor expected to be between 0 and 1.");
  expect_error([&] { LinearLR(*st.opt, {.end_factor = -1}); }, "Ending multiplicative factor expected to be between 0 and 1.");
  expect_error([&] { ConstantLR(*st.opt, {.factor = 2}); }, "Constant multiplicative factor expected to be between 0 and 1.");
  expect_error([&] { CosineAnnealingWarmRestarts(*st.opt, 0); }, "Expected positive integer T_0, but got 0");
  expect_error([&] { CosineAnnealingWarmRestarts(*st.opt, 3, {.T_mult = 0}); }, "Expected integer T_mult >= 1, but got 0");
  expect_error([&] { OneCycleLR(*st.opt, 1.0, {}); }, "You must define either total_steps OR (epochs AND steps_per_epoch)");
  expect_error([&] { OneCycleLR(*st.opt, 1.0, {.total_steps = 0}); }, "Expected positive integer total_steps, but got 0");
  expect_error([&] { OneCycleLR(*st.opt, 1.0, {.total_steps = 10, .pct_start = 1.5}); },
               "Expected float between 0 and 1 pct_start, but got 1.5");
  expect_error([&] { OneCycleLR(*st.opt, 1.0, {.total_steps = 10, .anneal_strategy = "exp"}); },
               "anneal_strategy must by one of 'cos' or 'linear', instead got exp");
  expect_error([&] { OneCycleLR(*st.opt, {1.0, 2.0, 3.0}, {.total_steps = 10}); }, "expected 2 values for max_lr, got 3");
  Tensor p = zeros({2}, {.requires_grad = true});
  Adagrad ada({p});
  expect_error([&] { OneCycleLR(ada, 1.0, {.total_steps = 10}); },
               "optimizer must support momentum with `cycle_momentum` option enabled");
  expect_error([&] { ReduceLROnPlateau(*st.opt, {.factor = 1.0}); }, "Factor should be < 1.0.");
  expect_error([&] { ReduceLROnPlateau(*st.opt, {.mode = "avg"}); }, "mode avg is unknown!");
  expect_error([&] { ReduceLROnPlateau(*st.opt, {.threshold_mode = "x"}); }, "threshold mode x is unknown!");
  expect_error([&] { ReduceLROnPlateau(*st.opt, {.min_lr = {0.1, 0.2, 0.3}}); }, "expected 2 min_lrs, got 3");
  Fixture other;
  auto s1 = std::make_shared<StepLR>(*st.opt, 2);
  auto s2 = std::make_shared<StepLR>(*other.opt, 2);
  expect_error([&] { SequentialLR(*st.opt, {s1, s2}, {3}); }, "to be different than the optimizer passed in");
  expect_error([&] { SequentialLR(*st.opt, {s1}, {3}); },
               "number of schedulers provided to be one more than the number of milestone points");
}

}  // namespace
}  // namespace wick

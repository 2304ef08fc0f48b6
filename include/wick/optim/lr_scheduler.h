// Learning-rate schedulers, as torch.optim.lr_scheduler in PyTorch 1.13: each step() sets the lr of
// every param group of the optimizer it wraps (chainable forms, so schedulers compose as in Python).
// state_dict holds the numbers PyTorch saves (last_epoch, _step_count, base_lrs, _last_lr, settings);
// callables (LambdaLR's functions) and strings are not saved. Resume with load_state_dict, not last_epoch.
#pragma once

#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wick/optim/optimizer.h"

namespace wick::optim {

// One value for every param group, or one per group: .min_lr = 0.001 or .min_lr = {0.01, 0.001}.
struct PerGroup {
  std::vector<double> values;
  PerGroup(double v) : values{v} {}                                 // NOLINT
  PerGroup(std::initializer_list<double> v) : values(v) {}          // NOLINT
  PerGroup(std::vector<double> v) : values(std::move(v)) {}         // NOLINT
  std::vector<double> expand(size_t groups, const char* name) const;
};

// A scheduler's state: names -> a number (0-dim in the flat form) or a list (1-d).
using SchedulerValue = std::variant<double, std::vector<double>>;
struct SchedulerStateDict {
  nn::OrderedDict<SchedulerValue> values;
  nn::StateDict flatten() const;  // float64 tensors under the same names
  static SchedulerStateDict unflatten(const nn::StateDict& flat);
};

// The shared part: the optimizer, last_lr and the registry of saved fields.
class SchedulerBase {
 public:
  virtual ~SchedulerBase() = default;
  SchedulerBase(const SchedulerBase&) = delete;
  SchedulerBase& operator=(const SchedulerBase&) = delete;

  std::vector<double> get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  Optimizer& optimizer() const { return *optimizer_; }
  virtual SchedulerStateDict state_dict() const;
  virtual void load_state_dict(const SchedulerStateDict& state);

 protected:
  explicit SchedulerBase(Optimizer& optimizer) : optimizer_(&optimizer) {}
  // Registers a member saved by state_dict under PyTorch's attribute name.
  void save_field(const std::string& name, double* v) { fields_.push_back({name, v}); }
  void save_field(const std::string& name, int64_t* v) { fields_.push_back({name, v}); }
  void save_field(const std::string& name, std::vector<double>* v) { fields_.push_back({name, v}); }
  std::vector<double> group_lrs() const;
  void set_lrs(const std::vector<double>& lrs);

  Optimizer* optimizer_;
  int64_t last_epoch_ = -1;
  std::vector<double> last_lr_;

 private:
  struct Field {
    std::string name;
    std::variant<double*, int64_t*, std::vector<double>*> ptr;
  };
  std::vector<Field> fields_;
};

// Epoch-based schedulers (PyTorch's _LRScheduler). Constructing one performs the initial step.
class LRScheduler : public SchedulerBase {
 public:
  virtual void step();
  const std::vector<double>& base_lrs() const { return base_lrs_; }

 protected:
  explicit LRScheduler(Optimizer& optimizer);
  // Each constructor ends with this: it performs the first step (the base cannot call get_lr).
  void initial_step();
  // The chainable form: the next lrs from the groups' current ones.
  virtual std::vector<double> get_lr() = 0;
  // The closed form at last_epoch, where one exists (used by SequentialLR at milestones).
  virtual std::optional<std::vector<double>> closed_form_lr() { return std::nullopt; }
  // step(epoch) of PyTorch: jump to an epoch (closed form when there is one).
  void step_to(int64_t epoch);
  friend class SequentialLR;

  std::vector<double> base_lrs_;
  int64_t step_count_ = 0;
};

struct StepLROptions {
  double gamma = 0.1;
};
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, StepLROptions options = {});

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  int64_t step_size_;
  double gamma_;
};

struct MultiStepLROptions {
  double gamma = 0.1;
};
class MultiStepLR : public LRScheduler {
 public:
  // A milestone listed twice multiplies by gamma twice there, as PyTorch's Counter.
  MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, MultiStepLROptions options = {});

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  std::vector<int64_t> milestones_;  // sorted
  double gamma_;
};

class ExponentialLR : public LRScheduler {
 public:
  ExponentialLR(Optimizer& optimizer, double gamma);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  double gamma_;
};

struct CosineAnnealingLROptions {
  double eta_min = 0;
};
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, CosineAnnealingLROptions options = {});

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  double T_max_, eta_min_;
};

struct CosineAnnealingWarmRestartsOptions {
  int64_t T_mult = 1;
  double eta_min = 0;
};
class CosineAnnealingWarmRestarts : public LRScheduler {
 public:
  CosineAnnealingWarmRestarts(Optimizer& optimizer, int64_t T_0, CosineAnnealingWarmRestartsOptions options = {});
  void step() override;
  // A fractional epoch, e.g. step(epoch + i / iters) every batch.
  void step(double epoch);

 protected:
  std::vector<double> get_lr() override;
  double T_0_, T_i_, T_mult_, eta_min_, T_cur_;
};

struct LinearLROptions {
  double start_factor = 1.0 / 3;
  double end_factor = 1.0;
  int64_t total_iters = 5;
};
class LinearLR : public LRScheduler {
 public:
  explicit LinearLR(Optimizer& optimizer, LinearLROptions options = {});

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  double start_factor_, end_factor_;
  int64_t total_iters_;
};

struct ConstantLROptions {
  double factor = 1.0 / 3;
  int64_t total_iters = 5;
};
class ConstantLR : public LRScheduler {
 public:
  explicit ConstantLR(Optimizer& optimizer, ConstantLROptions options = {});

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  double factor_;
  int64_t total_iters_;
};

using LRLambda = std::function<double(int64_t epoch)>;

// lr = base_lr * lambda(epoch); one function for all groups or one per group.
class LambdaLR : public LRScheduler {
 public:
  LambdaLR(Optimizer& optimizer, LRLambda lr_lambda);
  LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas);

 protected:
  LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas, bool first_step);
  std::vector<double> get_lr() override;
  std::vector<LRLambda> lambdas_;
};

// lr *= lambda(epoch) at each step after the first.
class MultiplicativeLR : public LambdaLR {
 public:
  MultiplicativeLR(Optimizer& optimizer, LRLambda lr_lambda);
  MultiplicativeLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas);

 protected:
  std::vector<double> get_lr() override;
};

// Runs schedulers one after another, switching at the milestones (epochs).
class SequentialLR : public LRScheduler {
 public:
  SequentialLR(Optimizer& optimizer, std::vector<std::shared_ptr<LRScheduler>> schedulers,
               std::vector<int64_t> milestones);
  void step() override;
  // Its own fields plus each scheduler's under "_schedulers.<i>.".
  SchedulerStateDict state_dict() const override;
  void load_state_dict(const SchedulerStateDict& state) override;

 protected:
  std::vector<double> get_lr() override { return group_lrs(); }
  std::vector<std::shared_ptr<LRScheduler>> schedulers_;
  std::vector<int64_t> milestones_;
};

struct OneCycleLROptions {
  std::optional<int64_t> total_steps = std::nullopt;  // or epochs * steps_per_epoch
  std::optional<int64_t> epochs = std::nullopt;
  std::optional<int64_t> steps_per_epoch = std::nullopt;
  double pct_start = 0.3;
  std::string anneal_strategy = "cos";  // or "linear"
  bool cycle_momentum = true;           // SGD's momentum, or beta1 of optimizers with betas
  double base_momentum = 0.85;
  double max_momentum = 0.95;
  double div_factor = 25.;
  double final_div_factor = 1e4;
  bool three_phase = false;
};
class OneCycleLR : public LRScheduler {
 public:
  OneCycleLR(Optimizer& optimizer, PerGroup max_lr, OneCycleLROptions options);

 protected:
  std::vector<double> get_lr() override;
  struct Phase {
    double end_step;
    const char *start_lr, *end_lr, *start_momentum, *end_momentum;
  };
  std::vector<Phase> phases_;
  int64_t total_steps_;
  bool linear_, cycle_momentum_, use_beta1_ = false;
};

struct ReduceLROnPlateauOptions {
  std::string mode = "min";  // or "max"
  double factor = 0.1;
  int64_t patience = 10;
  double threshold = 1e-4;
  std::string threshold_mode = "rel";  // or "abs"
  int64_t cooldown = 0;
  PerGroup min_lr = 0.0;
  double eps = 1e-8;
};
// Lowers the lrs by factor when a metric stops improving for patience epochs.
class ReduceLROnPlateau : public SchedulerBase {
 public:
  explicit ReduceLROnPlateau(Optimizer& optimizer, ReduceLROnPlateauOptions options = {});
  void step(double metric);
  void step(const Tensor& metric) { step(metric.item<double>()); }
  int64_t num_bad_epochs() const { return num_bad_epochs_; }
  double best() const { return best_; }

 private:
  bool is_better(double a, double best) const;
  ReduceLROnPlateauOptions options_;
  std::vector<double> min_lrs_;
  double best_;
  int64_t num_bad_epochs_ = 0, cooldown_counter_ = 0;
};

}  // namespace wick::optim

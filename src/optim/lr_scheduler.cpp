// The scheduler base (initial lrs, step counting, saved fields) and the epoch-based schedulers with
// a simple rule: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR(WarmRestarts), LinearLR,
// ConstantLR, LambdaLR, MultiplicativeLR. SequentialLR, OneCycleLR and ReduceLROnPlateau are in
// lr_scheduler_cycle.cpp.
#include "wick/optim/lr_scheduler.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wick::optim {

using std::numbers::pi;

std::vector<double> PerGroup::expand(size_t groups, const char* name) const {
  if (values.size() == 1) return std::vector<double>(groups, values[0]);
  WICK_CHECK(values.size() == groups, "expected ", groups, " values for ", name, ", got ", values.size());
  return values;
}

// ---- SchedulerBase ----
std::vector<double> SchedulerBase::group_lrs() const {
  std::vector<double> lrs;
  for (const auto& g : optimizer_->param_groups()) lrs.push_back(g.lr());
  return lrs;
}

void SchedulerBase::set_lrs(const std::vector<double>& lrs) {
  auto& groups = optimizer_->param_groups();
  for (size_t i = 0; i < groups.size() && i < lrs.size(); ++i) groups[i]["lr"] = lrs[i];
  last_lr_ = group_lrs();
}

SchedulerStateDict SchedulerBase::state_dict() const {
  SchedulerStateDict sd;
  for (const auto& f : fields_) {
    std::visit(
        [&](auto* p) {
          using P = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<P, std::vector<double>>) sd.values.insert(f.name, *p);
          else sd.values.insert(f.name, static_cast<double>(*p));
        },
        f.ptr);
  }
  return sd;
}

void SchedulerBase::load_state_dict(const SchedulerStateDict& sd) {
  for (const auto& f : fields_) {
    const SchedulerValue* v = sd.values.find(f.name);
    WICK_CHECK(v != nullptr, "scheduler load_state_dict: missing '", f.name, "'");
    std::visit(
        [&](auto* p) {
          using P = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<P, std::vector<double>>) {
            const auto* list = std::get_if<std::vector<double>>(v);
            WICK_CHECK(list != nullptr, "scheduler load_state_dict: '", f.name, "' must be a list");
            *p = *list;
          } else {
            const double* x = std::get_if<double>(v);
            WICK_CHECK(x != nullptr, "scheduler load_state_dict: '", f.name, "' must be a number");
            *p = static_cast<P>(*x);
          }
        },
        f.ptr);
  }
}

// ---- LRScheduler ----
LRScheduler::LRScheduler(Optimizer& optimizer) : SchedulerBase(optimizer) {
  for (auto& g : optimizer.param_groups()) {
    if (!g.has("initial_lr")) g.options.insert("initial_lr", g.lr());
    base_lrs_.push_back(g.num("initial_lr"));
  }
  save_field("base_lrs", &base_lrs_);
  save_field("last_epoch", &last_epoch_);
  save_field("_step_count", &step_count_);
  save_field("_last_lr", &last_lr_);
}

void LRScheduler::initial_step() {
  step_count_ = 0;
  step();
}

void LRScheduler::step() {
  ++step_count_;
  ++last_epoch_;
  set_lrs(get_lr());
}

void LRScheduler::step_to(int64_t epoch) {
  ++step_count_;
  last_epoch_ = epoch;
  auto closed = closed_form_lr();
  set_lrs(closed ? *closed : get_lr());
}

namespace {
// Every group's lr times f (or unchanged when f is 1), as the chainable forms write it.
std::vector<double> scaled(const std::vector<double>& lrs, double f) {
  std::vector<double> out;
  for (double lr : lrs) out.push_back(lr * f);
  return out;
}
}  // namespace

// ---- StepLR ----
StepLR::StepLR(Optimizer& optimizer, int64_t step_size, StepLROptions o)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(o.gamma) {
  WICK_CHECK(step_size > 0, "StepLR: expected a positive step_size, got ", step_size);
  save_field("step_size", &step_size_);
  save_field("gamma", &gamma_);
  initial_step();
}
std::vector<double> StepLR::get_lr() {
  if (last_epoch_ == 0 || last_epoch_ % step_size_ != 0) return group_lrs();
  return scaled(group_lrs(), gamma_);
}
std::optional<std::vector<double>> StepLR::closed_form_lr() {
  return scaled(base_lrs_, std::pow(gamma_, static_cast<double>(last_epoch_ / step_size_)));
}

// ---- MultiStepLR ----
MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, MultiStepLROptions o)
    : LRScheduler(optimizer), milestones_(std::move(milestones)), gamma_(o.gamma) {
  std::sort(milestones_.begin(), milestones_.end());
  save_field("gamma", &gamma_);
  initial_step();
}
std::vector<double> MultiStepLR::get_lr() {
  auto hits = std::count(milestones_.begin(), milestones_.end(), last_epoch_);
  if (hits == 0) return group_lrs();
  return scaled(group_lrs(), std::pow(gamma_, static_cast<double>(hits)));
}
std::optional<std::vector<double>> MultiStepLR::closed_form_lr() {
  auto passed = std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin();
  return scaled(base_lrs_, std::pow(gamma_, static_cast<double>(passed)));
}

// ---- ExponentialLR ----
ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma) : LRScheduler(optimizer), gamma_(gamma) {
  save_field("gamma", &gamma_);
  initial_step();
}
std::vector<double> ExponentialLR::get_lr() {
  return last_epoch_ == 0 ? group_lrs() : scaled(group_lrs(), gamma_);
}
std::optional<std::vector<double>> ExponentialLR::closed_form_lr() {
  return scaled(base_lrs_, std::pow(gamma_, static_cast<double>(last_epoch_)));
}

// ---- CosineAnnealingLR ----
CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, CosineAnnealingLROptions o)
    : LRScheduler(optimizer), T_max_(static_cast<double>(T_max)), eta_min_(o.eta_min) {
  WICK_CHECK(T_max > 0, "CosineAnnealingLR: expected a positive T_max, got ", T_max);
  save_field("T_max", &T_max_);
  save_field("eta_min", &eta_min_);
  initial_step();
}
std::vector<double> CosineAnnealingLR::get_lr() {
  const double e = static_cast<double>(last_epoch_);
  std::vector<double> lrs = group_lrs(), out;
  if (last_epoch_ == 0) return lrs;
  const int64_t period = 2 * static_cast<int64_t>(T_max_);
  for (size_t i = 0; i < lrs.size(); ++i) {
    if (step_count_ == 1 && last_epoch_ > 0) {
      out.push_back(eta_min_ + (base_lrs_[i] - eta_min_) * (1 + std::cos(e * pi / T_max_)) / 2);
    } else if (((last_epoch_ - 1 - static_cast<int64_t>(T_max_)) % period + period) % period == 0) {
      out.push_back(lrs[i] + (base_lrs_[i] - eta_min_) * (1 - std::cos(pi / T_max_)) / 2);
    } else {
      out.push_back((1 + std::cos(pi * e / T_max_)) / (1 + std::cos(pi * (e - 1) / T_max_)) * (lrs[i] - eta_min_) +
                    eta_min_);
    }
  }
  return out;
}
std::optional<std::vector<double>> CosineAnnealingLR::closed_form_lr() {
  std::vector<double> out;
  for (double b : base_lrs_)
    out.push_back(eta_min_ + (b - eta_min_) * (1 + std::cos(pi * static_cast<double>(last_epoch_) / T_max_)) / 2);
  return out;
}

// ---- CosineAnnealingWarmRestarts ----
CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(Optimizer& optimizer, int64_t T_0,
                                                         CosineAnnealingWarmRestartsOptions o)
    : LRScheduler(optimizer), T_0_(static_cast<double>(T_0)), T_i_(static_cast<double>(T_0)),
      T_mult_(static_cast<double>(o.T_mult)), eta_min_(o.eta_min), T_cur_(-1) {
  WICK_CHECK(T_0 > 0, "Expected positive integer T_0, but got ", T_0);
  WICK_CHECK(o.T_mult >= 1, "Expected integer T_mult >= 1, but got ", o.T_mult);
  save_field("T_0", &T_0_);
  save_field("T_i", &T_i_);
  save_field("T_mult", &T_mult_);
  save_field("eta_min", &eta_min_);
  save_field("T_cur", &T_cur_);
  initial_step();
}
std::vector<double> CosineAnnealingWarmRestarts::get_lr() {
  std::vector<double> out;
  for (double b : base_lrs_) out.push_back(eta_min_ + (b - eta_min_) * (1 + std::cos(pi * T_cur_ / T_i_)) / 2);
  return out;
}
void CosineAnnealingWarmRestarts::step() {
  // As PyTorch's override, this step leaves _step_count alone.
  if (last_epoch_ < 0) return step(0.0);
  ++last_epoch_;
  T_cur_ += 1;
  if (T_cur_ >= T_i_) {
    T_cur_ -= T_i_;
    T_i_ *= T_mult_;
  }
  set_lrs(get_lr());
}
void CosineAnnealingWarmRestarts::step(double epoch) {
  WICK_CHECK(epoch >= 0, "Expected non-negative epoch, but got ", epoch);
  if (epoch >= T_0_) {
    if (T_mult_ == 1) {
      T_cur_ = std::fmod(epoch, T_0_);
    } else {
      const double n = std::floor(std::log(epoch / T_0_ * (T_mult_ - 1) + 1) / std::log(T_mult_));
      T_cur_ = epoch - T_0_ * (std::pow(T_mult_, n) - 1) / (T_mult_ - 1);
      T_i_ = T_0_ * std::pow(T_mult_, n);
    }
  } else {
    T_i_ = T_0_;
    T_cur_ = epoch;
  }
  last_epoch_ = static_cast<int64_t>(std::floor(epoch));
  set_lrs(get_lr());
}

// ---- LinearLR ----
LinearLR::LinearLR(Optimizer& optimizer, LinearLROptions o)
    : LRScheduler(optimizer), start_factor_(o.start_factor), end_factor_(o.end_factor), total_iters_(o.total_iters) {
  WICK_CHECK(0 <= o.start_factor && o.start_factor <= 1.0,
             "Starting multiplicative factor expected to be between 0 and 1.");
  WICK_CHECK(0 <= o.end_factor && o.end_factor <= 1.0, "Ending multiplicative factor expected to be between 0 and 1.");
  save_field("start_factor", &start_factor_);
  save_field("end_factor", &end_factor_);
  save_field("total_iters", &total_iters_);
  initial_step();
}
std::vector<double> LinearLR::get_lr() {
  if (last_epoch_ == 0) return scaled(group_lrs(), start_factor_);
  if (last_epoch_ > total_iters_) return group_lrs();
  const double d = end_factor_ - start_factor_;
  return scaled(group_lrs(), 1. + d / (static_cast<double>(total_iters_) * start_factor_ +
                                       static_cast<double>(last_epoch_ - 1) * d));
}
std::optional<std::vector<double>> LinearLR::closed_form_lr() {
  const double t = static_cast<double>(std::min(total_iters_, last_epoch_));
  return scaled(base_lrs_, start_factor_ + (end_factor_ - start_factor_) * t / static_cast<double>(total_iters_));
}

// ---- ConstantLR ----
ConstantLR::ConstantLR(Optimizer& optimizer, ConstantLROptions o)
    : LRScheduler(optimizer), factor_(o.factor), total_iters_(o.total_iters) {
  WICK_CHECK(0 <= o.factor && o.factor <= 1.0, "Constant multiplicative factor expected to be between 0 and 1.");
  save_field("factor", &factor_);
  save_field("total_iters", &total_iters_);
  initial_step();
}
std::vector<double> ConstantLR::get_lr() {
  if (last_epoch_ == 0) return scaled(group_lrs(), factor_);
  if (last_epoch_ != total_iters_) return group_lrs();
  return scaled(group_lrs(), 1.0 / factor_);
}
std::optional<std::vector<double>> ConstantLR::closed_form_lr() {
  return scaled(base_lrs_, factor_ + (last_epoch_ >= total_iters_ ? 1 - factor_ : 0.0));
}

// ---- LambdaLR, MultiplicativeLR ----
LambdaLR::LambdaLR(Optimizer& optimizer, LRLambda lr_lambda)
    : LambdaLR(optimizer, std::vector<LRLambda>(optimizer.param_groups().size(), lr_lambda), true) {}
LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas) : LambdaLR(optimizer, std::move(lr_lambdas), true) {}
LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas, bool first_step)
    : LRScheduler(optimizer), lambdas_(std::move(lr_lambdas)) {
  WICK_CHECK(lambdas_.size() == optimizer.param_groups().size(), "Expected ", optimizer.param_groups().size(),
             " lr_lambdas, but got ", lambdas_.size());
  if (first_step) initial_step();
}
MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, LRLambda lr_lambda)
    : LambdaLR(optimizer, std::vector<LRLambda>(optimizer.param_groups().size(), lr_lambda), false) {
  initial_step();
}
MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas)
    : LambdaLR(optimizer, std::move(lr_lambdas), false) {
  initial_step();
}
std::vector<double> LambdaLR::get_lr() {
  std::vector<double> out;
  for (size_t i = 0; i < base_lrs_.size(); ++i) out.push_back(base_lrs_[i] * lambdas_[i](last_epoch_));
  return out;
}
std::vector<double> MultiplicativeLR::get_lr() {
  std::vector<double> lrs = group_lrs();
  if (last_epoch_ > 0)
    for (size_t i = 0; i < lrs.size(); ++i) lrs[i] *= lambdas_[i](last_epoch_);
  return lrs;
}

}  // namespace wick::optim

// SequentialLR, OneCycleLR and ReduceLROnPlateau (the schedulers that switch phases or react to a
// metric), and the flat form of scheduler state. The simple epoch rules are in lr_scheduler.cpp.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "wick/ops/creation.h"
#include "wick/optim/lr_scheduler.h"

namespace wick::optim {

// ---- SchedulerStateDict ----
nn::StateDict SchedulerStateDict::flatten() const {
  nn::StateDict flat;
  for (const auto& [k, v] : values) {
    if (const double* d = std::get_if<double>(&v)) flat.insert(k, scalar_tensor(*d, {.dtype = kFloat64}));
    else flat.insert(k, tensor(std::get<std::vector<double>>(v), {.dtype = kFloat64}));
  }
  return flat;
}

SchedulerStateDict SchedulerStateDict::unflatten(const nn::StateDict& flat) {
  SchedulerStateDict sd;
  for (const auto& [k, t] : flat) {
    WICK_CHECK(t.dim() <= 1, "SchedulerStateDict.unflatten: '", k, "' must be 0-dim or 1-d, got ", shape_str(t.sizes()));
    if (t.dim() == 0) sd.values.insert(k, t.item<double>());
    else sd.values.insert(k, t.tolist<double>());
  }
  return sd;
}

// ---- SequentialLR ----
SequentialLR::SequentialLR(Optimizer& optimizer, std::vector<std::shared_ptr<LRScheduler>> schedulers,
                           std::vector<int64_t> milestones)
    : LRScheduler(optimizer), schedulers_(std::move(schedulers)), milestones_(std::move(milestones)) {
  WICK_CHECK(!schedulers_.empty(), "SequentialLR: expected at least one scheduler");
  for (size_t i = 0; i < schedulers_.size(); ++i) {
    WICK_CHECK(&schedulers_[i]->optimizer() == &optimizer,
               "Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at "
               "index ", i, " to be different than the optimizer passed in.");
  }
  WICK_CHECK(milestones_.size() + 1 == schedulers_.size(),
             "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone "
             "points, but got number of schedulers ", schedulers_.size(), " and the number of milestones to be equal to ",
             milestones_.size());
  last_epoch_ = 0;
  // Undo the schedulers' own first steps, then let only the first one step.
  for (auto& g : optimizer.param_groups()) g["lr"] = g.num("initial_lr");
  for (auto& s : schedulers_) s->last_epoch_ -= 1;
  schedulers_[0]->initial_step();
  last_lr_ = schedulers_[0]->get_last_lr();
}

void SequentialLR::step() {
  ++last_epoch_;
  const size_t idx = static_cast<size_t>(std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) -
                                         milestones_.begin());
  auto& s = schedulers_[idx];
  if (idx > 0 && milestones_[idx - 1] == last_epoch_) s->step_to(0);
  else s->step();
  last_lr_ = s->get_last_lr();
}

SchedulerStateDict SequentialLR::state_dict() const {
  SchedulerStateDict sd = LRScheduler::state_dict();
  for (size_t i = 0; i < schedulers_.size(); ++i)
    for (const auto& [k, v] : schedulers_[i]->state_dict().values)
      sd.values.insert("_schedulers." + std::to_string(i) + "." + k, v);
  return sd;
}

void SequentialLR::load_state_dict(const SchedulerStateDict& sd) {
  LRScheduler::load_state_dict(sd);
  for (size_t i = 0; i < schedulers_.size(); ++i) {
    const std::string prefix = "_schedulers." + std::to_string(i) + ".";
    SchedulerStateDict child;
    for (const auto& [k, v] : sd.values)
      if (k.rfind(prefix, 0) == 0) child.values.insert(k.substr(prefix.size()), v);
    schedulers_[i]->load_state_dict(child);
  }
}

// ---- OneCycleLR ----
OneCycleLR::OneCycleLR(Optimizer& optimizer, PerGroup max_lr, OneCycleLROptions o)
    : LRScheduler(optimizer), cycle_momentum_(o.cycle_momentum) {
  if (o.total_steps) {
    WICK_CHECK(*o.total_steps > 0, "Expected positive integer total_steps, but got ", *o.total_steps);
    total_steps_ = *o.total_steps;
  } else {
    WICK_CHECK(o.epochs && o.steps_per_epoch, "You must define either total_steps OR (epochs AND steps_per_epoch)");
    WICK_CHECK(*o.epochs > 0, "Expected positive integer epochs, but got ", *o.epochs);
    WICK_CHECK(*o.steps_per_epoch > 0, "Expected positive integer steps_per_epoch, but got ", *o.steps_per_epoch);
    total_steps_ = *o.epochs * *o.steps_per_epoch;
  }
  const double total = static_cast<double>(total_steps_);
  if (o.three_phase) {
    phases_ = {{o.pct_start * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
               {2 * o.pct_start * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"},
               {total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"}};
  } else {
    phases_ = {{o.pct_start * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
               {total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"}};
  }
  WICK_CHECK(0 <= o.pct_start && o.pct_start <= 1, "Expected float between 0 and 1 pct_start, but got ", o.pct_start);
  WICK_CHECK(o.anneal_strategy == "cos" || o.anneal_strategy == "linear",
             "anneal_strategy must by one of 'cos' or 'linear', instead got ", o.anneal_strategy);
  linear_ = o.anneal_strategy == "linear";
  auto& groups = optimizer.param_groups();
  const std::vector<double> max_lrs = max_lr.expand(groups.size(), "max_lr");
  base_lrs_.clear();
  for (size_t i = 0; i < groups.size(); ++i) {
    groups[i]["initial_lr"] = max_lrs[i] / o.div_factor;
    groups[i].options.insert("max_lr", max_lrs[i]);
    groups[i].options.insert("min_lr", groups[i].num("initial_lr") / o.final_div_factor);
    base_lrs_.push_back(groups[i].num("initial_lr"));
  }
  if (cycle_momentum_) {
    const auto& d = optimizer.defaults();
    WICK_CHECK(d.contains("momentum") || d.contains("betas"),
               "optimizer must support momentum with `cycle_momentum` option enabled");
    use_beta1_ = d.contains("betas");
    for (auto& g : groups) {
      if (use_beta1_) g["betas"] = std::pair<double, double>{o.max_momentum, g.pair("betas").second};
      else g["momentum"] = o.max_momentum;
      g.options.insert("max_momentum", o.max_momentum);
      g.options.insert("base_momentum", o.base_momentum);
    }
  }
  save_field("total_steps", &total_steps_);
  initial_step();
}

std::vector<double> OneCycleLR::get_lr() {
  WICK_CHECK(last_epoch_ <= total_steps_, "Tried to step ", last_epoch_ + 1,
             " times. The specified number of total steps is ", total_steps_);
  const double step = static_cast<double>(last_epoch_);
  auto anneal = [this](double start, double end, double pct) {
    if (linear_) return (end - start) * pct + start;
    return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1);
  };
  std::vector<double> lrs;
  for (auto& g : optimizer_->param_groups()) {
    double start_step = 0, lr = 0, momentum = 0;
    for (size_t i = 0; i < phases_.size(); ++i) {
      const Phase& ph = phases_[i];
      if (step <= ph.end_step || i + 1 == phases_.size()) {
        const double pct = (step - start_step) / (ph.end_step - start_step);
        lr = anneal(g.num(ph.start_lr), g.num(ph.end_lr), pct);
        if (cycle_momentum_) momentum = anneal(g.num(ph.start_momentum), g.num(ph.end_momentum), pct);
        break;
      }
      start_step = ph.end_step;
    }
    lrs.push_back(lr);
    if (cycle_momentum_) {
      if (use_beta1_) g["betas"] = std::pair<double, double>{momentum, g.pair("betas").second};
      else g["momentum"] = momentum;
    }
  }
  return lrs;
}

// ---- ReduceLROnPlateau ----
ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, ReduceLROnPlateauOptions o)
    : SchedulerBase(optimizer), options_(std::move(o)) {
  WICK_CHECK(options_.factor < 1.0, "Factor should be < 1.0.");
  const size_t groups = optimizer.param_groups().size();
  const auto& m = options_.min_lr.values;
  WICK_CHECK(m.size() == 1 || m.size() == groups, "expected ", groups, " min_lrs, got ", m.size());
  min_lrs_ = options_.min_lr.expand(groups, "min_lr");
  WICK_CHECK(options_.mode == "min" || options_.mode == "max", "mode ", options_.mode, " is unknown!");
  WICK_CHECK(options_.threshold_mode == "rel" || options_.threshold_mode == "abs", "threshold mode ",
             options_.threshold_mode, " is unknown!");
  const double inf = std::numeric_limits<double>::infinity();
  best_ = options_.mode == "min" ? inf : -inf;
  last_epoch_ = 0;
  last_lr_ = group_lrs();
  save_field("factor", &options_.factor);
  save_field("min_lrs", &min_lrs_);
  save_field("patience", &options_.patience);
  save_field("cooldown", &options_.cooldown);
  save_field("cooldown_counter", &cooldown_counter_);
  save_field("threshold", &options_.threshold);
  save_field("best", &best_);
  save_field("num_bad_epochs", &num_bad_epochs_);
  save_field("eps", &options_.eps);
  save_field("last_epoch", &last_epoch_);
  save_field("_last_lr", &last_lr_);
}

bool ReduceLROnPlateau::is_better(double a, double best) const {
  const bool rel = options_.threshold_mode == "rel";
  if (options_.mode == "min") return rel ? a < best * (1. - options_.threshold) : a < best - options_.threshold;
  return rel ? a > best * (options_.threshold + 1.) : a > best + options_.threshold;
}

void ReduceLROnPlateau::step(double metric) {
  ++last_epoch_;
  if (is_better(metric, best_)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;  // bad epochs in cooldown do not count
  }
  if (num_bad_epochs_ > options_.patience) {
    auto& groups = optimizer_->param_groups();
    for (size_t i = 0; i < groups.size(); ++i) {
      const double old_lr = groups[i].lr();
      const double new_lr = std::max(old_lr * options_.factor, min_lrs_[i]);
      if (old_lr - new_lr > options_.eps) groups[i]["lr"] = new_lr;
    }
    cooldown_counter_ = options_.cooldown;
    num_bad_epochs_ = 0;
  }
  last_lr_ = group_lrs();
}

}  // namespace wick::optim

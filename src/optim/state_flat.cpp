// The flat form of an optimizer's state_dict (nn::StateDict: dotted keys -> tensors), so a checkpoint
// is a safetensors file. Numbers (and "step") are 0-dim float64, flags 0-dim bool, pairs float64 [2],
// params int64.
#include <charconv>

#include "wick/ops/creation.h"
#include "wick/optim/optimizer.h"

namespace wick::optim {

namespace {

Tensor option_tensor(const OptionValue& v) {
  if (const double* d = std::get_if<double>(&v)) return scalar_tensor(*d, {.dtype = kFloat64});
  if (const bool* b = std::get_if<bool>(&v)) return scalar_tensor(*b, {.dtype = kBool});
  const auto& p = std::get<std::pair<double, double>>(v);
  return tensor(std::vector<double>{p.first, p.second}, {.dtype = kFloat64});
}

OptionValue option_value(const std::string& key, const Tensor& t) {
  if (t.dtype() == kBool && t.dim() == 0) return t.item<bool>();
  if (t.is_floating_point() && t.dim() == 0) return t.item<double>();
  WICK_CHECK(t.is_floating_point() && t.dim() == 1 && t.numel() == 2, "OptimizerStateDict.unflatten: '", key,
             "' must be a 0-dim number or flag, or a pair of 2 numbers; got ", dtype_name(t.dtype()),
             shape_str(t.sizes()));
  auto v = t.tolist<double>();
  return std::pair<double, double>{v[0], v[1]};
}

// "12.rest" -> (12, "rest"); throws naming the whole key when it does not parse.
std::pair<int64_t, std::string> split_index(const std::string& rest, const std::string& key) {
  size_t dot = rest.find('.');
  int64_t index = -1;
  auto r = std::from_chars(rest.data(), rest.data() + (dot == std::string::npos ? rest.size() : dot), index);
  WICK_CHECK(dot != std::string::npos && r.ec == std::errc() && r.ptr == rest.data() + dot && index >= 0 &&
                 dot + 1 < rest.size(),
             "OptimizerStateDict.unflatten: cannot read key '", key,
             "' (expected state.<index>.<name> or param_groups.<index>.<name>)");
  return {index, rest.substr(dot + 1)};
}

}  // namespace

nn::StateDict OptimizerStateDict::flatten() const {
  nn::StateDict flat;
  for (const auto& [index, st] : state)
    for (const auto& [name, t] : st)  // the step count as float64, as every number in the flat form
      flat.insert("state." + std::to_string(index) + "." + name, name == "step" ? t.to(kFloat64) : t);
  for (size_t g = 0; g < param_groups.size(); ++g) {
    std::string prefix = "param_groups." + std::to_string(g) + ".";
    for (const auto& [name, v] : param_groups[g].options) flat.insert(prefix + name, option_tensor(v));
    flat.insert(prefix + "params", tensor(param_groups[g].params, {.dtype = kInt64}));
  }
  return flat;
}

OptimizerStateDict OptimizerStateDict::unflatten(const nn::StateDict& flat) {
  OptimizerStateDict sd;
  const std::string kState = "state.", kGroups = "param_groups.";
  for (const auto& [key, t] : flat) {
    if (key.rfind(kState, 0) == 0) {
      auto [index, name] = split_index(key.substr(kState.size()), key);
      sd.state[index].insert(name, t);
    } else if (key.rfind(kGroups, 0) == 0) {
      auto [index, name] = split_index(key.substr(kGroups.size()), key);
      WICK_CHECK(index < static_cast<int64_t>(flat.size()), "OptimizerStateDict.unflatten: '", key,
                 "': group index out of range");
      if (static_cast<size_t>(index) >= sd.param_groups.size()) sd.param_groups.resize(static_cast<size_t>(index) + 1);
      auto& group = sd.param_groups[static_cast<size_t>(index)];
      if (name == "params") {
        WICK_CHECK(!t.is_floating_point() && t.dtype() != kBool && t.dim() == 1, "OptimizerStateDict.unflatten: '", key,
                   "' must be a 1-d integer tensor, got ", dtype_name(t.dtype()), shape_str(t.sizes()));
        group.params = t.tolist<int64_t>();
      } else {
        group.options.insert(name, option_value(key, t));
      }
    } else {
      WICK_FAIL("OptimizerStateDict.unflatten: unexpected key '", key, "' (expected state.* or param_groups.*)");
    }
  }
  return sd;
}

}  // namespace wick::optim

// nn::ParameterList and nn::ParameterDict, printed as PyTorch 1.13 prints them (ParameterDict uses
// the legacy type names there, "torch.FloatTensor").
#include "wick/nn/containers/parameter_list.h"

#include <algorithm>

namespace wick::nn {

namespace {
std::string size_str(const Tensor& p) {
  std::string s;
  for (int64_t i = 0; i < p.dim(); ++i) s += (i ? "x" : "") + std::to_string(p.size(i));
  return s;
}
std::string device_str(const Tensor& p) {
  return p.is_cuda() ? " (GPU " + std::to_string(std::max<int>(p.device().index, 0)) + ")" : "";
}
Tensor as_parameter(const Tensor& t) {
  WICK_CHECK(t.defined(), "ParameterList/ParameterDict: cannot hold an undefined tensor");
  // A tensor with history becomes a fresh leaf, as nn.Parameter(t) does.
  Tensor p = t.is_leaf() ? t : t.detach();
  if (p.is_floating_point() && !p.requires_grad()) p.requires_grad_(true);
  return p;
}
Tensor copy_parameter(const Tensor& p) {
  NoGradGuard ng;
  Tensor c = p.detach().clone();
  if (p.requires_grad()) c.requires_grad_(true);
  return c;
}
}  // namespace

ParameterListImpl& ParameterListImpl::append(const Tensor& param) {
  Tensor p = as_parameter(param);
  register_parameter(std::to_string(params_.size()), p, p.requires_grad());
  params_.push_back(p);
  return *this;
}

ParameterListImpl& ParameterListImpl::extend(const std::vector<Tensor>& params) {
  for (const auto& p : params) append(p);
  return *this;
}

Tensor ParameterListImpl::operator[](int64_t index) const {
  int64_t n = static_cast<int64_t>(params_.size());
  WICK_CHECK(index >= -n && index < n, "index ", index, " is out of range");
  return params_[static_cast<size_t>(index < 0 ? index + n : index)];
}

std::string ParameterListImpl::extra_repr() const {
  std::string s;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (i) s += "\n";
    s += "  (" + std::to_string(i) + "): Parameter containing: [torch." + dtype_name(params_[i].dtype()) + " of size " +
         size_str(params_[i]) + device_str(params_[i]) + "]";
  }
  return s;
}

std::shared_ptr<Module> ParameterListImpl::clone() const {
  auto out = std::make_shared<ParameterListImpl>();
  for (const auto& p : params_) out->append(copy_parameter(p));
  out->train(is_training());
  return out;
}

ParameterDictImpl& ParameterDictImpl::insert(const std::string& key, const Tensor& param) {
  Tensor p = as_parameter(param);
  auto it = std::find_if(items_.begin(), items_.end(), [&](const auto& kv) { return kv.first == key; });
  if (it != items_.end()) {
    // Re-register in place: rebuild the registration list in the dict's order.
    it->second = p;
    for (const auto& [k, v] : items_) remove_parameter(k);
    for (const auto& [k, v] : items_) register_parameter(k, v, v.requires_grad());
    return *this;
  }
  register_parameter(key, p, p.requires_grad());
  items_.emplace_back(key, p);
  return *this;
}

ParameterDictImpl& ParameterDictImpl::update(const std::vector<std::pair<std::string, Tensor>>& items) {
  for (const auto& [k, v] : items) insert(k, v);
  return *this;
}

Tensor ParameterDictImpl::operator[](const std::string& key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return v;
  WICK_FAIL("ParameterDict: KeyError: '", key, "'");
}

bool ParameterDictImpl::contains(const std::string& key) const {
  return std::any_of(items_.begin(), items_.end(), [&](const auto& kv) { return kv.first == key; });
}

Tensor ParameterDictImpl::pop(const std::string& key) {
  Tensor p = (*this)[key];
  std::erase_if(items_, [&](const auto& kv) { return kv.first == key; });
  remove_parameter(key);
  return p;
}

std::vector<std::string> ParameterDictImpl::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : items_) out.push_back(k);
  return out;
}

std::vector<Tensor> ParameterDictImpl::values() const {
  std::vector<Tensor> out;
  for (const auto& [k, v] : items_) out.push_back(v);
  return out;
}

std::string ParameterDictImpl::extra_repr() const {
  std::string s;
  for (size_t i = 0; i < items_.size(); ++i) {
    const Tensor& p = items_[i].second;
    if (i) s += "\n";
    s += "  (" + items_[i].first + "): Parameter containing: [torch." + legacy_type_name(p.dtype()) + " of size " +
         size_str(p) + device_str(p) + "]";
  }
  return s;
}

std::shared_ptr<Module> ParameterDictImpl::clone() const {
  auto out = std::make_shared<ParameterDictImpl>();
  for (const auto& [k, p] : items_) out->insert(k, copy_parameter(p));
  out->train(is_training());
  return out;
}

}  // namespace wick::nn

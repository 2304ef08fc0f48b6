// nn::ModuleList and nn::ModuleDict.
#include "wick/nn/containers/module_list.h"

#include <algorithm>

namespace wick::nn {

ModuleListImpl& ModuleListImpl::append(AnyModule m) {
  WICK_CHECK(!m.is_empty(), "ModuleList: cannot append an empty module");
  register_module(std::to_string(modules_.size()), m.ptr());
  modules_.push_back(std::move(m));
  return *this;
}

ModuleListImpl& ModuleListImpl::extend(const std::vector<AnyModule>& modules) {
  for (const auto& m : modules) append(m);
  return *this;
}

ModuleListImpl& ModuleListImpl::insert(int64_t index, AnyModule m) {
  int64_t n = static_cast<int64_t>(modules_.size());
  WICK_CHECK(index >= -n && index <= n, "ModuleList.insert: index ", index, " is out of range for ", n, " modules");
  if (index < 0) index += n;
  std::vector<AnyModule> mods = std::move(modules_);
  mods.insert(mods.begin() + index, std::move(m));
  modules_.clear();
  clear_children();
  for (auto& x : mods) append(std::move(x));
  return *this;
}

const AnyModule& ModuleListImpl::at(int64_t index) const {
  int64_t n = static_cast<int64_t>(modules_.size());
  WICK_CHECK(index >= -n && index < n, "index ", index, " is out of range");
  return modules_[static_cast<size_t>(index < 0 ? index + n : index)];
}

std::shared_ptr<Module> ModuleListImpl::clone() const {
  auto out = std::make_shared<ModuleListImpl>();
  for (const auto& m : modules_) out->append(m.clone());
  out->train(is_training());
  return out;
}

ModuleDictImpl::ModuleDictImpl(std::initializer_list<std::pair<std::string, AnyModule>> items) {
  for (const auto& [k, m] : items) insert(k, m);
}

ModuleDictImpl::ModuleDictImpl(const std::vector<std::pair<std::string, AnyModule>>& items) { update(items); }

ModuleDictImpl& ModuleDictImpl::insert(const std::string& key, AnyModule m) {
  WICK_CHECK(!m.is_empty(), "ModuleDict: cannot insert an empty module under '", key, "'");
  for (auto& [k, v] : items_) {
    if (k == key) {
      v = std::move(m);
      replace_module(key, v.ptr());
      return *this;
    }
  }
  register_module(key, m.ptr());
  items_.emplace_back(key, std::move(m));
  return *this;
}

ModuleDictImpl& ModuleDictImpl::update(const std::vector<std::pair<std::string, AnyModule>>& items) {
  for (const auto& [k, m] : items) insert(k, m);
  return *this;
}

const AnyModule& ModuleDictImpl::at(const std::string& key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return v;
  WICK_FAIL("ModuleDict: KeyError: '", key, "'");
}

bool ModuleDictImpl::contains(const std::string& key) const {
  return std::any_of(items_.begin(), items_.end(), [&](const auto& kv) { return kv.first == key; });
}

AnyModule ModuleDictImpl::pop(const std::string& key) {
  AnyModule m = at(key);
  std::erase_if(items_, [&](const auto& kv) { return kv.first == key; });
  remove_child(key);
  return m;
}

void ModuleDictImpl::clear() {
  items_.clear();
  clear_children();
}

std::vector<std::string> ModuleDictImpl::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : items_) out.push_back(k);
  return out;
}

std::vector<std::shared_ptr<Module>> ModuleDictImpl::values() const {
  std::vector<std::shared_ptr<Module>> out;
  for (const auto& [k, v] : items_) out.push_back(v.ptr());
  return out;
}

std::shared_ptr<Module> ModuleDictImpl::clone() const {
  auto out = std::make_shared<ModuleDictImpl>();
  for (const auto& [k, m] : items_) out->insert(k, m.clone());
  out->train(is_training());
  return out;
}

}  // namespace wick::nn

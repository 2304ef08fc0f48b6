// nn::ModuleList and nn::ModuleDict: hold submodules so they are registered (parameters, state_dict,
// printing), without a forward of their own, as torch.nn.ModuleList / ModuleDict.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "wick/nn/any_module.h"

namespace wick::nn {

class ModuleListImpl : public Module {
 public:
  ModuleListImpl() = default;
  template <typename... Modules>
    requires(sizeof...(Modules) > 0 && (std::is_constructible_v<AnyModule, Modules> && ...))
  explicit ModuleListImpl(Modules&&... modules) {
    (append(AnyModule(std::forward<Modules>(modules))), ...);
  }
  explicit ModuleListImpl(const std::vector<AnyModule>& modules) { extend(modules); }

  ModuleListImpl& append(AnyModule m);
  ModuleListImpl& extend(const std::vector<AnyModule>& modules);
  ModuleListImpl& insert(int64_t index, AnyModule m);
  size_t size() const { return modules_.size(); }
  bool empty() const { return modules_.empty(); }
  std::shared_ptr<Module> operator[](int64_t index) const { return at(index).ptr(); }
  // The module as AnyModule, which can also run it: list->at(0)(x).
  const AnyModule& at(int64_t index) const;
  auto begin() const { return modules_.begin(); }
  auto end() const { return modules_.end(); }
  std::shared_ptr<Module> clone() const override;

 private:
  std::vector<AnyModule> modules_;
};

class ModuleList : public ModuleHolder<ModuleListImpl> {
 public:
  using ModuleHolder<ModuleListImpl>::ModuleHolder;
  ModuleList() : ModuleHolder(std::make_shared<ModuleListImpl>()) {}
  std::shared_ptr<Module> operator[](int64_t index) const { return (*get())[index]; }
};

class ModuleDictImpl : public Module {
 public:
  ModuleDictImpl() = default;
  explicit ModuleDictImpl(std::initializer_list<std::pair<std::string, AnyModule>> items);
  explicit ModuleDictImpl(const std::vector<std::pair<std::string, AnyModule>>& items);

  // Inserts or replaces (keeping the original position on replacement, as a Python dict).
  ModuleDictImpl& insert(const std::string& key, AnyModule m);
  ModuleDictImpl& update(const std::vector<std::pair<std::string, AnyModule>>& items);
  const AnyModule& at(const std::string& key) const;
  std::shared_ptr<Module> operator[](const std::string& key) const { return at(key).ptr(); }
  bool contains(const std::string& key) const;
  AnyModule pop(const std::string& key);
  void clear();
  std::vector<std::string> keys() const;
  std::vector<std::shared_ptr<Module>> values() const;
  const std::vector<std::pair<std::string, AnyModule>>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  std::shared_ptr<Module> clone() const override;

 private:
  std::vector<std::pair<std::string, AnyModule>> items_;
};

class ModuleDict : public ModuleHolder<ModuleDictImpl> {
 public:
  using ModuleHolder<ModuleDictImpl>::ModuleHolder;
  ModuleDict() : ModuleHolder(std::make_shared<ModuleDictImpl>()) {}
  ModuleDict(std::initializer_list<std::pair<std::string, AnyModule>> items)  // NOLINT
      : ModuleHolder(std::make_shared<ModuleDictImpl>(items)) {}
  std::shared_ptr<Module> operator[](const std::string& key) const { return (*get())[key]; }
};

}  // namespace wick::nn

// nn::ParameterList and nn::ParameterDict: parameters held by position or by name, registered on
// the module (so they appear in parameters() and state_dict), as their torch.nn namesakes.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "wick/nn/holder.h"

namespace wick::nn {

class ParameterListImpl : public Module {
 public:
  ParameterListImpl() = default;
  explicit ParameterListImpl(const std::vector<Tensor>& params) { extend(params); }

  ParameterListImpl& append(const Tensor& param);
  ParameterListImpl& extend(const std::vector<Tensor>& params);
  Tensor operator[](int64_t index) const;
  size_t size() const { return params_.size(); }
  auto begin() const { return params_.begin(); }
  auto end() const { return params_.end(); }
  std::string extra_repr() const override;
  std::shared_ptr<Module> clone() const override;

 private:
  std::vector<Tensor> params_;
};

class ParameterList : public ModuleHolder<ParameterListImpl> {
 public:
  using ModuleHolder<ParameterListImpl>::ModuleHolder;
  ParameterList() : ModuleHolder(std::make_shared<ParameterListImpl>()) {}
  ParameterList(std::initializer_list<Tensor> params)  // NOLINT
      : ModuleHolder(std::make_shared<ParameterListImpl>(std::vector<Tensor>(params))) {}
  Tensor operator[](int64_t index) const { return (*get())[index]; }
};

class ParameterDictImpl : public Module {
 public:
  ParameterDictImpl() = default;
  explicit ParameterDictImpl(const std::vector<std::pair<std::string, Tensor>>& items) { update(items); }

  // Inserts, or replaces in place of the old parameter (keeping its position).
  ParameterDictImpl& insert(const std::string& key, const Tensor& param);
  ParameterDictImpl& update(const std::vector<std::pair<std::string, Tensor>>& items);
  Tensor operator[](const std::string& key) const;
  bool contains(const std::string& key) const;
  Tensor pop(const std::string& key);
  std::vector<std::string> keys() const;
  std::vector<Tensor> values() const;
  const std::vector<std::pair<std::string, Tensor>>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  std::string extra_repr() const override;
  std::shared_ptr<Module> clone() const override;

 private:
  std::vector<std::pair<std::string, Tensor>> items_;
};

class ParameterDict : public ModuleHolder<ParameterDictImpl> {
 public:
  using ModuleHolder<ParameterDictImpl>::ModuleHolder;
  ParameterDict() : ModuleHolder(std::make_shared<ParameterDictImpl>()) {}
  ParameterDict(std::initializer_list<std::pair<std::string, Tensor>> items)  // NOLINT
      : ModuleHolder(std::make_shared<ParameterDictImpl>(std::vector<std::pair<std::string, Tensor>>(items))) {}
  Tensor operator[](const std::string& key) const { return (*get())[key]; }
};

}  // namespace wick::nn

// nn::Sequential: runs its modules in order, as torch.nn.Sequential. Built from modules
// (children "0", "1", ...) or from (name, module) pairs; indexing, slicing, append/extend/insert.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "wick/nn/any_module.h"

namespace wick::nn {

class SequentialImpl : public Module {
 public:
  SequentialImpl() = default;
  template <typename... Modules>
    requires(sizeof...(Modules) > 0 && (std::is_constructible_v<AnyModule, Modules> && ...))
  explicit SequentialImpl(Modules&&... modules) {
    (append(AnyModule(std::forward<Modules>(modules))), ...);
  }
  // Named construction: Sequential({{"conv", nn::Conv2d(...)}, {"relu", nn::ReLU()}}).
  explicit SequentialImpl(std::initializer_list<std::pair<std::string, AnyModule>> named);

  Tensor forward(const Tensor& x);

  SequentialImpl& append(AnyModule m);
  SequentialImpl& append(const std::string& name, AnyModule m);
  SequentialImpl& extend(const SequentialImpl& other);
  // Inserts before position `index` (negative counts from the end); children are renumbered.
  SequentialImpl& insert(int64_t index, AnyModule m);
  size_t size() const { return modules_.size(); }
  bool empty() const { return modules_.empty(); }
  // seq[i] (negative from the end) as a module; ->as<nn::Linear>() reaches the Impl.
  std::shared_ptr<Module> operator[](int64_t index) const { return at(index).ptr(); }
  const AnyModule& at(int64_t index) const;
  // seq[start:stop], sharing the modules and keeping their names, as Python slicing does.
  std::shared_ptr<SequentialImpl> slice(int64_t start, int64_t stop) const;
  auto begin() const { return modules_.begin(); }
  auto end() const { return modules_.end(); }

  std::shared_ptr<Module> clone() const override;

 private:
  void renumber();
  std::vector<AnyModule> modules_;
  std::vector<std::string> names_;
};

class Sequential : public ModuleHolder<SequentialImpl> {
 public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  Sequential() : ModuleHolder(std::make_shared<SequentialImpl>()) {}
  Sequential(std::initializer_list<std::pair<std::string, AnyModule>> named)  // NOLINT
      : ModuleHolder(std::make_shared<SequentialImpl>(named)) {}
  std::shared_ptr<Module> operator[](int64_t index) const { return (*get())[index]; }
};

}  // namespace wick::nn

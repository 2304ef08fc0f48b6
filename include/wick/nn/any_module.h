// AnyModule: a type-erased module whose forward maps one Tensor to one Tensor, so that containers
// such as Sequential can hold Linear, ReLU and user modules side by side and call them in turn.
#pragma once

#include <functional>
#include <memory>
#include <type_traits>

#include "wick/nn/holder.h"

namespace wick::nn {

class AnyModule {
 public:
  AnyModule() = default;
  template <typename Impl>
    requires std::is_base_of_v<Module, Impl>
  AnyModule(std::shared_ptr<Impl> impl)  // NOLINT: modules convert implicitly, as in a Python list
      : module_(impl) {
    if constexpr (requires(Impl& m, const Tensor& x) {
                    { m.forward(x) } -> std::convertible_to<Tensor>;
                  }) {
      forward_ = [impl](const Tensor& x) -> Tensor { return detail::call_module(*impl, x); };
    }
    clone_ = [impl]() { return AnyModule(std::dynamic_pointer_cast<Impl>(impl->clone())); };
  }
  template <typename Impl>
  AnyModule(const ModuleHolder<Impl>& holder) : AnyModule(holder.ptr()) {}  // NOLINT

  // Runs the module (hooks included). Throws when its forward is not Tensor -> Tensor.
  Tensor forward(const Tensor& x) const {
    WICK_CHECK(forward_ != nullptr, module_ ? module_->name() : std::string("AnyModule"),
               ": this module's forward does not take and return a single Tensor, so it cannot be chained here");
    return forward_(x);
  }
  Tensor operator()(const Tensor& x) const { return forward(x); }
  const std::shared_ptr<Module>& ptr() const { return module_; }
  Module* operator->() const { return module_.get(); }
  AnyModule clone() const { return clone_(); }
  bool is_empty() const { return module_ == nullptr; }

 private:
  std::shared_ptr<Module> module_;
  std::function<Tensor(const Tensor&)> forward_;
  std::function<AnyModule()> clone_;
};

}  // namespace wick::nn

// ModuleHolder and WICK_MODULE: `nn::Linear` is a shared handle to `nn::LinearImpl`, as in LibTorch,
// so modules behave like Python objects (copying a handle shares the module). `m(x)` runs hooks
// and forward; `m->weight` reaches members. An empty holder (nullptr) is explicit.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <type_traits>
#include <utility>

#include "wick/autograd/function.h"
#include "wick/nn/module.h"
#include "wick/nn/module_hooks.h"

namespace wick::nn {

template <typename Impl>
class ModuleHolder {
 public:
  using ContainedType = Impl;

  // Default construction builds the module with no arguments (nn::ReLU()), when it has such a
  // constructor; otherwise the holder must be given arguments or nullptr.
  ModuleHolder() requires std::is_default_constructible_v<Impl> : ModuleHolder(std::in_place) {}
  ModuleHolder(std::nullptr_t) {}  // NOLINT: an empty holder, on purpose
  ModuleHolder(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}  // NOLINT

  template <typename First, typename... Rest>
    requires(!std::is_same_v<std::decay_t<First>, ModuleHolder> &&
             !std::is_same_v<std::decay_t<First>, std::nullptr_t> &&
             !std::is_same_v<std::decay_t<First>, std::shared_ptr<Impl>> &&
             !std::is_base_of_v<ModuleHolder, std::decay_t<First>> &&
             std::is_constructible_v<Impl, First, Rest...>)
  explicit(sizeof...(Rest) == 0 && !std::is_convertible_v<First, Impl>) ModuleHolder(First&& first, Rest&&... rest)
      : ModuleHolder(std::in_place, std::forward<First>(first), std::forward<Rest>(rest)...) {}

  Impl* operator->() { return get(); }
  const Impl* operator->() const { return get(); }
  Impl& operator*() { return *get(); }
  const Impl& operator*() const { return *get(); }
  Impl* get() const {
    WICK_CHECK(impl_ != nullptr, "Accessing an empty ModuleHolder (", demangled_impl(), "): construct it or assign a module first");
    return impl_.get();
  }
  const std::shared_ptr<Impl>& ptr() const { return impl_; }
  bool is_empty() const { return impl_ == nullptr; }
  explicit operator bool() const { return impl_ != nullptr; }

  // Runs forward pre-hooks, forward, forward hooks and wires backward hooks.
  template <typename... Args>
  auto operator()(Args&&... args) {
    return detail::call_module(*get(), std::forward<Args>(args)...);
  }

 private:
  // A holder constructor written for a library module (Linear(in, out, options)) is defined in
  // the module's .cpp: inline, it would instantiate this constructor, make_shared and the clone()
  // factory in every file that includes the header (3 s per file that includes nn.h).
  template <typename... Args>
  explicit ModuleHolder(std::in_place_t, Args&&... args) : impl_(std::make_shared<Impl>(args...)) {
    // Remember how to rebuild this module, for clone().
    if constexpr ((std::is_copy_constructible_v<std::decay_t<Args>> && ...)) {
      impl_->set_factory([... a = std::decay_t<Args>(args)]() -> std::shared_ptr<Module> { return std::make_shared<Impl>(a...); });
    }
  }
  static std::string demangled_impl();
  std::shared_ptr<Impl> impl_;
};

template <typename Impl>
std::string ModuleHolder<Impl>::demangled_impl() {
  std::string n = autograd::detail::demangle(typeid(Impl).name());
  return n;
}

template <typename Impl>
std::ostream& operator<<(std::ostream& os, const ModuleHolder<Impl>& m) {
  return os << *m;
}

}  // namespace wick::nn

// WICK_MODULE(Name): declares `Name` as the holder of `NameImpl` (struct NameImpl : nn::Module).
#define WICK_MODULE(Name)                                   \
  class Name : public ::wick::nn::ModuleHolder<Name##Impl> { \
   public:                                                  \
    using ::wick::nn::ModuleHolder<Name##Impl>::ModuleHolder; \
  }

// nn::Module: the base of every layer and model, as torch.nn.Module. It owns ordered parameters,
// buffers and child modules by name, and derives from them everything PyTorch derives: named
// traversal, train/eval, to(), zero_grad, apply, state_dict/load_state_dict, printing. Hooks live
// in module_hooks.h; the handle type (nn::Linear for LinearImpl) in holder.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "wick/core/tensor.h"

namespace wick::nn {

class Module;

// Name -> tensor in insertion order (state_dict, named_parameters, ...), as Python's OrderedDict.
template <typename V>
class OrderedDict {
 public:
  using Item = std::pair<std::string, V>;
  void insert(std::string key, V value);
  bool contains(const std::string& key) const { return index_.count(key) != 0; }
  V& operator[](const std::string& key);
  const V& operator[](const std::string& key) const;
  const V* find(const std::string& key) const;
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  std::vector<std::string> keys() const;
  std::vector<V> values() const;
  bool erase(const std::string& key);

 private:
  std::vector<Item> items_;
  std::map<std::string, size_t> index_;
};

using StateDict = OrderedDict<Tensor>;

namespace detail {
// Makes `t` hold `src`'s data (storage, offset, sizes, strides, dtype) in place, so every handle to
// t sees the change: how Module::to moves parameters and lazy modules materialise theirs.
void assign_in_place(const Tensor& t, const Tensor& src);
}  // namespace detail

// What load_state_dict(strict=false) reports.
struct IncompatibleKeys {
  std::vector<std::string> missing_keys;
  std::vector<std::string> unexpected_keys;
};

class Module : public std::enable_shared_from_this<Module> {
 public:
  Module() = default;
  // `name` overrides the printed type name (default: the C++ class name without "Impl").
  explicit Module(std::string name) : name_(std::move(name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // The type name printed by operator<< ("Linear", "MLP").
  std::string name() const;

  // ---- registration (names must be unique and contain no '.') ----
  Tensor register_parameter(const std::string& name, Tensor param, bool requires_grad = true);
  Tensor register_buffer(const std::string& name, Tensor buffer, bool persistent = true);
  std::shared_ptr<Module> register_module(const std::string& name, std::shared_ptr<Module> module);
  // Holder form: `nn::Linear fc = register_module("fc", nn::Linear(3, 4));`
  template <typename Holder, typename = decltype(std::declval<Holder>().ptr())>
  Holder register_module(const std::string& name, Holder holder) {
    register_module(name, std::static_pointer_cast<Module>(holder.ptr()));
    return holder;
  }
  // Replace a registered child or parameter (e.g. model->replace_module("fc", nn::Linear(512, 10))).
  std::shared_ptr<Module> replace_module(const std::string& name, std::shared_ptr<Module> module);
  template <typename Holder, typename = decltype(std::declval<Holder>().ptr())>
  Holder replace_module(const std::string& name, Holder holder) {
    replace_module(name, std::static_pointer_cast<Module>(holder.ptr()));
    return holder;
  }

  // ---- traversal (recurse: include descendants; names are dotted paths) ----
  std::vector<Tensor> parameters(bool recurse = true) const;
  OrderedDict<Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<Tensor> named_buffers(bool recurse = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::shared_ptr<Module>> named_children() const;
  // Self first, then every descendant once (depth first), as nn.Module.modules().
  std::vector<std::shared_ptr<Module>> modules();
  OrderedDict<std::shared_ptr<Module>> named_modules(const std::string& prefix = "");
  // A parameter, buffer or child by (dotted) name; throws naming the module when missing.
  Tensor get_parameter(const std::string& target) const;
  Tensor get_buffer(const std::string& target) const;
  std::shared_ptr<Module> get_submodule(const std::string& target) const;

  // ---- modes and movement ----
  virtual Module& train(bool on = true);
  Module& eval() { return train(false); }
  bool is_training() const { return training_; }
  // Moves/casts parameters and buffers in place: existing Tensor handles see the change, as
  // param.data = ... does in PyTorch. dtype casts touch floating-point tensors only.
  Module& to(Device device);
  Module& to(DType dtype);
  Module& to(Device device, DType dtype);
  void zero_grad(bool set_to_none = true);
  // fn on every module, children first, then self (nn.Module.apply).
  Module& apply(const std::function<void(Module&)>& fn);
  Module& requires_grad_(bool requires_grad = true);

  // ---- state ----
  StateDict state_dict(const std::string& prefix = "", bool keep_vars = false) const;
  // strict: keys must match exactly (throws listing them). Shape mismatches always throw naming the key.
  IncompatibleKeys load_state_dict(const StateDict& state, bool strict = true);
  // A deep copy: the module is rebuilt with its constructor arguments (recorded by the holder),
  // then parameters, buffers (values and requires_grad), children and the training flag are copied.
  virtual std::shared_ptr<Module> clone() const;
  // The Impl as T (a holder type or an Impl type), or nullptr: seq[0]->as<nn::Linear>()->weight.
  template <typename T> auto* as() {
    if constexpr (requires { typename T::ContainedType; }) return dynamic_cast<typename T::ContainedType*>(this);
    else return dynamic_cast<T*>(this);
  }

  // ---- printing ----
  // One line of settings inside the parentheses ("in_features=3, out_features=4, bias=True").
  virtual std::string extra_repr() const { return ""; }
  // The whole repr, children indented, as repr(module) in Python.
  virtual std::string repr() const;

  // Set by the holder when it constructs the Impl: rebuilds a fresh module with the same
  // constructor arguments (clone() then copies the state into it).
  void set_factory(std::function<std::shared_ptr<Module>()> f) { factory_ = std::move(f); }

  // Hook storage (see module_hooks.h for registration and the calling protocol).
  struct Hooks;
  Hooks& hooks();
  bool has_hooks() const { return hooks_ != nullptr; }

 protected:
  // Copies parameter/buffer values, children (recursively) and the training flag into `copy`,
  // a freshly built module of the same type.
  void copy_state_into(Module& copy) const;
  // Called by copy_state_into before it copies: a lazy module (modules/lazy.h) gives the freshly
  // built copy, still uninitialised, this module's materialised shapes.
  virtual void prepare_copy(Module& /*copy*/) const {}
  // Containers rebuild their children list (Sequential.insert, ModuleDict.pop, ...).
  void clear_children() { children_.clear(); }
  void remove_child(const std::string& name);
  void remove_parameter(const std::string& name);

 private:
  struct BufferEntry {
    Tensor tensor;
    bool persistent = true;
  };
  void check_new_name(const std::string& name, const char* what) const;
  void collect_named(const std::string& prefix, bool recurse, bool buffers, OrderedDict<Tensor>& out) const;
  void collect_state(const std::string& prefix, StateDict& out, bool keep_vars) const;

  std::string name_;
  bool training_ = true;
  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, BufferEntry>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  std::shared_ptr<Hooks> hooks_;
  std::function<std::shared_ptr<Module>()> factory_;
};

std::ostream& operator<<(std::ostream& os, const Module& m);
inline std::ostream& operator<<(std::ostream& os, const std::shared_ptr<Module>& m) { return os << *m; }

// ---- OrderedDict ----
template <typename V>
void OrderedDict<V>::insert(std::string key, V value) {
  auto it = index_.find(key);
  if (it != index_.end()) {
    items_[it->second].second = std::move(value);
    return;
  }
  index_.emplace(key, items_.size());
  items_.emplace_back(std::move(key), std::move(value));
}
template <typename V>
V& OrderedDict<V>::operator[](const std::string& key) {
  auto it = index_.find(key);
  WICK_CHECK(it != index_.end(), "OrderedDict: key '", key, "' not found");
  return items_[it->second].second;
}
template <typename V>
const V& OrderedDict<V>::operator[](const std::string& key) const {
  auto it = index_.find(key);
  WICK_CHECK(it != index_.end(), "OrderedDict: key '", key, "' not found");
  return items_[it->second].second;
}
template <typename V>
const V* OrderedDict<V>::find(const std::string& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &items_[it->second].second;
}
template <typename V>
std::vector<std::string> OrderedDict<V>::keys() const {
  std::vector<std::string> k;
  for (const auto& [key, v] : items_) k.push_back(key);
  return k;
}
template <typename V>
std::vector<V> OrderedDict<V>::values() const {
  std::vector<V> out;
  for (const auto& [key, v] : items_) out.push_back(v);
  return out;
}
template <typename V>
bool OrderedDict<V>::erase(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return false;
  items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i].first, i);
  return true;
}

}  // namespace wick::nn

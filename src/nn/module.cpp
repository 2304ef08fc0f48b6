// nn::Module: registration, traversal, modes, movement, state dicts, cloning and printing.
#include "wick/nn/module.h"

#include <set>
#include <sstream>

#include "wick/autograd/function.h"
#include "wick/autograd/grad_mode.h"
#include "wick/nn/module_hooks.h"

namespace wick::nn {

std::string Module::name() const {
  if (!name_.empty()) return name_;
  std::string n = autograd::detail::demangle(typeid(*this).name());
  if (n.size() > 4 && n.compare(n.size() - 4, 4, "Impl") == 0) n.resize(n.size() - 4);
  return n;
}

void Module::check_new_name(const std::string& name, const char* what) const {
  WICK_CHECK(!name.empty(), name_.empty() ? this->name() : name_, ": ", what, " name can't be empty string \"\"");
  WICK_CHECK(name.find('.') == std::string::npos, this->name(), ": ", what, " name can't contain \".\", got \"", name, "\"");
  auto taken = [&](const auto& list) {
    for (const auto& [k, v] : list)
      if (k == name) return true;
    return false;
  };
  WICK_CHECK(!taken(parameters_) && !taken(buffers_) && !taken(children_), this->name(), ": attribute '", name,
             "' already exists");
}

Tensor Module::register_parameter(const std::string& name, Tensor param, bool requires_grad) {
  check_new_name(name, "parameter");
  if (param.defined()) {
    WICK_CHECK(param.is_leaf(), name_.empty() ? this->name() : name_, ": cannot register '", name,
               "' as a parameter: it has autograd history (a non-leaf tensor); register a detached tensor");
    if (param.is_floating_point()) param.requires_grad_(requires_grad);
  }
  parameters_.emplace_back(name, param);
  return param;
}

Tensor Module::register_buffer(const std::string& name, Tensor buffer, bool persistent) {
  check_new_name(name, "buffer");
  buffers_.emplace_back(name, BufferEntry{buffer, persistent});
  return buffer;
}

std::shared_ptr<Module> Module::register_module(const std::string& name, std::shared_ptr<Module> module) {
  check_new_name(name, "module");
  WICK_CHECK(module != nullptr, this->name(), ": cannot register an empty module as '", name, "'");
  children_.emplace_back(name, module);
  return module;
}

std::shared_ptr<Module> Module::replace_module(const std::string& name, std::shared_ptr<Module> module) {
  for (auto& [k, v] : children_) {
    if (k == name) {
      v = std::move(module);
      return v;
    }
  }
  WICK_FAIL(this->name(), ": no child module named '", name, "' to replace");
}

void Module::remove_child(const std::string& name) {
  std::erase_if(children_, [&](const auto& c) { return c.first == name; });
}

void Module::remove_parameter(const std::string& name) {
  std::erase_if(parameters_, [&](const auto& p) { return p.first == name; });
}

void Module::collect_named(const std::string& prefix, bool recurse, bool want_buffers, OrderedDict<Tensor>& out) const {
  if (want_buffers) {
    for (const auto& [k, b] : buffers_)
      if (b.tensor.defined() && !out.contains(prefix + k)) out.insert(prefix + k, b.tensor);
  } else {
    for (const auto& [k, p] : parameters_)
      if (p.defined()) out.insert(prefix + k, p);
  }
  if (!recurse) return;
  for (const auto& [k, c] : children_)
    if (c) c->collect_named(prefix + k + ".", true, want_buffers, out);
}

OrderedDict<Tensor> Module::named_parameters(bool recurse) const {
  OrderedDict<Tensor> out;
  collect_named("", recurse, false, out);
  // A parameter shared by two modules is listed once, under its first name (as PyTorch).
  OrderedDict<Tensor> unique;
  std::set<TensorImpl*> seen;
  for (const auto& [k, t] : out)
    if (seen.insert(t.impl()).second) unique.insert(k, t);
  return unique;
}

std::vector<Tensor> Module::parameters(bool recurse) const { return named_parameters(recurse).values(); }

OrderedDict<Tensor> Module::named_buffers(bool recurse) const {
  OrderedDict<Tensor> out;
  collect_named("", recurse, true, out);
  return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const { return named_buffers(recurse).values(); }

std::vector<std::shared_ptr<Module>> Module::children() const { return named_children().values(); }

OrderedDict<std::shared_ptr<Module>> Module::named_children() const {
  OrderedDict<std::shared_ptr<Module>> out;
  std::set<Module*> seen;
  for (const auto& [k, c] : children_)
    if (c && seen.insert(c.get()).second) out.insert(k, c);
  return out;
}

OrderedDict<std::shared_ptr<Module>> Module::named_modules(const std::string& prefix) {
  OrderedDict<std::shared_ptr<Module>> out;
  std::set<Module*> seen;
  std::function<void(const std::shared_ptr<Module>&, const std::string&)> walk = [&](const std::shared_ptr<Module>& m,
                                                                                      const std::string& p) {
    if (!seen.insert(m.get()).second) return;
    out.insert(p, m);
    for (const auto& [k, c] : m->children_)
      if (c) walk(c, p.empty() ? k : p + "." + k);
  };
  walk(shared_from_this(), prefix);
  return out;
}

std::vector<std::shared_ptr<Module>> Module::modules() { return named_modules().values(); }

std::shared_ptr<Module> Module::get_submodule(const std::string& target) const {
  auto self = std::const_pointer_cast<Module>(shared_from_this());
  if (target.empty()) return self;
  std::shared_ptr<Module> cur = self;
  std::stringstream ss(target);
  std::string part;
  while (std::getline(ss, part, '.')) {
    std::shared_ptr<Module> next;
    for (const auto& [k, c] : cur->children_)
      if (k == part) next = c;
    WICK_CHECK(next != nullptr, cur->name(), " has no attribute `", part, "`");
    cur = next;
  }
  return cur;
}

Tensor Module::get_parameter(const std::string& target) const {
  auto pos = target.rfind('.');
  auto owner = get_submodule(pos == std::string::npos ? "" : target.substr(0, pos));
  std::string leaf = pos == std::string::npos ? target : target.substr(pos + 1);
  for (const auto& [k, p] : owner->parameters_)
    if (k == leaf) return p;
  WICK_FAIL(owner->name(), " has no parameter `", leaf, "`");
}

Tensor Module::get_buffer(const std::string& target) const {
  auto pos = target.rfind('.');
  auto owner = get_submodule(pos == std::string::npos ? "" : target.substr(0, pos));
  std::string leaf = pos == std::string::npos ? target : target.substr(pos + 1);
  for (const auto& [k, b] : owner->buffers_)
    if (k == leaf) return b.tensor;
  WICK_FAIL(owner->name(), " has no buffer `", leaf, "`");
}

Module& Module::train(bool on) {
  training_ = on;
  for (auto& [k, c] : children_)
    if (c) c->train(on);
  return *this;
}

void detail::assign_in_place(const Tensor& t, const Tensor& src) {
  if (src.is_same(t)) return;
  TensorImpl* i = t.impl();
  i->storage = src.impl()->storage;
  i->offset = src.impl()->offset;
  i->sizes = src.impl()->sizes;
  i->strides = src.impl()->strides;
  i->dtype = src.impl()->dtype;
}

namespace {
using detail::assign_in_place;

void move_tensor(const Tensor& t, std::optional<Device> device, std::optional<DType> dtype) {
  if (!t.defined()) return;
  TensorOptions o;
  o.device = device;
  if (dtype && t.is_floating_point()) o.dtype = dtype;
  NoGradGuard ng;
  assign_in_place(t, t.to(o));
  Tensor g = t.grad();
  if (g.defined()) assign_in_place(g, g.to(o));
}
}  // namespace

Module& Module::to(Device device) {
  for (auto& m : modules()) {
    for (auto& [k, p] : m->parameters_) move_tensor(p, device, std::nullopt);
    for (auto& [k, b] : m->buffers_) move_tensor(b.tensor, device, std::nullopt);
  }
  return *this;
}

Module& Module::to(DType dtype) {
  WICK_CHECK(wick::is_floating_point(dtype), "nn.Module.to only accepts floating point dtypes, but got desired dtype=",
             dtype_name(dtype));
  for (auto& m : modules()) {
    for (auto& [k, p] : m->parameters_) move_tensor(p, std::nullopt, dtype);
    for (auto& [k, b] : m->buffers_) move_tensor(b.tensor, std::nullopt, dtype);
  }
  return *this;
}

Module& Module::to(Device device, DType dtype) {
  to(dtype);
  return to(device);
}

void Module::zero_grad(bool set_to_none) {
  for (auto& p : parameters()) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    if (set_to_none) {
      p.set_grad(Tensor());
    } else {
      NoGradGuard ng;
      if (g.grad_fn()) {
        g = g.detach();
        p.set_grad(g);
      }
      g.zero_();
    }
  }
}

Module& Module::apply(const std::function<void(Module&)>& fn) {
  for (auto& [k, c] : children_)
    if (c) c->apply(fn);
  fn(*this);
  return *this;
}

Module& Module::requires_grad_(bool requires_grad) {
  for (auto& p : parameters()) p.requires_grad_(requires_grad);
  return *this;
}

void Module::collect_state(const std::string& prefix, StateDict& out, bool keep_vars) const {
  for (const auto& [k, p] : parameters_)
    if (p.defined()) out.insert(prefix + k, keep_vars ? p : p.detach());
  for (const auto& [k, b] : buffers_)
    if (b.tensor.defined() && b.persistent) out.insert(prefix + k, keep_vars ? b.tensor : b.tensor.detach());
  for (const auto& [k, c] : children_)
    if (c) c->collect_state(prefix + k + ".", out, keep_vars);
}

StateDict Module::state_dict(const std::string& prefix, bool keep_vars) const {
  StateDict out;
  collect_state(prefix, out, keep_vars);
  return out;
}

IncompatibleKeys Module::load_state_dict(const StateDict& state, bool strict) {
  IncompatibleKeys result;
  std::vector<std::string> errors;
  StateDict own = state_dict("", /*keep_vars=*/true);
  NoGradGuard ng;
  for (const auto& [key, dst] : own) {
    const Tensor* src = state.find(key);
    if (!src) {
      result.missing_keys.push_back(key);
      continue;
    }
    if (src->sizes() != dst.sizes()) {
      errors.push_back(wick::detail::str_cat("size mismatch for ", key, ": copying a param with shape torch.Size(",
                                       shape_str(src->sizes()), ") from checkpoint, the shape in current model is torch.Size(",
                                       shape_str(dst.sizes()), ")."));
      continue;
    }
    Tensor d = dst;
    d.copy_(*src);
  }
  for (const auto& [key, v] : state)
    if (!own.contains(key)) result.unexpected_keys.push_back(key);
  auto quoted = [](const std::vector<std::string>& keys) {
    std::string s;
    for (size_t i = 0; i < keys.size(); ++i) s += (i ? ", \"" : "\"") + keys[i] + "\"";
    return s;
  };
  if (strict) {
    if (!result.unexpected_keys.empty())
      errors.insert(errors.begin(), "Unexpected key(s) in state_dict: " + quoted(result.unexpected_keys) + ". ");
    if (!result.missing_keys.empty())
      errors.insert(errors.begin(), "Missing key(s) in state_dict: " + quoted(result.missing_keys) + ". ");
  }
  if (!errors.empty()) {
    std::string msg = "Error(s) in loading state_dict for " + name() + ":";
    for (const auto& e : errors) msg += "\n\t" + e;
    WICK_FAIL(msg);
  }
  return result;
}

void Module::copy_state_into(Module& copy) const {
  prepare_copy(copy);
  // Values go into the rebuilt module's own tensors, so the member handles of its Impl (the
  // `weight` a forward() reads) stay the registered ones.
  copy.training_ = training_;
  auto fill = [&](const Tensor& dst, const Tensor& src, const std::string& key) {
    if (!dst.defined() || !src.defined()) return;
    WICK_CHECK(dst.sizes() == src.sizes(), name(), ".clone(): rebuilt '", key, "' has shape ", shape_str(dst.sizes()),
               " but the original has ", shape_str(src.sizes()));
    assign_in_place(dst, src.detach().clone());
    dst.impl()->requires_grad = src.requires_grad();
  };
  WICK_CHECK(copy.parameters_.size() == parameters_.size() && copy.buffers_.size() == buffers_.size() &&
                 copy.children_.size() == children_.size(),
             name(), ".clone(): the rebuilt module registers different parameters, buffers or children than the "
             "original (was a child replaced after construction?)");
  for (size_t i = 0; i < parameters_.size(); ++i) fill(copy.parameters_[i].second, parameters_[i].second, parameters_[i].first);
  for (size_t i = 0; i < buffers_.size(); ++i) fill(copy.buffers_[i].second.tensor, buffers_[i].second.tensor, buffers_[i].first);
  for (size_t i = 0; i < children_.size(); ++i) {
    if (children_[i].second && copy.children_[i].second) children_[i].second->copy_state_into(*copy.children_[i].second);
  }
}

std::shared_ptr<Module> Module::clone() const {
  WICK_CHECK(factory_ != nullptr, name(), ".clone(): the module was not built through its holder (e.g. ", name(),
             "(...)), so its constructor arguments are unknown");
  std::shared_ptr<Module> copy = factory_();
  NoGradGuard ng;
  copy_state_into(*copy);
  return copy;
}

std::string Module::repr() const {
  std::string extra = extra_repr();
  std::vector<std::string> extra_lines;
  if (!extra.empty()) {
    std::stringstream ss(extra);
    std::string line;
    while (std::getline(ss, line)) extra_lines.push_back(line);
  }
  std::vector<std::string> child_lines;
  for (const auto& [k, c] : children_) {
    if (!c) continue;
    std::string s = c->repr();
    // _addindent: every line but the first gets two more spaces.
    std::string indented;
    for (char ch : s) {
      indented += ch;
      if (ch == '\n') indented += "  ";
    }
    child_lines.push_back("(" + k + "): " + indented);
  }
  std::string out = name() + "(";
  if (extra_lines.size() == 1 && child_lines.empty()) {
    out += extra_lines[0];
  } else if (!extra_lines.empty() || !child_lines.empty()) {
    out += "\n";
    for (const auto& l : extra_lines) out += "  " + l + "\n";
    for (const auto& l : child_lines) out += "  " + l + "\n";
  }
  return out + ")";
}

std::ostream& operator<<(std::ostream& os, const Module& m) { return os << m.repr(); }

}  // namespace wick::nn

// nn::Sequential.
#include "wick/nn/containers/sequential.h"

#include <algorithm>

namespace wick::nn {

namespace {
int64_t wrap_index(int64_t i, size_t n, const char* who) {
  int64_t sn = static_cast<int64_t>(n);
  WICK_CHECK(i >= -sn && i < sn, who, ": index ", i, " is out of range");
  return i < 0 ? i + sn : i;
}
}  // namespace

SequentialImpl::SequentialImpl(std::initializer_list<std::pair<std::string, AnyModule>> named) {
  for (const auto& [name, m] : named) append(name, m);
}

Tensor SequentialImpl::forward(const Tensor& x) {
  Tensor y = x;
  for (const auto& m : modules_) y = m.forward(y);
  return y;
}

SequentialImpl& SequentialImpl::append(AnyModule m) { return append(std::to_string(modules_.size()), std::move(m)); }

SequentialImpl& SequentialImpl::append(const std::string& name, AnyModule m) {
  WICK_CHECK(!m.is_empty(), "Sequential: cannot append an empty module");
  register_module(name, m.ptr());
  modules_.push_back(std::move(m));
  names_.push_back(name);
  return *this;
}

SequentialImpl& SequentialImpl::extend(const SequentialImpl& other) {
  for (const auto& m : other.modules_) append(m);
  return *this;
}

SequentialImpl& SequentialImpl::insert(int64_t index, AnyModule m) {
  int64_t n = static_cast<int64_t>(modules_.size());
  WICK_CHECK(index >= -n && index <= n, "Sequential.insert: index ", index, " is out of range for ", n, " modules");
  if (index < 0) index += n;
  modules_.insert(modules_.begin() + index, std::move(m));
  names_.insert(names_.begin() + index, "");
  renumber();
  return *this;
}

void SequentialImpl::renumber() {
  // Children are renamed "0", "1", ... in their new order, as PyTorch's insert does.
  std::vector<AnyModule> mods = std::move(modules_);
  modules_.clear();
  names_.clear();
  clear_children();
  for (auto& m : mods) append(std::move(m));
}

const AnyModule& SequentialImpl::at(int64_t index) const {
  return modules_[static_cast<size_t>(wrap_index(index, modules_.size(), "Sequential"))];
}

std::shared_ptr<SequentialImpl> SequentialImpl::slice(int64_t start, int64_t stop) const {
  int64_t n = static_cast<int64_t>(modules_.size());
  auto clampi = [n](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + n : v, 0, n); };
  auto out = std::make_shared<SequentialImpl>();
  for (int64_t i = clampi(start); i < clampi(stop); ++i) out->append(names_[static_cast<size_t>(i)], modules_[static_cast<size_t>(i)]);
  return out;
}

std::shared_ptr<Module> SequentialImpl::clone() const {
  auto out = std::make_shared<SequentialImpl>();
  for (size_t i = 0; i < modules_.size(); ++i) out->append(names_[i], modules_[i].clone());
  out->train(is_training());
  return out;
}

}  // namespace wick::nn

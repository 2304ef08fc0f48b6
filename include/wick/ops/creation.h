// Tensor factories, as torch.zeros/ones/full/arange/... and torch.tensor from nested lists.
// Random factories draw from default_generator() unless given one.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <variant>
#include <vector>

#include "wick/core/generator.h"
#include "wick/core/tensor.h"

namespace wick {

Tensor empty(IntArrayRef size, TensorOptions opts = {});
Tensor zeros(IntArrayRef size, TensorOptions opts = {});
Tensor ones(IntArrayRef size, TensorOptions opts = {});
Tensor full(IntArrayRef size, const Scalar& fill_value, TensorOptions opts = {});
Tensor empty_like(const Tensor& t, TensorOptions opts = {});
Tensor zeros_like(const Tensor& t, TensorOptions opts = {});
Tensor ones_like(const Tensor& t, TensorOptions opts = {});
Tensor full_like(const Tensor& t, const Scalar& fill_value, TensorOptions opts = {});
Tensor rand_like(const Tensor& t, TensorOptions opts = {});
Tensor randn_like(const Tensor& t, TensorOptions opts = {});
// A 0-dim tensor holding `s`, of the default dtype unless given (torch.scalar_tensor(3) is float).
Tensor scalar_tensor(const Scalar& s, TensorOptions opts = {});

// arange(end), arange(start, end, step): int64 when all arguments are integral, else default dtype.
Tensor arange(const Scalar& end, TensorOptions opts = {});
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step = 1, TensorOptions opts = {});
Tensor linspace(double start, double end, int64_t steps, TensorOptions opts = {});
Tensor eye(int64_t n, std::optional<int64_t> m = std::nullopt, TensorOptions opts = {});

Tensor rand(IntArrayRef size, TensorOptions opts = {}, Generator* gen = nullptr);
Tensor randn(IntArrayRef size, TensorOptions opts = {}, Generator* gen = nullptr);
// Integers uniform in [low, high); int64 by default.
Tensor randint(int64_t low, int64_t high, IntArrayRef size, TensorOptions opts = {}, Generator* gen = nullptr);
Tensor randint(int64_t high, IntArrayRef size, TensorOptions opts = {}, Generator* gen = nullptr);
Tensor randperm(int64_t n, TensorOptions opts = {}, Generator* gen = nullptr);
Tensor normal(double mean, double std, IntArrayRef size, TensorOptions opts = {}, Generator* gen = nullptr);
Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen = nullptr);
// Draws 0/1 with probability `p` elementwise (p in [0, 1]); same dtype as p.
Tensor bernoulli(const Tensor& p, Generator* gen = nullptr);
Tensor bernoulli(const Tensor& input, double p, Generator* gen = nullptr);

// Nested initializer lists, as torch.tensor([[1., 2.], [3., 4.]]). Floats give the default dtype,
// integers int64, bools bool, unless opts.dtype says otherwise.
class TensorData {
 public:
  TensorData(double v) : scalar_(v), kind_(kFloat64) {}          // NOLINT
  TensorData(float v) : scalar_(v), kind_(kFloat64) {}           // NOLINT
  TensorData(int v) : scalar_(v), kind_(kInt64) {}               // NOLINT
  TensorData(int64_t v) : scalar_(v), kind_(kInt64) {}           // NOLINT
  TensorData(bool v) : scalar_(v), kind_(kBool) {}               // NOLINT
  TensorData(std::initializer_list<double> l);                  // NOLINT
  TensorData(std::initializer_list<float> l);                   // NOLINT
  TensorData(std::initializer_list<int> l);                     // NOLINT
  TensorData(std::initializer_list<int64_t> l);                 // NOLINT
  TensorData(std::initializer_list<bool> l);                    // NOLINT
  TensorData(std::initializer_list<TensorData> l);              // NOLINT

  bool is_scalar() const { return children_.empty() && !is_list_; }
  const Scalar& scalar() const { return scalar_; }
  DType kind() const { return kind_; }
  const std::vector<TensorData>& children() const { return children_; }

 private:
  Scalar scalar_;
  DType kind_ = kInt64;
  bool is_list_ = false;
  std::vector<TensorData> children_;
};

Tensor tensor(const TensorData& data, TensorOptions opts = {});
// A 1-D tensor from a vector (copies).
template <typename T>
Tensor tensor(const std::vector<T>& values, TensorOptions opts = {});

// Wraps user memory without copying (CPU); the memory must outlive the tensor unless `deleter`
// takes ownership.
Tensor from_blob(void* data, IntArrayRef sizes, TensorOptions opts = {},
                 std::function<void(void*)> deleter = nullptr);
Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, TensorOptions opts = {},
                 std::function<void(void*)> deleter = nullptr);

template <typename T>
Tensor tensor(const std::vector<T>& values, TensorOptions opts) {
  auto copy = new std::vector<T>(values);
  Tensor t = from_blob(copy->data(), {static_cast<int64_t>(copy->size())}, {.dtype = dtype_v<T>},
                       [copy](void*) { delete copy; });
  return t.to(opts.dtype.value_or(dtype_v<T>)).to(opts.device.value_or(Device(kCPU)), /*copy=*/true)
      .requires_grad_(opts.requires_grad);
}

}  // namespace wick

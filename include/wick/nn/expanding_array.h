// ExpandingArray<D>: a size-D tuple of ints that also accepts a single int, as PyTorch's
// kernel_size=5 meaning (5, 5). Layer options use it so `{.stride = 2}` and `{.stride = {2, 1}}`
// both read like Python. It owns its values (unlike IntArrayRef), so options can be stored.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "wick/core/error.h"
#include "wick/core/shape.h"

namespace wick::nn {

template <size_t D>
class ExpandingArray {
 public:
  ExpandingArray(int64_t all) { values_.fill(all); }  // NOLINT: 5 means (5, 5), as in PyTorch
  ExpandingArray(std::initializer_list<int64_t> list) {  // NOLINT
    WICK_CHECK(list.size() == D, "expected a single int or a tuple of ", D, " ints, got a tuple of ",
               list.size());
    std::copy(list.begin(), list.end(), values_.begin());
  }
  ExpandingArray(const std::array<int64_t, D>& values) : values_(values) {}  // NOLINT

  int64_t operator[](size_t i) const { return values_[i]; }
  int64_t& operator[](size_t i) { return values_[i]; }
  static constexpr size_t size() { return D; }
  const int64_t* data() const { return values_.data(); }
  const int64_t* begin() const { return values_.data(); }
  const int64_t* end() const { return values_.data() + D; }
  operator IntArrayRef() const { return IntArrayRef(values_.data(), D); }  // NOLINT
  bool operator==(const ExpandingArray&) const = default;

 private:
  std::array<int64_t, D> values_{};
};

}  // namespace wick::nn

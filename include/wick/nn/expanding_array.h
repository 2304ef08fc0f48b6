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
  // {5} expands like 5: brace-initialisation (`ExpandingArray<2>{1}`, a member's `{1}`) picks
  // this constructor, and must mean what the single int means.
  ExpandingArray(std::initializer_list<int64_t> list) {  // NOLINT
    WICK_CHECK(list.size() == D || list.size() == 1, "expected a single int or a tuple of ", D,
               " ints, got a tuple of ", list.size());
    if (list.size() == 1)
      values_.fill(*list.begin());
    else
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

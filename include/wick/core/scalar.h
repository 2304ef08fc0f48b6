// Scalar: a number that is not a tensor (the 2 in x + 2). It remembers whether it was integral,
// floating or bool, because PyTorch's type promotion treats such "wrapped numbers" specially.
#pragma once

#include <cstdint>
#include <type_traits>

#include "wick/core/dtype.h"

namespace wick {

class Scalar {
 public:
  Scalar() : Scalar(int64_t{0}) {}
  template <typename T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
  Scalar(T v) {  // NOLINT: implicit, so that x + 2 and x * 0.5 read naturally
    if constexpr (std::is_same_v<T, bool>) {
      kind_ = kBool; i_ = v; d_ = v;
    } else if constexpr (std::is_integral_v<T>) {
      kind_ = kInt64; i_ = static_cast<int64_t>(v); d_ = static_cast<double>(v);
    } else {
      kind_ = kFloat64; d_ = static_cast<double>(v); i_ = static_cast<int64_t>(v);
    }
  }
  Scalar(Half v) : Scalar(static_cast<float>(v)) {}       // NOLINT
  Scalar(BFloat16 v) : Scalar(static_cast<float>(v)) {}   // NOLINT

  // kBool, kInt64 or kFloat64: the category of the number.
  DType kind() const { return kind_; }
  bool is_floating_point() const { return kind_ == kFloat64; }
  bool is_integral() const { return kind_ == kInt64; }
  bool is_bool() const { return kind_ == kBool; }
  double to_double() const { return d_; }
  int64_t to_long() const { return i_; }
  bool to_bool() const { return kind_ == kFloat64 ? d_ != 0.0 : i_ != 0; }
  template <typename T> T to() const {
    if constexpr (std::is_same_v<T, bool>) return to_bool();
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(kind_ == kFloat64 ? static_cast<int64_t>(d_) : i_);
    else return static_cast<T>(d_);
  }

 private:
  DType kind_;
  int64_t i_ = 0;
  double d_ = 0;
};

}  // namespace wick

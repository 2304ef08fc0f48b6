// nn::functional::interpolate (torch.nn.functional.interpolate) and upsample: nearest,
// nearest-exact, linear, bilinear, bicubic, trilinear, area on (N, C, *spatial) with 1 to 3 spatial
// dims. Composed per axis of index_select and weighted sums, so gradients come from those ops (node
// names are theirs, not PyTorch's UpsampleXxxBackward); 'area' is adaptive average pooling, as in
// PyTorch. No antialias.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "wick/core/tensor.h"

namespace wick::nn {

// An optional int-or-tuple (or float-or-tuple) argument: None by default, `= 2` or `= {2, 3}`.
// Remembers whether a single value was given, to print as PyTorch does.
template <typename T>
class ScalarOrList {
 public:
  ScalarOrList() = default;
  ScalarOrList(std::nullopt_t) {}                                                     // NOLINT
  ScalarOrList(T v) : values_{v}, scalar_(true) {}                                     // NOLINT
  ScalarOrList(std::initializer_list<T> list) : values_(list) {}                       // NOLINT
  ScalarOrList(std::vector<T> list) : values_(std::move(list)) {}                      // NOLINT
  template <typename U>
    requires(std::is_arithmetic_v<U> && !std::is_same_v<U, T>)
  ScalarOrList(U v) : ScalarOrList(static_cast<T>(v)) {}                               // NOLINT
  bool has_value() const { return !values_.empty(); }
  explicit operator bool() const { return has_value(); }
  bool is_scalar() const { return scalar_; }
  const std::vector<T>& values() const { return values_; }
  // The values for n spatial dims (a single value repeats).
  std::vector<T> expand(size_t n) const { return scalar_ ? std::vector<T>(n, values_[0]) : values_; }

 private:
  std::vector<T> values_;
  bool scalar_ = false;
};

namespace functional {

struct InterpolateFuncOptions {
  ScalarOrList<int64_t> size = std::nullopt;
  ScalarOrList<double> scale_factor = std::nullopt;
  // nearest | nearest-exact | linear | bilinear | bicubic | trilinear | area
  std::string mode = "nearest";
  std::optional<bool> align_corners = std::nullopt;
  std::optional<bool> recompute_scale_factor = std::nullopt;
};

// input (N, C, *in) -> (N, C, *out); out from size, or floor(in * scale_factor).
Tensor interpolate(const Tensor& input, InterpolateFuncOptions options = {});

}  // namespace functional
}  // namespace wick::nn

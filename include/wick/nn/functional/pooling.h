// nn::functional pooling (torch.nn.functional.max_pool1d/2d/3d, avg_pool*, adaptive_*_pool*,
// max_unpool*, lp_pool1d/2d). PyTorch's keyword arguments are options structs; functions that
// PyTorch makes return a tuple with return_indices=True are the separate *_with_indices here.
// Inputs are (N, C, *spatial) or unbatched (C, *spatial).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "wick/core/scalar.h"
#include "wick/core/tensor.h"
#include "wick/nn/expanding_array.h"

namespace wick::nn {

// An ExpandingArray that may be absent (PyTorch's stride=None): `.stride = 2`, `.stride = {2, 1}`.
template <size_t D>
class OptionalExpandingArray : public std::optional<ExpandingArray<D>> {
 public:
  OptionalExpandingArray() = default;
  OptionalExpandingArray(std::nullopt_t) {}                                                  // NOLINT
  OptionalExpandingArray(int64_t all) : std::optional<ExpandingArray<D>>(ExpandingArray<D>(all)) {}  // NOLINT
  OptionalExpandingArray(std::initializer_list<int64_t> list)                                // NOLINT
      : std::optional<ExpandingArray<D>>(ExpandingArray<D>(list)) {}
  OptionalExpandingArray(const ExpandingArray<D>& a) : std::optional<ExpandingArray<D>>(a) {}  // NOLINT
};

// An adaptive pool's output_size: an int, or a tuple whose entries may be None (std::nullopt:
// keep that input size). Remembers whether it was given as an int, to print as PyTorch does.
template <size_t D>
class AdaptiveSize {
 public:
  AdaptiveSize(int64_t all) : is_int_(true) { values_.assign(D, all); }  // NOLINT
  AdaptiveSize(std::initializer_list<std::optional<int64_t>> list) : values_(list) {  // NOLINT
    WICK_CHECK(list.size() == D, "output_size: expected a single int or a tuple of ", D,
               " ints, got a tuple of ", list.size());
  }
  const std::vector<std::optional<int64_t>>& values() const { return values_; }
  bool is_int() const { return is_int_; }
  // 1, (1, 1) or (None, 3), as Python prints it.
  std::string repr() const {
    auto one = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string("None"); };
    if (is_int_) return one(values_[0]);
    std::string s = "(";
    for (size_t i = 0; i < D; ++i) s += (i ? ", " : "") + one(values_[i]);
    return s + (D == 1 ? ",)" : ")");
  }

 private:
  std::vector<std::optional<int64_t>> values_;
  bool is_int_ = false;
};

namespace functional {

template <size_t D>
struct MaxPoolFuncOptions {
  OptionalExpandingArray<D> stride = std::nullopt;  // default: kernel_size
  ExpandingArray<D> padding = 0;
  ExpandingArray<D> dilation = 1;
  bool ceil_mode = false;
};
using MaxPool1dFuncOptions = MaxPoolFuncOptions<1>;
using MaxPool2dFuncOptions = MaxPoolFuncOptions<2>;
using MaxPool3dFuncOptions = MaxPoolFuncOptions<3>;

template <size_t D>
struct AvgPoolFuncOptions {
  OptionalExpandingArray<D> stride = std::nullopt;  // default: kernel_size
  ExpandingArray<D> padding = 0;
  bool ceil_mode = false;
  bool count_include_pad = true;
  std::optional<int64_t> divisor_override = std::nullopt;  // (PyTorch's avg_pool1d has none)
};
using AvgPool1dFuncOptions = AvgPoolFuncOptions<1>;
using AvgPool2dFuncOptions = AvgPoolFuncOptions<2>;
using AvgPool3dFuncOptions = AvgPoolFuncOptions<3>;

template <size_t D>
struct MaxUnpoolFuncOptions {
  OptionalExpandingArray<D> stride = std::nullopt;  // default: kernel_size
  ExpandingArray<D> padding = 0;
  // The spatial size (D entries) or the whole shape; default (in - 1) * stride - 2 * pad + kernel.
  std::optional<std::vector<int64_t>> output_size = std::nullopt;
};
using MaxUnpool1dFuncOptions = MaxUnpoolFuncOptions<1>;
using MaxUnpool2dFuncOptions = MaxUnpoolFuncOptions<2>;
using MaxUnpool3dFuncOptions = MaxUnpoolFuncOptions<3>;

template <size_t D>
struct LPPoolFuncOptions {
  OptionalExpandingArray<D> stride = std::nullopt;  // default: kernel_size
  bool ceil_mode = false;
};
using LPPool1dFuncOptions = LPPoolFuncOptions<1>;
using LPPool2dFuncOptions = LPPoolFuncOptions<2>;

// ---- max pooling: (values, int64 indices into each input plane) ----
Tensor max_pool1d(const Tensor& input, ExpandingArray<1> kernel_size, MaxPool1dFuncOptions options = {});
Tensor max_pool2d(const Tensor& input, ExpandingArray<2> kernel_size, MaxPool2dFuncOptions options = {});
Tensor max_pool3d(const Tensor& input, ExpandingArray<3> kernel_size, MaxPool3dFuncOptions options = {});
std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& input, ExpandingArray<1> kernel_size,
                                                   MaxPool1dFuncOptions options = {});
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, ExpandingArray<2> kernel_size,
                                                   MaxPool2dFuncOptions options = {});
std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& input, ExpandingArray<3> kernel_size,
                                                   MaxPool3dFuncOptions options = {});

// ---- average pooling ----
Tensor avg_pool1d(const Tensor& input, ExpandingArray<1> kernel_size, AvgPool1dFuncOptions options = {});
Tensor avg_pool2d(const Tensor& input, ExpandingArray<2> kernel_size, AvgPool2dFuncOptions options = {});
Tensor avg_pool3d(const Tensor& input, ExpandingArray<3> kernel_size, AvgPool3dFuncOptions options = {});

// ---- adaptive pooling ----
Tensor adaptive_avg_pool1d(const Tensor& input, AdaptiveSize<1> output_size);
Tensor adaptive_avg_pool2d(const Tensor& input, AdaptiveSize<2> output_size);
Tensor adaptive_avg_pool3d(const Tensor& input, AdaptiveSize<3> output_size);
Tensor adaptive_max_pool1d(const Tensor& input, AdaptiveSize<1> output_size);
Tensor adaptive_max_pool2d(const Tensor& input, AdaptiveSize<2> output_size);
Tensor adaptive_max_pool3d(const Tensor& input, AdaptiveSize<3> output_size);
std::tuple<Tensor, Tensor> adaptive_max_pool1d_with_indices(const Tensor& input, AdaptiveSize<1> output_size);
std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(const Tensor& input, AdaptiveSize<2> output_size);
std::tuple<Tensor, Tensor> adaptive_max_pool3d_with_indices(const Tensor& input, AdaptiveSize<3> output_size);

// ---- max unpooling: the inverse of max_pool*d given its indices ----
Tensor max_unpool1d(const Tensor& input, const Tensor& indices, ExpandingArray<1> kernel_size,
                    MaxUnpool1dFuncOptions options = {});
Tensor max_unpool2d(const Tensor& input, const Tensor& indices, ExpandingArray<2> kernel_size,
                    MaxUnpool2dFuncOptions options = {});
Tensor max_unpool3d(const Tensor& input, const Tensor& indices, ExpandingArray<3> kernel_size,
                    MaxUnpool3dFuncOptions options = {});

// ---- power-average pooling: (sum over the window of x^p)^(1/p) ----
Tensor lp_pool1d(const Tensor& input, double norm_type, ExpandingArray<1> kernel_size,
                 LPPool1dFuncOptions options = {});
Tensor lp_pool2d(const Tensor& input, double norm_type, ExpandingArray<2> kernel_size,
                 LPPool2dFuncOptions options = {});

}  // namespace functional
}  // namespace wick::nn

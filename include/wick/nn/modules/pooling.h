// Pooling modules (torch.nn.MaxPool1d/2d/3d, AvgPool*, AdaptiveAvgPool*, AdaptiveMaxPool*,
// MaxUnpool*, LPPool1d/2d): one template per family over the spatial rank D, forwarding to
// nn::functional. `return_indices` modules give (values, indices) from forward_with_indices();
// forward() always returns the values, so they fit in Sequential.
#pragma once

#include <string>
#include <tuple>

#include "wick/nn/functional/pooling.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

template <size_t D>
struct MaxPoolOptions {
  OptionalExpandingArray<D> stride = std::nullopt;  // default: kernel_size
  ExpandingArray<D> padding = 0;
  ExpandingArray<D> dilation = 1;
  bool return_indices = false;
  bool ceil_mode = false;
};
using MaxPool1dOptions = MaxPoolOptions<1>;
using MaxPool2dOptions = MaxPoolOptions<2>;
using MaxPool3dOptions = MaxPoolOptions<3>;

template <size_t D>
class MaxPoolImpl : public Module {
 public:
  explicit MaxPoolImpl(ExpandingArray<D> kernel_size, MaxPoolOptions<D> options = {});
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
  std::string extra_repr() const override;

  ExpandingArray<D> kernel_size, stride, padding, dilation;
  bool return_indices, ceil_mode;
};

template <size_t D>
using AvgPoolOptions = functional::AvgPoolFuncOptions<D>;
using AvgPool1dOptions = AvgPoolOptions<1>;
using AvgPool2dOptions = AvgPoolOptions<2>;
using AvgPool3dOptions = AvgPoolOptions<3>;

template <size_t D>
class AvgPoolImpl : public Module {
 public:
  explicit AvgPoolImpl(ExpandingArray<D> kernel_size, AvgPoolOptions<D> options = {});
  Tensor forward(const Tensor& input);
  std::string extra_repr() const override;

  ExpandingArray<D> kernel_size, stride, padding;
  bool ceil_mode, count_include_pad;
  std::optional<int64_t> divisor_override;
};

template <size_t D>
class AdaptiveAvgPoolImpl : public Module {
 public:
  explicit AdaptiveAvgPoolImpl(AdaptiveSize<D> output_size);
  Tensor forward(const Tensor& input);
  std::string extra_repr() const override { return "output_size=" + output_size.repr(); }

  AdaptiveSize<D> output_size;
};

struct AdaptiveMaxPoolOptions {
  bool return_indices = false;
};

template <size_t D>
class AdaptiveMaxPoolImpl : public Module {
 public:
  explicit AdaptiveMaxPoolImpl(AdaptiveSize<D> output_size, AdaptiveMaxPoolOptions options = {});
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
  std::string extra_repr() const override { return "output_size=" + output_size.repr(); }

  AdaptiveSize<D> output_size;
  bool return_indices;
};

template <size_t D>
using MaxUnpoolOptions = functional::MaxUnpoolFuncOptions<D>;

template <size_t D>
class MaxUnpoolImpl : public Module {
 public:
  explicit MaxUnpoolImpl(ExpandingArray<D> kernel_size, MaxUnpoolOptions<D> options = {});
  // output_size: the spatial size or whole shape to produce (PyTorch's forward(input, indices, output_size)).
  Tensor forward(const Tensor& input, const Tensor& indices,
                 const std::optional<std::vector<int64_t>>& output_size = std::nullopt);
  std::string extra_repr() const override;

  ExpandingArray<D> kernel_size, stride, padding;
};

template <size_t D>
using LPPoolOptions = functional::LPPoolFuncOptions<D>;

template <size_t D>
class LPPoolImpl : public Module {
 public:
  LPPoolImpl(Scalar norm_type, ExpandingArray<D> kernel_size, LPPoolOptions<D> options = {});
  Tensor forward(const Tensor& input);
  std::string extra_repr() const override;

  Scalar norm_type;
  ExpandingArray<D> kernel_size;
  OptionalExpandingArray<D> stride;
  bool ceil_mode;
};

#define WICK_POOL_ALIASES(D)                          \
  using MaxPool##D##dImpl = MaxPoolImpl<D>;           \
  using AvgPool##D##dImpl = AvgPoolImpl<D>;           \
  using AdaptiveAvgPool##D##dImpl = AdaptiveAvgPoolImpl<D>; \
  using AdaptiveMaxPool##D##dImpl = AdaptiveMaxPoolImpl<D>; \
  using MaxUnpool##D##dImpl = MaxUnpoolImpl<D>
WICK_POOL_ALIASES(1);
WICK_POOL_ALIASES(2);
WICK_POOL_ALIASES(3);
#undef WICK_POOL_ALIASES
using LPPool1dImpl = LPPoolImpl<1>;
using LPPool2dImpl = LPPoolImpl<2>;

// Holders with an explicit (first argument, options) constructor, so braced arguments work:
// MaxPool2d({3, 2}, {.stride = 2}), AdaptiveAvgPool2d({1, 1}).
#define WICK_POOL_HOLDER(Name, First, Options)            \
  class Name : public ModuleHolder<Name##Impl> {          \
   public:                                                \
    using ModuleHolder<Name##Impl>::ModuleHolder;         \
    Name(First first, Options options = {}); /* NOLINT */ \
  }
#define WICK_POOL_HOLDERS(D)                                                        \
  WICK_POOL_HOLDER(MaxPool##D##d, ExpandingArray<D>, MaxPoolOptions<D>);            \
  WICK_POOL_HOLDER(AvgPool##D##d, ExpandingArray<D>, AvgPoolOptions<D>);            \
  WICK_POOL_HOLDER(AdaptiveMaxPool##D##d, AdaptiveSize<D>, AdaptiveMaxPoolOptions); \
  WICK_POOL_HOLDER(MaxUnpool##D##d, ExpandingArray<D>, MaxUnpoolOptions<D>);        \
  class AdaptiveAvgPool##D##d : public ModuleHolder<AdaptiveAvgPool##D##dImpl> {    \
   public:                                                                          \
    using ModuleHolder<AdaptiveAvgPool##D##dImpl>::ModuleHolder;                    \
    AdaptiveAvgPool##D##d(AdaptiveSize<D> output_size); /* NOLINT */                \
  }
WICK_POOL_HOLDERS(1);
WICK_POOL_HOLDERS(2);
WICK_POOL_HOLDERS(3);
#undef WICK_POOL_HOLDERS
#undef WICK_POOL_HOLDER

#define WICK_LPPOOL_HOLDER(D)                                                                     \
  class LPPool##D##d : public ModuleHolder<LPPool##D##dImpl> {                                    \
   public:                                                                                        \
    using ModuleHolder<LPPool##D##dImpl>::ModuleHolder;                                           \
    LPPool##D##d(Scalar norm_type, ExpandingArray<D> kernel_size, LPPoolOptions<D> options = {}); \
  }
WICK_LPPOOL_HOLDER(1);
WICK_LPPOOL_HOLDER(2);
#undef WICK_LPPOOL_HOLDER

#define WICK_POOL_EXTERN(D)                        \
  extern template class MaxPoolImpl<D>;            \
  extern template class AvgPoolImpl<D>;            \
  extern template class AdaptiveAvgPoolImpl<D>;    \
  extern template class AdaptiveMaxPoolImpl<D>;    \
  extern template class MaxUnpoolImpl<D>
WICK_POOL_EXTERN(1);
WICK_POOL_EXTERN(2);
WICK_POOL_EXTERN(3);
#undef WICK_POOL_EXTERN
extern template class LPPoolImpl<1>;
extern template class LPPoolImpl<2>;

}  // namespace wick::nn

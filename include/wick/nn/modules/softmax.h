// Softmax, LogSoftmax, Softmin and Softmax2d (torch.nn). dim = nullopt is PyTorch's dim=None: the
// legacy implicit choice (0 for 0-, 1- and 3-D input, else 1), without PyTorch's deprecation
// warning.
#pragma once

#include <optional>
#include <string>

#include "wick/nn/functional/activation.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

namespace detail {
inline int64_t implicit_softmax_dim(int64_t ndim) {
  return (ndim == 0 || ndim == 1 || ndim == 3) ? 0 : 1;
}
inline std::string dim_repr(std::optional<int64_t> dim) {
  return "dim=" + (dim ? std::to_string(*dim) : "None");
}
}  // namespace detail

#define WICK_SOFTMAX_MODULE(Name, fn)                                                             \
  struct Name##Impl : Module {                                                                    \
    explicit Name##Impl(std::optional<int64_t> dim_ = std::nullopt) : Module(#Name), dim(dim_) {} \
    Tensor forward(const Tensor& input) {                                                         \
      return functional::fn(input, dim.value_or(detail::implicit_softmax_dim(input.dim())));      \
    }                                                                                             \
    std::string extra_repr() const override { return detail::dim_repr(dim); }                     \
    std::optional<int64_t> dim;                                                                   \
  };                                                                                              \
  WICK_MODULE(Name)

WICK_SOFTMAX_MODULE(Softmax, softmax);
WICK_SOFTMAX_MODULE(LogSoftmax, log_softmax);
WICK_SOFTMAX_MODULE(Softmin, softmin);
#undef WICK_SOFTMAX_MODULE

// Softmax over the channels of (C, H, W) or (N, C, H, W) input.
struct Softmax2dImpl : Module {
  Softmax2dImpl() : Module("Softmax2d") {}
  Tensor forward(const Tensor& input) {
    WICK_CHECK(input.dim() == 3 || input.dim() == 4,
               "Softmax2d: expected input to be 3D or 4D, got ", input.dim(), "D instead");
    return functional::softmax(input, -3);
  }
};
WICK_MODULE(Softmax2d);

}  // namespace wick::nn

// Padding layers (torch.nn.ZeroPad/ConstantPad/ReflectionPad/ReplicationPad/CircularPad 1d-3d):
// one module type per dimension count holding the mode, printed under its PyTorch name. The
// padding is an int (all sides) or a tuple (last dim's left, right, then the dim before, ...).
// ZeroPad1d/3d and CircularPad*d follow PyTorch 2.x (1.13 lacks them).
#pragma once

#include <concepts>
#include <cstddef>
#include <memory>
#include <string>

#include "wick/core/scalar.h"
#include "wick/nn/expanding_array.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

template <size_t D>
struct PadImpl : Module {
  // name: the printed class name ("ReflectionPad2d"); mode as F::pad's.
  PadImpl(std::string name, std::string mode, ExpandingArray<2 * D> padding, Scalar value = 0);
  Tensor forward(const Tensor& input);
  std::string extra_repr() const override;

  std::string mode;
  ExpandingArray<2 * D> padding;
  Scalar value;  // constant mode only
};

extern template struct PadImpl<1>;
extern template struct PadImpl<2>;
extern template struct PadImpl<3>;

// The holders do not inherit ModuleHolder's constructors: its shared_ptr one would make
// ReflectionPad1d({0, 2}) ambiguous (a null pointer and a deleter); P = shared_ptr<Impl> only.
#define WICK_PAD_HOLDER_COMMON(Name, D)                                                 \
  template <typename P>                                                                 \
    requires std::same_as<P, std::shared_ptr<PadImpl<D>>>                               \
  Name(P impl) : ModuleHolder<PadImpl<D>>(std::move(impl)) {} /* NOLINT */              \
  Name(std::nullptr_t) : ModuleHolder<PadImpl<D>>(nullptr) {} /* NOLINT */
#define WICK_PAD_MODULE(Name, D, mode)                                                  \
  using Name##Impl = PadImpl<D>;                                                        \
  class Name : public ModuleHolder<PadImpl<D>> {                                        \
   public:                                                                              \
    WICK_PAD_HOLDER_COMMON(Name, D)                                                     \
    Name(ExpandingArray<2 * D> padding) /* NOLINT */                                    \
        : ModuleHolder<PadImpl<D>>(std::make_shared<PadImpl<D>>(#Name, mode, padding)) {} \
  }
#define WICK_CONSTANT_PAD_MODULE(Name, D)                                                    \
  using Name##Impl = PadImpl<D>;                                                             \
  class Name : public ModuleHolder<PadImpl<D>> {                                             \
   public:                                                                                   \
    WICK_PAD_HOLDER_COMMON(Name, D)                                                          \
    Name(ExpandingArray<2 * D> padding, Scalar value)                                        \
        : ModuleHolder<PadImpl<D>>(std::make_shared<PadImpl<D>>(#Name, "constant", padding, value)) {} \
  }

WICK_PAD_MODULE(ZeroPad1d, 1, "constant");
WICK_PAD_MODULE(ZeroPad2d, 2, "constant");
WICK_PAD_MODULE(ZeroPad3d, 3, "constant");
WICK_CONSTANT_PAD_MODULE(ConstantPad1d, 1);
WICK_CONSTANT_PAD_MODULE(ConstantPad2d, 2);
WICK_CONSTANT_PAD_MODULE(ConstantPad3d, 3);
WICK_PAD_MODULE(ReflectionPad1d, 1, "reflect");
WICK_PAD_MODULE(ReflectionPad2d, 2, "reflect");
WICK_PAD_MODULE(ReflectionPad3d, 3, "reflect");
WICK_PAD_MODULE(ReplicationPad1d, 1, "replicate");
WICK_PAD_MODULE(ReplicationPad2d, 2, "replicate");
WICK_PAD_MODULE(ReplicationPad3d, 3, "replicate");
WICK_PAD_MODULE(CircularPad1d, 1, "circular");
WICK_PAD_MODULE(CircularPad2d, 2, "circular");
WICK_PAD_MODULE(CircularPad3d, 3, "circular");
#undef WICK_PAD_MODULE
#undef WICK_CONSTANT_PAD_MODULE
#undef WICK_PAD_HOLDER_COMMON

}  // namespace wick::nn

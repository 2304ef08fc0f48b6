// Dropout modules (torch.nn.Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout): hold p
// and inplace, drop only in training mode, and print as PyTorch (`Dropout(p=0.5, inplace=False)`).
// Constructible as Dropout(0.5) or Dropout({.p = 0.5, .inplace = true}). p is a Scalar so
// Dropout(0) prints p=0 as Python does.
#pragma once

#include <string>

#include "wick/nn/functional/dropout.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

struct DropoutOptions {
  Scalar p = 0.5;
  bool inplace = false;
};

namespace detail {
// Throws PyTorch's error for p outside [0, 1], naming the module.
void check_dropout_p(const Scalar& p, const char* module);
inline std::string dropout_repr(const Scalar& p, bool inplace) {
  return "p=" + py_repr(p) + ", inplace=" + py_bool(inplace);
}
}  // namespace detail

#define WICK_DROPOUT_MODULE(Name, fn)                                                        \
  struct Name##Impl : Module {                                                               \
    explicit Name##Impl(DropoutOptions o = {}) : Module(#Name), p(o.p), inplace(o.inplace) { \
      detail::check_dropout_p(p, #Name);                                                     \
    }                                                                                        \
    explicit Name##Impl(Scalar p_) : Name##Impl(DropoutOptions{.p = p_}) {}                  \
    Tensor forward(const Tensor& input) {                                                    \
      return functional::fn(input, p.to_double(), is_training(), inplace);                   \
    }                                                                                        \
    std::string extra_repr() const override { return detail::dropout_repr(p, inplace); }     \
    Scalar p;                                                                                \
    bool inplace;                                                                            \
  };                                                                                         \
  class Name : public ModuleHolder<Name##Impl> {                                             \
   public:                                                                                   \
    using ModuleHolder<Name##Impl>::ModuleHolder;                                            \
    Name(DropoutOptions options = {}); /* NOLINT */                                          \
  }

WICK_DROPOUT_MODULE(Dropout, dropout);
WICK_DROPOUT_MODULE(Dropout1d, dropout1d);
WICK_DROPOUT_MODULE(Dropout2d, dropout2d);
WICK_DROPOUT_MODULE(Dropout3d, dropout3d);
WICK_DROPOUT_MODULE(AlphaDropout, alpha_dropout);
WICK_DROPOUT_MODULE(FeatureAlphaDropout, feature_alpha_dropout);
#undef WICK_DROPOUT_MODULE

}  // namespace wick::nn

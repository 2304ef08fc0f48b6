// Dropout modules: the shared constructor check and the holders' constructors (the modules
// themselves are inline in the header).
#include "wick/nn/modules/dropout.h"

namespace wick::nn::detail {

void check_dropout_p(const Scalar& p, const char* module) {
  double v = p.to_double();
  WICK_CHECK(v >= 0 && v <= 1, module, ": dropout probability has to be between 0 and 1, but got ",
             py_repr(p));
}

}  // namespace wick::nn::detail

namespace wick::nn {

#define WICK_DROPOUT_HOLDER_CTOR(Name) \
  Name::Name(DropoutOptions options) : ModuleHolder<Name##Impl>(options) {}
WICK_DROPOUT_HOLDER_CTOR(Dropout)
WICK_DROPOUT_HOLDER_CTOR(Dropout1d)
WICK_DROPOUT_HOLDER_CTOR(Dropout2d)
WICK_DROPOUT_HOLDER_CTOR(Dropout3d)
WICK_DROPOUT_HOLDER_CTOR(AlphaDropout)
WICK_DROPOUT_HOLDER_CTOR(FeatureAlphaDropout)
#undef WICK_DROPOUT_HOLDER_CTOR

}  // namespace wick::nn

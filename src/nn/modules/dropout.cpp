// Dropout modules: the shared constructor check (the modules themselves are inline in the header).
#include "wick/nn/modules/dropout.h"

namespace wick::nn::detail {

void check_dropout_p(const Scalar& p, const char* module) {
  double v = p.to_double();
  WICK_CHECK(v >= 0 && v <= 1, module, ": dropout probability has to be between 0 and 1, but got ",
             py_repr(p));
}

}  // namespace wick::nn::detail

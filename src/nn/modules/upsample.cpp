// Upsample's printing: Python's repr of the float scale factor(s) or int size(s), then the mode.
#include "wick/nn/modules/upsampling.h"

namespace wick::nn {

std::string UpsampleImpl::extra_repr() const {
  std::string s;
  if (options.scale_factor) {
    // PyTorch stores scale_factor as float(s): 2 prints as 2.0.
    std::string items;
    for (double v : options.scale_factor.values())
      items += (items.empty() ? "" : ", ") + detail::py_repr(Scalar(v));
    s = "scale_factor=" + (options.scale_factor.is_scalar() ? items : "(" + items + (options.scale_factor.values().size() == 1 ? ",)" : ")"));
  } else {
    const auto& v = options.size.values();
    s = "size=" + (options.size.is_scalar() ? std::to_string(v[0]) : detail::py_tuple(v));
  }
  return s + ", mode=" + options.mode;
}

WICK_OPTIONS_MODULE_CTOR(Upsample, UpsampleOptions)
WICK_OPTIONS_MODULE_CTOR(UpsamplingNearest2d, UpsamplingOptions)
WICK_OPTIONS_MODULE_CTOR(UpsamplingBilinear2d, UpsamplingOptions)

}  // namespace wick::nn

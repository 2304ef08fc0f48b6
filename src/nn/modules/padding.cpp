// Padding layers: forward through F::pad (errors re-thrown with the layer's printed form in
// front) and PyTorch's printing: ConstantPadNd shows padding= and value=, the others the tuple.
#include "wick/nn/modules/padding.h"

#include "wick/nn/functional/padding.h"

namespace wick::nn {

template <size_t D>
PadImpl<D>::PadImpl(std::string name, std::string mode_, ExpandingArray<2 * D> padding_, Scalar value_)
    : Module(std::move(name)), mode(std::move(mode_)), padding(padding_), value(value_) {}

template <size_t D>
Tensor PadImpl<D>::forward(const Tensor& input) {
  try {
    return functional::pad(input, padding, {.mode = mode, .value = value.to_double()});
  } catch (const Error& e) {
    throw Error(name() + "(" + extra_repr() + "): " + e.what());
  }
}

template <size_t D>
std::string PadImpl<D>::extra_repr() const {
  if (name().starts_with("ConstantPad"))
    return "padding=" + detail::py_tuple(padding) + ", value=" + detail::py_repr(value);
  return detail::py_tuple(padding);
}

template struct PadImpl<1>;
template struct PadImpl<2>;
template struct PadImpl<3>;

}  // namespace wick::nn

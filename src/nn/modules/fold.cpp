// Fold / Unfold modules: settings, printing as PyTorch's print(module), forward through
// nn::functional.
#include "wick/nn/modules/fold.h"

namespace wick::nn {
namespace {

// PyTorch prints what the user passed; ExpandingArray forgets whether that was an int, so a pair of
// equal entries prints as the int (the common case: kernel_size=2), as the pooling modules do.
std::string py_arg(const ExpandingArray<2>& a) {
  return a[0] == a[1] ? std::to_string(a[0]) : detail::py_tuple(a);
}

std::string geometry_repr(const ExpandingArray<2>& k, const ExpandingArray<2>& d,
                          const ExpandingArray<2>& p, const ExpandingArray<2>& s) {
  return "kernel_size=" + py_arg(k) + ", dilation=" + py_arg(d) + ", padding=" + py_arg(p) +
         ", stride=" + py_arg(s);
}

}  // namespace

FoldImpl::FoldImpl(ExpandingArray<2> out, ExpandingArray<2> k, FoldOptions o)
    : Module("Fold"),
      output_size(out),
      kernel_size(k),
      dilation(o.dilation),
      padding(o.padding),
      stride(o.stride) {}

Tensor FoldImpl::forward(const Tensor& input) {
  return functional::fold(input, output_size, kernel_size,
                          {.dilation = dilation, .padding = padding, .stride = stride});
}

std::string FoldImpl::extra_repr() const {
  return "output_size=" + py_arg(output_size) + ", " +
         geometry_repr(kernel_size, dilation, padding, stride);
}

UnfoldImpl::UnfoldImpl(ExpandingArray<2> k, UnfoldOptions o)
    : Module("Unfold"),
      kernel_size(k),
      dilation(o.dilation),
      padding(o.padding),
      stride(o.stride) {}

Tensor UnfoldImpl::forward(const Tensor& input) {
  return functional::unfold(input, kernel_size,
                            {.dilation = dilation, .padding = padding, .stride = stride});
}

std::string UnfoldImpl::extra_repr() const {
  return geometry_repr(kernel_size, dilation, padding, stride);
}

Fold::Fold(ExpandingArray<2> output_size, ExpandingArray<2> kernel_size, FoldOptions options)
    : ModuleHolder<FoldImpl>(output_size, kernel_size, options) {}

Unfold::Unfold(ExpandingArray<2> kernel_size, UnfoldOptions options)
    : ModuleHolder<UnfoldImpl>(kernel_size, options) {}

}  // namespace wick::nn

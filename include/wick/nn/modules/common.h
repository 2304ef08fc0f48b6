// Helpers shared by the layer headers: Python-style formatting for extra_repr (so printed modules
// equal PyTorch's text) and WICK_OPTIONS_MODULE, a holder that also takes a braced options struct
// (`nn::LeakyReLU({.negative_slope = 0.2})`), which a forwarding template cannot deduce.
#pragma once

#include <string>

#include "wick/core/scalar.h"
#include "wick/core/shape.h"
#include "wick/nn/holder.h"

namespace wick::nn::detail {

// repr() of a Python number: 1 for an integral Scalar, 1.0 / 0.01 / 1e-05 for a floating one.
std::string py_repr(const Scalar& v);
inline std::string py_bool(bool b) { return b ? "True" : "False"; }
// A tuple as Python prints it: (2, 5) or (5,).
std::string py_tuple(IntArrayRef v);

}  // namespace wick::nn::detail

// Holder for NameImpl whose constructor is NameImpl(Options = {}): Name(), Name({.field = v}).
// The constructor is defined by WICK_OPTIONS_MODULE_CTOR in the module's .cpp: it instantiates
// make_shared and the clone() factory, which cost every file including nn.h 3 s when inline.
#define WICK_OPTIONS_MODULE(Name, Options)                    \
  class Name : public ::wick::nn::ModuleHolder<Name##Impl> {  \
   public:                                                    \
    using ::wick::nn::ModuleHolder<Name##Impl>::ModuleHolder; \
    Name(Options opts = {}); /* NOLINT */                     \
  }
#define WICK_OPTIONS_MODULE_CTOR(Name, Options) \
  Name::Name(Options opts) : ::wick::nn::ModuleHolder<Name##Impl>(opts) {}

// Out-of-line constructors of the activation holders, and PReLU's (the only activation with a
// parameter).
#include "wick/nn/modules/activation.h"

#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {

PReLUImpl::PReLUImpl(PReLUOptions o) : Module("PReLU"), num_parameters(o.num_parameters) {
  WICK_CHECK(num_parameters >= 1, "PReLU: num_parameters must be at least 1, got ", num_parameters);
  weight = register_parameter("weight", full({num_parameters}, o.init,
                                             {.dtype = o.dtype.value_or(default_dtype()),
                                              .device = o.device.value_or(Device(kCPU))}));
}

Threshold::Threshold(Scalar threshold, Scalar value, ThresholdOptions options)
    : ModuleHolder<ThresholdImpl>(threshold, value, options) {}

WICK_OPTIONS_MODULE_CTOR(ReLU, InplaceOptions)
WICK_OPTIONS_MODULE_CTOR(ReLU6, InplaceOptions)
WICK_OPTIONS_MODULE_CTOR(SELU, InplaceOptions)
WICK_OPTIONS_MODULE_CTOR(SiLU, InplaceOptions)
WICK_OPTIONS_MODULE_CTOR(Mish, InplaceOptions)
WICK_OPTIONS_MODULE_CTOR(Hardsigmoid, InplaceOptions)
WICK_OPTIONS_MODULE_CTOR(Hardswish, InplaceOptions)
WICK_OPTIONS_MODULE_CTOR(LeakyReLU, LeakyReLUOptions)
WICK_OPTIONS_MODULE_CTOR(RReLU, RReLUOptions)
WICK_OPTIONS_MODULE_CTOR(ELU, ELUOptions)
WICK_OPTIONS_MODULE_CTOR(CELU, CELUOptions)
WICK_OPTIONS_MODULE_CTOR(GELU, GELUOptions)
WICK_OPTIONS_MODULE_CTOR(Hardtanh, HardtanhOptions)
WICK_OPTIONS_MODULE_CTOR(Hardshrink, ShrinkOptions)
WICK_OPTIONS_MODULE_CTOR(Softshrink, ShrinkOptions)
WICK_OPTIONS_MODULE_CTOR(Softplus, SoftplusOptions)
WICK_OPTIONS_MODULE_CTOR(PReLU, PReLUOptions)

}  // namespace wick::nn

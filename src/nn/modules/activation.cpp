// PReLU's constructor (the only activation with a parameter).
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

}  // namespace wick::nn

// Flatten and Unflatten: the modules are inline in the header; the holders' constructors are here.
#include "wick/nn/modules/flatten.h"

namespace wick::nn {

Unflatten::Unflatten(int64_t dim, Shape unflattened_size)
    : ModuleHolder<UnflattenImpl>(dim, std::move(unflattened_size)) {}

WICK_OPTIONS_MODULE_CTOR(Flatten, FlattenOptions)

}  // namespace wick::nn

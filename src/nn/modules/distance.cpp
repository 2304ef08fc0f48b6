// CosineSimilarity and PairwiseDistance: the modules are inline in the header; the holders'
// constructors are here.
#include "wick/nn/modules/distance.h"

namespace wick::nn {

WICK_OPTIONS_MODULE_CTOR(CosineSimilarity, CosineSimilarityOptions)
WICK_OPTIONS_MODULE_CTOR(PairwiseDistance, PairwiseDistanceOptions)

}  // namespace wick::nn

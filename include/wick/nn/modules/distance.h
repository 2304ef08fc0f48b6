// CosineSimilarity and PairwiseDistance (torch.nn.*): no parameters; they print as PyTorch does
// (`CosineSimilarity()`, without settings).
#pragma once

#include "wick/nn/functional/distance.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

struct CosineSimilarityOptions {
  int64_t dim = 1;
  double eps = 1e-8;
};
struct CosineSimilarityImpl : Module {
  explicit CosineSimilarityImpl(CosineSimilarityOptions o = {})
      : Module("CosineSimilarity"), dim(o.dim), eps(o.eps) {}
  Tensor forward(const Tensor& x1, const Tensor& x2) {
    return functional::cosine_similarity(x1, x2, dim, eps);
  }
  int64_t dim;
  double eps;
};
WICK_OPTIONS_MODULE(CosineSimilarity, CosineSimilarityOptions);

struct PairwiseDistanceOptions {
  double p = 2.0;
  double eps = 1e-6;
  bool keepdim = false;
};
struct PairwiseDistanceImpl : Module {
  explicit PairwiseDistanceImpl(PairwiseDistanceOptions o = {})
      : Module("PairwiseDistance"), p(o.p), eps(o.eps), keepdim(o.keepdim) {}
  Tensor forward(const Tensor& x1, const Tensor& x2) {
    return functional::pairwise_distance(x1, x2, p, eps, keepdim);
  }
  double p, eps;
  bool keepdim;
};
WICK_OPTIONS_MODULE(PairwiseDistance, PairwiseDistanceOptions);

}  // namespace wick::nn

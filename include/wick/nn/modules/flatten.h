// Flatten and Unflatten (torch.nn.Flatten/Unflatten): views over a range of dims; shape errors come
// from Tensor::flatten/unflatten.
#pragma once

#include <string>

#include "wick/nn/modules/common.h"

namespace wick::nn {

struct FlattenOptions {
  int64_t start_dim = 1;
  int64_t end_dim = -1;
};

struct FlattenImpl : Module {
  explicit FlattenImpl(FlattenOptions options = {})
      : Module("Flatten"), start_dim(options.start_dim), end_dim(options.end_dim) {}
  Tensor forward(const Tensor& input) { return input.flatten(start_dim, end_dim); }
  std::string extra_repr() const override {
    return "start_dim=" + std::to_string(start_dim) + ", end_dim=" + std::to_string(end_dim);
  }
  int64_t start_dim, end_dim;
};
WICK_OPTIONS_MODULE(Flatten, FlattenOptions);

// nn::Unflatten(1, {2, 5}): dim `dim` of size 10 becomes (2, 5).
struct UnflattenImpl : Module {
  UnflattenImpl(int64_t dim_, Shape unflattened_size_)
      : Module("Unflatten"), dim(dim_), unflattened_size(std::move(unflattened_size_)) {}
  Tensor forward(const Tensor& input) { return input.unflatten(dim, unflattened_size); }
  std::string extra_repr() const override {
    return "dim=" + std::to_string(dim) +
           ", unflattened_size=" + detail::py_tuple(unflattened_size);
  }
  int64_t dim;
  Shape unflattened_size;
};

class Unflatten : public ModuleHolder<UnflattenImpl> {
 public:
  using ModuleHolder<UnflattenImpl>::ModuleHolder;
  Unflatten(int64_t dim, Shape unflattened_size);
};

}  // namespace wick::nn

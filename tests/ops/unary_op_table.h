// The unary ops of wick/ops/pointwise.h by PyTorch name, shared by the value and gradient tests.
// positive_only marks ops whose domain (for gradchecks) is x > 0.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "wick/wick.h"

namespace wick::testing {

struct UnaryOpCase {
  std::string name;
  std::function<Tensor(const Tensor&)> fn;
  bool positive_only = false;
};

inline const std::vector<UnaryOpCase>& unary_op_table() {
  static const std::vector<UnaryOpCase> ops = {
      {"abs", [](const Tensor& x) { return abs(x); }},
      {"sign", [](const Tensor& x) { return sign(x); }},
      {"exp", [](const Tensor& x) { return exp(x); }},
      {"log", [](const Tensor& x) { return log(x); }, true},
      {"log1p", [](const Tensor& x) { return log1p(x); }, true},
      {"expm1", [](const Tensor& x) { return expm1(x); }},
      {"sqrt", [](const Tensor& x) { return sqrt(x); }, true},
      {"rsqrt", [](const Tensor& x) { return rsqrt(x); }, true},
      {"sin", [](const Tensor& x) { return sin(x); }},
      {"cos", [](const Tensor& x) { return cos(x); }},
      {"tanh", [](const Tensor& x) { return tanh(x); }},
      {"sigmoid", [](const Tensor& x) { return sigmoid(x); }},
      {"relu", [](const Tensor& x) { return relu(x); }},
      {"erf", [](const Tensor& x) { return erf(x); }},
      {"reciprocal", [](const Tensor& x) { return reciprocal(x); }},
      {"square", [](const Tensor& x) { return square(x); }},
  };
  return ops;
}

}  // namespace wick::testing

// Reductions over all dims or the given ones, with keepdim, as torch.sum/mean/var/max/...
#pragma once

#include <optional>
#include <tuple>

#include "wick/core/tensor.h"

namespace wick {

Tensor sum(const Tensor& x, std::optional<DType> dtype = std::nullopt);
Tensor sum(const Tensor& x, IntArrayRef dim, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, IntArrayRef dim, bool keepdim = false);
// var(x) / var(x, {1}) / var(x, {}, {.correction = 0}): an empty dim list reduces every dim.
// (One overload only: a separate var(x, VarOptions) would make var(x, {1}) ambiguous.)
Tensor var(const Tensor& x, IntArrayRef dim = {}, VarOptions opts = {});
Tensor std(const Tensor& x, IntArrayRef dim = {}, VarOptions opts = {});
Tensor prod(const Tensor& x);
Tensor prod(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor max(const Tensor& x);
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor min(const Tensor& x);
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor amax(const Tensor& x, IntArrayRef dim, bool keepdim = false);
Tensor amin(const Tensor& x, IntArrayRef dim, bool keepdim = false);
Tensor argmax(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor norm(const Tensor& x, const Scalar& p = 2);
Tensor norm(const Tensor& x, const Scalar& p, IntArrayRef dim, bool keepdim = false);
Tensor logsumexp(const Tensor& x, IntArrayRef dim, bool keepdim = false);
Tensor all(const Tensor& x);
Tensor all(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& x);
Tensor any(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor cumsum(const Tensor& x, int64_t dim);

// Sums `grad` down to `shape` (undoes broadcasting): what every broadcasting backward needs.
Tensor sum_to(const Tensor& grad, IntArrayRef shape);

}  // namespace wick

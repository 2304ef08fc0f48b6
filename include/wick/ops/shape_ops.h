// Views (share storage: view, reshape, permute, ...) and joining/splitting (cat, stack, split,
// chunk), as their torch.* free functions. Tensor's methods call these.
#pragma once

#include <vector>

#include "wick/core/tensor.h"

namespace wick {

Tensor view(const Tensor& x, IntArrayRef size);
Tensor reshape(const Tensor& x, IntArrayRef size);
Tensor flatten(const Tensor& x, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor unflatten(const Tensor& x, int64_t dim, IntArrayRef sizes);
Tensor squeeze(const Tensor& x);
Tensor squeeze(const Tensor& x, int64_t dim);
Tensor unsqueeze(const Tensor& x, int64_t dim);
Tensor permute(const Tensor& x, IntArrayRef dims);
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1);
Tensor t(const Tensor& x);
Tensor expand(const Tensor& x, IntArrayRef size);
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);
Tensor select(const Tensor& x, int64_t dim, int64_t index);
// x[start:stop:step] along dim (step > 0), clamped like Python slicing.
Tensor slice(const Tensor& x, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step = 1);
Tensor unfold(const Tensor& x, int64_t dimension, int64_t size, int64_t step);
// A view with arbitrary sizes/strides/offset over x's storage (torch.as_strided).
Tensor as_strided(const Tensor& x, IntArrayRef size, IntArrayRef stride, std::optional<int64_t> storage_offset = std::nullopt);
Tensor contiguous(const Tensor& x);

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim = 0);
std::vector<Tensor> unbind(const Tensor& x, int64_t dim = 0);

}  // namespace wick

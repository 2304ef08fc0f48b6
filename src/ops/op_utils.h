// Helpers shared by op implementations (not public API): allocating results on an input's device,
// autograd-free views for kernels, and the promotion/broadcast step of elementwise ops.
#pragma once

#include <vector>

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/core/tensor.h"

namespace wick::ops {

using autograd::SavedTensor;
using autograd::variable_list;

// A new contiguous tensor (contents undefined).
Tensor new_empty(IntArrayRef sizes, DType dtype, Device device);
// A view of t with other sizes/strides/offset; no autograd (kernels and backward helpers use it).
Tensor raw_view(const Tensor& t, IntArrayRef sizes, IntArrayRef strides, int64_t offset);
// t broadcast to `shape` as a stride-0 view (no autograd).
Tensor raw_expand(const Tensor& t, IntArrayRef shape);
// t converted to dtype (no autograd; returns t itself when it already has it).
Tensor raw_cast(const Tensor& t, DType dtype);
// A device check that names the op: all tensors must be on one device.
void check_same_device(const char* op, const std::vector<Tensor>& ts);

// Reduction dims: wrapped, sorted, checked for repeats; empty = all dims.
Shape reduction_dims(const Tensor& x, IntArrayRef dim, const char* op);
// x's shape with size 1 at each reduced dim (the kernels' output shape).
Shape keepdim_shape(const Tensor& x, const Shape& dims);
// keepdim form -> the shape without the reduced dims.
Shape drop_dims(const Shape& keep, const Shape& dims);

}  // namespace wick::ops

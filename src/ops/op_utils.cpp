// Shared op helpers.
#include "op_utils.h"

#include <algorithm>

namespace wick::ops {

Tensor new_empty(IntArrayRef sizes, DType dtype, Device device) {
  for (int64_t s : sizes) WICK_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", shape_str(sizes));
  // The byte count with PyTorch's check and text when it does not fit (zero sizes left out, as
  // numel_of does; a bytes count that fits implies an element count that fits).
  int64_t bytes = itemsize(dtype);
  bool overflow = false, empty = false;
  for (int64_t s : sizes) {
    if (s == 0)
      empty = true;
    else
      overflow = overflow || __builtin_mul_overflow(bytes, s, &bytes);
  }
  WICK_CHECK(!overflow, "Storage size calculation overflowed with sizes=", shape_str(sizes));
  Storage st = backend_for(device).allocate(empty ? 0 : static_cast<size_t>(bytes), device);
  return Tensor(wick::detail::make_pooled<TensorImpl>(std::move(st), sizes, dtype));
}

Tensor raw_view(const Tensor& t, IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  auto impl =
      wick::detail::make_pooled<TensorImpl>(t.impl()->storage, offset, sizes, strides, t.dtype());
  impl->view_base = t.impl()->view_base ? t.impl()->view_base : t.impl_ptr();
  return Tensor(std::move(impl));
}

Tensor raw_expand(const Tensor& t, IntArrayRef shape) {
  if (t.sizes() == shape) return t;
  const int64_t nd = static_cast<int64_t>(shape.size()), td = t.dim();
  WICK_CHECK(nd >= td, "expand: the number of sizes provided (", nd, ") must be greater or equal to the number of "
             "dimensions in the tensor (", td, ")");
  Shape st(static_cast<size_t>(nd), 0);
  for (int64_t i = 0; i < nd; ++i) {
    int64_t j = i - (nd - td);
    if (j < 0) continue;
    int64_t s = t.size(j);
    WICK_CHECK(s == shape[static_cast<size_t>(i)] || s == 1, "The expanded size of the tensor (", shape[static_cast<size_t>(i)],
               ") must match the existing size (", s, ") at non-singleton dimension ", i, ".  Target sizes: ",
               shape_str(shape), ".  Tensor sizes: ", shape_str(t.sizes()));
    st[static_cast<size_t>(i)] = s == 1 && shape[static_cast<size_t>(i)] != 1 ? 0 : t.stride(j);
  }
  numel_of(shape);  // the one view that grows the element count: throws here if it overflows
  return raw_view(t, shape, st, t.storage_offset());
}

Tensor raw_cast(const Tensor& t, DType dtype) {
  if (t.dtype() == dtype) return t;
  Tensor out = new_empty(t.sizes(), dtype, t.device());
  backend_for(t).copy_(out, t);
  return out;
}

void check_same_device(const char* op, const std::vector<Tensor>& ts) {
  const Tensor* first = nullptr;
  for (const auto& t : ts) {
    if (!t.defined()) continue;
    if (!first) {
      first = &t;
      continue;
    }
    WICK_CHECK(t.device() == first->device(), op, ": expected all tensors to be on the same device, but found at least "
               "two devices, ", first->device().str(), " and ", t.device().str(), "!");
  }
}

// Sorted, wrapped, de-duplicated reduction dims; empty list = all dims (PyTorch's sum(dim=[])).
Shape reduction_dims(const Tensor& x, IntArrayRef dim, const char* op) {
  Shape d;
  if (dim.empty()) {
    for (int64_t i = 0; i < x.dim(); ++i) d.push_back(i);
    return d;
  }
  std::vector<bool> seen(static_cast<size_t>(std::max<int64_t>(x.dim(), 1)), false);
  for (int64_t v : dim) {
    int64_t w = wrap_dim(v, x.dim());
    WICK_CHECK(!seen[static_cast<size_t>(w)], op, ": dim ", w, " appears multiple times in the list of dims");
    seen[static_cast<size_t>(w)] = true;
    if (x.dim() > 0) d.push_back(w);
  }
  std::sort(d.begin(), d.end());
  return d;
}

Shape keepdim_shape(const Tensor& x, const Shape& dims) {
  Shape s = x.sizes().vec();
  for (int64_t d : dims) s[static_cast<size_t>(d)] = 1;
  return s;
}

Shape drop_dims(const Shape& keep, const Shape& dims) {
  Shape s;
  for (size_t i = 0; i < keep.size(); ++i)
    if (std::find(dims.begin(), dims.end(), static_cast<int64_t>(i)) == dims.end()) s.push_back(keep[i]);
  return s;
}

}  // namespace wick::ops

// View ops: new sizes/strides over the same storage, each with its backward. select/narrow/slice
// share one backward op (slice_backward) that places the gradient into zeros of the input's shape.
#include <algorithm>
#include <numeric>

#include "op_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/reduction.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace {

// PyTorch's computeStride: strides for viewing (sizes, strides) as new_sizes without a copy, or
// nullopt when a dimension would span two non-contiguous chunks.
std::optional<Shape> compute_view_strides(IntArrayRef old_sizes, IntArrayRef old_strides, IntArrayRef new_sizes) {
  if (old_sizes.empty()) return Shape(new_sizes.size(), 1);
  if (numel_of(old_sizes) == 0) return contiguous_strides(new_sizes);
  Shape new_strides(new_sizes.size());
  int64_t view_d = static_cast<int64_t>(new_sizes.size()) - 1;
  int64_t chunk_base_stride = old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old_sizes.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_sizes[static_cast<size_t>(d)];
    if (d == 0 || (old_sizes[static_cast<size_t>(d - 1)] != 1 &&
                   old_strides[static_cast<size_t>(d - 1)] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[static_cast<size_t>(view_d)] == 1)) {
        new_strides[static_cast<size_t>(view_d)] = view_numel * chunk_base_stride;
        view_numel *= new_sizes[static_cast<size_t>(view_d)];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_base_stride = old_strides[static_cast<size_t>(d - 1)];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return new_strides;
}

// Resolves one -1 in a requested shape, checking the element count.
Shape infer_size(IntArrayRef shape, int64_t numel, const char* op) {
  Shape out = shape.vec();
  int64_t known = 1;
  std::optional<size_t> infer;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      WICK_CHECK(!infer, op, ": only one dimension can be inferred");
      infer = i;
    } else {
      WICK_CHECK(out[i] >= 0, op, ": invalid shape dimension ", out[i]);
      known *= out[i];
    }
  }
  if (infer) {
    WICK_CHECK(known != 0 && numel % known == 0, "shape '", shape_str(shape), "' is invalid for input of size ", numel);
    out[*infer] = numel / known;
  } else {
    WICK_CHECK(known == numel, "shape '", shape_str(shape), "' is invalid for input of size ", numel);
  }
  return out;
}

// The gradient of x[dim, start:start+len*step:step] placed into zeros of x's shape. Its own
// backward is the slice again, so double backward works.
Tensor slice_backward(const Tensor& g, IntArrayRef input_sizes, int64_t dim, int64_t start, int64_t step) {
  Tensor out = zeros(input_sizes, {.dtype = g.dtype(), .device = g.device()});
  Shape st = out.strides().vec();
  Shape sz = out.sizes().vec();
  sz[static_cast<size_t>(dim)] = g.size(dim);
  int64_t off = start * st[static_cast<size_t>(dim)];
  st[static_cast<size_t>(dim)] *= step;
  backend_for(out).copy_(raw_view(out, sz, st, off), g);
  const int64_t len = g.size(dim);
  return autograd::record("SliceBackwardBackward0", out, {g}, [dim, start, step, len](const variable_list& gg) {
    return variable_list{slice(gg[0], dim, start, start + (len - 1) * step + 1, step)};
  });
}

Tensor make_view(const char* name, const Tensor& x, IntArrayRef sizes, IntArrayRef strides, int64_t offset,
                 autograd::BackwardFn backward) {
  Tensor v = raw_view(x, sizes, strides, offset);
  return autograd::record(name, v, {x}, std::move(backward));
}

}  // namespace

Tensor view(const Tensor& x, IntArrayRef size) {
  Shape shape = infer_size(size, x.numel(), "view");
  auto st = compute_view_strides(x.sizes(), x.strides(), shape);
  WICK_CHECK(st.has_value(), "view size is not compatible with input tensor's size and stride (at least one dimension "
             "spans across two contiguous subspaces). Use .reshape(...) instead.");
  Shape in = x.sizes().vec();
  return make_view("ViewBackward0", x, shape, *st, x.storage_offset(),
                   [in](const variable_list& g) { return variable_list{g[0].reshape(in)}; });
}

Tensor reshape(const Tensor& x, IntArrayRef size) {
  Shape shape = infer_size(size, x.numel(), "reshape");
  // PyTorch's node names: a view is _reshape_alias, a copy is clone + _unsafe_view.
  auto st = compute_view_strides(x.sizes(), x.strides(), shape);
  const char* name = st ? "ReshapeAliasBackward0" : "UnsafeViewBackward0";
  Tensor src = st ? x : x.clone();
  if (!st) st = contiguous_strides(shape);
  Shape in = x.sizes().vec();
  return make_view(name, src, shape, *st, src.storage_offset(),
                   [in](const variable_list& g) { return variable_list{g[0].reshape(in)}; });
}

Tensor flatten(const Tensor& x, int64_t start_dim, int64_t end_dim) {
  if (x.dim() == 0) return reshape(x, {1});
  int64_t s = wrap_dim(start_dim, x.dim()), e = wrap_dim(end_dim, x.dim());
  WICK_CHECK(s <= e, "flatten() has invalid args: start_dim cannot come after end_dim");
  if (s == e) return x;
  Shape shape;
  for (int64_t i = 0; i < s; ++i) shape.push_back(x.size(i));
  int64_t m = 1;
  for (int64_t i = s; i <= e; ++i) m *= x.size(i);
  shape.push_back(m);
  for (int64_t i = e + 1; i < x.dim(); ++i) shape.push_back(x.size(i));
  return reshape(x, shape);
}

Tensor unflatten(const Tensor& x, int64_t dim, IntArrayRef sizes) {
  int64_t d = wrap_dim(dim, x.dim());
  Shape inner = infer_size(sizes, x.size(d), "unflatten");
  Shape shape;
  for (int64_t i = 0; i < d; ++i) shape.push_back(x.size(i));
  shape.insert(shape.end(), inner.begin(), inner.end());
  for (int64_t i = d + 1; i < x.dim(); ++i) shape.push_back(x.size(i));
  return view(x, shape);
}

Tensor squeeze(const Tensor& x) {
  Shape sz, st;
  for (int64_t i = 0; i < x.dim(); ++i)
    if (x.size(i) != 1) {
      sz.push_back(x.size(i));
      st.push_back(x.stride(i));
    }
  Shape in = x.sizes().vec();
  return make_view("SqueezeBackward0", x, sz, st, x.storage_offset(),
                   [in](const variable_list& g) { return variable_list{g[0].reshape(in)}; });
}

Tensor squeeze(const Tensor& x, int64_t dim) {
  int64_t d = wrap_dim(dim, x.dim());
  if (x.dim() == 0 || x.size(d) != 1) return make_view("SqueezeBackward1", x, x.sizes(), x.strides(), x.storage_offset(),
                                                       [](const variable_list& g) { return g; });
  Shape sz = x.sizes().vec(), st = x.strides().vec();
  sz.erase(sz.begin() + d);
  st.erase(st.begin() + d);
  return make_view("SqueezeBackward1", x, sz, st, x.storage_offset(),
                   [d](const variable_list& g) { return variable_list{g[0].unsqueeze(d)}; });
}

Tensor unsqueeze(const Tensor& x, int64_t dim) {
  int64_t d = wrap_dim(dim, x.dim() + 1);
  Shape sz = x.sizes().vec(), st = x.strides().vec();
  int64_t new_stride = d < x.dim() ? sz[static_cast<size_t>(d)] * st[static_cast<size_t>(d)] : 1;
  sz.insert(sz.begin() + d, 1);
  st.insert(st.begin() + d, new_stride);
  return make_view("UnsqueezeBackward0", x, sz, st, x.storage_offset(),
                   [d](const variable_list& g) { return variable_list{g[0].squeeze(d)}; });
}

Tensor permute(const Tensor& x, IntArrayRef dims) {
  const int64_t n = x.dim();
  WICK_CHECK(static_cast<int64_t>(dims.size()) == n, "permute(sparse_coo): number of dimensions in the tensor input does "
             "not match the length of the desired ordering of dimensions i.e. input.dim() = ", n, " is not equal to len(dims) = ",
             dims.size());
  Shape sz(static_cast<size_t>(n)), st(static_cast<size_t>(n)), inv(static_cast<size_t>(n));
  std::vector<bool> seen(static_cast<size_t>(n), false);
  for (int64_t i = 0; i < n; ++i) {
    int64_t d = wrap_dim(dims[static_cast<size_t>(i)], n);
    WICK_CHECK(!seen[static_cast<size_t>(d)], "permute(): duplicate dims are not allowed.");
    seen[static_cast<size_t>(d)] = true;
    sz[static_cast<size_t>(i)] = x.size(d);
    st[static_cast<size_t>(i)] = x.stride(d);
    inv[static_cast<size_t>(d)] = i;
  }
  return make_view("PermuteBackward0", x, sz, st, x.storage_offset(),
                   [inv](const variable_list& g) { return variable_list{g[0].permute(inv)}; });
}

Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1) {
  if (x.dim() == 0) return make_view("TransposeBackward0", x, {}, {}, x.storage_offset(), [](const variable_list& g) { return g; });
  int64_t a = wrap_dim(dim0, x.dim()), b = wrap_dim(dim1, x.dim());
  Shape sz = x.sizes().vec(), st = x.strides().vec();
  std::swap(sz[static_cast<size_t>(a)], sz[static_cast<size_t>(b)]);
  std::swap(st[static_cast<size_t>(a)], st[static_cast<size_t>(b)]);
  return make_view("TransposeBackward0", x, sz, st, x.storage_offset(),
                   [a, b](const variable_list& g) { return variable_list{g[0].transpose(a, b)}; });
}

Tensor t(const Tensor& x) {
  WICK_CHECK(x.dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", x.dim(), "D");
  // Its own node (TBackward0, as PyTorch names it), not transpose's.
  Shape sz = x.sizes().vec(), st = x.strides().vec();
  std::reverse(sz.begin(), sz.end());
  std::reverse(st.begin(), st.end());
  return make_view("TBackward0", x, sz, st, x.storage_offset(), [](const variable_list& g) { return variable_list{g[0].t()}; });
}

Tensor expand(const Tensor& x, IntArrayRef size) {
  // -1 keeps the existing size.
  Shape target = size.vec();
  const int64_t nd = static_cast<int64_t>(target.size());
  for (int64_t i = 0; i < nd; ++i) {
    int64_t j = i - (nd - x.dim());
    if (target[static_cast<size_t>(i)] == -1) {
      WICK_CHECK(j >= 0, "expand: -1 is not allowed in a leading, non-existing dimension ", i);
      target[static_cast<size_t>(i)] = x.size(j);
    }
  }
  Tensor v = raw_expand(x, target);
  Shape in = x.sizes().vec();
  return make_view("ExpandBackward0", x, v.sizes(), v.strides(), v.storage_offset(),
                   [in](const variable_list& g) { return variable_list{sum_to(g[0], in)}; });
}

Tensor slice(const Tensor& x, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step) {
  WICK_CHECK(x.dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
  WICK_CHECK(step > 0, "slice step must be positive, got ", step);
  int64_t d = wrap_dim(dim, x.dim());
  const int64_t n = x.size(d);
  auto clampi = [n](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + n : v, 0, n); };
  int64_t s = start ? clampi(*start) : 0;
  int64_t e = stop ? clampi(*stop) : n;
  int64_t len = e > s ? (e - s + step - 1) / step : 0;
  Shape sz = x.sizes().vec(), st = x.strides().vec();
  sz[static_cast<size_t>(d)] = len;
  int64_t off = x.storage_offset() + s * st[static_cast<size_t>(d)];
  st[static_cast<size_t>(d)] *= step;
  Shape in = x.sizes().vec();
  return make_view("SliceBackward0", x, sz, st, off, [in, d, s, step](const variable_list& g) {
    return variable_list{slice_backward(g[0], in, d, s, step)};
  });
}

Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
  WICK_CHECK(x.dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, x.dim());
  int64_t n = x.size(d);
  if (start < 0) start += n;
  WICK_CHECK(start >= 0 && length >= 0 && start + length <= n, "start (", start, ") + length (", length,
             ") exceeds dimension size (", n, ").");
  return slice(x, d, start, start + length, 1);
}

Tensor select(const Tensor& x, int64_t dim, int64_t index) {
  WICK_CHECK(x.dim() > 0, "select() cannot be applied to a 0-dim tensor.");
  int64_t d = wrap_dim(dim, x.dim());
  int64_t n = x.size(d);
  WICK_CHECK(index >= -n && index < n, "select(): index ", index, " out of range for tensor of size ",
             shape_str(x.sizes()), " at dimension ", d);
  if (index < 0) index += n;
  Shape sz = x.sizes().vec(), st = x.strides().vec();
  int64_t off = x.storage_offset() + index * st[static_cast<size_t>(d)];
  sz.erase(sz.begin() + d);
  st.erase(st.begin() + d);
  Shape in = x.sizes().vec();
  return make_view("SelectBackward0", x, sz, st, off, [in, d, index](const variable_list& g) {
    return variable_list{slice_backward(g[0].unsqueeze(d), in, d, index, 1)};
  });
}

Tensor as_strided(const Tensor& x, IntArrayRef size, IntArrayRef stride, std::optional<int64_t> storage_offset) {
  WICK_CHECK(size.size() == stride.size(), "as_strided: mismatch in length of strides and shape");
  int64_t off = storage_offset.value_or(x.storage_offset());
  // The last element's byte end; a span that overflows int64 cannot fit in any storage.
  int64_t hi = off, end_bytes = 0;
  bool overflow = false;
  for (size_t i = 0; i < size.size(); ++i) {
    WICK_CHECK(size[i] >= 0 && stride[i] >= 0, "as_strided: negative sizes or strides are not supported");
    int64_t span = 0;
    if (size[i] > 0)
      overflow = overflow || __builtin_mul_overflow(size[i] - 1, stride[i], &span) ||
                 __builtin_add_overflow(hi, span, &hi);
  }
  overflow = overflow || __builtin_add_overflow(hi, 1, &hi) ||
             __builtin_mul_overflow(hi, static_cast<int64_t>(x.element_size()), &end_bytes);
  WICK_CHECK(numel_of(size) == 0 || (!overflow && end_bytes <= static_cast<int64_t>(x.impl()->storage->nbytes())),
             "setStorage: sizes ", shape_str(size), ", strides ", shape_str(stride), " and storage offset ", off,
             " require more memory than the storage holds (", x.impl()->storage->nbytes(), " bytes)");
  WICK_CHECK(!autograd::needs_grad({x}), "as_strided: backward is not supported; use view ops, or call it under NoGradGuard");
  return raw_view(x, size, stride, off);
}

// ---- Tensor methods ----
Tensor Tensor::view(IntArrayRef size) const { return wick::view(*this, size); }
Tensor Tensor::reshape(IntArrayRef size) const { return wick::reshape(*this, size); }
Tensor Tensor::flatten(int64_t s, int64_t e) const { return wick::flatten(*this, s, e); }
Tensor Tensor::unflatten(int64_t dim, IntArrayRef sizes) const { return wick::unflatten(*this, dim, sizes); }
Tensor Tensor::squeeze() const { return wick::squeeze(*this); }
Tensor Tensor::squeeze(int64_t dim) const { return wick::squeeze(*this, dim); }
Tensor Tensor::unsqueeze(int64_t dim) const { return wick::unsqueeze(*this, dim); }
Tensor Tensor::permute(IntArrayRef dims) const { return wick::permute(*this, dims); }
Tensor Tensor::transpose(int64_t a, int64_t b) const { return wick::transpose(*this, a, b); }
Tensor Tensor::t() const { return wick::t(*this); }
Tensor Tensor::expand(IntArrayRef size) const { return wick::expand(*this, size); }
Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length) const { return wick::narrow(*this, dim, start, length); }
Tensor Tensor::select(int64_t dim, int64_t index) const { return wick::select(*this, dim, index); }

}  // namespace wick

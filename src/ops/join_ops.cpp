// Joining and splitting: cat, stack, split, chunk, unbind, and unfold (a sliding-window view).
// Split outputs are views sharing one multi-output node, as PyTorch's SplitBackward0. Not here:
// the plain views (view_ops.cpp) and advanced indexing (advanced_index.cpp).
#include "op_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace {

// Legacy rule kept by torch.cat: 1-D empty tensors are skipped whatever the other shapes are.
bool cat_skipped(const Tensor& t) { return t.dim() == 1 && t.numel() == 0; }

// Views of x along d: piece i starts at starts[i] and spans lens[i] (select instead when `squeeze`).
std::vector<Tensor> piece_views(const Tensor& x, int64_t d, const Shape& lens, bool squeeze) {
  std::vector<Tensor> out;
  int64_t start = 0;
  for (int64_t len : lens) {
    Shape sz = x.sizes().vec(), st = x.strides().vec();
    const int64_t off = x.storage_offset() + start * st[static_cast<size_t>(d)];
    if (squeeze) {
      sz.erase(sz.begin() + d);
      st.erase(st.begin() + d);
    } else {
      sz[static_cast<size_t>(d)] = len;
    }
    out.push_back(raw_view(x, sz, st, off));
    start += len;
  }
  return out;
}

std::vector<Tensor> split_impl(const char* name, const Tensor& x, int64_t d, const Shape& lens) {
  std::vector<Tensor> out = piece_views(x, d, lens, false);
  if (!is_floating_point(x.dtype())) return out;
  return autograd::record(name, out, {x}, [d](const variable_list& g) { return variable_list{cat(g, d)}; });
}

// The gradient of unfold: window element w of window i came from input position i * step + w,
// so the windows are laid side by side and index_add-ed back (overlaps accumulate).
Tensor unfold_backward(const Tensor& g, const Shape& in_sizes, int64_t d, int64_t size, int64_t step) {
  if (in_sizes.empty()) return g.reshape({});
  const int64_t nwin = g.size(d), last = g.dim() - 1;
  Shape order;
  for (int64_t i = 0; i <= d; ++i) order.push_back(i);
  order.push_back(last);
  for (int64_t i = d + 1; i < last; ++i) order.push_back(i);
  Shape merged = in_sizes;
  merged[static_cast<size_t>(d)] = nwin * size;
  Tensor windows = g.permute(order).reshape(merged);
  std::vector<int64_t> pos(static_cast<size_t>(nwin * size));
  for (int64_t i = 0; i < nwin; ++i)
    for (int64_t w = 0; w < size; ++w) pos[static_cast<size_t>(i * size + w)] = i * step + w;
  Tensor idx = tensor(pos, {.device = g.device()});
  return zeros(in_sizes, {.dtype = g.dtype(), .device = g.device()}).index_add(d, idx, windows);
}

}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  WICK_CHECK(!tensors.empty(), "torch.cat(): expected a non-empty list of Tensors");
  check_same_device("cat", tensors);
  DType dt = tensors[0].dtype();
  const Tensor* ref = nullptr;
  for (size_t i = 0; i < tensors.size(); ++i) {
    WICK_CHECK(tensors[i].dim() > 0, "zero-dimensional tensor (at position ", i, ") cannot be concatenated");
    dt = promote_types(dt, tensors[i].dtype());
    if (!ref && !cat_skipped(tensors[i])) ref = &tensors[i];
  }
  if (!ref) return new_empty({0}, dt, tensors[0].device());
  const int64_t d = wrap_dim(dim, ref->dim());
  Shape out_sizes = ref->sizes().vec();
  out_sizes[static_cast<size_t>(d)] = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (cat_skipped(t)) continue;
    WICK_CHECK(t.dim() == ref->dim(), "Tensors must have same number of dimensions: got ", ref->dim(), " and ", t.dim());
    for (int64_t k = 0; k < t.dim(); ++k)
      WICK_CHECK(k == d || t.size(k) == ref->size(k), "Sizes of tensors must match except in dimension ", d,
                 ". Expected size ", ref->size(k), " but got size ", t.size(k), " for tensor number ", i, " in the list.");
    out_sizes[static_cast<size_t>(d)] += t.size(d);
  }
  Tensor out = new_empty(out_sizes, dt, ref->device());
  Shape lens;
  for (const Tensor& t : tensors) lens.push_back(cat_skipped(t) ? 0 : t.size(d));
  std::vector<Tensor> dst = piece_views(out, d, lens, false);
  for (size_t i = 0; i < tensors.size(); ++i)
    if (!cat_skipped(tensors[i]) && tensors[i].numel() > 0) backend_for(out).copy_(dst[i], tensors[i]);
  if (!is_floating_point(dt)) return out;
  std::vector<DType> dtypes;
  std::vector<bool> skipped;
  for (const Tensor& t : tensors) {
    dtypes.push_back(t.dtype());
    skipped.push_back(cat_skipped(t));
  }
  return autograd::record("CatBackward0", out, tensors, [d, lens, dtypes, skipped](const variable_list& g) {
    variable_list r;
    int64_t start = 0;
    for (size_t i = 0; i < lens.size(); ++i) {
      if (skipped[i] || !is_floating_point(dtypes[i])) {
        r.emplace_back();
      } else {
        Tensor gi = g[0].narrow(d, start, lens[i]);
        r.push_back(gi.dtype() == dtypes[i] ? gi : gi.to(dtypes[i]));
      }
      start += lens[i];
    }
    return r;
  });
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  WICK_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
  for (size_t i = 1; i < tensors.size(); ++i)
    WICK_CHECK(tensors[i].sizes() == tensors[0].sizes(), "stack expects each tensor to be equal size, but got ",
               shape_str(tensors[0].sizes()), " at entry 0 and ", shape_str(tensors[i].sizes()), " at entry ", i);
  const int64_t d = wrap_dim(dim, tensors[0].dim() + 1);
  Tensor out;
  {
    NoGradGuard no_grad;
    std::vector<Tensor> parts;
    for (const Tensor& t : tensors) parts.push_back(t.unsqueeze(d));
    out = cat(parts, d);
  }
  if (!is_floating_point(out.dtype())) return out;
  std::vector<DType> dtypes;
  for (const Tensor& t : tensors) dtypes.push_back(t.dtype());
  return autograd::record("StackBackward0", out, tensors, [d, dtypes](const variable_list& g) {
    variable_list r;
    for (size_t i = 0; i < dtypes.size(); ++i) {
      Tensor gi = g[0].select(d, static_cast<int64_t>(i));
      r.push_back(gi.dtype() == dtypes[i] ? gi : gi.to(dtypes[i]));
    }
    return r;
  });
}

std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim) {
  WICK_CHECK(x.dim() > 0, "split expects at least a 1-dimensional tensor");
  WICK_CHECK(split_size >= 0, "split expects split_size be non-negative, but got split_size=", split_size);
  const int64_t d = wrap_dim(dim, x.dim()), n = x.size(d);
  WICK_CHECK(split_size > 0 || n == 0, "split_size can only be 0 if dimension size is 0, but got dimension size of ", n);
  const int64_t pieces = split_size == 0 ? 1 : std::max<int64_t>((n + split_size - 1) / split_size, 1);
  Shape lens;
  for (int64_t i = 0; i < pieces; ++i) lens.push_back(std::min(split_size, n - i * split_size));
  return split_impl("SplitBackward0", x, d, lens);
}

std::vector<Tensor> split(const Tensor& x, IntArrayRef split_sizes, int64_t dim) {
  WICK_CHECK(x.dim() > 0, "split expects at least a 1-dimensional tensor");
  const int64_t d = wrap_dim(dim, x.dim()), n = x.size(d);
  int64_t total = 0;
  for (int64_t s : split_sizes) {
    WICK_CHECK(s >= 0, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=",
               shape_str(split_sizes));
    total += s;
  }
  WICK_CHECK(total == n, "split_with_sizes expects split_sizes to sum exactly to ", n, " (input tensor's size at dimension ",
             d, "), but got split_sizes=", shape_str(split_sizes));
  return split_impl("SplitWithSizesBackward0", x, d, split_sizes.vec());
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim) {
  WICK_CHECK(x.dim() > 0, "chunk expects at least a 1-dimensional tensor");
  WICK_CHECK(chunks > 0, "chunk expects `chunks` to be greater than 0, got: ", chunks);
  const int64_t d = wrap_dim(dim, x.dim()), n = x.size(d);
  if (n == 0) return split(x, Shape(static_cast<size_t>(chunks), 0), d);
  return split(x, (n + chunks - 1) / chunks, d);
}

std::vector<Tensor> unbind(const Tensor& x, int64_t dim) {
  WICK_CHECK(x.dim() > 0, "Dimension specified as 0 but tensor has no dimensions");
  const int64_t d = wrap_dim(dim, x.dim());
  std::vector<Tensor> out = piece_views(x, d, Shape(static_cast<size_t>(x.size(d)), 1), true);
  if (!is_floating_point(x.dtype())) return out;
  return autograd::record("UnbindBackward0", out, {x}, [d](const variable_list& g) { return variable_list{stack(g, d)}; });
}

Tensor unfold(const Tensor& x, int64_t dimension, int64_t size, int64_t step) {
  const int64_t d = wrap_dim(dimension, x.dim());
  const int64_t n = x.dim() == 0 ? 1 : x.size(d);
  WICK_CHECK(size <= n, "maximum size for tensor at dimension ", d, " is ", n, " but size is ", size);
  WICK_CHECK(size >= 0, "size is ", size, " but must be >= 0");
  WICK_CHECK(step > 0, "step is ", step, " but must be > 0");
  Shape sz = x.sizes().vec(), st = x.strides().vec();
  if (x.dim() == 0) {
    sz = {size};
    st = {1};
  } else {
    const int64_t stride = st[static_cast<size_t>(d)];
    sz[static_cast<size_t>(d)] = (n - size) / step + 1;
    st[static_cast<size_t>(d)] = stride * step;
    sz.push_back(size);
    st.push_back(stride);
  }
  Tensor v = raw_view(x, sz, st, x.storage_offset());
  if (!is_floating_point(x.dtype())) return v;
  Shape in = x.sizes().vec();
  return autograd::record("UnfoldBackward0", v, {x}, [in, d, size, step](const variable_list& g) {
    return variable_list{unfold_backward(g[0], in, d, size, step)};
  });
}

// ---- Tensor methods ----
std::vector<Tensor> Tensor::split(int64_t split_size, int64_t dim) const { return wick::split(*this, split_size, dim); }
std::vector<Tensor> Tensor::split(IntArrayRef sizes, int64_t dim) const { return wick::split(*this, sizes, dim); }
std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t dim) const { return wick::chunk(*this, chunks, dim); }
std::vector<Tensor> Tensor::unbind(int64_t dim) const { return wick::unbind(*this, dim); }
Tensor Tensor::unfold(int64_t dimension, int64_t size, int64_t step) const {
  return wick::unfold(*this, dimension, size, step);
}

}  // namespace wick

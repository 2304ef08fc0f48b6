// gather, scatter (tensor or scalar source), scatter_add, index_select and index_add, out of
// place and in place, each with its backward. Shape and dtype checks carry PyTorch's messages;
// index range checks happen in the kernels. Not here: advanced indexing (advanced_index.cpp).
#include "op_utils.h"
#include "pointwise_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace {

// Kernels expect rank >= 1: a 0-dim tensor is handed over as shape [1].
Tensor k1(const Tensor& t) { return t.dim() == 0 ? raw_view(t, {1}, {1}, t.storage_offset()) : t; }

// index_select/index_add take int32 or int64 vectors; the kernels want int64 [n].
Tensor index_vector(const Tensor& index, const char* op) {
  WICK_CHECK(index.dtype() == kInt64 || index.dtype() == kInt32, op, "(): Expected dtype int32 or int64 for index");
  WICK_CHECK(index.dim() <= 1, op, "(): Index is supposed to be a vector");
  Tensor i = raw_cast(index, kInt64);
  return i.dim() == 0 ? raw_view(i, {1}, {1}, i.storage_offset()) : i;
}

// PyTorch's gather/scatter shape rules: same rank, index no larger than self (src) off `dim`.
void check_gather_scatter(const char* op, const Tensor& self, int64_t d, const Tensor& index, const Tensor* src) {
  WICK_CHECK(index.dtype() == kInt64, op, "(): Expected dtype int64 for index");
  check_same_device(op, src ? std::vector<Tensor>{self, index, *src} : std::vector<Tensor>{self, index});
  const int64_t nd = std::max<int64_t>(self.dim(), 1);
  WICK_CHECK(std::max<int64_t>(index.dim(), 1) == nd, "Index tensor must have the same number of dimensions as ",
             src ? "self tensor" : "input tensor");
  if (src) {
    WICK_CHECK(src->dtype() == self.dtype(), op, "(): Expected self.dtype to be equal to src.dtype");
    WICK_CHECK(std::max<int64_t>(src->dim(), 1) == nd, "Index tensor must have the same number of dimensions as src tensor");
  }
  for (int64_t k = 0; k < index.dim(); ++k) {
    bool ok = k == d || index.size(k) <= self.size(k);
    if (src) ok = ok && index.size(k) <= src->size(k);
    WICK_CHECK(ok, "Size does not match at dimension ", k, " expected index ", shape_str(index.sizes()),
               " to be smaller than self ", shape_str(self.sizes()), " apart from dimension ", d,
               src ? std::string(" and to be smaller size than src ") + shape_str(src->sizes()) : std::string());
  }
}

// t grown with zeros to `shape` (src larger than index gets no gradient where index did not reach).
Tensor pad_to(Tensor t, IntArrayRef shape) {
  for (int64_t k = 0; k < t.dim(); ++k) {
    const int64_t extra = shape[static_cast<size_t>(k)] - t.size(k);
    if (extra <= 0) continue;
    Shape zs = t.sizes().vec();
    zs[static_cast<size_t>(k)] = extra;
    t = cat({t, zeros(zs, {.dtype = t.dtype(), .device = t.device()})}, k);
  }
  return t;
}

// Runs the scatter kernel into `self` (already a fresh copy or the in-place target).
void scatter_into(const Tensor& self, int64_t d, const Tensor& index, const Tensor& src, ScatterReduce reduce) {
  if (index.numel() == 0) return;
  backend_for(self).scatter_(k1(self), d, k1(index), k1(src), reduce);
}

Tensor fresh_copy(const Tensor& x) {
  Tensor out = new_empty(x.sizes(), x.dtype(), x.device());
  backend_for(x).copy_(out, x);
  return out;
}

// Backward of scatter/scatter_add: returns {grad self, grad src} (src undefined for a scalar value).
autograd::BackwardFn scatter_backward(int64_t d, const Tensor& index, bool add, bool has_src, const Shape& src_shape) {
  return [d, idx = SavedTensor(index), add, has_src, src_shape](const variable_list& g) {
    Tensor i = idx.unpack();
    Tensor gself = add ? g[0] : g[0].scatter(d, i, 0.0);
    if (!has_src) return variable_list{gself};
    return variable_list{gself, pad_to(g[0].gather(d, i), src_shape)};
  };
}

Tensor scalar_source(const Scalar& value, const Tensor& self, const Tensor& index) {
  return raw_expand(scalar_like(value, self.dtype(), self), index.sizes());
}

}  // namespace

Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) {
  const int64_t d = wrap_dim(dim, x.dim());
  check_gather_scatter("gather", x, d, index, nullptr);
  Tensor out = new_empty(index.sizes(), x.dtype(), x.device());
  if (out.numel() > 0) backend_for(x).gather(k1(out), k1(x), d, k1(index));
  if (!is_floating_point(x.dtype())) return out;
  Shape in = x.sizes().vec();
  return autograd::record("GatherBackward0", out, {x}, [d, in, idx = SavedTensor(index)](const variable_list& g) {
    return variable_list{zeros(in, {.dtype = g[0].dtype(), .device = g[0].device()}).scatter_add(d, idx.unpack(), g[0])};
  });
}

namespace {
Tensor scatter_out(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, bool add) {
  const int64_t d = wrap_dim(dim, x.dim());
  check_gather_scatter(add ? "scatter_add" : "scatter", x, d, index, &src);
  Tensor out = fresh_copy(x);
  scatter_into(out, d, index, src, add ? ScatterReduce::Add : ScatterReduce::None);
  if (!is_floating_point(x.dtype())) return out;
  return autograd::record(add ? "ScatterAddBackward0" : "ScatterBackward0", out, {x, src},
                          scatter_backward(d, index, add, true, src.sizes().vec()));
}
}  // namespace

Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_out(x, dim, index, src, false);
}

Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Scalar& value) {
  const int64_t d = wrap_dim(dim, x.dim());
  check_gather_scatter("scatter", x, d, index, nullptr);
  Tensor out = fresh_copy(x);
  scatter_into(out, d, index, scalar_source(value, x, index), ScatterReduce::None);
  if (!is_floating_point(x.dtype())) return out;
  return autograd::record("ScatterBackward1", out, {x}, scatter_backward(d, index, false, false, {}));
}

Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  return scatter_out(x, dim, index, src, true);
}

namespace {
void scatter_inplace(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, bool add) {
  const char* name = add ? "scatter_add_" : "scatter_";
  const int64_t d = wrap_dim(dim, self.dim());
  check_gather_scatter(name, self, d, index, &src);
  autograd::check_inplace(self, name);
  scatter_into(self, d, index, src, add ? ScatterReduce::Add : ScatterReduce::None);
  self.impl()->storage->bump_version();
  if (is_floating_point(self.dtype()))
    autograd::record_inplace(add ? "ScatterAddBackward0" : "ScatterBackward0", self, {src},
                             scatter_backward(d, index, add, true, src.sizes().vec()));
}
}  // namespace

Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Tensor& src) {
  scatter_inplace(*this, dim, index, src, false);
  return *this;
}

Tensor& Tensor::scatter_add_(int64_t dim, const Tensor& index, const Tensor& src) {
  scatter_inplace(*this, dim, index, src, true);
  return *this;
}

Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
  const int64_t d = wrap_dim(dim, x.dim());
  check_same_device("index_select", {x, index});
  Tensor idx = index_vector(index, "index_select");
  Shape sz = x.sizes().vec();
  if (x.dim() > 0) sz[static_cast<size_t>(d)] = idx.numel();
  WICK_CHECK(x.dim() > 0 || idx.numel() == 1, "index_select(): Index to scalar can have only 1 value, got ", idx.numel(),
             " value(s)");
  Tensor out = new_empty(sz, x.dtype(), x.device());
  if (out.numel() > 0 || (x.numel() == 0 && idx.numel() > 0)) backend_for(x).index_select(k1(out), k1(x), d, idx);
  if (!is_floating_point(x.dtype())) return out;
  Shape in = x.sizes().vec();
  return autograd::record("IndexSelectBackward0", out, {x}, [d, in, i = SavedTensor(idx)](const variable_list& g) {
    Tensor gz = zeros(in, {.dtype = g[0].dtype(), .device = g[0].device()});
    return variable_list{in.empty() ? g[0] : gz.index_add(d, i.unpack(), g[0])};
  });
}

namespace {

void check_index_add(const Tensor& self, int64_t d, const Tensor& idx, const Tensor& source) {
  check_same_device("index_add", {self, idx, source});
  WICK_CHECK(source.dtype() == self.dtype(), "index_add_(): self (", dtype_name(self.dtype()), ") and source (",
             dtype_name(source.dtype()), ") must have the same scalar type");
  const int64_t n_src = source.dim() == 0 ? 1 : source.size(d);
  WICK_CHECK(idx.numel() == n_src, "index_add_(): Number of indices (", idx.numel(),
             ") should be equal to source.size(dim) (", n_src, ")");
  bool same = std::max<int64_t>(source.dim(), 1) == std::max<int64_t>(self.dim(), 1);
  for (int64_t k = 0; same && k < source.dim(); ++k) same = k == d || source.size(k) == self.size(k);
  WICK_CHECK(same, "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = ",
             shape_str(self.sizes()), " source.shape = ", shape_str(source.sizes()));
}

autograd::BackwardFn index_add_backward(int64_t d, const Tensor& idx, const Scalar& alpha, const Shape& src_shape) {
  return [d, i = SavedTensor(idx), alpha, src_shape](const variable_list& g) {
    Tensor gs = g[0].dim() == 0 ? g[0].reshape({1}) : g[0].index_select(d, i.unpack());
    if (alpha.to_double() != 1.0) gs = gs * alpha;
    return variable_list{g[0], gs.reshape(src_shape)};
  };
}

void index_add_into(const Tensor& self, int64_t d, const Tensor& idx, const Tensor& source, const Scalar& alpha) {
  if (idx.numel() == 0) return;
  backend_for(self).index_add_(k1(self), d, idx, k1(source), alpha);
}

}  // namespace

Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  const int64_t d = wrap_dim(dim, x.dim());
  Tensor idx = index_vector(index, "index_add_");
  check_index_add(x, d, idx, source);
  Tensor out = fresh_copy(x);
  index_add_into(out, d, idx, source, alpha);
  if (!is_floating_point(x.dtype())) return out;
  return autograd::record("IndexAddBackward0", out, {x, source}, index_add_backward(d, idx, alpha, source.sizes().vec()));
}

Tensor& Tensor::index_add_(int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  const int64_t d = wrap_dim(dim, this->dim());
  Tensor idx = index_vector(index, "index_add_");
  check_index_add(*this, d, idx, source);
  autograd::check_inplace(*this, "index_add_");
  index_add_into(*this, d, idx, source, alpha);
  impl()->storage->bump_version();
  if (wick::is_floating_point(dtype()))
    autograd::record_inplace("IndexAddBackward0", *this, {source}, index_add_backward(d, idx, alpha, source.sizes().vec()));
  return *this;
}

// ---- Tensor methods ----
Tensor Tensor::gather(int64_t dim, const Tensor& index) const { return wick::gather(*this, dim, index); }
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src) const { return wick::scatter(*this, dim, index, src); }
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Scalar& value) const {
  return wick::scatter(*this, dim, index, value);
}
Tensor Tensor::scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const {
  return wick::scatter_add(*this, dim, index, src);
}
Tensor Tensor::index_select(int64_t dim, const Tensor& index) const { return wick::index_select(*this, dim, index); }
Tensor Tensor::index_add(int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) const {
  return wick::index_add(*this, dim, index, source, alpha);
}

}  // namespace wick

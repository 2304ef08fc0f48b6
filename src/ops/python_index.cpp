// Tensor::index and Tensor::index_put_ with Python's x[...] forms: ints select, slices slice,
// None and bools unsqueeze, Ellipsis skips dims, tensors become advanced indices (PyTorch's
// applySlicing). A bool mask consumes as many dims as it has, as NumPy and later PyTorch do.
#include "op_utils.h"
#include "pointwise_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace {

bool is_mask(const Tensor& t) { return t.dtype() == kBool || t.dtype() == kUInt8; }

// How many of x's dims an index entry uses.
int64_t dims_consumed(const TensorIndex& ti) {
  const auto& v = ti.value();
  if (std::holds_alternative<int64_t>(v) || std::holds_alternative<Slice>(v)) return 1;
  if (const auto* p = std::get_if<std::shared_ptr<TensorImpl>>(&v)) {
    Tensor t(*p);
    if (is_mask(t)) return t.dim();
    return 1;
  }
  return 0;
}

int64_t checked_int_index(const Tensor& r, int64_t dim, int64_t i) {
  WICK_CHECK(dim < r.dim(), "too many indices for tensor of dimension ", r.dim());
  const int64_t size = r.size(dim);
  WICK_CHECK(i >= -size && i < size, "index ", i, " is out of bounds for dimension ", dim, " with size ", size);
  return i;
}

// Applies the basic entries as views and collects the tensor entries (positions as index()
// expects them: a k-dim mask fills one entry but k dims).
Tensor apply_slicing(const Tensor& x, const std::vector<TensorIndex>& indices, std::vector<Tensor>& tensors) {
  int64_t consumed = 0;
  int ellipses = 0;
  for (const TensorIndex& ti : indices) {
    consumed += dims_consumed(ti);
    ellipses += std::holds_alternative<EllipsisIndex>(ti.value()) ? 1 : 0;
  }
  WICK_CHECK(ellipses <= 1, "an index can only have a single ellipsis ('...')");
  WICK_CHECK(consumed <= x.dim(), "too many indices for tensor of dimension ", x.dim());
  Tensor r = x;
  int64_t dim = 0, shift = 0;
  auto record_tensor = [&](const Tensor& t) {
    const size_t pos = static_cast<size_t>(dim - shift);
    tensors.resize(pos + 1);
    tensors[pos] = t;
    const int64_t used = is_mask(t) ? t.dim() : 1;
    shift += used - 1;
    dim += used;
  };
  auto record_bool = [&](bool b) {
    r = unsqueeze(r, dim);
    record_tensor(b ? zeros({1}, {.dtype = kInt64, .device = x.device()}) : empty({0}, {.dtype = kInt64, .device = x.device()}));
  };
  for (const TensorIndex& ti : indices) {
    const auto& v = ti.value();
    if (const auto* i = std::get_if<int64_t>(&v)) {
      r = select(r, dim, checked_int_index(r, dim, *i));
    } else if (const auto* s = std::get_if<Slice>(&v)) {
      WICK_CHECK(s->step > 0, "step must be greater than zero");
      r = slice(r, dim, s->start, s->stop, s->step);
      ++dim;
    } else if (std::holds_alternative<NoneIndex>(v)) {
      r = unsqueeze(r, dim);
      ++dim;
    } else if (std::holds_alternative<EllipsisIndex>(v)) {
      dim += x.dim() - consumed;
    } else if (const auto* b = std::get_if<bool>(&v)) {
      record_bool(*b);
    } else {
      Tensor t(std::get<std::shared_ptr<TensorImpl>>(v));
      if (t.dim() == 0 && is_mask(t)) {
        record_bool(t.item<bool>());
      } else if (t.dim() == 0 && !is_floating_point(t.dtype())) {
        r = select(r, dim, checked_int_index(r, dim, t.item<int64_t>()));
      } else {
        record_tensor(t);
      }
    }
  }
  return r;
}

bool has_tensor(const std::vector<Tensor>& ts) {
  for (const Tensor& t : ts)
    if (t.defined()) return true;
  return false;
}

}  // namespace

Tensor Tensor::index(const std::vector<TensorIndex>& indices) const {
  std::vector<Tensor> tensors;
  Tensor r = apply_slicing(*this, indices, tensors);
  return has_tensor(tensors) ? wick::index(r, tensors) : r;
}

Tensor Tensor::index(std::initializer_list<TensorIndex> indices) const {
  return index(std::vector<TensorIndex>(indices));
}

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Tensor& values) {
  std::vector<Tensor> tensors;
  Tensor sliced = apply_slicing(*this, indices, tensors);
  // Python's x[...] = v converts v to x's dtype (index_put_ with tensors would insist on it).
  Tensor v = values.dtype() == dtype() ? values : values.to(dtype());
  if (has_tensor(tensors)) {
    sliced.index_put_(tensors, v, false);
  } else {
    sliced.copy_(v);
  }
  return *this;
}

Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, const Tensor& values) {
  return index_put_(std::vector<TensorIndex>(indices), values);
}

Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, const Scalar& value) {
  return index_put_(std::vector<TensorIndex>(indices), scalar_like(value, dtype(), *this));
}

}  // namespace wick

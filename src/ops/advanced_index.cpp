// Advanced indexing: index(x, {tensors}) and index_put, and Tensor::index / index_put_ taking
// Python's x[...] forms (ints, slices, None, Ellipsis, bools, tensors). Basic forms become views;
// tensor indices are turned into element offsets and run through index_select/scatter_ on a flat
// view of the storage, so no copy of x is made. Offsets are computed on the host.
#include <algorithm>

#include "op_utils.h"
#include "pointwise_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/reduction.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace {

// bool/uint8 masks become one int64 index per mask dim (nonzero's columns); dtypes are checked.
std::vector<Tensor> expand_masks(const Tensor& x, const std::vector<Tensor>& indices) {
  std::vector<Tensor> out;
  for (const Tensor& idx : indices) {
    if (!idx.defined()) {
      out.push_back(idx);
      continue;
    }
    if (idx.dtype() == kBool || idx.dtype() == kUInt8) {
      WICK_CHECK(idx.dim() > 0, "index: a 0-dim bool index is only supported through Tensor::index (x[True])");
      const int64_t start = static_cast<int64_t>(out.size());
      for (int64_t k = 0; k < idx.dim(); ++k)
        WICK_CHECK(start + k < x.dim() && idx.size(k) == x.size(start + k), "The shape of the mask ", shape_str(idx.sizes()),
                   " at index ", k, " does not match the shape of the indexed tensor ", shape_str(x.sizes()), " at index ",
                   start + k);
      Tensor nz = nonzero(idx);
      for (int64_t k = 0; k < idx.dim(); ++k) out.push_back(nz.select(1, k));
    } else {
      WICK_CHECK(idx.dtype() == kInt64, "tensors used as indices must be long, byte or bool tensors");
      out.push_back(idx);
    }
  }
  WICK_CHECK(static_cast<int64_t>(out.size()) <= x.dim(), "too many indices for tensor of dimension ", x.dim(), " (got ",
             out.size(), ")");
  return out;
}

// Where each dim of x goes: the indexed dims collapse into the broadcast index shape, placed where
// the first one was when they are adjacent and in front otherwise (PyTorch's and NumPy's rule).
struct IndexPlan {
  std::vector<int64_t> adv_dims;  // x dims carrying an index, ascending
  std::vector<Tensor> adv;        // their int64 indices (not yet broadcast)
  Shape bshape;                   // broadcast shape of the indices
  Shape rest_sizes, rest_strides; // x's other dims, in order
  int64_t insert_at = 0;          // where the index dims sit in the result
  Shape result_shape;
  Tensor offsets;                 // int64 [n]: element offsets of the indexed positions from x's offset
  int64_t max_offset = 0;
};

IndexPlan make_plan(const Tensor& x, const std::vector<Tensor>& expanded) {
  IndexPlan p;
  for (int64_t d = 0; d < x.dim(); ++d) {
    const size_t du = static_cast<size_t>(d);
    if (du < expanded.size() && expanded[du].defined()) {
      p.adv_dims.push_back(d);
      p.adv.push_back(expanded[du]);
    } else {
      p.rest_sizes.push_back(x.size(d));
      p.rest_strides.push_back(x.stride(d));
    }
  }
  p.bshape = p.adv[0].sizes().vec();
  for (size_t j = 1; j < p.adv.size(); ++j) {
    Shape a = p.bshape, b = p.adv[j].sizes().vec();
    try {
      p.bshape = broadcast_shapes(a, b, "index");
    } catch (const Error&) {
      std::string shapes;
      for (const Tensor& t : p.adv) shapes += (shapes.empty() ? "" : ", ") + shape_str(t.sizes());
      WICK_FAIL("shape mismatch: indexing tensors could not be broadcast together with shapes ", shapes);
    }
  }
  const bool adjacent = p.adv_dims.back() - p.adv_dims.front() + 1 == static_cast<int64_t>(p.adv_dims.size());
  p.insert_at = adjacent ? p.adv_dims.front() : 0;
  p.result_shape.assign(p.rest_sizes.begin(), p.rest_sizes.begin() + p.insert_at);
  p.result_shape.insert(p.result_shape.end(), p.bshape.begin(), p.bshape.end());
  p.result_shape.insert(p.result_shape.end(), p.rest_sizes.begin() + p.insert_at, p.rest_sizes.end());

  const int64_t n = numel_of(p.bshape);
  std::vector<int64_t> off(static_cast<size_t>(n), 0);
  for (size_t j = 0; j < p.adv.size(); ++j) {
    const int64_t d = p.adv_dims[j], size = x.size(d), stride = x.stride(d);
    std::vector<int64_t> v = raw_expand(p.adv[j], p.bshape).tolist<int64_t>();
    for (int64_t b = 0; b < n; ++b) {
      int64_t i = v[static_cast<size_t>(b)];
      WICK_CHECK(i >= -size && i < size, "index ", i, " is out of bounds for dimension ", d, " with size ", size);
      off[static_cast<size_t>(b)] += (i < 0 ? i + size : i) * stride;
    }
  }
  p.max_offset = off.empty() ? 0 : *std::max_element(off.begin(), off.end());
  p.offsets = tensor(off, {.device = x.device()});
  return p;
}

// x seen as [max_offset + 1, rest...]: dim 0 walks the storage element by element, so an offset
// picks one indexed position and the remaining dims follow x's own strides.
Tensor flat_view(const Tensor& x, const IndexPlan& p) {
  Shape sz{p.max_offset + 1}, st{1};
  sz.insert(sz.end(), p.rest_sizes.begin(), p.rest_sizes.end());
  st.insert(st.end(), p.rest_strides.begin(), p.rest_strides.end());
  return raw_view(x, sz, st, x.storage_offset());
}

// Permutation taking [B..., rest...] to the result order [rest[:k], B..., rest[k:]].
Shape result_order(const IndexPlan& p) {
  const int64_t nb = static_cast<int64_t>(p.bshape.size()), nr = static_cast<int64_t>(p.rest_sizes.size());
  Shape order;
  for (int64_t i = 0; i < p.insert_at; ++i) order.push_back(nb + i);
  for (int64_t i = 0; i < nb; ++i) order.push_back(i);
  for (int64_t i = p.insert_at; i < nr; ++i) order.push_back(nb + i);
  return order;
}

Tensor raw_permute(const Tensor& t, IntArrayRef order) {
  Shape sz, st;
  for (int64_t d : order) {
    sz.push_back(t.size(d));
    st.push_back(t.stride(d));
  }
  return raw_view(t, sz, st, t.storage_offset());
}

Tensor raw_contiguous(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor c = new_empty(t.sizes(), t.dtype(), t.device());
  backend_for(t).copy_(c, t);
  return c;
}

bool any_defined(const std::vector<Tensor>& ts) {
  return std::any_of(ts.begin(), ts.end(), [](const Tensor& t) { return t.defined(); });
}

Tensor index_forward(const Tensor& x, const IndexPlan& p) {
  const int64_t n = p.offsets.numel();
  Shape flat_sizes{n};
  flat_sizes.insert(flat_sizes.end(), p.rest_sizes.begin(), p.rest_sizes.end());
  Tensor flat = new_empty(flat_sizes, x.dtype(), x.device());
  if (flat.numel() > 0) backend_for(x).index_select(flat, flat_view(x, p), 0, p.offsets);
  Shape b_rest = p.bshape;
  b_rest.insert(b_rest.end(), p.rest_sizes.begin(), p.rest_sizes.end());
  Tensor shaped = raw_view(flat, b_rest, contiguous_strides(b_rest), 0);
  return raw_contiguous(raw_permute(shaped, result_order(p)));
}

// Writes values (broadcast to the indexing result) into self at the plan's positions.
void index_put_into(const Tensor& self, const IndexPlan& p, const Tensor& values, bool accumulate) {
  WICK_CHECK(values.dtype() == self.dtype(), "Index put requires the source and destination dtypes match, got ",
             dtype_name(self.dtype()), " for the destination and ", dtype_name(values.dtype()), " for the source.");
  Shape bs = broadcast_shapes(values.sizes(), p.result_shape, "index_put_");
  WICK_CHECK(IntArrayRef(bs) == IntArrayRef(p.result_shape), "shape mismatch: value tensor of shape ",
             shape_str(values.sizes()), " cannot be broadcast to indexing result of shape ", shape_str(p.result_shape));
  if (numel_of(p.result_shape) == 0) return;
  // result order -> [B..., rest...] -> [n, rest...]
  Shape order = result_order(p), inverse(order.size());
  for (size_t i = 0; i < order.size(); ++i) inverse[static_cast<size_t>(order[i])] = static_cast<int64_t>(i);
  Tensor v = raw_contiguous(raw_permute(raw_expand(values, p.result_shape), inverse));
  const int64_t n = p.offsets.numel();
  Shape flat_sizes{n}, idx_strides{1};
  flat_sizes.insert(flat_sizes.end(), p.rest_sizes.begin(), p.rest_sizes.end());
  idx_strides.resize(flat_sizes.size(), 0);
  Tensor src = raw_view(v, flat_sizes, contiguous_strides(flat_sizes), v.storage_offset());
  Tensor idx = raw_view(p.offsets, flat_sizes, idx_strides, 0);
  backend_for(self).scatter_(flat_view(self, p), 0, idx, src, accumulate ? ScatterReduce::Add : ScatterReduce::None);
}

// {grad self, grad values} of self.index_put(indices, values, accumulate).
autograd::BackwardFn index_put_backward(const std::vector<Tensor>& expanded, bool accumulate, const Tensor& values) {
  std::vector<SavedTensor> saved;
  for (const Tensor& t : expanded) saved.emplace_back(t);
  Shape vshape = values.sizes().vec();
  DType vdtype = values.dtype();
  return [saved, accumulate, vshape, vdtype](const variable_list& g) {
    std::vector<Tensor> idx;
    for (const auto& s : saved) idx.push_back(s.unpack());
    // Overwritten positions get no gradient: self's old values there never reached the output.
    Tensor gself = accumulate ? g[0] : index_put(g[0], idx, scalar_like(0, g[0].dtype(), g[0]), false);
    Tensor gv = sum_to(index(g[0], idx), vshape);
    return variable_list{gself, gv.dtype() == vdtype ? gv : gv.to(vdtype)};
  };
}

}  // namespace

Tensor index(const Tensor& x, const std::vector<Tensor>& indices) {
  if (!any_defined(indices)) return x;
  std::vector<Tensor> expanded = expand_masks(x, indices);
  if (!any_defined(expanded)) return x;
  IndexPlan p = make_plan(x, expanded);
  Tensor out = index_forward(x, p);
  if (!is_floating_point(x.dtype())) return out;
  std::vector<SavedTensor> saved;
  if (autograd::needs_grad({x}))
    for (const Tensor& t : expanded) saved.emplace_back(t);
  Shape in = x.sizes().vec();
  return autograd::record("IndexBackward0", out, {x}, [saved, in](const variable_list& g) {
    std::vector<Tensor> idx;
    for (const auto& s : saved) idx.push_back(s.unpack());
    return variable_list{index_put(zeros(in, {.dtype = g[0].dtype(), .device = g[0].device()}), idx, g[0], true)};
  });
}

Tensor index_put(const Tensor& x, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
  check_same_device("index_put", {x, values});
  Tensor out = new_empty(x.sizes(), x.dtype(), x.device());
  backend_for(x).copy_(out, x);
  std::vector<Tensor> expanded = expand_masks(x, indices);
  WICK_CHECK(any_defined(expanded), "index_put: expected at least one index tensor");
  index_put_into(out, make_plan(out, expanded), values, accumulate);
  if (!is_floating_point(x.dtype())) return out;
  return autograd::record("IndexPutBackward0", out, {x, values}, index_put_backward(expanded, accumulate, values));
}

Tensor& Tensor::index_put_(const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
  check_same_device("index_put_", {*this, values});
  std::vector<Tensor> expanded = expand_masks(*this, indices);
  WICK_CHECK(any_defined(expanded), "index_put_: expected at least one index tensor");
  IndexPlan p = make_plan(*this, expanded);
  autograd::check_inplace(*this, "index_put_");
  index_put_into(*this, p, values, accumulate);
  impl()->storage->bump_version();
  if (wick::is_floating_point(dtype()))
    autograd::record_inplace("IndexPutBackward0", *this, {values}, index_put_backward(expanded, accumulate, values));
  return *this;
}

}  // namespace wick

// Pooling ops: forward through the backend's pooling kernels, backward beside it. Each backward is
// itself an op with a recorded backward (avg: its adjoint is the forward again; max: a gather by
// the saved indices), so double backward works. Leading dims are flattened to the kernels' planes.
#include "pool_ops.h"

#include "op_utils.h"
#include "wick/ops/indexing.h"

namespace wick::ops {

namespace {

// lead (all but the last nd dims of t) + spatial.
Shape with_spatial(const Tensor& t, int64_t nd, IntArrayRef spatial) {
  Shape s(t.sizes().begin(), t.sizes().end() - nd);
  s.insert(s.end(), spatial.begin(), spatial.end());
  return s;
}

// A contiguous t viewed as (B, *last nd dims) for the kernels (B: product of the leading dims).
Tensor planes(const Tensor& t, int64_t nd) {
  Shape s{1};
  for (int64_t d = 0; d < t.dim() - nd; ++d) s[0] *= t.size(d);
  s.insert(s.end(), t.sizes().end() - nd, t.sizes().end());
  Shape strides(s.size());
  int64_t st = 1;
  for (size_t d = s.size(); d-- > 0;) {
    strides[d] = st;
    st *= s[d];
  }
  return raw_view(t, s, strides, t.storage_offset());
}

// A contiguous, autograd-free copy of t (or t itself).
Tensor raw_contiguous(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor c = new_empty(t.sizes(), t.dtype(), t.device());
  backend_for(c).copy_(c, t);
  return c;
}

Tensor avg_pool_adjoint(const Tensor& g, IntArrayRef in_size, const PoolArgs& args, const char* node_name);

// avg_pool's forward without the shape bookkeeping of the public op's node name.
Tensor avg_pool_impl(const Tensor& x, IntArrayRef out_size, const PoolArgs& args, const char* node_name) {
  const int64_t nd = static_cast<int64_t>(out_size.size());
  Tensor xc = raw_contiguous(x);
  Tensor out = new_empty(with_spatial(x, nd, out_size), x.dtype(), x.device());
  backend_for(x).avg_pool_forward(planes(out, nd), planes(xc, nd), args);
  Shape in_size(x.sizes().end() - nd, x.sizes().end());
  return autograd::record(node_name, out, {x}, [in_size, args, node_name](const variable_list& g) {
    return variable_list{avg_pool_adjoint(g[0], in_size, args, node_name)};
  });
}

// The transpose of avg_pool: g (*, *out) -> (*, *in_size). Linear, so its own backward is avg_pool.
Tensor avg_pool_adjoint(const Tensor& g, IntArrayRef in_size, const PoolArgs& args, const char* node_name) {
  const int64_t nd = static_cast<int64_t>(in_size.size());
  Tensor gc = raw_contiguous(g);
  Tensor gi = new_empty(with_spatial(g, nd, in_size), g.dtype(), g.device());
  backend_for(g).avg_pool_backward(planes(gi, nd), planes(gc, nd), args);
  Shape out_size(g.sizes().end() - nd, g.sizes().end());
  return autograd::record("AvgPoolBackwardBackward0", gi, {g}, [out_size, args, node_name](const variable_list& gg) {
    return variable_list{avg_pool_impl(gg[0], out_size, args, node_name)};
  });
}

// src (*, *k) placed at indices (same shape) into zeros (*, *out_size): out[b, idx] (+)= src[b].
// Its gradient gathers back from the same cells.
Tensor scatter_planes(const Tensor& src, const Tensor& indices, IntArrayRef out_size, bool accumulate,
                      const char* node_name) {
  const int64_t nd = static_cast<int64_t>(out_size.size());
  Tensor sc = raw_contiguous(src), ic = raw_contiguous(indices);
  Tensor out = new_empty(with_spatial(src, nd, out_size), src.dtype(), src.device());
  Tensor o2 = planes(out, nd);
  const int64_t b = o2.size(0);
  auto flat = [b](const Tensor& t) { return raw_view(t, {b, t.numel() / std::max<int64_t>(b, 1)}, {t.numel() / std::max<int64_t>(b, 1), 1}, t.storage_offset()); };
  backend_for(src).pool_scatter(flat(out), flat(sc), flat(ic), accumulate);
  return autograd::record(node_name, out, {src}, [ic, b, src_sizes = Shape(src.sizes().begin(), src.sizes().end())](const variable_list& g) {
    // gather(g (B, M), 1, indices (B, K)) -> src's shape.
    Tensor gf = g[0].reshape({b, -1});
    return variable_list{gather(gf, 1, ic.reshape({b, -1})).reshape(src_sizes)};
  });
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool(const Tensor& x, IntArrayRef out_size, const PoolArgs& args,
                                    const char* node_name) {
  const int64_t nd = static_cast<int64_t>(out_size.size());
  Tensor xc = raw_contiguous(x);
  Shape os = with_spatial(x, nd, out_size);
  Tensor out = new_empty(os, x.dtype(), x.device());
  Tensor idx = new_empty(os, kInt64, x.device());
  backend_for(x).max_pool_forward(planes(out, nd), planes(idx, nd), planes(xc, nd), args);
  Shape in_size(x.sizes().end() - nd, x.sizes().end());
  out = autograd::record(node_name, out, {x}, [idx, in_size](const variable_list& g) {
    return variable_list{scatter_planes(g[0], idx, in_size, /*accumulate=*/true, "MaxPoolBackwardBackward0")};
  });
  return {out, idx};
}

Tensor avg_pool(const Tensor& x, IntArrayRef out_size, const PoolArgs& args, const char* node_name) {
  return avg_pool_impl(x, out_size, args, node_name);
}

Tensor max_unpool(const Tensor& x, const Tensor& indices, IntArrayRef out_size, const char* node_name) {
  return scatter_planes(x, indices, out_size, /*accumulate=*/false, node_name);
}

}  // namespace wick::ops

// mm, mv, bmm, addmm, dot and outer with their backwards (MmBackward0, MvBackward0, ...). Every
// product lowers to Backend::bmm on 3-D views; matmul's dispatch over ranks lives in matmul.cpp.
#include "wick/ops/linalg.h"

#include "linalg_utils.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace ops {

void check_gemm_dtype(DType t, const char* kernel) {
  WICK_CHECK(t != kBool && t != kFloat16 && t != kBFloat16, "\"", kernel,
             "\" not implemented for '", scalar_type_name(t), "'");
}

void check_same_dtype(const Tensor& a, const Tensor& b) {
  WICK_CHECK(a.dtype() == b.dtype(), "expected scalar type ", scalar_type_name(a.dtype()),
             " but found ", scalar_type_name(b.dtype()));
}

void raw_bmm_into(const Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) {
  backend_for(out).bmm(out, a, b, beta, alpha);
}

Tensor as_batch_of_one(const Tensor& t, bool as_row) {
  if (t.dim() == 2)
    return raw_view(t, {1, t.size(0), t.size(1)}, {0, t.stride(0), t.stride(1)},
                    t.storage_offset());
  if (t.dim() == 1) {
    if (as_row) return raw_view(t, {1, 1, t.size(0)}, {0, 0, t.stride(0)}, t.storage_offset());
    return raw_view(t, {1, t.size(0), 1}, {0, t.stride(0), 0}, t.storage_offset());
  }
  return raw_view(t, {1, 1, 1}, {0, 0, 0}, t.storage_offset());
}

Tensor reshape_result(const char* name, const Tensor& t, IntArrayRef shape) {
  Tensor out(wick::detail::make_pooled<TensorImpl>(t.impl()->storage, t.storage_offset(), shape,
                                                   contiguous_strides(shape), t.dtype()));
  Shape in = t.sizes().vec();
  return autograd::record(name, out, {t},
                          [in](const variable_list& g) { return variable_list{g[0].reshape(in)}; });
}

}  // namespace ops

namespace {

void check_mm_shapes(const Tensor& a, const Tensor& b) {
  WICK_CHECK(a.size(1) == b.size(0), "mat1 and mat2 shapes cannot be multiplied (", a.size(0), "x",
             a.size(1), " and ", b.size(0), "x", b.size(1), ")");
}

// Saves x for backward only when the other operand's gradient needs it.
SavedTensor save_if(bool needed, const Tensor& x) {
  return needed ? SavedTensor(x) : SavedTensor();
}

// A transposed view of a contiguous matrix (a Linear layer's weight.t()).
bool is_transposed(const Tensor& m) {
  return m.dim() == 2 && m.size(0) > 1 && m.size(1) > 1 && m.stride(0) == 1 &&
         m.stride(1) == m.size(0);
}

// a @ b, computed as (b^T @ a^T)^T when the operand it is the gradient of is a transposed view:
// after that view's TBackward the gradient is contiguous again, so AccumulateGrad keeps it
// instead of copying 25M values through a strided transpose (PyTorch's mm_mat2_backward does the
// same).
Tensor mm_grad(const Tensor& a, const Tensor& b, bool transposed) {
  return transposed ? mm(b.t(), a.t()).t() : mm(a, b);
}

}  // namespace

// a (M, K) @ b (K, N) -> (M, N)
Tensor mm(const Tensor& a, const Tensor& b) {
  check_same_device("mm", {a, b});
  WICK_CHECK(a.dim() == 2, "self must be a matrix");
  WICK_CHECK(b.dim() == 2, "mat2 must be a matrix");
  check_mm_shapes(a, b);
  check_same_dtype(a, b);
  check_gemm_dtype(a.dtype(), "addmm_impl_cpu_");
  Tensor out = new_empty({a.size(0), b.size(1)}, a.dtype(), a.device());
  raw_bmm_into(as_batch_of_one(out), as_batch_of_one(a), as_batch_of_one(b));
  if (!autograd::needs_grad({a, b})) return out;
  bool ga = a.requires_grad(), gb = b.requires_grad();
  return autograd::record("MmBackward0", out, {a, b},
                          [sa = save_if(gb, a), sb = save_if(ga, b), ga, gb, ta = is_transposed(a),
                           tb = is_transposed(b)](const variable_list& g) {
                            return variable_list{
                                ga ? mm_grad(g[0], sb.unpack().t(), ta) : Tensor(),
                                gb ? mm_grad(sa.unpack().t(), g[0], tb) : Tensor()};
                          });
}

// a (M, K) @ vec (K) -> (M)
Tensor mv(const Tensor& a, const Tensor& vec) {
  check_same_device("mv", {a, vec});
  WICK_CHECK(a.dim() == 2 && vec.dim() == 1, "vector + matrix @ vector expected, got 1, ", a.dim(),
             ", ", vec.dim());
  WICK_CHECK(a.size(1) == vec.size(0), "size mismatch, got ", a.size(0), ", ", a.size(0), "x",
             a.size(1), ",", vec.size(0));
  check_same_dtype(a, vec);
  check_gemm_dtype(a.dtype(), "addmv_impl_cpu");
  Tensor out = new_empty({a.size(0)}, a.dtype(), a.device());
  raw_bmm_into(as_batch_of_one(out, false), as_batch_of_one(a), as_batch_of_one(vec, false));
  if (!autograd::needs_grad({a, vec})) return out;
  bool ga = a.requires_grad(), gv = vec.requires_grad();
  return autograd::record(
      "MvBackward0", out, {a, vec},
      [sa = save_if(gv, a), sv = save_if(ga, vec), ga, gv](const variable_list& g) {
        return variable_list{ga ? outer(g[0], sv.unpack()) : Tensor(),
                             gv ? mv(sa.unpack().t(), g[0]) : Tensor()};
      });
}

// a (B, M, K) @ b (B, K, N) -> (B, M, N)
Tensor bmm(const Tensor& a, const Tensor& b) {
  check_same_device("bmm", {a, b});
  WICK_CHECK(a.dim() == 3, "batch1 must be a 3D tensor");
  WICK_CHECK(b.dim() == 3, "batch2 must be a 3D tensor");
  WICK_CHECK(b.size(0) == a.size(0) && b.size(1) == a.size(2),
             "Expected size for first two dimensions of batch2 tensor to be: [", a.size(0), ", ",
             a.size(2), "] but got: [", b.size(0), ", ", b.size(1), "].");
  check_same_dtype(a, b);
  check_gemm_dtype(a.dtype(), "bmm");
  Tensor out = new_empty({a.size(0), a.size(1), b.size(2)}, a.dtype(), a.device());
  raw_bmm_into(out, a, b);
  if (!autograd::needs_grad({a, b})) return out;
  bool ga = a.requires_grad(), gb = b.requires_grad();
  return autograd::record(
      "BmmBackward0", out, {a, b},
      [sa = save_if(gb, a), sb = save_if(ga, b), ga, gb](const variable_list& g) {
        return variable_list{ga ? bmm(g[0], sb.unpack().transpose(1, 2)) : Tensor(),
                             gb ? bmm(sa.unpack().transpose(1, 2), g[0]) : Tensor()};
      });
}

// beta * input + alpha * m1 (M, K) @ m2 (K, N); input broadcasts to (M, N).
Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, const Scalar& beta,
             const Scalar& alpha) {
  check_same_device("addmm", {input, m1, m2});
  WICK_CHECK(m1.dim() == 2, "mat1 must be a matrix, got ", m1.dim(), "-D tensor");
  WICK_CHECK(m2.dim() == 2, "mat2 must be a matrix, got ", m2.dim(), "-D tensor");
  check_mm_shapes(m1, m2);
  WICK_CHECK(m1.dtype() == m2.dtype(), "mat1 and mat2 must have the same dtype");
  WICK_CHECK(input.dtype() == m2.dtype(), "self and mat2 must have the same dtype");
  check_gemm_dtype(m1.dtype(), "addmm_impl_cpu_");
  const double be = beta.to_double(), al = alpha.to_double();
  Tensor out = new_empty({m1.size(0), m2.size(1)}, m1.dtype(), m1.device());
  Tensor in = raw_expand(input, out.sizes());  // checks that input broadcasts
  if (be != 0) backend_for(out).copy_(out, in);
  raw_bmm_into(as_batch_of_one(out), as_batch_of_one(m1), as_batch_of_one(m2), be, al);
  if (!autograd::needs_grad({input, m1, m2})) return out;
  bool g1 = m1.requires_grad(), g2 = m2.requires_grad();
  Shape in_shape = input.sizes().vec();
  return autograd::record("AddmmBackward0", out, {input, m1, m2},
                          [s1 = save_if(g2, m1), s2 = save_if(g1, m2), g1, g2, in_shape, be, al,
                           t1 = is_transposed(m1), t2 = is_transposed(m2)](const variable_list& g) {
                            Tensor gi = sum_to(be == 1 ? g[0] : g[0] * be, in_shape);
                            Tensor r1 = g1 ? mm_grad(g[0], s2.unpack().t(), t1) : Tensor();
                            Tensor r2 = g2 ? mm_grad(s1.unpack().t(), g[0], t2) : Tensor();
                            if (al != 1) {
                              if (r1.defined()) r1 = r1 * al;
                              if (r2.defined()) r2 = r2 * al;
                            }
                            return variable_list{gi, r1, r2};
                          });
}

// a (K) . b (K) -> ()
Tensor dot(const Tensor& a, const Tensor& b) {
  check_same_device("dot", {a, b});
  WICK_CHECK(a.dim() == 1 && b.dim() == 1, "1D tensors expected, but got ", a.dim(), "D and ",
             b.dim(), "D tensors");
  WICK_CHECK(a.dtype() == b.dtype(), "dot : expected both vectors to have same dtype, but found ",
             scalar_type_name(a.dtype()), " and ", scalar_type_name(b.dtype()));
  WICK_CHECK(a.numel() == b.numel(), "inconsistent tensor size, expected tensor [", a.numel(),
             "] and src [", b.numel(), "] to have the same number of elements, but got ", a.numel(),
             " and ", b.numel(), " elements respectively");
  check_gemm_dtype(a.dtype(), "dot");
  Tensor out = new_empty({}, a.dtype(), a.device());
  raw_bmm_into(as_batch_of_one(out), as_batch_of_one(a, true), as_batch_of_one(b, false));
  if (!autograd::needs_grad({a, b})) return out;
  bool ga = a.requires_grad(), gb = b.requires_grad();
  return autograd::record(
      "DotBackward0", out, {a, b},
      [sa = save_if(gb, a), sb = save_if(ga, b), ga, gb](const variable_list& g) {
        return variable_list{ga ? g[0] * sb.unpack() : Tensor(),
                             gb ? g[0] * sa.unpack() : Tensor()};
      });
}

// a (M) x b (N) -> (M, N), written as a broadcast product (so its node is MulBackward0, as
// PyTorch).
Tensor outer(const Tensor& a, const Tensor& b) {
  WICK_CHECK(a.dim() == 1, "outer: Expected 1-D argument self, but got ", a.dim(), "-D");
  WICK_CHECK(b.dim() == 1, "outer: Expected 1-D argument vec2, but got ", b.dim(), "-D");
  return a.reshape({a.size(0), 1}) * b;
}

Tensor Tensor::mm(const Tensor& other) const { return wick::mm(*this, other); }
Tensor Tensor::bmm(const Tensor& other) const { return wick::bmm(*this, other); }
Tensor Tensor::dot(const Tensor& other) const { return wick::dot(*this, other); }
Tensor Tensor::outer(const Tensor& other) const { return wick::outer(*this, other); }

}  // namespace wick

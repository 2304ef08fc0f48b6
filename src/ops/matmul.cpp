// matmul: PyTorch 1.13's dispatch over ranks (dot, mv, mm, folding a batch into mm/mv, or a
// broadcast bmm), built from the ops in linalg.cpp so each case gets PyTorch's grad_fn name.
#include <algorithm>

#include "linalg_utils.h"
#include "wick/ops/linalg.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace {

// PyTorch's should_fold: t1 (rank >= 3) times a vector or matrix can fold t1's batch into rows of
// one mm/mv, except when t1 is a batch of transposed matrices (folding would need a copy).
bool should_fold(const Tensor& t1, int64_t dim_t2) {
  if (t1.dim() < 3 || (dim_t2 != 1 && dim_t2 != 2)) return false;
  return !(t1.dim() == 3 && dim_t2 == 2 && t1.stride(2) != 1 &&
           t1.stride(0) == t1.size(1) * t1.size(2));
}

// a (..., n, m) @ b (..., m, p) with the leading dims broadcast; a 1-D a is a row, a 1-D b a
// column.
Tensor batched_matmul(const Tensor& a, const Tensor& b) {
  const int64_t da = a.dim(), db = b.dim();
  const int64_t n = da > 1 ? a.size(-2) : 1, m1 = a.size(-1);
  const int64_t m2 = db > 1 ? b.size(-2) : b.size(0), p = db > 1 ? b.size(-1) : 1;
  IntArrayRef batch_a =
      IntArrayRef(a.sizes().data(), static_cast<size_t>(std::max<int64_t>(da - 2, 0)));
  IntArrayRef batch_b =
      IntArrayRef(b.sizes().data(), static_cast<size_t>(std::max<int64_t>(db - 2, 0)));
  Shape out_shape = broadcast_shapes(batch_a, batch_b, "matmul");
  const int64_t batch = numel_of(out_shape);
  Shape ea = out_shape, eb = out_shape;
  ea.insert(ea.end(), {n, m1});
  eb.insert(eb.end(), {m2, p});
  Tensor a3 = a.expand(ea).reshape({batch, n, m1});
  Tensor b3 = (db == 1 ? b.unsqueeze(-1) : b).expand(eb).reshape({batch, m2, p});
  if (da > 1) out_shape.push_back(n);
  if (db > 1) out_shape.push_back(p);
  return reshape_result("UnsafeViewBackward0", bmm(a3, b3), out_shape);
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  check_same_device("matmul", {a, b});
  const int64_t da = a.dim(), db = b.dim();
  WICK_CHECK(da > 0 && db > 0, "both arguments to matmul need to be at least 1D, but they are ", da,
             "D and ", db, "D");
  if (da == 1 && db == 1) return dot(a, b);
  if (da == 2 && db == 1) return mv(a, b);
  if (da == 1 && db == 2)
    return reshape_result("SqueezeBackward3", mm(a.unsqueeze(0), b), {b.size(1)});
  if (da == 2 && db == 2) return mm(a, b);
  if (should_fold(a, db) || should_fold(b, da)) {
    // Fold the larger operand's batch into rows; for 2-D @ N-D that is (b^T @ a^T)^T.
    const bool transpose = db > da;
    Tensor t1 = transpose ? b.mT() : a;
    Tensor t2 = !transpose ? b : (da == 2 ? a.t() : a);
    Shape out_shape(t1.sizes().begin(), t1.sizes().end() - 1);
    const int64_t folded = numel_of(out_shape);
    Tensor t1f = t1.reshape({folded, t1.size(-1)});
    if (t2.dim() == 1) return reshape_result("UnsafeViewBackward0", mv(t1f, t2), out_shape);
    out_shape.push_back(t2.size(1));
    Tensor out = reshape_result("UnsafeViewBackward0", mm(t1f, t2), out_shape);
    return transpose ? out.mT().contiguous() : out;
  }
  return batched_matmul(a, b);
}

Tensor Tensor::matmul(const Tensor& other) const { return wick::matmul(*this, other); }

}  // namespace wick

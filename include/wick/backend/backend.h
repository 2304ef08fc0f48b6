// Backend: the one interface between ops and devices, one virtual per kernel. Ops allocate outputs
// (through allocate) and call these; a backend never records autograd and never allocates
// results on its own. Kernels accept any strides: callers pass expanded (stride-0) inputs for
// broadcasting. The CPU backend is always registered; CUDA registers itself when linked.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "wick/core/generator.h"
#include "wick/core/scalar.h"
#include "wick/core/shape.h"
#include "wick/core/storage.h"
#include "wick/core/tensor.h"

namespace wick {

enum class UnaryOp {
  Neg, Abs, Sign, Exp, Log, Log1p, Expm1, Sqrt, Rsqrt, Sin, Cos, Tanh, Sigmoid, Relu, Erf,
  Reciprocal, Square, LogicalNot, Floor, Ceil, Round, Trunc, IsNan
};

// Comparison and logical ops write bool outputs; the rest write the inputs' dtype.
enum class BinaryOp {
  Add, Sub, Mul, Div, Pow, Minimum, Maximum, Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr,
  LogicalXor, Remainder, FloorDivide
};

enum class ReduceOp { Sum, Prod, Max, Min, All, Any };

enum class ScatterReduce { None, Add };

class Backend {
 public:
  virtual ~Backend() = default;
  virtual DeviceType device_type() const = 0;

  // ---- memory ----
  virtual Storage allocate(size_t nbytes, Device device) = 0;
  // dst = src elementwise; same shape (src may have stride-0 dims); dtypes may differ (cast).
  // Called on the backend of the non-CPU side when devices differ.
  virtual void copy_(const Tensor& dst, const Tensor& src) = 0;
  virtual void fill_(const Tensor& dst, const Scalar& value) = 0;

  // ---- elementwise ----
  // out and x have the same shape; same dtype except that IsNan/LogicalNot write bool.
  virtual void unary(UnaryOp op, const Tensor& out, const Tensor& x) = 0;
  // a and b are already expanded to out's shape and share a dtype (the computation dtype).
  virtual void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) = 0;
  // out = cond ? a : b; all expanded to out's shape, a/b/out share a dtype, cond is bool.
  virtual void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) = 0;

  // ---- reductions ----
  // out has x's rank with size 1 in each of `dims` (keepdim form); dims are sorted and wrapped.
  virtual void reduce(ReduceOp op, const Tensor& out, const Tensor& x, IntArrayRef dims) = 0;
  // Max or Min along one dim: values (x's dtype) and int64 indices, both in keepdim form. Ties
  // pick the first index; NaN propagates, as PyTorch.
  virtual void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim) = 0;
  virtual void cumsum(const Tensor& out, const Tensor& x, int64_t dim) = 0;

  // ---- linear algebra ----
  // out[b] = beta * out[b] + alpha * a[b] @ b_[b]; a (B, M, K), b_ (B, K, N), out (B, M, N), any
  // strides (B may be 0-strided in a or b). beta = 0 ignores out's previous contents (even NaN).
  virtual void bmm(const Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) = 0;

  // ---- indexing ----
  // out (index's shape) = x gathered along dim.
  virtual void gather(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) = 0;
  // self[... index[i] ...] = src[i] (or +=) along dim; src has index's shape or larger.
  virtual void scatter_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce) = 0;
  virtual void index_select(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) = 0;
  // self.index_select(dim, index) += alpha * source
  virtual void index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) = 0;
  // Number of nonzero elements, then their coordinates into out (n, ndim) int64.
  virtual int64_t count_nonzero(const Tensor& x) = 0;
  virtual void nonzero(const Tensor& out, const Tensor& x) = 0;
  // Sorts along dim (stable). values/indices in x's shape.
  virtual void sort(const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim, bool descending) = 0;

  // ---- random (counter-based: results do not depend on thread count) ----
  virtual void uniform_(const Tensor& self, double from, double to, Generator& gen) = 0;
  virtual void normal_(const Tensor& self, double mean, double std, Generator& gen) = 0;
  // self[i] = (u < p[i]) with p expanded to self's shape.
  virtual void bernoulli_(const Tensor& self, const Tensor& p, Generator& gen) = 0;
  // Integers uniform in [low, high).
  virtual void random_(const Tensor& self, int64_t low, int64_t high, Generator& gen) = 0;
  // out[i] = start + i * step, computed in out's dtype.
  virtual void arange_(const Tensor& out, double start, double step) = 0;

  // ---- normalization ----
  // Dropout: mask = keep / (1 - p) with keep ~ Bernoulli(1 - p), out = x * mask, all in x's dtype;
  // out, mask (may be undefined: not written) and x contiguous with x's shape; 0 < p <= 1.
  virtual void dropout(const Tensor& out, const Tensor& mask, const Tensor& x, double p, Generator& gen) = 0;
  // Layer norm of each row: x, out (M, N) contiguous; mean, rstd (M); weight, bias (N) or undefined.
  virtual void layer_norm(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& x,
                          const Tensor& weight, const Tensor& bias, double eps) = 0;
  // Its gradients from dy (M, N): dx (M, N), dweight, dbias (N); an undefined output is skipped.
  virtual void layer_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias, const Tensor& dy,
                                   const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight) = 0;
  // Batch norm per channel: x, out (N, C, S) contiguous; weight, bias, running_mean, running_var (C)
  // or undefined; save_mean, save_invstd (C) receive the statistics used. training: batch
  // statistics, and running stats (when defined) move by `momentum` toward them (unbiased variance);
  // otherwise the running stats normalize.
  virtual void batch_norm(const Tensor& out, const Tensor& save_mean, const Tensor& save_invstd, const Tensor& x,
                          const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                          const Tensor& running_var, bool training, double momentum, double eps) = 0;
  // Its gradients from dy (N, C, S): dx, dweight, dbias (C); an undefined output is skipped. training
  // says whether the statistics came from the batch (so they carry gradient) or were constants.
  virtual void batch_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias, const Tensor& dy,
                                   const Tensor& x, const Tensor& weight, const Tensor& save_mean,
                                   const Tensor& save_invstd, bool training) = 0;
};

// The backend serving `device` (throws if none is registered, e.g. CUDA without wick_cuda).
Backend& backend_for(Device device);
inline Backend& backend_for(const Tensor& t) { return backend_for(t.device()); }
// Called once by each backend's static registrar.
void register_backend(DeviceType type, Backend* backend);
bool has_backend(DeviceType type);

}  // namespace wick

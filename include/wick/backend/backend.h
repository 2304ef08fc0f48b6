// Backend: the one interface between ops and devices, one virtual per kernel. Ops allocate outputs
// (through allocate) and call these; a backend never records autograd and never allocates
// results on its own. Kernels accept any strides: callers pass expanded (stride-0) inputs for
// broadcasting. The CPU backend is always registered; CUDA registers itself when linked.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "wick/backend/optim_args.h"
#include "wick/backend/pool_args.h"
#include "wick/backend/conv_args.h"
#include "wick/backend/fold_args.h"
#include "wick/core/generator.h"
#include "wick/core/scalar.h"
#include "wick/core/shape.h"
#include "wick/core/storage.h"
#include "wick/core/tensor.h"
#include "wick/backend/loss_args.h"

namespace wick {

enum class UnaryOp {
  Neg, Abs, Sign, Exp, Log, Log1p, Expm1, Sqrt, Rsqrt, Sin, Cos, Tanh, Sigmoid, Relu, Erf,
  Reciprocal, Square, LogicalNot, Floor, Ceil, Round, Trunc, IsNan
};

// Comparison and logical ops write bool outputs; the rest write the inputs' dtype.
enum class BinaryOp {
  Add, Sub, Mul, Div, Pow, Minimum, Maximum, Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr,
  LogicalXor, Remainder, FloorDivide,
  ThresholdBackward  // b > 0 ? a : 0 (PyTorch's threshold_backward at 0: a ReLU's gradient)
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

  // ---- optimizers ----
  // One torch.optim update in a single sweep, in place: param, grad and the defined state tensors
  // are contiguous, of one dtype and size. Not pure: a backend without it reports the device.
  virtual void optimizer_step_(const OptimizerStepArgs& args, const Tensor& param, const Tensor& grad,
                               const std::vector<Tensor>& state);
  // ---- losses ----
  // Negative log-likelihood over the class dim. input (N, C, K) contiguous log-probabilities,
  // target (N, K) contiguous int64, weight (C) contiguous or undefined (all ones); targets equal to
  // ignore_index count for nothing, other targets outside [0, C) throw "Target t is out of bounds.".
  // None: out (N, K) = -weight[t] * input[n, t, k]. Mean/Sum: out 0-d = the sum (divided by the
  // weight total for Mean), total_weight 0-d = sum of weight[t] over counted targets.
  virtual void nll_loss_forward(const Tensor& out, const Tensor& total_weight, const Tensor& input,
                                const Tensor& target, const Tensor& weight, LossReduction reduction,
                                int64_t ignore_index) = 0;
  // grad_input (N, C, K) contiguous, overwritten: -weight[t] * g at [n, t, k], 0 elsewhere, where g
  // is grad_output[n, k] (None), grad_output (Sum) or grad_output / total_weight (Mean).
  virtual void nll_loss_backward(const Tensor& grad_input, const Tensor& grad_output,
                                 const Tensor& target, const Tensor& weight,
                                 LossReduction reduction, int64_t ignore_index,
                                 const Tensor& total_weight) = 0;
  // CTC negative log-likelihood per batch item. log_probs (T, N, C) contiguous; targets int64
  // contiguous, item b's labels at targets[target_offsets[b] + i] for i < target_lengths[b].
  // Writes nll (N) and log_alpha (N, T, 2 * max_target_length + 1), which backward reuses.
  virtual void ctc_loss_forward(const Tensor& nll, const Tensor& log_alpha, const Tensor& log_probs,
                                const Tensor& targets, IntArrayRef target_offsets,
                                IntArrayRef input_lengths, IntArrayRef target_lengths,
                                int64_t blank) = 0;
  // grad (T, N, C) contiguous, overwritten with d(nll[b] * grad_nll[b]) / d(log_probs) (0 past
  // each input length, and for items with infinite nll when zero_infinity).
  virtual void ctc_loss_backward(const Tensor& grad, const Tensor& grad_nll, const Tensor& log_probs,
                                 const Tensor& targets, IntArrayRef target_offsets,
                                 IntArrayRef input_lengths, IntArrayRef target_lengths,
                                 const Tensor& nll, const Tensor& log_alpha, int64_t blank,
                                 bool zero_infinity) = 0;
  // ---- fused cross entropy ---- (not pure: a backend without it returns false, and the caller
  // composes log_softmax and nll_loss instead)
  // input (N, C) contiguous logits, target (N) int64 contiguous, weight (C) contiguous or undefined;
  // targets as nll_loss_forward. Writes lse (N) = log(sum(exp(input[n]))), and out / total_weight
  // as nll_loss_forward writes them for log_softmax(input).
  virtual bool cross_entropy_forward(const Tensor& /*out*/, const Tensor& /*total_weight*/,
                                     const Tensor& /*lse*/, const Tensor& /*input*/,
                                     const Tensor& /*target*/, const Tensor& /*weight*/,
                                     LossReduction /*reduction*/, int64_t /*ignore_index*/) {
    return false;
  }
  // grad_input (N, C) contiguous, overwritten: (exp(input - lse) - onehot(target)) * weight[t] * g
  // per row, g as in nll_loss_backward; rows with an ignored target get 0.
  virtual bool cross_entropy_backward(const Tensor& /*grad_input*/, const Tensor& /*grad_output*/,
                                      const Tensor& /*input*/, const Tensor& /*lse*/,
                                      const Tensor& /*target*/, const Tensor& /*weight*/,
                                      LossReduction /*reduction*/, int64_t /*ignore_index*/,
                                      const Tensor& /*total_weight*/) {
    return false;
  }
  // ---- fused softmax ---- (not pure: a backend without it returns false, and the caller composes
  // max, exp and sum instead)
  // x contiguous, out like it: softmax (log: log_softmax) of each run of x.size(-1) values.
  virtual bool softmax_forward(const Tensor& /*out*/, const Tensor& /*x*/, bool /*log*/) {
    return false;
  }
  // out the forward's result, grad_output like it, all contiguous; grad_input, overwritten, is
  // out * (g - sum(g * out)) per row for softmax, g - exp(out) * sum(g) for log_softmax.
  virtual bool softmax_backward(const Tensor& /*grad_input*/, const Tensor& /*grad_output*/,
                                const Tensor& /*out*/, bool /*log*/) {
    return false;
  }
  // ---- fused LSTM cell ---- (not pure: a backend without it returns false, and the caller
  // composes sigmoid, tanh and products instead)
  // gates (N, 4H) contiguous pre-activations in PyTorch's order i, f, g, o; c (N, H) contiguous.
  // Writes ws (N, 4H) = sigmoid(i), sigmoid(f), tanh(g), sigmoid(o); c2 = f * c + i * g and
  // h2 = o * tanh(c2) (N, H). All float32 or all float64.
  virtual bool lstm_cell_forward(const Tensor& /*h2*/, const Tensor& /*c2*/, const Tensor& /*ws*/,
                                 const Tensor& /*gates*/, const Tensor& /*c*/) {
    return false;
  }
  // The gradients of those outputs: grad_gates (N, 4H) and grad_c (N, H), overwritten, from
  // grad_h2 and grad_c2 (contiguous, or undefined for zero) and the forward's ws, c and c2.
  virtual bool lstm_cell_backward(const Tensor& /*grad_gates*/, const Tensor& /*grad_c*/,
                                  const Tensor& /*grad_h2*/, const Tensor& /*grad_c2*/,
                                  const Tensor& /*ws*/, const Tensor& /*c*/, const Tensor& /*c2*/) {
    return false;
  }
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
  // ---- pooling ----
  // x (B, *in) -> out (B, *out), 1 to 3 spatial dims, all contiguous. indices (B, *out) int64:
  // the flat position of each maximum within its (B) plane of x, as PyTorch's return_indices.
  virtual void max_pool_forward(const Tensor& out, const Tensor& indices, const Tensor& x, const PoolArgs& args) = 0;
  virtual void avg_pool_forward(const Tensor& out, const Tensor& x, const PoolArgs& args) = 0;
  // grad_input (B, *in) = the adjoint of avg_pool_forward applied to grad_output (B, *out).
  virtual void avg_pool_backward(const Tensor& grad_input, const Tensor& grad_output, const PoolArgs& args) = 0;
  // out (B, M) = 0, then out[b, indices[b, j]] += src[b, j] (accumulate) or = src[b, j]; src and
  // indices (B, K). Max pooling's backward and max_unpool's forward.
  virtual void pool_scatter(const Tensor& out, const Tensor& src, const Tensor& indices, bool accumulate) = 0;
  // ---- convolution ----
  // All tensors contiguous, one float dtype. x (N, C, *in), w (O, C/groups, *k), out (N, O, *o);
  // bias (O) or undefined. Output positions read x at o*stride - padding + k*dilation.
  virtual void conv_forward(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,
                            const ConvArgs& args) = 0;
  // grad_x (N, C, *in) = the transpose of conv_forward applied to grad_out (N, O, *o): every
  // element of grad_x is written (positions no output reads get 0).
  virtual void conv_backward_input(const Tensor& grad_x, const Tensor& grad_out, const Tensor& w,
                                   const ConvArgs& args) = 0;
  // grad_w (O, C/groups, *k) = sum over the batch of grad_out correlated with x (overwritten).
  virtual void conv_backward_weight(const Tensor& grad_w, const Tensor& grad_out, const Tensor& x,
                                    const ConvArgs& args) = 0;
  // ---- fold ----
  // Unfold: x (N, C, H, W) -> col (N, C * kh * kw, L), both contiguous, one float dtype; L = bh * bw
  // blocks (args.blocks); row c * kh * kw + i * kw + j of col holds each block's cell (i, j) of
  // channel c; cells in the padding read 0.
  virtual void im2col(const Tensor& col, const Tensor& x, const FoldArgs& args) = 0;
  // Fold, the adjoint: x (N, C, H, W) is overwritten with the sum, over every place it was read
  // from, of col's entries (cells no block reads get 0).
  virtual void col2im(const Tensor& x, const Tensor& col, const FoldArgs& args) = 0;
};

// The backend serving `device` (throws if none is registered, e.g. CUDA without wick_cuda).
Backend& backend_for(Device device);
inline Backend& backend_for(const Tensor& t) { return backend_for(t.device()); }
// Called once by each backend's static registrar.
void register_backend(DeviceType type, Backend* backend);
bool has_backend(DeviceType type);

}  // namespace wick

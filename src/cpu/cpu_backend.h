// The CPU backend's class: one override per Backend kernel. The definitions are spread over this
// folder by family (copy_fill.cpp, elementwise.cpp, reduce.cpp, gemm.cpp, index.cpp, random.cpp,
// dropout.cpp, layer_norm.cpp, batch_norm.cpp).
#pragma once

#include "wick/backend/backend.h"

namespace wick::cpu {

class CpuBackend final : public Backend {
 public:
  DeviceType device_type() const override { return kCPU; }
  Storage allocate(size_t nbytes, Device device) override;
  void copy_(const Tensor& dst, const Tensor& src) override;
  void fill_(const Tensor& dst, const Scalar& value) override;
  void unary(UnaryOp op, const Tensor& out, const Tensor& x) override;
  void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) override;
  void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) override;
  void reduce(ReduceOp op, const Tensor& out, const Tensor& x, IntArrayRef dims) override;
  void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim) override;
  void cumsum(const Tensor& out, const Tensor& x, int64_t dim) override;
  void bmm(const Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) override;
  void gather(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) override;
  void scatter_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce) override;
  void index_select(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) override;
  void index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) override;
  int64_t count_nonzero(const Tensor& x) override;
  void nonzero(const Tensor& out, const Tensor& x) override;
  void sort(const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim, bool descending) override;
  void uniform_(const Tensor& self, double from, double to, Generator& gen) override;
  void normal_(const Tensor& self, double mean, double std, Generator& gen) override;
  void bernoulli_(const Tensor& self, const Tensor& p, Generator& gen) override;
  void random_(const Tensor& self, int64_t low, int64_t high, Generator& gen) override;
  void arange_(const Tensor& out, double start, double step) override;
  // ---- optimizers ----
  void optimizer_step_(const OptimizerStepArgs& args, const Tensor& param, const Tensor& grad,
                       const std::vector<Tensor>& state) override;
  // ---- losses ----
  void nll_loss_forward(const Tensor& out, const Tensor& total_weight, const Tensor& input,
                        const Tensor& target, const Tensor& weight, LossReduction reduction,
                        int64_t ignore_index) override;
  void nll_loss_backward(const Tensor& grad_input, const Tensor& grad_output, const Tensor& target,
                         const Tensor& weight, LossReduction reduction, int64_t ignore_index,
                         const Tensor& total_weight) override;
  void ctc_loss_forward(const Tensor& nll, const Tensor& log_alpha, const Tensor& log_probs,
                        const Tensor& targets, IntArrayRef target_offsets, IntArrayRef input_lengths,
                        IntArrayRef target_lengths, int64_t blank) override;
  void ctc_loss_backward(const Tensor& grad, const Tensor& grad_nll, const Tensor& log_probs,
                         const Tensor& targets, IntArrayRef target_offsets, IntArrayRef input_lengths,
                         IntArrayRef target_lengths, const Tensor& nll, const Tensor& log_alpha,
                         int64_t blank, bool zero_infinity) override;
  // ---- fused softmax ---- (softmax.cpp)
  bool softmax_forward(const Tensor& out, const Tensor& x, bool log) override;
  bool softmax_backward(const Tensor& grad_input, const Tensor& grad_output, const Tensor& out,
                        bool log) override;
  // ---- fused LSTM cell ---- (lstm_cell.cpp)
  bool lstm_cell_forward(const Tensor& h2, const Tensor& c2, const Tensor& ws, const Tensor& gates,
                         const Tensor& c) override;
  bool lstm_cell_backward(const Tensor& grad_gates, const Tensor& grad_c, const Tensor& grad_h2,
                          const Tensor& grad_c2, const Tensor& ws, const Tensor& c,
                          const Tensor& c2) override;
  // ---- fused cross entropy ---- (cross_entropy.cpp)
  bool cross_entropy_forward(const Tensor& out, const Tensor& total_weight, const Tensor& lse,
                             const Tensor& input, const Tensor& target, const Tensor& weight,
                             LossReduction reduction, int64_t ignore_index) override;
  bool cross_entropy_backward(const Tensor& grad_input, const Tensor& grad_output,
                              const Tensor& input, const Tensor& lse, const Tensor& target,
                              const Tensor& weight, LossReduction reduction, int64_t ignore_index,
                              const Tensor& total_weight) override;

  // ---- normalization ----
  void dropout(const Tensor& out, const Tensor& mask, const Tensor& x, double p, Generator& gen) override;
  void layer_norm(const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& x, const Tensor& weight,
                  const Tensor& bias, double eps) override;
  void layer_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias, const Tensor& dy,
                           const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight) override;
  void batch_norm(const Tensor& out, const Tensor& save_mean, const Tensor& save_invstd, const Tensor& x,
                  const Tensor& weight, const Tensor& bias, const Tensor& running_mean, const Tensor& running_var,
                  bool training, double momentum, double eps) override;
  void batch_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias, const Tensor& dy,
                           const Tensor& x, const Tensor& weight, const Tensor& save_mean, const Tensor& save_invstd,
                           bool training) override;
  // ---- pooling ---- (pool.cpp)
  void max_pool_forward(const Tensor& out, const Tensor& indices, const Tensor& x, const PoolArgs& args) override;
  void avg_pool_forward(const Tensor& out, const Tensor& x, const PoolArgs& args) override;
  void avg_pool_backward(const Tensor& grad_input, const Tensor& grad_output, const PoolArgs& args) override;
  void pool_scatter(const Tensor& out, const Tensor& src, const Tensor& indices, bool accumulate) override;
  // ---- convolution ----
  void conv_forward(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,
                    const ConvArgs& args) override;
  void conv_backward_input(const Tensor& grad_x, const Tensor& grad_out, const Tensor& w,
                           const ConvArgs& args) override;
  void conv_backward_weight(const Tensor& grad_w, const Tensor& grad_out, const Tensor& x,
                            const ConvArgs& args) override;
  // ---- fold ----
  void im2col(const Tensor& col, const Tensor& x, const FoldArgs& args) override;
  void col2im(const Tensor& x, const Tensor& col, const FoldArgs& args) override;
};

}  // namespace wick::cpu

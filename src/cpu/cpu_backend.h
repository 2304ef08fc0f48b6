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
};

}  // namespace wick::cpu

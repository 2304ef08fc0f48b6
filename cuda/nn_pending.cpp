// Placeholders for the CUDA kernels of the cuda-nn family (bmm, conv, pooling, norms, losses,
// dropout, optimizer steps) while that branch is not merged: weak definitions that throw, so
// wick_cuda links on its own. cuda-nn's real (strong) definitions replace them at link time;
// delete this file once they are all merged.
#include "cuda_backend.h"

#define WICK_CUDA_PENDING(name) WICK_FAIL("CUDA backend: ", name, " is not implemented yet (cuda-nn)")
#define WICK_WEAK __attribute__((weak))

namespace wick::cuda {

WICK_WEAK void CudaBackend::bmm(const Tensor&, const Tensor&, const Tensor&, double, double) { WICK_CUDA_PENDING("bmm"); }
WICK_WEAK void CudaBackend::optimizer_step_(const OptimizerStepArgs&, const Tensor&, const Tensor&,
                                            const std::vector<Tensor>&) {
  WICK_CUDA_PENDING("optimizer_step_");
}
WICK_WEAK void CudaBackend::nll_loss_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                             LossReduction, int64_t) {
  WICK_CUDA_PENDING("nll_loss_forward");
}
WICK_WEAK void CudaBackend::nll_loss_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, LossReduction,
                                              int64_t, const Tensor&) {
  WICK_CUDA_PENDING("nll_loss_backward");
}
WICK_WEAK void CudaBackend::ctc_loss_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, IntArrayRef,
                                             IntArrayRef, IntArrayRef, int64_t) {
  WICK_CUDA_PENDING("ctc_loss_forward");
}
WICK_WEAK void CudaBackend::ctc_loss_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, IntArrayRef,
                                              IntArrayRef, IntArrayRef, const Tensor&, const Tensor&, int64_t, bool) {
  WICK_CUDA_PENDING("ctc_loss_backward");
}
WICK_WEAK void CudaBackend::dropout(const Tensor&, const Tensor&, const Tensor&, double, Generator&) {
  WICK_CUDA_PENDING("dropout");
}
WICK_WEAK void CudaBackend::layer_norm(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                       const Tensor&, double) {
  WICK_CUDA_PENDING("layer_norm");
}
WICK_WEAK void CudaBackend::layer_norm_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                                const Tensor&, const Tensor&, const Tensor&) {
  WICK_CUDA_PENDING("layer_norm_backward");
}
WICK_WEAK void CudaBackend::batch_norm(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                       const Tensor&, const Tensor&, const Tensor&, bool, double, double) {
  WICK_CUDA_PENDING("batch_norm");
}
WICK_WEAK void CudaBackend::batch_norm_backward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const Tensor&,
                                                const Tensor&, const Tensor&, const Tensor&, bool) {
  WICK_CUDA_PENDING("batch_norm_backward");
}
WICK_WEAK void CudaBackend::max_pool_forward(const Tensor&, const Tensor&, const Tensor&, const PoolArgs&) {
  WICK_CUDA_PENDING("max_pool_forward");
}
WICK_WEAK void CudaBackend::avg_pool_forward(const Tensor&, const Tensor&, const PoolArgs&) {
  WICK_CUDA_PENDING("avg_pool_forward");
}
WICK_WEAK void CudaBackend::avg_pool_backward(const Tensor&, const Tensor&, const PoolArgs&) {
  WICK_CUDA_PENDING("avg_pool_backward");
}
WICK_WEAK void CudaBackend::pool_scatter(const Tensor&, const Tensor&, const Tensor&, bool) {
  WICK_CUDA_PENDING("pool_scatter");
}
WICK_WEAK void CudaBackend::conv_forward(const Tensor&, const Tensor&, const Tensor&, const Tensor&, const ConvArgs&) {
  WICK_CUDA_PENDING("conv_forward");
}
WICK_WEAK void CudaBackend::conv_backward_input(const Tensor&, const Tensor&, const Tensor&, const ConvArgs&) {
  WICK_CUDA_PENDING("conv_backward_input");
}
WICK_WEAK void CudaBackend::conv_backward_weight(const Tensor&, const Tensor&, const Tensor&, const ConvArgs&) {
  WICK_CUDA_PENDING("conv_backward_weight");
}

}  // namespace wick::cuda

// TEMPORARY during the first integration: kernels whose real implementations are being written.
// Each throws; this file is deleted once gemm.cpp, index.cpp and the reduction kernels land.
#include "cpu_backend.h"

namespace wick::cpu {
void CpuBackend::arg_reduce(ReduceOp, const Tensor&, const Tensor&, const Tensor&, int64_t) { WICK_FAIL("arg_reduce: pending"); }
void CpuBackend::cumsum(const Tensor&, const Tensor&, int64_t) { WICK_FAIL("cumsum: pending"); }
void CpuBackend::gather(const Tensor&, const Tensor&, int64_t, const Tensor&) { WICK_FAIL("gather: pending"); }
void CpuBackend::scatter_(const Tensor&, int64_t, const Tensor&, const Tensor&, ScatterReduce) { WICK_FAIL("scatter_: pending"); }
void CpuBackend::index_select(const Tensor&, const Tensor&, int64_t, const Tensor&) { WICK_FAIL("index_select: pending"); }
void CpuBackend::index_add_(const Tensor&, int64_t, const Tensor&, const Tensor&, const Scalar&) { WICK_FAIL("index_add_: pending"); }
int64_t CpuBackend::count_nonzero(const Tensor&) { WICK_FAIL("count_nonzero: pending"); }
void CpuBackend::nonzero(const Tensor&, const Tensor&) { WICK_FAIL("nonzero: pending"); }
void CpuBackend::sort(const Tensor&, const Tensor&, const Tensor&, int64_t, bool) { WICK_FAIL("sort: pending"); }
}  // namespace wick::cpu

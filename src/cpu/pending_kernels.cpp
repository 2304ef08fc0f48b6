// TEMPORARY during the first integration: kernels whose real implementations are being written.
// Each throws; this file is deleted once gemm.cpp, index.cpp and the reduction kernels land.
#include "cpu_backend.h"

namespace wick::cpu {
void CpuBackend::bmm(const Tensor&, const Tensor&, const Tensor&, double, double) { WICK_FAIL("bmm: pending"); }
}  // namespace wick::cpu

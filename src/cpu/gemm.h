// Strided matrix views and the single-matrix float GEMM behind CpuBackend::bmm (gemm.cpp). Private
// to src/cpu/; it deliberately knows nothing of Tensor, batches or threads.
#pragma once

#include <cstdint>

namespace wick::cpu {

// A (rows, cols) matrix at p with element strides rs (between rows) and cs (between columns).
template <typename T>
struct MatrixRef {
  T* p = nullptr;
  int64_t rows = 0, cols = 0, rs = 0, cs = 0;
  MatrixRef<T> t() const { return {p, cols, rows, cs, rs}; }
  MatrixRef<T> rows_slice(int64_t lo, int64_t hi) const {
    return {p + lo * rs, hi - lo, cols, rs, cs};
  }
  MatrixRef<T> cols_slice(int64_t lo, int64_t hi) const {
    return {p + lo * cs, rows, hi - lo, rs, cs};
  }
};

// c (M, N) = beta * c + alpha * a (M, K) @ b (K, N); beta = 0 ignores c's old contents. Any
// strides; c must not overlap a or b. parallel: split the work over Wick's pool (else the calling
// thread does it all, e.g. inside a parallel_for over a batch).
template <typename T>
void gemm_float(MatrixRef<T> a, MatrixRef<T> b, MatrixRef<T> c, T beta, T alpha, bool parallel);

// The packed AVX-512/AVX2 float32 kernel (sgemm_packed.cpp) for a row-major c (c.cs == 1) and K > 0;
// returns false (doing nothing) when c is not row-major or Wick was built for neither ISA.
// parallel: threads pack each block of b together, then split c's rows.
bool sgemm_packed(const MatrixRef<float>& a, const MatrixRef<float>& b, const MatrixRef<float>& c,
                  float beta, float alpha, bool parallel);

}  // namespace wick::cpu

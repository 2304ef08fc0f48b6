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

// A float matrix whose lines are runs of contiguous values at given offsets from p: row i is
// p[at[i]], p[at[i] + 1], ... (or, by_columns, column i). The column matrix of a convolution that
// is never written out: each of its rows is a run of a phase plane (conv.cpp, im2col.h), which
// the packed kernel copies straight into its B panels.
struct LineMatrix {
  const float* p = nullptr;
  const int64_t* at = nullptr;
  int64_t rows = 0, cols = 0;
  bool by_columns = false;
  LineMatrix t() const { return {p, at, cols, rows, !by_columns}; }
  LineMatrix rows_slice(int64_t lo, int64_t hi) const {
    return by_columns ? LineMatrix{p + lo, at, hi - lo, cols, true}
                      : LineMatrix{p, at + lo, hi - lo, cols, false};
  }
  LineMatrix cols_slice(int64_t lo, int64_t hi) const {
    return by_columns ? LineMatrix{p, at + lo, rows, hi - lo, true}
                      : LineMatrix{p + lo, at, rows, hi - lo, false};
  }
};

// The packed kernel's depth block: A and B are packed kSgemmDepthBlock deep at a time, and a
// product whose depth is not a multiple of it ends on a shallower block, which costs a pass over C
// for little work (callers that choose their depth, as conv.cpp's column blocks, take multiples).
inline constexpr int64_t kSgemmDepthBlock = 256;

// A float32 matrix in the packed kernel's panel layout, packed once for products that share it (a
// convolution's weights, the same for every sample): pack_a_once writes packed_a_floats(rows,
// cols) floats. Depth slices start where the kernel's depth blocks do (its depth split cuts there).
struct PackedA {
  const float* p = nullptr;
  int64_t rows = 0, cols = 0, padded_rows = 0;  // padded_rows: rows rounded up to whole panels
  PackedA cols_slice(int64_t lo, int64_t hi) const {
    return {p + lo * padded_rows, rows, hi - lo, padded_rows};
  }
};
int64_t packed_a_floats(int64_t rows, int64_t cols);
PackedA pack_a_once(const MatrixRef<float>& a, float* dst);

// The packed AVX-512/AVX2 float32 kernel (sgemm_packed.cpp) for a row-major c (c.cs == 1) and K > 0;
// returns false (doing nothing) when c is not row-major or Wick was built for neither ISA.
// parallel: threads pack each block of b together, then split c's rows.
bool sgemm_packed(const MatrixRef<float>& a, const MatrixRef<float>& b, const MatrixRef<float>& c,
                  float beta, float alpha, bool parallel);
// The same with b's lines at offsets, or a packed already; false (doing nothing) when there is no
// packed kernel.
bool sgemm_packed(const MatrixRef<float>& a, const LineMatrix& b, const MatrixRef<float>& c,
                  float beta, float alpha, bool parallel);
bool sgemm_packed(const PackedA& a, const MatrixRef<float>& b, const MatrixRef<float>& c,
                  float beta, float alpha, bool parallel);
bool sgemm_packed(const PackedA& a, const LineMatrix& b, const MatrixRef<float>& c, float beta,
                  float alpha, bool parallel);
// Whether this build has the packed kernel (AVX-512 or AVX2 with FMA).
bool has_sgemm_packed();

}  // namespace wick::cpu

// CpuBackend::bmm: out[b] = beta * out[b] + alpha * a[b] @ b[b] over any strides. float32
// products of useful size go to the packed AVX-512/AVX2 kernel (sgemm_packed.cpp); float64, skinny
// float32 (mv, dot) and builds without AVX2 run Eigen's GEMM on maps over the raw buffers
// (matrices Eigen cannot map are copied first); integer types use a plain loop. Work is split over
// Wick's own pool by batch or within a matrix, never by Eigen's threads (ours wait passively).
#define EIGEN_DONT_PARALLELIZE
// GCC 12 reports a false -Wmaybe-uninitialized inside its own avx512fintrin.h when Eigen's AVX-512
// GEMM is inlined here (the warning fires at instantiation, so it is off for the whole file).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "gemm.h"

#include <Eigen/Core>
#include <algorithm>
#include <type_traits>
#include <vector>

#include "cpu_backend.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {

namespace {

// Below this many multiply-adds per GEMM call, fork/join costs more than it saves.
constexpr int64_t kParallelFlops = int64_t{1} << 18;

template <typename T, int Order>
using ConstMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Order>, 0,
                            Eigen::OuterStride<>>;
template <typename T>
using OutMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
                          Eigen::OuterStride<>>;

// A mappable layout: row-major (unit column stride) or column-major (unit row stride), with a
// positive outer stride; otherwise -1.
template <typename T>
int layout_of(const MatrixRef<T>& m) {
  if (m.cols == 1 || (m.cs == 1 && m.rs >= m.cols)) return Eigen::RowMajor;
  if (m.rows == 1 || (m.rs == 1 && m.cs >= m.rows)) return Eigen::ColMajor;
  return -1;
}

template <typename T, int Order>
ConstMap<T, Order> map_of(const MatrixRef<T>& m) {
  // For a single row/column the outer stride is never used, but Eigen wants it >= the inner size.
  int64_t outer =
      Order == Eigen::RowMajor ? (m.rows == 1 ? m.cols : m.rs) : (m.cols == 1 ? m.rows : m.cs);
  return ConstMap<T, Order>(m.p, m.rows, m.cols, Eigen::OuterStride<>(outer));
}

// c (M, N) row-major = beta * c + alpha * a (M, K) @ b (K, N), a/b in any mappable layout.
template <typename T, int OA, int OB>
void eigen_gemm(const MatrixRef<T>& a, const MatrixRef<T>& b, const MatrixRef<T>& c, T beta,
                T alpha) {
  OutMap<T> cm(c.p, c.rows, c.cols, Eigen::OuterStride<>(c.rows == 1 ? c.cols : c.rs));
  if (beta == T(0)) {
    cm.noalias() = alpha * (map_of<T, OA>(a) * map_of<T, OB>(b));
  } else {
    if (beta != T(1)) cm *= beta;
    cm.noalias() += alpha * (map_of<T, OA>(a) * map_of<T, OB>(b));
  }
}

template <typename T>
void gemm_mapped(const MatrixRef<T>& a, const MatrixRef<T>& b, const MatrixRef<T>& c, T beta,
                 T alpha) {
  const int la = layout_of(a), lb = layout_of(b);
  if (la == Eigen::RowMajor && lb == Eigen::RowMajor)
    return eigen_gemm<T, Eigen::RowMajor, Eigen::RowMajor>(a, b, c, beta, alpha);
  if (la == Eigen::RowMajor)
    return eigen_gemm<T, Eigen::RowMajor, Eigen::ColMajor>(a, b, c, beta, alpha);
  if (lb == Eigen::RowMajor)
    return eigen_gemm<T, Eigen::ColMajor, Eigen::RowMajor>(a, b, c, beta, alpha);
  eigen_gemm<T, Eigen::ColMajor, Eigen::ColMajor>(a, b, c, beta, alpha);
}

// A contiguous copy of m (used when m's layout cannot be mapped).
template <typename T>
MatrixRef<T> packed_copy(const MatrixRef<T>& m, std::vector<T>& buf) {
  buf.resize(static_cast<size_t>(m.rows * m.cols));
  for (int64_t i = 0; i < m.rows; ++i)
    for (int64_t j = 0; j < m.cols; ++j)
      buf[static_cast<size_t>(i * m.cols + j)] = m.p[i * m.rs + j * m.cs];
  return {buf.data(), m.rows, m.cols, m.cols, 1};
}

// Splits c's longer side into one block per thread (multiples of 16) and runs fn(a', b', c') on
// each part.
template <typename T, typename F>
void split_over_threads(const MatrixRef<T>& a, const MatrixRef<T>& b, const MatrixRef<T>& c,
                        F&& fn) {
  constexpr int64_t kAlign = 16;
  const bool by_rows = c.rows >= c.cols;
  const int64_t side = by_rows ? c.rows : c.cols;
  parallel_for((side + kAlign - 1) / kAlign, 1, [&](int64_t u0, int64_t u1) {
    const int64_t lo = u0 * kAlign, hi = std::min(side, u1 * kAlign);
    if (by_rows) {
      fn(a.rows_slice(lo, hi), b, c.rows_slice(lo, hi));
    } else {
      fn(a, b.cols_slice(lo, hi), c.cols_slice(lo, hi));
    }
  });
}

// The packed kernel pays for padding to 14x32 (6x16) tiles: skinny products (mv, dot) stay with
// Eigen.
template <typename T>
bool use_packed_kernel(const MatrixRef<T>& a, const MatrixRef<T>& c) {
  return c.rows >= 8 && c.cols >= 16 && a.cols >= 8;
}

}  // namespace

template <typename T>
void gemm_float(MatrixRef<T> a, MatrixRef<T> b, MatrixRef<T> c, T beta, T alpha, bool parallel) {
  if (c.rows == 0 || c.cols == 0) return;
  // Make c row-major: a column-major c is the row-major c^T = b^T @ a^T.
  if (layout_of(c) == Eigen::ColMajor) {
    std::swap(a, b);
    a = a.t();
    b = b.t();
    c = c.t();
  }
  std::vector<T> abuf, bbuf, cbuf;
  if (layout_of(a) < 0) a = packed_copy(a, abuf);
  if (layout_of(b) < 0) b = packed_copy(b, bbuf);
  MatrixRef<T> cw = c;
  if (layout_of(c) != Eigen::RowMajor) cw = packed_copy(c, cbuf);
  if (a.cols == 0) {
    for (int64_t i = 0; i < cw.rows; ++i)
      for (int64_t j = 0; j < cw.cols; ++j) {
        T& v = cw.p[i * cw.rs + j * cw.cs];
        v = beta == T(0) ? T(0) : beta * v;
      }
  } else {
    bool done = false;
    if constexpr (std::is_same_v<T, float>)
      done = use_packed_kernel(a, cw) && sgemm_packed(a, b, cw, beta, alpha, parallel);
    if (!done && parallel) {
      split_over_threads(
          a, b, cw, [&](const MatrixRef<T>& ap, const MatrixRef<T>& bp, const MatrixRef<T>& cp) {
            gemm_mapped(ap, bp, cp, beta, alpha);
          });
    } else if (!done) {
      gemm_mapped(a, b, cw, beta, alpha);
    }
  }
  if (cw.p != c.p)
    for (int64_t i = 0; i < c.rows; ++i)
      for (int64_t j = 0; j < c.cols; ++j) c.p[i * c.rs + j * c.cs] = cw.p[i * cw.rs + j * cw.cs];
}

template void gemm_float<float>(MatrixRef<float>, MatrixRef<float>, MatrixRef<float>, float, float,
                                bool);
template void gemm_float<double>(MatrixRef<double>, MatrixRef<double>, MatrixRef<double>, double,
                                 double, bool);

namespace {

// Integer matmul (PyTorch supports it on CPU): a plain i-k-j loop, accumulating in T.
template <typename T>
void gemm_int(const MatrixRef<T>& a, const MatrixRef<T>& b, const MatrixRef<T>& c, T beta,
              T alpha) {
  std::vector<T> row(static_cast<size_t>(c.cols));
  for (int64_t i = 0; i < c.rows; ++i) {
    std::fill(row.begin(), row.end(), T(0));
    for (int64_t k = 0; k < a.cols; ++k) {
      const T av = a.p[i * a.rs + k * a.cs];
      for (int64_t j = 0; j < c.cols; ++j)
        row[static_cast<size_t>(j)] += av * b.p[k * b.rs + j * b.cs];
    }
    for (int64_t j = 0; j < c.cols; ++j) {
      T& v = c.p[i * c.rs + j * c.cs];
      v = static_cast<T>((beta == T(0) ? T(0) : beta * v) + alpha * row[static_cast<size_t>(j)]);
    }
  }
}

template <typename T>
void gemm_one(const MatrixRef<T>& a, const MatrixRef<T>& b, const MatrixRef<T>& c, T beta, T alpha,
              bool parallel) {
  if constexpr (std::is_floating_point_v<T>) {
    gemm_float(a, b, c, beta, alpha, parallel);
  } else if (parallel) {
    split_over_threads(a, b, c,
                       [&](const MatrixRef<T>& ap, const MatrixRef<T>& bp, const MatrixRef<T>& cp) {
                         gemm_int(ap, bp, cp, beta, alpha);
                       });
  } else {
    gemm_int(a, b, c, beta, alpha);
  }
}

}  // namespace

// out (B, M, N) = beta * out + alpha * a (B, M, K) @ b (B, K, N).
void CpuBackend::bmm(const Tensor& out, const Tensor& a, const Tensor& b, double beta,
                     double alpha) {
  const int64_t batch = out.size(0), m = out.size(1), n = out.size(2), k = a.size(2);
  dispatch_numeric(out.dtype(), "bmm", [&]<typename T>() {
    auto mat = [](const Tensor& t, int64_t i) {
      return MatrixRef<T>{t.data_ptr<T>() + i * t.stride(0), t.size(1), t.size(2), t.stride(1),
                          t.stride(2)};
    };
    const T tb = static_cast<T>(beta), ta = static_cast<T>(alpha);
    const int64_t flops = m * n * std::max<int64_t>(k, 1);
    const int threads = get_num_threads();
    if (batch >= threads || flops < kParallelFlops) {
      // Whole matrices per thread.
      const int64_t grain = std::max<int64_t>(1, kParallelFlops / std::max<int64_t>(flops, 1));
      parallel_for(batch, grain, [&](int64_t b0, int64_t b1) {
        for (int64_t i = b0; i < b1; ++i)
          gemm_one<T>(mat(a, i), mat(b, i), mat(out, i), tb, ta, false);
      });
      return;
    }
    // Few large matrices: one at a time, each split over the threads.
    for (int64_t i = 0; i < batch; ++i)
      gemm_one<T>(mat(a, i), mat(b, i), mat(out, i), tb, ta, true);
  });
}

}  // namespace wick::cpu

// CudaBackend::bmm through cuBLAS strided-batched GEMM. Row-major operands are column-major
// transposes, so out = a @ b runs as out^T = b^T a^T (or directly when out is a transposed view);
// operands cuBLAS cannot address (inner strides not 1) are copied contiguous first. float16 and
// bfloat16 accumulate in float; float32 uses TF32 only when wick::cuda::allow_tf32() says so.
#include <algorithm>
#include <climits>
#include <memory>

#include "cuda_backend.h"
#include "nn_layout.h"
#include "nn_util.h"
#include "wick/cuda_matmul.h"

namespace wick::cuda {

namespace {

using namespace nn;

// One (B, R, C) operand as cuBLAS sees it: each matrix column-major with leading dimension ld,
// either the matrix itself (col_major) or its transpose (row-major storage).
struct Operand {
  const void* data = nullptr;
  int64_t ld = 1;
  bool col_major = false;
  int64_t batch_stride = 0;
  Tensor keep;  // a contiguous copy, when one was needed
};

bool fits_int(int64_t v) { return v >= 0 && v <= INT_MAX; }

// A fresh contiguous tensor shaped like t on t's device (not filled).
Tensor empty_like(CudaBackend& be, const Tensor& t) {
  Storage st = be.allocate(t.nbytes(), t.device());
  return Tensor(wick::detail::make_pooled<TensorImpl>(st, t.sizes(), t.dtype()));
}

bool addressable(const Tensor& t, int64_t& ld, bool& col_major) {
  const MatrixLayout m = matrix_layout(t.size(1), t.size(2), t.stride(1), t.stride(2));
  ld = m.ld;
  col_major = m.layout == Layout::ColMajor;
  return m.layout != Layout::Copy;
}

Operand operand(CudaBackend& be, const Tensor& t) {
  Operand op;
  if (!addressable(t, op.ld, op.col_major)) {
    op.keep = empty_like(be, t);
    be.copy_(op.keep, t);
    op.ld = std::max<int64_t>(t.size(2), 1);
    op.col_major = false;
  }
  const Tensor& src = op.keep.defined() ? op.keep : t;
  op.data = src.data_ptr();
  op.batch_stride = src.size(0) == 1 ? 0 : src.stride(0);
  return op;
}

cublasOperation_t trans(bool t) { return t ? CUBLAS_OP_T : CUBLAS_OP_N; }

struct GemmTypes {
  cudaDataType data;
  cublasComputeType_t compute;
  bool double_scalars;
};

GemmTypes gemm_types(DType t) {
  switch (t) {
    case kFloat32:
      return {CUDA_R_32F, allow_tf32() ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F, false};
    case kFloat64: return {CUDA_R_64F, CUBLAS_COMPUTE_64F, true};
    case kFloat16: return {CUDA_R_16F, CUBLAS_COMPUTE_32F, false};
    case kBFloat16: return {CUDA_R_16BF, CUBLAS_COMPUTE_32F, false};
    default: WICK_FAIL("\"bmm_cuda\" not implemented for '", dtype_name(t), "'");
  }
}

// out (B, M, N) = beta * out + alpha * a (B, M, K) @ b (B, K, N), out addressable by cuBLAS.
void gemm(CudaBackend& be, const Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) {
  const int64_t batch = out.size(0), m = out.size(1), n = out.size(2), k = a.size(2);
  int64_t ldc = 0;
  bool out_col = false;
  WICK_CHECK(addressable(out, ldc, out_col), "bmm (CUDA): output layout not addressable");
  const Operand A = operand(be, a), B = operand(be, b);
  WICK_CHECK(fits_int(m) && fits_int(n) && fits_int(k), "bmm (CUDA): matrix sizes beyond int range: ", m, "x", k,
             " @ ", k, "x", n);
  const GemmTypes ty = gemm_types(out.dtype());
  const double alpha_d = alpha, beta_d = beta;
  const float alpha_f = static_cast<float>(alpha), beta_f = static_cast<float>(beta);
  const void* pa = ty.double_scalars ? static_cast<const void*>(&alpha_d) : &alpha_f;
  const void* pb = ty.double_scalars ? static_cast<const void*>(&beta_d) : &beta_f;
  const int64_t out_bs = batch == 1 ? 0 : out.stride(0);
  const size_t es = out.element_size();
  cublasHandle_t h = cublas_handle(device_index(out));
  // Batches in chunks that stay inside cuBLAS's launch limits.
  constexpr int64_t kChunk = 65535;
  for (int64_t b0 = 0; b0 < batch; b0 += kChunk) {
    const int count = static_cast<int>(std::min(kChunk, batch - b0));
    const char* a0 = static_cast<const char*>(A.data) + static_cast<size_t>(b0 * A.batch_stride) * es;
    const char* bb0 = static_cast<const char*>(B.data) + static_cast<size_t>(b0 * B.batch_stride) * es;
    char* c0 = static_cast<char*>(out.data_ptr()) + static_cast<size_t>(b0 * out_bs) * es;
    if (out_col) {
      // out (column-major M x N) = op(a) op(b)
      WICK_CUBLAS_CHECK(cublasGemmStridedBatchedEx(
          h, trans(!A.col_major), trans(!B.col_major), static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
          pa, a0, ty.data, static_cast<int>(A.ld), A.batch_stride, bb0, ty.data, static_cast<int>(B.ld),
          B.batch_stride, pb, c0, ty.data, static_cast<int>(ldc), out_bs, count, ty.compute, CUBLAS_GEMM_DEFAULT));
    } else {
      // out^T (column-major N x M) = b^T a^T
      WICK_CUBLAS_CHECK(cublasGemmStridedBatchedEx(
          h, trans(B.col_major), trans(A.col_major), static_cast<int>(n), static_cast<int>(m), static_cast<int>(k),
          pa, bb0, ty.data, static_cast<int>(B.ld), B.batch_stride, a0, ty.data, static_cast<int>(A.ld),
          A.batch_stride, pb, c0, ty.data, static_cast<int>(ldc), out_bs, count, ty.compute, CUBLAS_GEMM_DEFAULT));
    }
  }
}

}  // namespace

void CudaBackend::bmm(const Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) {
  WICK_CHECK(out.dim() == 3 && a.dim() == 3 && b.dim() == 3 && a.size(0) == out.size(0) && b.size(0) == out.size(0) &&
                 a.size(1) == out.size(1) && b.size(2) == out.size(2) && a.size(2) == b.size(1),
             "bmm (CUDA): expected out (B, M, N), a (B, M, K), b (B, K, N), got ", out.sizes(), ", ", a.sizes(),
             ", ", b.sizes());
  WICK_CHECK(a.dtype() == out.dtype() && b.dtype() == out.dtype(), "bmm (CUDA): expected one dtype, got ",
             dtype_name(a.dtype()), ", ", dtype_name(b.dtype()), " -> ", dtype_name(out.dtype()));
  gemm_types(out.dtype());  // rejects integer and bool dtypes up front
  if (out.numel() == 0) return;
  stream_for(out);
  if (a.size(2) == 0) {
    // An empty sum: out = beta * out (beta = 0 ignores NaN in out).
    if (beta == 0) {
      fill_(out, Scalar(0.0));
    } else if (beta != 1) {
      Storage st = allocate(out.element_size(), out.device());
      Tensor s(wick::detail::make_pooled<TensorImpl>(st, 0, Shape{1, 1, 1}, Shape{1, 1, 1},
                                                     out.dtype()));
      fill_(s, Scalar(beta));
      binary(BinaryOp::Mul, out, out, s.expand(out.sizes()));
    }
    return;
  }
  int64_t ld = 0;
  bool col = false;
  if (addressable(out, ld, col)) {
    gemm(*this, out, a, b, beta, alpha);
    return;
  }
  // An output cuBLAS cannot write in place: compute into a contiguous buffer, then copy back.
  Tensor tmp = empty_like(*this, out);
  if (beta != 0) copy_(tmp, out);
  gemm(*this, tmp, a, b, beta, alpha);
  copy_(out, tmp);
}

}  // namespace wick::cuda

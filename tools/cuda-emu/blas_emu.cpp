// cuBLAS argument mapping of cuda/blas.cpp checked on the CPU: a column-major reference
// cublasGemmStridedBatchedEx (with cuBLAS's leading-dimension rules) behind blas.cpp's own code.
#include <climits>
#include <cstdio>
#include <memory>
#include "wick/wick.h"
#include "wick/backend/backend.h"
#include "../../cuda/nn_layout.h"
enum cublasOperation_t { CUBLAS_OP_N, CUBLAS_OP_T };
enum cudaDataType { CUDA_R_32F, CUDA_R_64F, CUDA_R_16F, CUDA_R_16BF };
enum cublasComputeType_t { CUBLAS_COMPUTE_32F, CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_COMPUTE_64F };
enum cublasGemmAlgo_t { CUBLAS_GEMM_DEFAULT };
using cublasHandle_t = void*;
int g_errors = 0;
int cublasGemmStridedBatchedEx(cublasHandle_t, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                               const void* alpha, const void* A, cudaDataType at, int lda, long long sa, const void* B,
                               cudaDataType, int ldb, long long sb, const void* beta, void* C, cudaDataType, int ldc,
                               long long sc, int count, cublasComputeType_t, cublasGemmAlgo_t) {
  if (lda < std::max(1, ta == CUBLAS_OP_N ? m : k) || ldb < std::max(1, tb == CUBLAS_OP_N ? k : n) || ldc < std::max(1, m)) {
    std::printf("bad ld: m=%d n=%d k=%d lda=%d ldb=%d ldc=%d ta=%d tb=%d\n", m, n, k, lda, ldb, ldc, ta, tb);
    ++g_errors;
    return 1;
  }
  auto run = [&]<typename T>() {
    const T al = *static_cast<const T*>(alpha), be = *static_cast<const T*>(beta);
    for (int b = 0; b < count; ++b) {
      const T* a = static_cast<const T*>(A) + b * sa;
      const T* bb = static_cast<const T*>(B) + b * sb;
      T* c = static_cast<T*>(C) + b * sc;
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
          T s = 0;
          for (int l = 0; l < k; ++l)
            s += (ta == CUBLAS_OP_N ? a[i + l * lda] : a[l + i * lda]) * (tb == CUBLAS_OP_N ? bb[l + j * ldb] : bb[j + l * ldb]);
          c[i + j * ldc] = al * s + (be == T(0) ? T(0) : be * c[i + j * ldc]);
        }
    }
  };
  if (at == CUDA_R_64F) run.template operator()<double>(); else run.template operator()<float>();
  return 0;
}
#define WICK_CUBLAS_CHECK(x) WICK_CHECK((x) == 0, #x)
namespace wick::cuda {
bool allow_tf32() { return false; }
void* cublas_handle(int) { return nullptr; }
}
namespace emu {
using namespace wick;
using namespace wick::cuda;
using namespace wick::cuda::nn;
using CudaBackend = wick::Backend;
inline int device_index(const Tensor&) { return 0; }
#include "blas.inc"
// CudaBackend::bmm's top level, as in blas.cpp
void bmm(const Tensor& out, const Tensor& a, const Tensor& b, double beta, double alpha) {
  Backend& be = backend_for(Device(kCPU));
  int64_t ld = 0; bool col = false;
  if (addressable(out, ld, col)) { gemm(be, out, a, b, beta, alpha); return; }
  Tensor tmp = empty_like(be, out);
  if (beta != 0) be.copy_(tmp, out);
  gemm(be, tmp, a, b, beta, alpha);
  be.copy_(out, tmp);
}
}
using namespace wick;
int fails = 0;
// a (B, M, K) and b (B, K, N) with any strides; compares emu::bmm with the CPU backend's bmm.
// `out` keeps its own strides (written in place), the reference is a contiguous clone.
void check(const Tensor& a, const Tensor& b, const Tensor& out, double beta, double alpha, const char* what) {
  Tensor want = out.clone();
  backend_for(Device(kCPU)).bmm(want, a, b, beta, alpha);
  emu::bmm(out, a, b, beta, alpha);
  if (!allclose(out, want, 1e-12, 1e-12)) { ++fails; std::printf("FAIL %s\n", what); }
}
int main() {
  manual_seed(0);
  const auto d = TensorOptions{.dtype = kFloat64};
  for (double beta : {0.0, 0.5}) {
    Tensor a = randn({3, 4, 5}, d), b = randn({3, 5, 6}, d), o = randn({3, 4, 6}, d);
    check(a, b, o, beta, 1.5, "contiguous");
    check(randn({3, 5, 4}, d).transpose(1, 2), randn({3, 6, 5}, d).transpose(1, 2), o, beta, 1.0, "transposed a, b");
    check(a, b, randn({3, 6, 4}, d).transpose(1, 2), beta, 1.0, "transposed out");
    check(randn({3, 5, 4}, d).transpose(1, 2), b, randn({3, 6, 4}, d).transpose(1, 2), beta, 1.0, "transposed a and out");
    check(randn({1, 4, 5}, d).expand({3, 4, 5}), b, o, beta, 1.0, "batch-broadcast a");
    check(a, randn({3, 5, 12}, d).index({Slice(), Slice(), Slice(std::nullopt, std::nullopt, 2)}), o, beta, 1.0, "strided b");
    check(a, randn({3, 5, 9}, d).index({Slice(), Slice(), Slice(0, 6)}), o, beta, 1.0, "column slice b");
    check(randn({1, 5}, d).expand({4, 5}).unsqueeze(0).expand({3, 4, 5}), b, o, beta, 1.0, "expanded rows a");
    check(randn({3, 1, 5}, d), b, randn({3, 1, 6}, d), beta, 1.0, "one row");
    check(a, randn({3, 5, 1}, d), randn({3, 4, 1}, d), beta, 1.0, "one column");
    check(randn({1, 1, 5}, d), randn({1, 5, 1}, d), randn({1, 1, 1}, d), beta, 1.0, "dot");
    check(randn({3, 4, 6}, d).index({Slice(), Slice(), Slice(0, 5)}), b, randn({3, 4, 12}, d).index({Slice(), Slice(), Slice(std::nullopt, std::nullopt, 2)}), beta, 1.0, "strided out");
  }
  std::printf("fails=%d cublas_arg_errors=%d\n", fails, g_errors);
  return fails || g_errors;
}

// Wick's matmul against the system BLAS in one process: `matmul_vs_blas <threads> <rounds>
// <case>...` prints `<case> threads=<n> wick_ms=<x> blas_ms=<y> ratio=<r> blas=<library>` per case,
// where x and y are medians and r is the median over rounds of blas/wick (ratio > 1: Wick is
// faster). Each round times both back to back, the side that goes first alternating: on a shared
// host the two then see the same neighbours, which separate processes (tools/run-bench.sh against
// PyTorch) do not. The BLAS is libblas.so.3, the library Debian's PyTorch calls, loaded at run time
// and called as PyTorch calls it for a row-major product: sgemm_("N", "N") on the transposed
// problem. Its thread count comes from the environment (OPENBLAS_NUM_THREADS, read when it loads).
// Cases: matmul_1024, matmul_256x4096x1024 (as in core_bench).
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "wick/wick.h"

using namespace wick;

namespace {

// The Fortran BLAS entry point (every BLAS has it; cblas_ is not in the reference BLAS), with the
// hidden lengths of the two character arguments.
using SgemmFn = void (*)(const char*, const char*, const int*, const int*, const int*, const float*,
                         const float*, const int*, const float*, const int*, const float*, float*,
                         const int*, size_t, size_t);

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

template <typename F>
double time_ms(const F& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: matmul_vs_blas <threads> <rounds> <case>...\n");
    return 2;
  }
  const int threads = std::atoi(argv[1]), rounds = std::atoi(argv[2]);
  void* lib = dlopen("libblas.so.3", RTLD_NOW | RTLD_LOCAL);
  auto sgemm = lib ? reinterpret_cast<SgemmFn>(dlsym(lib, "sgemm_")) : nullptr;
  if (!sgemm) {
    std::printf("# matmul_vs_blas: no sgemm_ in libblas.so.3 (%s): skipped\n", dlerror());
    return 0;
  }
  // Which BLAS that is (libblas.so.3 is a chain of links through Debian's alternatives).
  Dl_info info{};
  std::string blas_path = "libblas.so.3";
  if (dladdr(reinterpret_cast<void*>(sgemm), &info) && info.dli_fname) {
    char* real = realpath(info.dli_fname, nullptr);
    blas_path = real ? real : info.dli_fname;
    std::free(real);
  }
  set_num_threads(threads);
  for (int i = 3; i < argc; ++i) {
    const std::string name = argv[i];
    int m = 0, k = 0, n = 1024;
    if (name == "matmul_1024") {
      m = k = 1024;
    } else if (name == "matmul_256x4096x1024") {
      m = 256, k = 4096;
    } else {
      std::fprintf(stderr, "matmul_vs_blas: unknown case '%s'\n", name.c_str());
      return 2;
    }
    const Tensor a = randn({m, k}), b = randn({k, n});
    Tensor c_blas = empty({m, n});
    const float one = 1.0f, zero = 0.0f;
    // Row-major c = a @ b is column-major c^T = b^T @ a^T: the buffers as they are.
    auto blas_run = [&] {
      sgemm("N", "N", &n, &m, &k, &one, b.data_ptr<float>(), &n, a.data_ptr<float>(), &k, &zero,
            c_blas.data_ptr<float>(), &n, 1, 1);
    };
    Tensor c_wick;
    auto wick_run = [&] { c_wick = matmul(a, b); };
    for (int w = 0; w < 2; ++w) wick_run(), blas_run();
    // The two must agree, or the comparison means nothing.
    const double diff = (c_wick - c_blas).abs().max().item<float>(),
                 scale = c_blas.abs().max().item<float>();
    if (!(diff <= 1e-4 * scale)) {
      std::fprintf(stderr, "matmul_vs_blas: %s differs from the BLAS by %g (max |c| %g)\n",
                   name.c_str(), diff, scale);
      return 1;
    }
    std::vector<double> wick_ms, blas_ms, ratio;
    for (int r = 0; r < rounds; ++r) {
      double tw = 0, tb = 0;
      if (r % 2 == 0) {
        tw = time_ms(wick_run), tb = time_ms(blas_run);
      } else {
        tb = time_ms(blas_run), tw = time_ms(wick_run);
      }
      wick_ms.push_back(tw), blas_ms.push_back(tb), ratio.push_back(tb / tw);
    }
    std::printf("%s threads=%d wick_ms=%.4f blas_ms=%.4f ratio=%.3f blas=%s\n", name.c_str(),
                threads, median_of(wick_ms), median_of(blas_ms), median_of(ratio),
                blas_path.c_str());
    std::fflush(stdout);
  }
  return 0;
}

// CUDA dropout kernel with the CPU's random stream (src/cpu/dropout.cpp): Philox4x32-10 counter
// base + g gives the four words of elements 4g .. 4g + 3, so for the same generator seed and offset
// the mask equals the CPU's bit for bit. Not PyTorch's stream; no fused residual add.
#include <cmath>

#include "cuda_backend.h"
#include "nn_util.h"

namespace wick::cuda {

namespace {

using namespace nn;

// The device twin of wick::philox4x32 (include/wick/core/generator.h).
__device__ __forceinline__ uint4 philox(uint64_t seed, uint64_t counter) {
  uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
#pragma unroll
  for (int r = 0; r < 10; ++r) {
    const uint32_t hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
    const uint32_t hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
    const uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
    c1 = lo1;
    c3 = lo0;
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return make_uint4(c0, c1, c2, c3);
}

// x, out, mask (n) contiguous; element i kept when its word w >= threshold (= ceil(p * 2^32)).
template <typename T>
__global__ void dropout_kernel(T* out, T* mask, const T* x, int64_t n, uint64_t seed, uint64_t base,
                               uint64_t threshold, acc_t<T> scale) {
  using A = acc_t<T>;
  const int64_t groups = (n + 3) / 4;
  for (int64_t g = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; g < groups; g += int64_t{gridDim.x} * blockDim.x) {
    const uint4 w4 = philox(seed, base + static_cast<uint64_t>(g));
    const uint32_t w[4] = {w4.x, w4.y, w4.z, w4.w};
    const int64_t i0 = g * 4, cnt = min(int64_t{4}, n - i0);
    for (int64_t k = 0; k < cnt; ++k) {
      // The CPU multiplies in T by the mask value rounded to T.
      const A m = static_cast<A>(static_cast<T>(static_cast<uint64_t>(w[k]) >= threshold ? scale : A(0)));
      store(out, i0 + k, load(x, i0 + k) * m);
      if (mask) store(mask, i0 + k, m);
    }
  }
}

}  // namespace

void CudaBackend::dropout(const Tensor& out, const Tensor& mask, const Tensor& x, double p, Generator& gen) {
  WICK_CHECK(p > 0 && p <= 1, "dropout: kernel expects 0 < p <= 1, got ", p);
  check_contiguous("dropout", {&out, &mask, &x});
  const int64_t n = x.numel();
  const int64_t groups = (n + 3) / 4;
  // Reserved even for an empty tensor, as the CPU does, so both streams stay in step.
  const uint64_t base = gen.reserve(static_cast<uint64_t>(groups));
  const uint64_t seed = gen.seed();
  if (n == 0) return;
  const uint64_t threshold = static_cast<uint64_t>(std::ceil(p * 4294967296.0));
  const double scale = p < 1 ? 1.0 / (1.0 - p) : 0.0;
  cudaStream_t st = stream_for(x);
  dispatch_float(x.dtype(), "dropout", [&]<typename T>() {
    dropout_kernel<T><<<blocks_for(groups), kThreads, 0, st>>>(ptr<T>(out), ptr<T>(mask), ptr<T>(x), n, seed, base,
                                                               threshold, static_cast<acc_t<T>>(scale));
  });
  WICK_CUDA_CHECK_LAUNCH();
}

}  // namespace wick::cuda

// CPU dropout kernel: one pass writes the scaled keep-mask and the output. Each Philox counter
// gives four 32-bit words, one per element (four elements per counter), so the stream depends only
// on the seed and the generator's offset, never on the thread split. Not PyTorch's stream.
#include <algorithm>
#include <cmath>

#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

void CpuBackend::dropout(const Tensor& out, const Tensor& mask, const Tensor& x, double p,
                         Generator& gen) {
  WICK_CHECK(p > 0 && p <= 1, "dropout: kernel expects 0 < p <= 1, got ", p);
  const int64_t n = x.numel();
  const int64_t groups = (n + 3) / 4;
  const uint64_t base = gen.reserve(static_cast<uint64_t>(groups));
  const uint64_t seed = gen.seed();
  // keep element i when its word w satisfies w / 2^32 >= p, i.e. w >= ceil(p * 2^32).
  const uint64_t threshold = static_cast<uint64_t>(std::ceil(p * 4294967296.0));
  const double scale = p < 1 ? 1.0 / (1.0 - p) : 0.0;
  dispatch_floating(x.dtype(), "dropout", [&]<typename T>() {
    const T* xp = x.data_ptr<T>();
    T* op = out.data_ptr<T>();
    T* mp = mask.defined() ? mask.data_ptr<T>() : nullptr;
    const T s = static_cast<T>(scale);
    parallel_for(groups, kParallelGrain / 4, [&](int64_t gb, int64_t ge) {
      for (int64_t g = gb; g < ge; ++g) {
        auto w = philox4x32(seed, base + static_cast<uint64_t>(g));
        int64_t i0 = g * 4, cnt = std::min<int64_t>(4, n - i0);
        for (int64_t k = 0; k < cnt; ++k) {
          T m = static_cast<uint64_t>(w[static_cast<size_t>(k)]) >= threshold ? s : T(0);
          op[i0 + k] = xp[i0 + k] * m;
          if (mp) mp[i0 + k] = m;
        }
      }
    });
  });
}

}  // namespace wick::cpu

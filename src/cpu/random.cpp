// CPU random fills. Element i of a fill uses Philox counter (base + i) and its four words (two
// uniforms for Box-Muller), so the numbers depend only on the seed and the generator's offset,
// never on the thread split.
#include <cmath>
#include <numbers>

#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

namespace {
// Uniform in [0, 1) with 24 (float) or 53 (double) bits, from 32-bit words.
inline double u53(uint32_t a, uint32_t b) {
  uint64_t x = (static_cast<uint64_t>(a) << 21) ^ static_cast<uint64_t>(b);
  return static_cast<double>(x & ((1ull << 53) - 1)) * (1.0 / 9007199254740992.0);
}

// Calls f(i, words) for i in [0, n) where words are four fresh 32-bit numbers per element.
template <typename F>
void for_each_random(int64_t n, Generator& gen, F f) {
  uint64_t base = gen.reserve(static_cast<uint64_t>(n));
  uint64_t seed = gen.seed();
  parallel_for(n, kParallelGrain / 4, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) f(i, philox4x32(seed, base + static_cast<uint64_t>(i)));
  });
}

// Writes values[i] = gen_fn(i, words) into self; a strided self is filled through a contiguous
// buffer so element i is always the i-th in row-major order.
template <typename GenFn>
void fill_random(CpuBackend& backend, const Tensor& self, Generator& gen, GenFn gen_fn) {
  Tensor dst = self;
  if (!self.is_contiguous()) {
    Storage st = backend.allocate(self.nbytes(), Device(kCPU));
    dst = Tensor(wick::detail::make_pooled<TensorImpl>(st, self.sizes(), self.dtype()));
  }
  dispatch_all(self.dtype(), [&]<typename T>() {
    T* out = static_cast<T*>(dst.data_ptr());
    for_each_random(dst.numel(), gen, [&](int64_t i, const std::array<uint32_t, 4>& w) {
      double v = gen_fn(i, w);
      if constexpr (std::is_same_v<T, bool>) out[i] = v != 0.0;
      else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) out[i] = T(static_cast<float>(v));
      else out[i] = static_cast<T>(v);
    });
  });
  if (!dst.is_same(self)) backend.copy_(self, dst);
}
}  // namespace

void CpuBackend::uniform_(const Tensor& self, double from, double to, Generator& gen) {
  fill_random(*this, self, gen, [&](int64_t, const std::array<uint32_t, 4>& w) {
    double v = from + (to - from) * u53(w[0], w[1]);
    // Rounding to float may reach `to`; keep the interval half-open as PyTorch does.
    if (self.dtype() == kFloat32 && static_cast<float>(v) >= static_cast<float>(to)) v = from;
    return v;
  });
}

void CpuBackend::normal_(const Tensor& self, double mean, double std, Generator& gen) {
  fill_random(*this, self, gen, [&](int64_t, const std::array<uint32_t, 4>& w) {
    double u1 = 1.0 - u53(w[0], w[1]);  // (0, 1]: log is finite
    double u2 = u53(w[2], w[3]);
    return mean + std * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  });
}

void CpuBackend::bernoulli_(const Tensor& self, const Tensor& p, Generator& gen) {
  Tensor pc = p.to(kFloat64).expand(self.sizes()).contiguous();
  const double* pp = pc.data_ptr<double>();
  fill_random(*this, self, gen, [&](int64_t i, const std::array<uint32_t, 4>& w) { return u53(w[0], w[1]) < pp[i] ? 1.0 : 0.0; });
}

void CpuBackend::random_(const Tensor& self, int64_t low, int64_t high, Generator& gen) {
  WICK_CHECK(high > low, "random_: expected low < high, got low=", low, " high=", high);
  uint64_t range = static_cast<uint64_t>(high - low);
  fill_random(*this, self, gen, [&](int64_t, const std::array<uint32_t, 4>& w) {
    uint64_t x = (static_cast<uint64_t>(w[0]) << 32) | w[1];
    return static_cast<double>(low + static_cast<int64_t>(x % range));
  });
}

void CpuBackend::arange_(const Tensor& out, double start, double step) {
  dispatch_all(out.dtype(), [&]<typename T>() {
    T* o = static_cast<T*>(out.data_ptr());
    int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i) {
      double v = start + static_cast<double>(i) * step;
      if constexpr (std::is_same_v<T, bool>) o[i] = v != 0.0;
      else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) o[i] = T(static_cast<float>(v));
      else o[i] = static_cast<T>(v);
    }
  });
}

}  // namespace wick::cpu

// CUDA random fills (uniform_, normal_, bernoulli_, random_) and arange_. Element i of a fill uses
// Philox counter (generator offset + i) and the CPU's conversions, so a CUDA tensor holds the same
// numbers as a CPU tensor filled from the same generator state (normal_ may differ in the last bits
// of double: the device's log/cos are not glibc's). Strided outputs fill a contiguous buffer first.
#include "cuda_backend.h"
#include "kernel_utils.cuh"
#include "philox.h"
#include "wick/autograd/grad_mode.h"

namespace wick::cuda {

namespace {

enum class Dist { Uniform, Normal, Bernoulli, Random };

struct DistArgs {
  Dist kind;
  double a, b;            // uniform: from, to; normal: mean, std
  bool clamp_float;       // uniform into float32: keep the interval half-open after rounding
  const double* p;        // bernoulli: probabilities, contiguous in the output's order
  int64_t low;            // random: [low, low + range)
  uint64_t range;
};

// out (n, contiguous) = the distribution's value for Philox counter base + i.
template <typename T>
__global__ void random_kernel(int64_t n, uint64_t seed, uint64_t base, DistArgs d, T* out) {
  WICK_GRID_STRIDE_LOOP(i, n) {
    const PhiloxWords r = philox4x32(seed, base + static_cast<uint64_t>(i));
    double v;
    switch (d.kind) {
      case Dist::Uniform:
        v = d.a + (d.b - d.a) * u53(r.w[0], r.w[1]);
        if (d.clamp_float && static_cast<float>(v) >= static_cast<float>(d.b)) v = d.a;
        break;
      case Dist::Normal: {
        const double u1 = 1.0 - u53(r.w[0], r.w[1]);  // (0, 1]: log is finite
        const double u2 = u53(r.w[2], r.w[3]);
        v = d.a + d.b * sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
        break;
      }
      case Dist::Bernoulli: v = u53(r.w[0], r.w[1]) < d.p[i] ? 1.0 : 0.0; break;
      default: {
        const uint64_t x = (static_cast<uint64_t>(r.w[0]) << 32) | r.w[1];
        v = static_cast<double>(d.low + static_cast<int64_t>(x % d.range));
      }
    }
    out[i] = convert<T, double>(v);
  }
}

Tensor contiguous_buffer(Backend& be, const Tensor& like) {
  Storage st = be.allocate(like.nbytes(), like.device());
  return Tensor(wick::detail::make_pooled<TensorImpl>(st, like.sizes(), like.dtype()));
}

void fill_random(Backend& be, const Tensor& self, Generator& gen, const DistArgs& args) {
  const int64_t n = self.numel();
  if (n == 0) return;
  cudaStream_t stream = prepare(self);
  Tensor dst = self.is_contiguous() ? self : contiguous_buffer(be, self);
  const uint64_t base = gen.reserve(static_cast<uint64_t>(n));
  const uint64_t seed = gen.seed();
  dispatch_device(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    random_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(n, seed, base, args, ptr<T>(dst));
    WICK_CUDA_CHECK_LAUNCH();
  });
  if (!dst.is_same(self)) be.copy_(self, dst);
}

}  // namespace

void CudaBackend::uniform_(const Tensor& self, double from, double to, Generator& gen) {
  fill_random(*this, self, gen, DistArgs{Dist::Uniform, from, to, self.dtype() == kFloat32, nullptr, 0, 0});
}

void CudaBackend::normal_(const Tensor& self, double mean, double std, Generator& gen) {
  fill_random(*this, self, gen, DistArgs{Dist::Normal, mean, std, false, nullptr, 0, 0});
}

void CudaBackend::bernoulli_(const Tensor& self, const Tensor& p, Generator& gen) {
  NoGradGuard no_grad;
  Tensor pc = p.to(self.device(), kFloat64).expand(self.sizes()).contiguous();
  fill_random(*this, self, gen, DistArgs{Dist::Bernoulli, 0, 0, false, ptr<const double>(pc), 0, 0});
}

void CudaBackend::random_(const Tensor& self, int64_t low, int64_t high, Generator& gen) {
  WICK_CHECK(high > low, "random_: expected low < high, got low=", low, " high=", high);
  fill_random(*this, self, gen,
              DistArgs{Dist::Random, 0, 0, false, nullptr, low, static_cast<uint64_t>(high - low)});
}

namespace {
// out (n, contiguous) = start + i * step in out's dtype.
template <typename T>
__global__ void arange_kernel(int64_t n, double start, double step, T* out) {
  WICK_GRID_STRIDE_LOOP(i, n) { out[i] = convert<T, double>(start + static_cast<double>(i) * step); }
}
}  // namespace

void CudaBackend::arange_(const Tensor& out, double start, double step) {
  const int64_t n = out.numel();
  if (n == 0) return;
  WICK_CHECK(out.is_contiguous(), "arange kernel: expects a contiguous output");
  cudaStream_t stream = prepare(out);
  dispatch_device(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    arange_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(n, start, step, ptr<T>(out));
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace wick::cuda

// The machine's FP32 FMA peak: each thread runs a loop of independent fused multiply-adds (AVX-512,
// else AVX2, else scalar) with enough accumulators to cover the FMA latency on two pipes.
// `fma_peak <threads>` prints `fma_peak threads=<n> gflops=<best of several trials> isa=<isa>`;
// tools/run-bench.sh divides matmul's GFLOP/s by it. It measures arithmetic only, no memory.
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

constexpr int kAcc = 16;  // independent chains: >= latency (4) x pipes (2), with margin
constexpr long kIters = 20'000'000;

#if defined(__AVX512F__)
constexpr const char* kIsa = "avx512";
constexpr int kLanes = 16;
float fma_loop() {
  __m512 acc[kAcc];
  for (int i = 0; i < kAcc; ++i) acc[i] = _mm512_set1_ps(0.001f * static_cast<float>(i));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < kIters; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAcc; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  // Summed through memory: GCC 12's _mm512_reduce_add_ps trips -Werror=uninitialized.
  alignas(64) float lanes[16];
  float s = 0;
  for (int i = 0; i < kAcc; ++i) {
    _mm512_store_ps(lanes, acc[i]);
    for (float v : lanes) s += v;
  }
  return s;
}
#elif defined(__AVX2__) && defined(__FMA__)
constexpr const char* kIsa = "avx2";
constexpr int kLanes = 8;
float fma_loop() {
  __m256 acc[kAcc];
  for (int i = 0; i < kAcc; ++i) acc[i] = _mm256_set1_ps(0.001f * static_cast<float>(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < kIters; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < kAcc; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  alignas(32) float lanes[8];
  float s = 0;
  for (int i = 0; i < kAcc; ++i) {
    _mm256_store_ps(lanes, acc[i]);
    for (float v : lanes) s += v;
  }
  return s;
}
#else
constexpr const char* kIsa = "scalar";
constexpr int kLanes = 1;
float fma_loop() {
  float acc[kAcc];
  for (int i = 0; i < kAcc; ++i) acc[i] = 0.001f * static_cast<float>(i);
  for (long it = 0; it < kIters; ++it)
    for (int i = 0; i < kAcc; ++i) acc[i] = acc[i] * 0.999999f + 1e-7f;
  float s = 0;
  for (float v : acc) s += v;
  return s;
}
#endif

// GFLOP/s of `threads` threads each running fma_loop once.
double trial(int threads) {
  std::vector<float> sink(static_cast<size_t>(threads));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) ts.emplace_back([&sink, t] { sink[static_cast<size_t>(t)] = fma_loop(); });
  for (auto& t : ts) t.join();
  double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  volatile float keep = sink[0];
  (void)keep;
  return 2.0 * kLanes * kAcc * static_cast<double>(kIters) * threads / sec / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  // The peak is what the machine can do: take the best trial (a busy neighbour only lowers it).
  double best = 0;
  for (int i = 0; i < 5; ++i) best = std::max(best, trial(threads));
  std::printf("fma_peak threads=%d gflops=%.1f isa=%s\n", threads, best, kIsa);
  return 0;
}

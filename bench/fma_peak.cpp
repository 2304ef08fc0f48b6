// The machine's FP32 FMA peak: each thread runs a loop of independent fused multiply-adds (AVX-512,
// else AVX2, else scalar) with enough accumulators to cover the FMA latency on two pipes.
// `fma_peak <threads>` prints `fma_peak threads=<n> gflops=<best of several trials>
// core_gflops=<per core, per second of CPU time actually received> isa=<isa>`; tools/run-bench.sh
// divides matmul's GFLOP/s by them. It measures arithmetic only, no memory.
#include <immintrin.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

constexpr long kIters = 20'000'000;

// One SIMD flavour: its vector type, lane count and the three operations the loop needs.
#if defined(__AVX512F__)
struct Isa {
  using V = __m512;
  static constexpr const char* kName = "avx512";
  static constexpr int kLanes = 16;
  static constexpr int kAcc = 16;  // independent chains: >= latency (4) x pipes (2), with margin
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
};
#elif defined(__AVX2__) && defined(__FMA__)
struct Isa {
  using V = __m256;
  static constexpr const char* kName = "avx2";
  static constexpr int kLanes = 8;
  // 12 chains + 2 constants fit the 16 ymm registers; 16 chains spilled to the stack and the
  // loop measured half the peak (below what GEMM reaches).
  static constexpr int kAcc = 12;
  static V set1(float x) { return _mm256_set1_ps(x); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
};
#else
struct Isa {
  using V = float;
  static constexpr const char* kName = "scalar";
  static constexpr int kLanes = 1;
  static constexpr int kAcc = 12;
  static V set1(float x) { return x; }
  static V fma(V a, V b, V c) { return a * b + c; }
  static void store(float* p, V v) { *p = v; }
};
#endif

constexpr int kAcc = Isa::kAcc;

float fma_loop() {
  Isa::V acc[kAcc];
  for (int i = 0; i < kAcc; ++i) acc[i] = Isa::set1(0.001f * static_cast<float>(i));
  const Isa::V a = Isa::set1(0.999999f), b = Isa::set1(1e-7f);
  for (long it = 0; it < kIters; ++it) {
#pragma GCC unroll 16  // a full unroll of kAcc chains (12 or 16)
    for (int i = 0; i < kAcc; ++i) acc[i] = Isa::fma(acc[i], a, b);
  }
  // Summed through memory (GCC 12's _mm512_reduce_add_ps trips -Werror=uninitialized).
  float lanes[Isa::kLanes];
  float s = 0;
  for (int i = 0; i < kAcc; ++i) {
    Isa::store(lanes, acc[i]);
    for (float v : lanes) s += v;
  }
  return s;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

constexpr double kFlopsPerLoop = 2.0 * Isa::kLanes * kAcc * static_cast<double>(kIters);

struct Trial {
  double gflops;       // all threads, per wall-clock second
  double core_gflops;  // one thread, per second of CPU time it received (the best thread)
};

Trial trial(int threads) {
  std::vector<float> sink(static_cast<size_t>(threads));
  std::vector<double> cpu(static_cast<size_t>(threads));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&sink, &cpu, t] {
      const double c0 = thread_cpu_seconds();
      sink[static_cast<size_t>(t)] = fma_loop();
      cpu[static_cast<size_t>(t)] = thread_cpu_seconds() - c0;
    });
  for (auto& t : ts) t.join();
  double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  volatile float keep = sink[0];
  (void)keep;
  return {kFlopsPerLoop * threads / sec / 1e9,
          kFlopsPerLoop / *std::min_element(cpu.begin(), cpu.end()) / 1e9};
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  // The peak is what the machine can do: take the best trial (a busy neighbour only lowers it).
  Trial best{0, 0};
  for (int i = 0; i < 5; ++i) {
    Trial t = trial(threads);
    best.gflops = std::max(best.gflops, t.gflops);
    best.core_gflops = std::max(best.core_gflops, t.core_gflops);
  }
  std::printf("fma_peak threads=%d gflops=%.1f core_gflops=%.1f isa=%s\n", threads, best.gflops,
              best.core_gflops, Isa::kName);
  return 0;
}

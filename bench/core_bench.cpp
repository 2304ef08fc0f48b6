// Times Wick cases at a given thread count: `core_bench <threads> <reps> <case>...` prints
// `<case> wick_ms=<t1>,<t2>,... wick_cpu_ms=<c1>,<c2>,...` per case (wall-clock and process CPU
// time per repetition, after warm-up; CPU time leaves out slices a busy neighbour takes).
// tools/run-bench.sh alternates it with tools/bench_torch.py (the same cases in PyTorch) and
// takes medians.
// Cases: matmul_1024 (1024x1024 @ 1024x1024), matmul_256x4096x1024 ((256, 4096) @ (4096, 1024)),
// add_16M, sum_dim1_4096 (4096x4096 summed over dim 1), tiny_chain_100 (100 ops on 1-element
// tensors, then backward; the time is per chain).
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "wick/wick.h"

using namespace wick;

namespace {

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

// Wall-clock and CPU milliseconds of one call of f.
std::pair<double, double> time_ms(const std::function<void()>& f) {
  const double c0 = cpu_ms();
  auto t0 = std::chrono::steady_clock::now();
  f();
  const double wall =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return {wall, cpu_ms() - c0};
}

// A case: the work to time, and how many times one repetition runs it (the time is per run).
struct Case {
  std::function<void()> run;
  int inner = 1;
};

Case make_case(const std::string& name) {
  if (name == "matmul_1024" || name == "matmul_256x4096x1024") {
    const bool square = name == "matmul_1024";
    Tensor a = randn({square ? 1024 : 256, square ? 1024 : 4096}),
           b = randn({square ? 1024 : 4096, 1024});
    return {[a, b] { Tensor c = matmul(a, b); }};
  }
  if (name == "add_16M") {
    Tensor a = randn({16 << 20}), b = randn({16 << 20});
    return {[a, b] { Tensor c = a + b; }};
  }
  if (name == "sum_dim1_4096") {
    Tensor x = randn({4096, 4096});
    return {[x] { Tensor s = x.sum({1}); }};
  }
  if (name == "tiny_chain_100") {
    Tensor w = tensor({1.0001}), c = tensor({0.0001});
    Tensor x = tensor({1.0}, {.requires_grad = true});
    return {[x, w, c] {
              Tensor y = x;
              for (int i = 0; i < 50; ++i) y = y * w + c;  // 100 ops
              y.sum().backward();
            },
            200};
  }
  std::fprintf(stderr, "core_bench: unknown case '%s'\n", name.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: core_bench <threads> <reps> <case>...\n");
    return 2;
  }
  set_num_threads(std::atoi(argv[1]));
  const int reps = std::atoi(argv[2]);
  for (int i = 3; i < argc; ++i) {
    const std::string name = argv[i];
    Case c = make_case(name);
    auto once = [&] {
      for (int j = 0; j < c.inner; ++j) c.run();
    };
    once();  // warm-up: allocator caches, thread pool start, page faults
    once();
    std::string wall = name + " wick_ms=", cpu = " wick_cpu_ms=";
    for (int r = 0; r < reps; ++r) {
      auto [w, cp] = time_ms(once);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%.4f", r ? "," : "", w / c.inner);
      wall += buf;
      std::snprintf(buf, sizeof buf, "%s%.4f", r ? "," : "", cp / c.inner);
      cpu += buf;
    }
    std::printf("%s%s\n", wall.c_str(), cpu.c_str());
    std::fflush(stdout);
  }
  return 0;
}

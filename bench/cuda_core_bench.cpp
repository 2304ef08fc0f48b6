// Times cuda-core's kernels on the GPU: `cuda_core_bench [reps]` prints `<case> wick_ms=<median>`
// per case, after a warm-up, each repetition closed by cuda::synchronize(). tools/bench_torch_cuda_core.py
// prints the same cases for PyTorch (`<case> torch_ms=<median>`). Without a GPU it says so and exits 0.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "wick/cuda.h"
#include "wick/wick.h"

using namespace wick;

namespace {

double median_ms(int reps, const std::function<void()>& f) {
  f();  // warm-up: first-touch allocations, module loading
  cuda::synchronize();
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    cuda::synchronize();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (!cuda::is_available()) {
    std::printf("cuda_core_bench: no CUDA device (wick_cuda built: %d); nothing to time\n", cuda::is_built() ? 1 : 0);
    return 0;
  }
  const int reps = argc > 1 ? std::atoi(argv[1]) : 10;
  const TensorOptions gpu{.device = kCUDA};
  Tensor a = randn({64 << 20}, gpu), b = randn({64 << 20}, gpu);  // 256 MiB each
  Tensor m = randn({4096, 4096}, gpu);
  Tensor host = randn({64 << 20});
  Tensor s = randn({1024, 1024}, gpu);
  Tensor idx = randint(0, 4096, {4096}, {.device = kCUDA});
  Tensor out;
  const std::vector<std::pair<std::string, std::function<void()>>> cases = {
      {"add_64M", [&] { out = a + b; }},
      {"mul_bcast_4096x4096", [&] { out = m * m.narrow(0, 0, 1); }},
      {"transpose_copy_4096", [&] { out = m.t().contiguous(); }},
      {"sum_64M", [&] { out = a.sum(); }},
      {"sum_dim1_4096", [&] { out = m.sum({1}); }},
      {"sum_dim0_4096", [&] { out = m.sum({0}); }},
      {"argmax_dim1_4096", [&] { out = m.argmax(1); }},
      {"index_select_4096", [&] { out = m.index_select(0, idx); }},
      {"sort_dim1_1024x1024", [&] { out = std::get<0>(s.sort(1)); }},
      {"randn_64M", [&] { out = randn({64 << 20}, gpu); }},
      {"h2d_256MiB", [&] { out = host.to(kCUDA); }},
      {"d2h_256MiB", [&] { out = a.cpu(); }},
  };
  for (const auto& [name, f] : cases) std::printf("%s wick_ms=%.3f\n", name.c_str(), median_ms(reps, f));
  std::printf("memory_allocated=%zu max_memory_allocated=%zu memory_reserved=%zu\n", cuda::memory_allocated(),
              cuda::max_memory_allocated(), cuda::memory_reserved());
  return 0;
}

// DataLoader throughput on Fashion-MNIST as d2l loads it for GoogLeNet: Resize(96) then ToTensor,
// batch 128, shuffled. `data_bench [num_workers=2] [reps=3] [batches=100]` prints
// `fashion_mnist_resize96_b128 workers=<n> images_per_s=<r1>,... ms_per_batch=<m1>,...
// cpu_ms_per_batch=<c1>,...` (one value per repetition, after a warm-up; CPU time is the whole
// process's, workers included, so it leaves out slices that a busy neighbour takes). The loop body
// only touches the batch: this measures loading alone, which a training step overlaps with when
// num_workers > 0.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>

#include "wick/wick.h"

using namespace wick;

namespace {

double cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t workers = argc > 1 ? std::atoll(argv[1]) : 2;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 3;
  const int64_t max_batches = argc > 3 ? std::atoll(argv[3]) : 100;
  if (!std::filesystem::exists(std::string(data::FashionMNIST::kDefaultRoot))) {
    std::fprintf(stderr,
                 "data_bench: Fashion-MNIST is not installed in %s (apt-get install "
                 "dataset-fashion-mnist)\n",
                 data::FashionMNIST::kDefaultRoot);
    return 2;
  }
  namespace T = data::transforms;
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_s();
  data::FashionMNIST train(
      {.train = true, .transform = T::Compose({T::Resize(96), T::ToTensor()})});
  double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("# read %lld training images in %.3f s (%.3f s CPU)\n",
              static_cast<long long>(train.size()), read_s, cpu_s() - c0);
  data::DataLoader loader(train, {.batch_size = 128, .shuffle = true, .num_workers = workers});

  // One pass over up to max_batches batches: wall seconds, CPU seconds, images.
  auto pass = [&] {
    auto start = std::chrono::steady_clock::now();
    double cpu0 = cpu_s();
    int64_t images = 0, batches = 0;
    double checksum = 0;
    for (auto& [x, y] : loader) {
      images += x.size(0);
      checksum += static_cast<double>(x.data_ptr<float>()[0]) +
                  static_cast<double>(y.data_ptr<int64_t>()[0]);
      if (++batches == max_batches) break;
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (checksum < 0) std::printf("#\n");  // keeps the loop's reads alive
    return std::tuple{s, cpu_s() - cpu0, images};
  };
  pass();  // warm-up: allocator caches, thread start
  std::string rate = "fashion_mnist_resize96_b128 workers=" + std::to_string(workers) +
                     " images_per_s=",
              per_batch = " ms_per_batch=", cpu_per_batch = " cpu_ms_per_batch=";
  for (int r = 0; r < reps; ++r) {
    auto [s, cpu, images] = pass();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%.0f", r ? "," : "", static_cast<double>(images) / s);
    rate += buf;
    std::snprintf(buf, sizeof buf, "%s%.3f", r ? "," : "",
                  1e3 * s * 128.0 / static_cast<double>(images));
    per_batch += buf;
    std::snprintf(buf, sizeof buf, "%s%.3f", r ? "," : "",
                  1e3 * cpu * 128.0 / static_cast<double>(images));
    cpu_per_batch += buf;
  }
  std::printf("%s%s%s\n", rate.c_str(), per_batch.c_str(), cpu_per_batch.c_str());
  return 0;
}

// DataLoader throughput on Fashion-MNIST as d2l loads it for GoogLeNet: Resize(96) then ToTensor,
// batch 128, shuffled. `data_bench [num_workers=2] [reps=3] [batches=100]` prints
// `fashion_mnist_resize96_b128 workers=<n> images_per_s=<r1>,<r2>,... ms_per_batch=<m1>,...`
// (one value per repetition, after a warm-up). The loop body only touches the batch: this measures
// loading alone, which a training step overlaps with when num_workers > 0.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "wick/wick.h"

using namespace wick;

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
  data::FashionMNIST train(
      {.train = true, .transform = T::Compose({T::Resize(96), T::ToTensor()})});
  double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("# read %lld training images in %.3f s\n", static_cast<long long>(train.size()),
              read_s);
  data::DataLoader loader(train, {.batch_size = 128, .shuffle = true, .num_workers = workers});

  // One pass over up to max_batches batches; returns seconds and the number of images.
  auto pass = [&] {
    auto start = std::chrono::steady_clock::now();
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
    return std::pair{s, images};
  };
  pass();  // warm-up: allocator caches, thread start
  std::string rate = "fashion_mnist_resize96_b128 workers=" + std::to_string(workers) +
                     " images_per_s=",
              per_batch = " ms_per_batch=";
  for (int r = 0; r < reps; ++r) {
    auto [s, images] = pass();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%.0f", r ? "," : "", static_cast<double>(images) / s);
    rate += buf;
    std::snprintf(buf, sizeof buf, "%s%.3f", r ? "," : "",
                  1e3 * s * 128.0 / static_cast<double>(images));
    per_batch += buf;
  }
  std::printf("%s%s\n", rate.c_str(), per_batch.c_str());
  return 0;
}

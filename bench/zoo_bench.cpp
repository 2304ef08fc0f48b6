// zoo_bench: one training step (forward, cross entropy, backward, SGD step) of each zoo model at
// d2l's input size, for `make bench` (tools/run-bench.sh pairs it with tools/bench_torch_zoo.py).
//   zoo_bench <threads> <reps> <case>...   prints `<case> wick_ms=t1,t2,...`
//   zoo_bench --peak-rss <model> <batch>   runs 3 steps, prints `peak_rss_mb=<m>`: the growth of the
//   resident set over the steps (VmHWM after, minus VmRSS before, with the peak reset through
//   /proc/self/clear_refs), so the interpreter and libraries of the PyTorch side do not count.
// Cases: train_<model>_b<batch>, e.g. train_lenet_b256, train_resnet18_b32.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "wick/models/models.h"
#include "wick/wick.h"

using namespace wick;

namespace {

// A field of /proc/self/status in MiB ("VmRSS", "VmHWM").
double status_mb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == field + ":") {
      double kb = 0;
      in >> kb;
      return kb / 1024.0;
    }
  }
  return 0.0;
}

int64_t side_of(const std::string& model) {
  if (model == "lenet" || model == "lenet_bn") return 28;
  if (model == "alexnet" || model == "vgg11_small" || model == "nin") return 224;
  return 96;
}

struct Step {
  nn::AnyModule model;
  std::unique_ptr<optim::SGD> opt;
  Tensor x, y;
  void operator()() {
    Tensor loss = nn::functional::cross_entropy(model(x), y);
    opt->zero_grad();
    loss.backward();
    opt->step();
  }
};

Step make_step(const std::string& model, int64_t batch) {
  manual_seed(0);
  Step s{models::make_model(model), nullptr, {}, {}};
  s.opt = std::make_unique<optim::SGD>(s.model->parameters(), optim::SGDOptions{.lr = 0.01});
  const int64_t side = side_of(model);
  s.x = rand({batch, 1, side, side});
  s.y = randint(0, 10, {batch});
  return s;
}

// "train_resnet18_b32" -> ("resnet18", 32)
std::pair<std::string, int64_t> parse_case(const std::string& name) {
  const auto b = name.rfind("_b");
  if (name.rfind("train_", 0) != 0 || b == std::string::npos) {
    std::fprintf(stderr, "zoo_bench: unknown case '%s' (expected train_<model>_b<batch>)\n", name.c_str());
    std::exit(2);
  }
  return {name.substr(6, b - 6), std::atoll(name.c_str() + b + 2)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--peak-rss") {
    Step s = make_step(argv[2], std::atoll(argv[3]));
    std::ofstream("/proc/self/clear_refs") << "5";  // resets VmHWM to the current RSS
    const double before = status_mb("VmRSS");
    for (int i = 0; i < 3; ++i) s();
    std::printf("peak_rss_mb=%.1f\n", status_mb("VmHWM") - before);
    return 0;
  }
  if (argc < 4) {
    std::fprintf(stderr, "usage: zoo_bench <threads> <reps> <case>... | zoo_bench --peak-rss <model> <batch>\n");
    return 2;
  }
  set_num_threads(std::atoi(argv[1]));
  const int reps = std::atoi(argv[2]);
  for (int i = 3; i < argc; ++i) {
    auto [model, batch] = parse_case(argv[i]);
    Step s = make_step(model, batch);
    s();  // warm-up: allocator caches, thread pool, page faults
    std::string line = std::string(argv[i]) + " wick_ms=";
    for (int r = 0; r < reps; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      s();
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.3f", r ? "," : "", ms);
      line += buf;
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
  return 0;
}

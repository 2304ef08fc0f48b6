// Times nn layers forward+backward at a given thread count: `nn_bench <threads> <reps> <case>...`
// prints `<case> wick_ms=<t1>,<t2>,...` per case (wall-clock per repetition, after warm-up).
// tools/run-bench.sh alternates it with tools/bench_torch_nn.py (the same cases in PyTorch) and
// takes medians. Each repetition drops the previous gradients (set_to_none), then runs forward and
// backward with a fixed upstream gradient. Cases (issue #3, "Speed"):
//   conv2d_lenet      Conv2d(1, 6, 5, padding=2), input (256, 1, 28, 28)
//   conv2d_resnet64   Conv2d(64, 64, 3, padding=1), input (32, 64, 24, 24)
//   conv2d_resnet128s2 Conv2d(128, 128, 3, stride=2, padding=1), input (32, 128, 24, 24)
//   maxpool2d         MaxPool2d(3, stride=2, padding=1), input (32, 64, 48, 48)
//   batchnorm2d       BatchNorm2d(64) in training mode, input (32, 64, 24, 24)
//   lstm              LSTM(28, 128, 2 layers), input (28, 256, 28)
//   transformer       TransformerEncoderLayer(128, 4, dim_feedforward=256), training mode
//                     (dropout 0.1), input (64, 32, 128)
//   cross_entropy     F::cross_entropy of (4096, 1000) logits and class indices
//   cross_entropy_composite  the same as log_softmax then nll_loss (Wick's path before the fused
//   op)
//   conv:N,C,H,O,k,s,p  Conv2d(C, O, k, stride=s, padding=p), input (N, C, H, H) (for profiling
//                     one layer's shape; not in make bench)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "wick/wick.h"

using namespace wick;
namespace F = nn::functional;

namespace {

// One forward+backward: out(inputs) backpropagated with a fixed gradient of out's shape.
struct Case {
  std::function<Tensor()> forward;
  std::vector<Tensor> leaves;  // gradients dropped before each run
};

template <typename M>
Case module_case(M m, Tensor x) {
  x.requires_grad_();
  std::vector<Tensor> leaves = m->parameters();
  leaves.push_back(x);
  return {[m, x]() mutable { return m(x); }, leaves};
}

Case make_case(const std::string& name) {
  manual_seed(0);
  if (name == "conv2d_lenet")
    return module_case(nn::Conv2d(1, 6, 5, {.padding = 2}), randn({256, 1, 28, 28}));
  if (name == "conv2d_resnet64")
    return module_case(nn::Conv2d(64, 64, 3, {.padding = 1}), randn({32, 64, 24, 24}));
  if (name == "conv2d_resnet128s2")
    return module_case(nn::Conv2d(128, 128, 3, {.stride = 2, .padding = 1}),
                       randn({32, 128, 24, 24}));
  if (name == "maxpool2d")
    return module_case(nn::MaxPool2d(3, {.stride = 2, .padding = 1}), randn({32, 64, 48, 48}));
  if (name == "batchnorm2d") return module_case(nn::BatchNorm2d(64), randn({32, 64, 24, 24}));
  if (name == "lstm") {
    nn::LSTM m(28, 128, 2);
    Tensor x = randn({28, 256, 28}, {.requires_grad = true});
    std::vector<Tensor> leaves = m->parameters();
    leaves.push_back(x);
    return {[m, x]() mutable { return std::get<0>(m(x)); }, leaves};
  }
  if (name == "transformer")
    return module_case(nn::TransformerEncoderLayer(128, 4, {.dim_feedforward = 256}),
                       randn({64, 32, 128}));
  if (name == "cross_entropy" || name == "cross_entropy_composite") {
    Tensor x = randn({4096, 1000}, {.requires_grad = true}), y = randint(0, 1000, {4096});
    if (name == "cross_entropy") return {[x, y] { return F::cross_entropy(x, y); }, {x}};
    return {[x, y] { return F::nll_loss(F::log_softmax(x, 1), y); }, {x}};
  }
  int n, c, h, o, k, s, p;
  if (std::sscanf(name.c_str(), "conv:%d,%d,%d,%d,%d,%d,%d", &n, &c, &h, &o, &k, &s, &p) == 7)
    return module_case(nn::Conv2d(c, o, k, {.stride = s, .padding = p}), randn({n, c, h, h}));
  std::fprintf(stderr, "nn_bench: unknown case '%s'\n", name.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: nn_bench <threads> <reps> <case>...\n");
    return 2;
  }
  set_num_threads(std::atoi(argv[1]));
  const int reps = std::atoi(argv[2]);
  for (int i = 3; i < argc; ++i) {
    const std::string name = argv[i];
    Case c = make_case(name);
    Tensor grad;
    auto once = [&] {
      for (const Tensor& t : c.leaves) t.set_grad(Tensor());
      Tensor out = c.forward();
      if (!grad.defined()) grad = ones_like(out);
      out.backward(grad);
    };
    once();  // warm-up: allocator caches, thread pool start, page faults
    once();
    std::string line = name + " wick_ms=";
    for (int r = 0; r < reps; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      once();
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.4f", r ? "," : "", ms);
      line += buf;
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
  return 0;
}

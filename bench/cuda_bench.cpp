// cuda_bench: GPU training steps and matmul for issue 6's speed table (tools/run-cuda-bench.sh pairs
// it with tools/bench_torch_cuda.py, same cases, same seeds and shapes).
//   cuda_bench <reps> <case>...   prints `<case> wick_ms=<median>` (a case Wick cannot run: NA)
// Cases: train_resnet18_b128 (d2l, 96x96), train_lenet_b256, train_lstm_b256 (input 28, hidden 128,
// 2 layers, seq 28), train_transformer_b32 (d_model 512, 8 heads, seq 512), matmul_8192_f32,
// matmul_8192_bf16. Built only with the CUDA backend; not a test.
#if __has_include("wick/cuda.h")
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wick/cuda.h"
#include "wick/models/models.h"
#include "wick/wick.h"

using namespace wick;
namespace F = nn::functional;

namespace {

const Device kGpu(kCUDA);

// One timed unit of work (a training step or a matmul); runs on the GPU, returns without syncing.
using Work = std::function<void()>;

template <typename M>
Work sgd_step(M model, std::function<Tensor(M&)> loss_of) {
  auto opt = std::make_shared<optim::SGD>(model->parameters(), optim::SGDOptions{.lr = 0.01});
  return [model, opt, loss_of]() mutable {
    Tensor loss = loss_of(model);
    opt->zero_grad();
    loss.backward();
    opt->step();
  };
}

Work classifier_step(nn::Sequential model, IntArrayRef input_shape) {
  model->to(kGpu);
  const Tensor x = rand(input_shape).to(kGpu), y = randint(0, 10, {input_shape[0]}).to(kGpu);
  return sgd_step<nn::Sequential>(model, [x, y](nn::Sequential& m) { return F::cross_entropy(m(x), y); });
}

// An LSTM classifier reading 28 rows of 28 pixels: the last hidden state through a Linear.
struct LstmNetImpl : nn::Module {
  nn::LSTM lstm = register_module("lstm", nn::LSTM(28, 128, {.num_layers = 2}));
  nn::Linear fc = register_module("fc", nn::Linear(128, 10));
  Tensor forward(const Tensor& x) {
    Tensor out = std::get<0>(lstm->forward(x));  // (seq, batch, hidden)
    return fc(out.select(0, out.size(0) - 1));
  }
};
WICK_MODULE(LstmNet);

Work make_case(const std::string& name) {
  manual_seed(0);
  if (name == "train_resnet18_b128") return classifier_step(models::resnet18(), {128, 1, 96, 96});
  if (name == "train_lenet_b256") return classifier_step(models::lenet(), {256, 1, 28, 28});
  if (name == "train_lstm_b256") {
    LstmNet net;
    net->to(kGpu);
    const Tensor x = rand({28, 256, 28}).to(kGpu), y = randint(0, 10, {256}).to(kGpu);
    return sgd_step<LstmNet>(net, [x, y](LstmNet& m) { return F::cross_entropy(m(x), y); });
  }
  if (name == "train_transformer_b32") {
    nn::TransformerEncoderLayer layer(512, 8, {.batch_first = true});
    layer->to(kGpu);
    const Tensor x = randn({32, 512, 512}).to(kGpu);
    return sgd_step<nn::TransformerEncoderLayer>(layer, [x](nn::TransformerEncoderLayer& m) { return m(x).square().mean(); });
  }
  if (name == "matmul_8192_f32" || name == "matmul_8192_bf16") {
    const DType dt = name.ends_with("bf16") ? kBFloat16 : kFloat32;
    const Tensor a = randn({8192, 8192}).to(kGpu, dt), b = randn({8192, 8192}).to(kGpu, dt);
    return [a, b]() { (void)a.matmul(b); };
  }
  std::fprintf(stderr, "cuda_bench: unknown case '%s'\n", name.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: cuda_bench <reps> <case>...\n");
    return 2;
  }
  if (!cuda::is_available()) {
    std::fprintf(stderr, "cuda_bench: no CUDA device\n");
    return 1;
  }
  const int reps = std::max(1, std::atoi(argv[1]));
  for (int i = 2; i < argc; ++i) {
    std::string line = std::string(argv[i]) + " wick_ms=";
    try {
      Work w = make_case(argv[i]);
      for (int k = 0; k < 3; ++k) w();  // warm-up: cuDNN searches, allocator cache
      cuda::synchronize();
      std::vector<double> ms;
      for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        w();
        cuda::synchronize();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      std::sort(ms.begin(), ms.end());
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", ms[ms.size() / 2]);
      line += buf;
    } catch (const std::exception& e) {
      line += "NA";
      std::fprintf(stderr, "cuda_bench: %s: %s\n", argv[i], e.what());
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
  return 0;
}
#else
#include <cstdio>
int main() {
  std::fprintf(stderr, "cuda_bench: built without wick/cuda.h\n");
  return 1;
}
#endif

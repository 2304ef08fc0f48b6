// Backend parity of the cuda-nn kernels: each nn op and module run on CUDA and on the CPU through
// the public API (forward, input and parameter gradients, running stats, optimizer trajectories,
// whole LeNet / ResNet-18 training steps), compared elementwise. Skipped (visibly) without a GPU.
// Compiles to nothing until include/wick/cuda.h (the cuda-core branch) is present.
#if __has_include("wick/cuda.h")

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "cuda/cuda_guard.h"
#include "support/expect_error.h"
#include "wick/cuda_matmul.h"
#include "wick/models/models.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

const Device kGpu(kCUDA);

struct Tol {
  double rtol, atol;
};
// float64 checks the kernels' logic; float32 the precision (summation order differs).
Tol tol_for(DType t) { return t == kFloat64 ? Tol{1e-9, 1e-10} : Tol{1e-4, 1e-5}; }

// Library math as exact as the CPU's: no TF32 in cuBLAS or cuDNN.
void exact_math() {
  cuda::set_allow_tf32(false);
  cuda::set_cudnn_allow_tf32(false);
}

void expect_close(const Tensor& gpu, const Tensor& cpu, Tol tol, const std::string& what) {
  ASSERT_TRUE(gpu.defined()) << what << ": undefined on CUDA";
  ASSERT_TRUE(cpu.defined()) << what << ": undefined on CPU";
  EXPECT_TRUE(gpu.is_cuda()) << what << ": result not on the GPU";
  const Tensor g = gpu.detach().cpu();
  ASSERT_EQ(g.sizes().vec(), cpu.sizes().vec()) << what;
  ASSERT_EQ(g.dtype(), cpu.dtype()) << what;
  if (g.numel() == 0) return;
  const double diff = (g.to(kFloat64) - cpu.detach().to(kFloat64)).abs().max().item<double>();
  EXPECT_TRUE(allclose(g.to(kFloat64), cpu.detach().to(kFloat64), tol.rtol, tol.atol))
      << what << ": max |cuda - cpu| = " << diff;
}

// A leaf copy of t on the GPU that requires grad when t does.
Tensor gpu_leaf(const Tensor& t) {
  Tensor g = t.detach().to(kGpu);
  if (t.requires_grad()) g.requires_grad_(true);
  return g;
}

// f on CPU inputs and on their GPU copies; compares outputs, then backward with one random
// upstream gradient and compares every input's gradient.
void check_fn(const std::function<Tensor(const std::vector<Tensor>&)>& f, const std::vector<Tensor>& cpu_in, Tol tol,
              const std::string& what) {
  std::vector<Tensor> gpu_in;
  for (const Tensor& t : cpu_in) gpu_in.push_back(gpu_leaf(t));
  const Tensor yc = f(cpu_in), yg = f(gpu_in);
  expect_close(yg, yc, tol, what + " forward");
  if (!yc.requires_grad()) return;
  const Tensor gy = randn(yc.sizes(), {.dtype = yc.dtype()});
  yc.backward(gy);
  yg.backward(gy.to(kGpu));
  for (size_t i = 0; i < cpu_in.size(); ++i)
    if (cpu_in[i].requires_grad()) expect_close(gpu_in[i].grad(), cpu_in[i].grad(), tol, what + " grad " + std::to_string(i));
}

Tensor input(IntArrayRef shape, DType dt, bool grad = true) {
  Tensor t = randn(shape, {.dtype = dt});
  if (grad) t.requires_grad_(true);
  return t;
}

// Two identically initialised modules (same seed), the second moved to the GPU; one forward and
// backward each, comparing output, input gradient, parameter gradients and buffers.
template <typename Make>
void check_module(Make make, const Tensor& x, Tol tol, const std::string& what) {
  manual_seed(1234);
  auto mc = make();
  manual_seed(1234);
  auto mg = make();
  mg->to(kGpu);
  const Tensor xg = gpu_leaf(x);
  const Tensor yc = mc(x), yg = mg(xg);
  expect_close(yg, yc, tol, what + " forward");
  const Tensor gy = randn(yc.sizes(), {.dtype = yc.dtype()});
  yc.backward(gy);
  yg.backward(gy.to(kGpu));
  if (x.requires_grad()) expect_close(xg.grad(), x.grad(), tol, what + " input grad");
  const auto pc = mc->parameters(), pg = mg->parameters();
  ASSERT_EQ(pc.size(), pg.size());
  for (size_t i = 0; i < pc.size(); ++i) expect_close(pg[i].grad(), pc[i].grad(), tol, what + " param grad " + std::to_string(i));
  const auto bc = mc->buffers(), bg = mg->buffers();
  ASSERT_EQ(bc.size(), bg.size());
  for (size_t i = 0; i < bc.size(); ++i) expect_close(bg[i], bc[i], tol, what + " buffer " + std::to_string(i));
}

const std::vector<DType> kFloats = {kFloat64, kFloat32};

// ---- matmul family (cuBLAS) ----
TEST(CudaBlas, MatmulBmmAndLinearMatchCpu) {
  WICK_REQUIRE_CUDA();
  exact_math();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    check_fn([](const auto& v) { return v[0].matmul(v[1]); }, {input({5, 7}, dt), input({7, 3}, dt)}, tol, "mm");
    check_fn([](const auto& v) { return bmm(v[0], v[1]); }, {input({4, 5, 7}, dt), input({4, 7, 6}, dt)}, tol, "bmm");
    // transposed views, a broadcast batch, matrix-vector and vector-vector products
    check_fn([](const auto& v) { return v[0].mT().matmul(v[1].mT()); }, {input({3, 7, 5}, dt), input({3, 6, 7}, dt)},
             tol, "bmm of transposed views");
    check_fn([](const auto& v) { return v[0].matmul(v[1]); }, {input({2, 3, 5, 7}, dt), input({7, 4}, dt)}, tol,
             "broadcast matmul");
    check_fn([](const auto& v) { return v[0].matmul(v[1]); }, {input({1, 7, 5}, dt), input({4, 5, 2}, dt)}, tol,
             "batch-broadcast bmm");
    check_fn([](const auto& v) { return v[0].matmul(v[1]); }, {input({6, 7}, dt), input({7}, dt)}, tol, "mv");
    check_fn([](const auto& v) { return v[0].matmul(v[1]); }, {input({7}, dt), input({7}, dt)}, tol, "dot");
    check_fn([](const auto& v) { return v[0].index({Slice(), Slice(std::nullopt, std::nullopt, 2)}).matmul(v[1]); },
             {input({5, 8}, dt), input({4, 3}, dt)}, tol, "strided columns (copied operand)");
    check_module([dt] { return nn::Linear(20, 10, {.dtype = dt}); }, input({8, 20}, dt), tol, "Linear");
  }
}

TEST(CudaBlas, Tf32SwitchDefaultsOffAndToggles) {
  WICK_REQUIRE_CUDA();
  EXPECT_FALSE(cuda::allow_tf32());
  cuda::set_allow_tf32(true);
  const Tensor a = randn({64, 64}), b = randn({64, 64});
  // TF32 keeps 10 mantissa bits: close, not exact.
  expect_close(a.to(kGpu).matmul(b.to(kGpu)), a.matmul(b), {5e-2, 5e-2}, "tf32 matmul");
  cuda::set_allow_tf32(false);
  expect_close(a.to(kGpu).matmul(b.to(kGpu)), a.matmul(b), tol_for(kFloat32), "fp32 matmul");
}

// ---- convolution (cuDNN) ----
TEST(CudaConv, FunctionalConv2dMatchesCpu) {
  WICK_REQUIRE_CUDA();
  exact_math();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    check_fn([](const auto& v) { return F::conv2d(v[0], v[1], v[2], {.stride = 2, .padding = 1}); },
             {input({2, 4, 9, 8}, dt), input({6, 4, 3, 3}, dt), input({6}, dt)}, tol, "conv2d stride 2 pad 1");
    check_fn([](const auto& v) { return F::conv2d(v[0], v[1], v[2], {.padding = {2, 1}, .dilation = {2, 1}, .groups = 2}); },
             {input({2, 4, 9, 8}, dt), input({6, 2, 3, 3}, dt), input({6}, dt)}, tol, "conv2d dilated grouped");
    // "same" with an even kernel: asymmetric padding (the padded-copy path)
    check_fn([](const auto& v) { return F::conv2d(v[0], v[1], {.padding = "same"}); },
             {input({2, 3, 7, 6}, dt), input({5, 3, 4, 2}, dt)}, tol, "conv2d same, even kernel");
  }
}

TEST(CudaConv, ConvModulesMatchCpu) {
  WICK_REQUIRE_CUDA();
  exact_math();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    check_module([dt] { return nn::Conv1d(3, 5, 3, {.stride = 2, .padding = 1, .dtype = dt}); }, input({2, 3, 11}, dt),
                 tol, "Conv1d");
    check_module([dt] { return nn::Conv3d(2, 4, {3, 2, 3}, {.padding = 1, .groups = 2, .dtype = dt}); },
                 input({2, 2, 5, 4, 6}, dt), tol, "Conv3d");
    check_module([dt] { return nn::ConvTranspose2d(4, 3, 3, {.stride = 2, .padding = 1, .output_padding = 1, .dtype = dt}); },
                 input({2, 4, 5, 4}, dt), tol, "ConvTranspose2d");
    check_module([dt] { return nn::Conv2d(3, 4, 3, {.padding = 1, .padding_mode = "reflect", .dtype = dt}); },
                 input({2, 3, 6, 5}, dt), tol, "Conv2d reflect");
  }
}

// ---- pooling ----
TEST(CudaPool, PoolingModulesMatchCpu) {
  WICK_REQUIRE_CUDA();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    const Tensor x2 = input({2, 3, 9, 8}, dt);
    check_module([] { return nn::MaxPool2d(3, {.stride = 2, .padding = 1}); }, x2, tol, "MaxPool2d");
    check_module([] { return nn::MaxPool2d({3, 2}, {.stride = 2, .dilation = {2, 1}, .ceil_mode = true}); }, x2, tol,
                 "MaxPool2d dilated ceil");
    check_module([] { return nn::AvgPool2d(3, {.stride = 2, .padding = 1}); }, x2, tol, "AvgPool2d");
    check_module([] { return nn::AvgPool2d(3, {.stride = 2, .padding = 1, .ceil_mode = true, .count_include_pad = false}); },
                 x2, tol, "AvgPool2d ceil, no pad count");
    check_module([] { return nn::AvgPool2d(2, {.divisor_override = 3}); }, x2, tol, "AvgPool2d divisor_override");
    check_module([] { return nn::AdaptiveAvgPool2d({4, 3}); }, x2, tol, "AdaptiveAvgPool2d");
    check_module([] { return nn::AdaptiveMaxPool2d({4, 3}); }, x2, tol, "AdaptiveMaxPool2d");
    check_module([] { return nn::MaxPool1d(3, {.stride = 2}); }, input({2, 3, 10}, dt), tol, "MaxPool1d");
    check_module([] { return nn::AvgPool1d(4, {.stride = 3, .padding = 2}); }, input({2, 3, 10}, dt), tol, "AvgPool1d");
    const Tensor x3 = input({2, 2, 5, 6, 4}, dt);
    check_module([] { return nn::MaxPool3d(2, {.stride = {1, 2, 2}}); }, x3, tol, "MaxPool3d");
    check_module([] { return nn::AvgPool3d(3, {.stride = 2, .padding = 1}); }, x3, tol, "AvgPool3d");
  }
}

TEST(CudaPool, MaxPoolIndicesEqualCpu) {
  WICK_REQUIRE_CUDA();
  const Tensor x = randn({2, 3, 9, 8});
  auto [vc, ic] = F::max_pool2d_with_indices(x, 3, {.stride = 2, .padding = 1});
  auto [vg, ig] = F::max_pool2d_with_indices(x.to(kGpu), 3, {.stride = 2, .padding = 1});
  EXPECT_TRUE(equal(ig.cpu(), ic));
  EXPECT_TRUE(equal(vg.cpu(), vc));
}

TEST(CudaPool, MaxUnpoolScattersAndChecksIndices) {
  WICK_REQUIRE_CUDA();
  const Tensor x = randn({2, 3, 8, 6});
  auto [y, idx] = F::max_pool2d_with_indices(x, 2);
  nn::MaxUnpool2d unpool(2);
  check_fn([&](const auto& v) { return unpool(v[0], idx.to(v[0].device())); }, {y.detach().requires_grad_(true)},
           tol_for(kFloat32), "MaxUnpool2d");
  const Tensor bad = full_like(idx, 1000);
  testing::expect_error([&] { (void)unpool(y.to(kGpu), bad.to(kGpu)); }, "Found an invalid max index");
}

// ---- normalization ----
TEST(CudaNorm, BatchNormTrainEvalAndRunningStatsMatchCpu) {
  WICK_REQUIRE_CUDA();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    check_module([dt] { return nn::BatchNorm2d(3, {.dtype = dt}); }, input({4, 3, 5, 6}, dt), tol, "BatchNorm2d train");
    check_module([dt] { return nn::BatchNorm1d(5, {.momentum = std::nullopt, .dtype = dt}); }, input({6, 5}, dt), tol,
                 "BatchNorm1d cumulative average");
    check_module([dt] { return nn::BatchNorm2d(3, {.affine = false, .dtype = dt}); }, input({4, 3, 5, 6}, dt), tol,
                 "BatchNorm2d no affine");
    check_module(
        [dt] {
          auto bn = nn::BatchNorm2d(3, {.dtype = dt});
          {
            NoGradGuard g;
            bn->running_mean.copy_(randn({3}, {.dtype = dt}));
            bn->running_var.copy_(rand({3}, {.dtype = dt}) + 0.5);
          }
          bn->eval();
          return bn;
        },
        input({4, 3, 5, 6}, dt), tol, "BatchNorm2d eval");
  }
}

TEST(CudaNorm, LayerNormMatchesCpu) {
  WICK_REQUIRE_CUDA();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    check_module([dt] { return nn::LayerNorm(std::vector<int64_t>{6, 7}, {.dtype = dt}); }, input({3, 4, 6, 7}, dt), tol,
                 "LayerNorm");
    check_module([dt] { return nn::LayerNorm(std::vector<int64_t>{300}, {.elementwise_affine = false, .dtype = dt}); },
                 input({5, 300}, dt), tol, "LayerNorm no affine");
    // many rows: dweight/dbias reduce over several row chunks
    check_module([dt] { return nn::LayerNorm(std::vector<int64_t>{40}, {.dtype = dt}); }, input({700, 40}, dt), tol,
                 "LayerNorm 700 rows");
  }
}

TEST(CudaDropout, MaskEqualsCpuForTheSameSeed) {
  WICK_REQUIRE_CUDA();
  for (DType dt : kFloats) {
    const Tensor x = input({7, 33}, dt);
    manual_seed(42);
    const Tensor yc = F::dropout(x, 0.3);
    manual_seed(42);
    const Tensor xg = gpu_leaf(x);
    const Tensor yg = F::dropout(xg, 0.3);
    EXPECT_TRUE(equal(yg.detach().cpu(), yc.detach())) << dtype_name(dt);
    const Tensor gy = randn(yc.sizes(), {.dtype = dt});
    yc.backward(gy);
    yg.backward(gy.to(kGpu));
    EXPECT_TRUE(equal(xg.grad().cpu(), x.grad())) << dtype_name(dt);
  }
}

// ---- losses ----
TEST(CudaLoss, CrossEntropyMatchesCpu) {
  WICK_REQUIRE_CUDA();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    const Tensor target = tensor(std::vector<int64_t>{1, 0, 4, 3, -100, 2});
    const Tensor weight = rand({5}, {.dtype = dt}) + 0.5;
    for (const char* red : {"mean", "sum", "none"}) {
      check_fn([&](const auto& v) { return F::cross_entropy(v[0], target.to(v[0].device()), {.reduction = red}); },
               {input({6, 5}, dt)}, tol, std::string("cross_entropy ") + red);
      check_fn(
          [&](const auto& v) {
            return F::cross_entropy(v[0], target.to(v[0].device()),
                                    {.weight = weight.to(v[0].device()), .reduction = red, .label_smoothing = 0.1});
          },
          {input({6, 5}, dt)}, tol, std::string("weighted smoothed cross_entropy ") + red);
    }
    const Tensor t2 = randint(0, 4, {2, 3, 5});
    check_fn([&](const auto& v) { return F::cross_entropy(v[0], t2.to(v[0].device())); }, {input({2, 4, 3, 5}, dt)}, tol,
             "cross_entropy (N, C, d1, d2)");
  }
}

TEST(CudaLoss, CtcLossMatchesCpu) {
  WICK_REQUIRE_CUDA();
  for (DType dt : kFloats) {
    const Tol tol = tol_for(dt);
    const Tensor targets = randint(1, 6, {3, 4});
    for (const char* red : {"mean", "sum", "none"}) {
      check_fn(
          [&](const auto& v) {
            return F::ctc_loss(F::log_softmax(v[0], 2), targets.to(v[0].device()), {12, 10, 7}, {4, 2, 3},
                               {.reduction = red});
          },
          {input({12, 3, 6}, dt)}, tol, std::string("ctc_loss ") + red);
    }
    // an impossible alignment (target longer than the input) with zero_infinity
    check_fn(
        [&](const auto& v) {
          return F::ctc_loss(F::log_softmax(v[0], 2), targets.to(v[0].device()), {3, 10, 7}, {4, 2, 3},
                             {.zero_infinity = true});
        },
        {input({12, 3, 6}, dt)}, tol, "ctc_loss zero_infinity");
  }
}

// ---- optimizers: a few steps on the same gradients, parameters and state compared ----
template <typename Opt, typename Options>
void check_optimizer(Options options, const std::string& what) {
  for (DType dt : kFloats) {
    const Tensor p0 = randn({37}, {.dtype = dt});
    Tensor pc = p0.clone().requires_grad_(true), pg = p0.to(kGpu).requires_grad_(true);
    Opt oc(std::vector<Tensor>{pc}, options), og(std::vector<Tensor>{pg}, options);
    for (int step = 0; step < 4; ++step) {
      const Tensor g = randn({37}, {.dtype = dt});
      pc.set_grad(g);
      pg.set_grad(g.to(kGpu));
      oc.step();
      og.step();
      expect_close(pg, pc, tol_for(dt), what + " step " + std::to_string(step) + " " + dtype_name(dt));
    }
  }
}

TEST(CudaOptim, EveryOptimizerStepMatchesCpu) {
  WICK_REQUIRE_CUDA();
  check_optimizer<optim::SGD>(optim::SGDOptions{.lr = 0.1}, "SGD");
  check_optimizer<optim::SGD>(optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .weight_decay = 1e-2},
                              "SGD momentum");
  check_optimizer<optim::SGD>(optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .nesterov = true, .maximize = true},
                              "SGD nesterov maximize");
  check_optimizer<optim::Adam>(optim::AdamOptions{.lr = 1e-2, .weight_decay = 1e-2}, "Adam");
  check_optimizer<optim::Adam>(optim::AdamOptions{.lr = 1e-2, .amsgrad = true}, "Adam amsgrad");
  check_optimizer<optim::AdamW>(optim::AdamWOptions{.lr = 1e-2}, "AdamW");
  check_optimizer<optim::RMSprop>(optim::RMSpropOptions{.lr = 1e-2}, "RMSprop");
  check_optimizer<optim::RMSprop>(optim::RMSpropOptions{.lr = 1e-2, .weight_decay = 1e-2, .momentum = 0.9, .centered = true},
                                  "RMSprop centered momentum");
  check_optimizer<optim::Adagrad>(optim::AdagradOptions{.lr = 1e-1, .lr_decay = 1e-2}, "Adagrad");
  check_optimizer<optim::Adadelta>(optim::AdadeltaOptions{.weight_decay = 1e-2}, "Adadelta");
  check_optimizer<optim::Adamax>(optim::AdamaxOptions{.weight_decay = 1e-2}, "Adamax");
  check_optimizer<optim::NAdam>(optim::NAdamOptions{}, "NAdam");
  check_optimizer<optim::RAdam>(optim::RAdamOptions{}, "RAdam");
}

// ---- whole models: two SGD training steps on CUDA and on the CPU ----
// float64 checks every kernel of the step tightly; float32 (what users train in) loosely, since
// batch norm over a small batch amplifies summation-order differences.
template <typename Make>
void check_training_step(Make make, IntArrayRef input_shape, DType dt, Tol tol, const std::string& what) {
  manual_seed(7);
  auto mc = make();
  manual_seed(7);
  auto mg = make();
  mc->to(dt);
  mg->to(kGpu, dt);
  const Tensor x = randn(input_shape, {.dtype = dt}), y = randint(0, 10, {input_shape[0]});
  optim::SGD oc(mc->parameters(), {.lr = 0.05, .momentum = 0.9}), og(mg->parameters(), {.lr = 0.05, .momentum = 0.9});
  for (int step = 0; step < 2; ++step) {
    const std::string at = what + " " + dtype_name(dt) + " step " + std::to_string(step);
    const Tensor lc = F::cross_entropy(mc(x), y), lg = F::cross_entropy(mg(x.to(kGpu)), y.to(kGpu));
    expect_close(lg, lc, tol, at + " loss");
    oc.zero_grad();
    og.zero_grad();
    lc.backward();
    lg.backward();
    const auto pc = mc->parameters(), pg = mg->parameters();
    ASSERT_EQ(pc.size(), pg.size());
    for (size_t i = 0; i < pc.size(); ++i) expect_close(pg[i].grad(), pc[i].grad(), tol, at + " grad " + std::to_string(i));
    oc.step();
    og.step();
  }
  const auto bc = mc->buffers(), bg = mg->buffers();
  for (size_t i = 0; i < bc.size(); ++i) expect_close(bg[i], bc[i], tol, what + " buffer " + std::to_string(i));
}

TEST(CudaModels, LeNetTrainingStepMatchesCpu) {
  WICK_REQUIRE_CUDA();
  exact_math();
  check_training_step([] { return models::lenet(); }, {16, 1, 28, 28}, kFloat64, {1e-8, 1e-10}, "LeNet");
  check_training_step([] { return models::lenet(); }, {16, 1, 28, 28}, kFloat32, {1e-3, 1e-5}, "LeNet");
}

TEST(CudaModels, ResNet18TrainingStepMatchesCpu) {
  WICK_REQUIRE_CUDA();
  exact_math();
  check_training_step([] { return models::resnet18(); }, {4, 1, 96, 96}, kFloat64, {1e-7, 1e-9}, "ResNet-18");
  check_training_step([] { return models::resnet18(); }, {4, 1, 96, 96}, kFloat32, {5e-3, 1e-4}, "ResNet-18");
}

}  // namespace
}  // namespace wick

#endif  // __has_include("wick/cuda.h")

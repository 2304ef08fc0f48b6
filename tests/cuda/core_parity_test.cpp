// Backend parity for cuda-core's kernels: each op family runs through the Tensor ops on CUDA and on
// the CPU, and outputs and input gradients must agree (float32 to 1e-5 relative, float64 to 1e-12,
// float16/bfloat16 to their precision). Skipped, visibly, where no GPU is present.
// WICK_PARITY_SELF_TEST=1 runs the suite with the CPU standing in for the GPU (both sides on the
// CPU): a check of the test code itself on machines without a GPU, not of the CUDA kernels.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <vector>

#include "cuda/cuda_guard.h"
#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/backend/backend.h"
#include "wick/wick.h"

namespace {

using namespace wick;
using wick::testing::tensors_close;

bool self_test() {
  static const bool on = std::getenv("WICK_PARITY_SELF_TEST") != nullptr;
  return on;
}
// The device under test: CUDA, or the CPU in self-test mode.
Device gpu() { return self_test() ? Device(kCPU) : Device(kCUDA); }
bool on_gpu(const Tensor& t) { return t.device().type == gpu().type; }

#define REQUIRE_GPU()             \
  do {                            \
    if (!self_test()) WICK_REQUIRE_CUDA(); \
  } while (0)
// Parts that only mean something on a real GPU (CUDA generators, memory statistics, printing).
#define REQUIRE_REAL_GPU()                                                         \
  do {                                                                             \
    if (self_test()) GTEST_SKIP() << "needs a real GPU (WICK_PARITY_SELF_TEST)"; \
    WICK_REQUIRE_CUDA();                                                           \
  } while (0)

struct Tol {
  double rtol, atol;
};

Tol tol_for(DType t) {
  switch (t) {
    case kFloat64: return {1e-12, 1e-12};
    case kFloat16: return {2e-3, 1e-3};
    case kBFloat16: return {1.6e-2, 1e-2};
    default: return {1e-5, 1e-6};
  }
}

using Fn = std::function<Tensor(const std::vector<Tensor>&)>;

// Runs f on the CPU inputs and on copies on the GPU; compares outputs and, when `grad`, the inputs'
// gradients for one random upstream gradient (floating inputs only).
void check_parity(const std::vector<Tensor>& cpu_in, const Fn& f, bool grad, Tol tol) {
  std::vector<Tensor> a, b;
  for (const Tensor& t : cpu_in) {
    const bool g = grad && t.is_floating_point();
    a.push_back(t.detach().clone().requires_grad_(g));
    b.push_back(t.detach().to(gpu()).requires_grad_(g));
  }
  Tensor ya = f(a), yb = f(b);
  ASSERT_TRUE(on_gpu(yb)) << "the op's output left the GPU";
  EXPECT_TRUE(tensors_close(yb, ya, tol.rtol, tol.atol)) << "forward";
  if (!grad || !ya.requires_grad()) return;
  Tensor g = randn(ya.sizes(), {.dtype = ya.dtype()});
  ya.backward(g);
  yb.backward(g.to(gpu()));
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].requires_grad()) continue;
    ASSERT_TRUE(b[i].grad().defined()) << "input " << i << " got no gradient on the device";
    EXPECT_TRUE(on_gpu(b[i].grad()));
    EXPECT_TRUE(tensors_close(b[i].grad(), a[i].grad(), tol.rtol, tol.atol)) << "gradient of input " << i;
  }
}

// Kernels with no Tensor method yet, called on the backend: out = op(x) / op(a, b) (b broadcast).
Tensor raw_unary(UnaryOp op, const Tensor& x) {
  Tensor out = empty(x.sizes(), {.dtype = op == UnaryOp::IsNan ? kBool : x.dtype(), .device = x.device()});
  backend_for(x).unary(op, out, x);
  return out;
}

Tensor raw_binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  Tensor out = empty(a.sizes(), {.dtype = a.dtype(), .device = a.device()});
  backend_for(a).binary(op, out, a, b.expand(a.sizes()));
  return out;
}

// f applied after `view` of input 0: the leaves handed to check_parity are contiguous copies, so
// a strided operand has to be made inside the function (its gradient then flows through the view).
Fn on_view(Fn f, std::function<Tensor(const Tensor&)> view) {
  return [f, view](const std::vector<Tensor>& v) {
    std::vector<Tensor> w = v;
    w[0] = view(v[0]);
    return f(w);
  };
}

const std::vector<DType> kFloatTypes = {kFloat32, kFloat64};

TEST(CudaCoreParity, CopiesBetweenDevicesWithCastsAndStrides) {
  REQUIRE_GPU();
  Tensor x = randn({4, 5, 6}, {.dtype = kFloat64});
  for (DType dt : {kBool, kUInt8, kInt32, kInt64, kFloat16, kBFloat16, kFloat32, kFloat64}) {
    Tensor src = (x * 10).to(dt);
    Tensor g = src.to(gpu());
    EXPECT_TRUE(g.device().type == gpu().type);
    EXPECT_TRUE(tensors_close(g.cpu(), src, 0, 0)) << dtype_name(dt);
    // Non-contiguous on either side, and a cast on the device.
    Tensor t = src.transpose(0, 2);
    EXPECT_TRUE(tensors_close(t.to(gpu()).cpu(), t, 0, 0)) << dtype_name(dt);
    EXPECT_TRUE(tensors_close(g.transpose(0, 2).cpu(), t, 0, 0)) << dtype_name(dt);
    for (DType to : {kInt64, kFloat32, kFloat16, kBool})
      EXPECT_TRUE(tensors_close(g.to(to).cpu(), src.to(to), 0, 0)) << dtype_name(dt) << " -> " << dtype_name(to);
  }
  // copy_ into strided destinations on each side, from a broadcast source.
  Tensor dst = zeros({6, 4}, {.device = gpu()});
  dst.t().copy_(tensor({1.0, 2.0, 3.0, 4.0, 5.0, 6.0}).unsqueeze(0).expand({4, 6}).to(gpu()));
  Tensor ref = zeros({6, 4});
  ref.t().copy_(tensor({1.0, 2.0, 3.0, 4.0, 5.0, 6.0}).unsqueeze(0).expand({4, 6}));
  EXPECT_TRUE(tensors_close(dst, ref, 0, 0));
  Tensor host = zeros({6, 4});
  host.t().copy_(dst.t());
  EXPECT_TRUE(tensors_close(host, ref, 0, 0));
  // Gradients flow back across the device boundary.
  Tensor w = randn({3}).requires_grad_();
  (w.to(gpu()) * 2).sum().backward();
  EXPECT_TRUE(w.grad().is_cpu());
  EXPECT_TRUE(tensors_close(w.grad(), full({3}, 2.0), 0, 0));
}

TEST(CudaCoreParity, FillAndFactories) {
  REQUIRE_GPU();
  for (DType dt : {kBool, kUInt8, kInt32, kInt64, kFloat16, kBFloat16, kFloat32, kFloat64}) {
    EXPECT_TRUE(tensors_close(full({3, 2}, 7.0, {.dtype = dt, .device = gpu()}), full({3, 2}, 7.0, {.dtype = dt}), 0, 0));
    EXPECT_TRUE(tensors_close(arange(0, 10, 3, {.dtype = dt == kBool ? kInt64 : dt, .device = gpu()}),
                              arange(0, 10, 3, {.dtype = dt == kBool ? kInt64 : dt}), 0, 0));
  }
  Tensor z = zeros({4, 6}, {.device = gpu()});
  z.narrow(1, 1, 3).fill_(2.5);  // a strided fill
  Tensor r = zeros({4, 6});
  r.narrow(1, 1, 3).fill_(2.5);
  EXPECT_TRUE(tensors_close(z, r, 0, 0));
  EXPECT_TRUE(tensors_close(eye(5, std::nullopt, {.device = gpu()}), eye(5), 0, 0));
  EXPECT_TRUE(tensors_close(linspace(-1, 1, 7, {.device = gpu()}), linspace(-1, 1, 7), 0, 0));
}

TEST(CudaCoreParity, UnaryOpsWithGradients) {
  REQUIRE_GPU();
  const std::vector<std::pair<const char*, Fn>> ops = {
      {"neg", [](auto& v) { return -v[0]; }},
      {"abs", [](auto& v) { return v[0].abs(); }},
      {"exp", [](auto& v) { return v[0].exp(); }},
      {"log", [](auto& v) { return (v[0].abs() + 0.5).log(); }},
      {"log1p", [](auto& v) { return v[0].abs().log1p(); }},
      {"expm1", [](auto& v) { return v[0].expm1(); }},
      {"sqrt", [](auto& v) { return (v[0].abs() + 0.1).sqrt(); }},
      {"rsqrt", [](auto& v) { return (v[0].abs() + 0.1).rsqrt(); }},
      {"sin", [](auto& v) { return v[0].sin(); }},
      {"cos", [](auto& v) { return v[0].cos(); }},
      {"tanh", [](auto& v) { return v[0].tanh(); }},
      {"sigmoid", [](auto& v) { return v[0].sigmoid(); }},
      {"relu", [](auto& v) { return v[0].relu(); }},
      {"erf", [](auto& v) { return v[0].erf(); }},
      {"reciprocal", [](auto& v) { return (v[0].abs() + 0.5).reciprocal(); }},
      {"square", [](auto& v) { return v[0].square(); }},
      {"sign", [](auto& v) { return v[0].sign(); }},
      {"pow", [](auto& v) { return (v[0].abs() + 0.1).pow(2.5); }},
      {"clamp", [](auto& v) { return v[0].clamp(-0.5, 0.5); }},
  };
  for (DType dt : kFloatTypes) {
    Tensor x = randn({5, 7}, {.dtype = dt});
    for (auto& [name, f] : ops) {
      SCOPED_TRACE(std::string(name) + " " + dtype_name(dt));
      check_parity({x}, f, true, tol_for(dt));
      check_parity({x.t().contiguous()}, on_view(f, [](const Tensor& t) { return t.t(); }), true, tol_for(dt));
    }
  }
  Tensor x = randn({64}) * 3;
  for (DType dt : {kFloat16, kBFloat16}) {
    SCOPED_TRACE(dtype_name(dt));
    for (auto& [name, f] : ops) check_parity({x.to(dt)}, f, false, tol_for(dt));
  }
  Tensor i = tensor({-3, 0, 2, 7}, {.dtype = kInt64});
  check_parity({i}, [](auto& v) { return v[0].abs() + (-v[0]).sign(); }, false, {0, 0});
  check_parity({x}, [](auto& v) { return logical_not(v[0] > 0); }, false, {0, 0});
  // Rounding ops have no Tensor method yet: through the backend directly.
  for (UnaryOp op : {UnaryOp::Floor, UnaryOp::Ceil, UnaryOp::Round, UnaryOp::Trunc, UnaryOp::IsNan})
    check_parity({x * 2.5}, [op](auto& v) { return raw_unary(op, v[0]); }, false, {0, 0});
}

TEST(CudaCoreParity, BinaryOpsBroadcastNonContiguousAndGradients) {
  REQUIRE_GPU();
  const std::vector<std::pair<const char*, Fn>> ops = {
      {"add", [](auto& v) { return v[0] + v[1]; }},
      {"sub", [](auto& v) { return v[0] - v[1]; }},
      {"mul", [](auto& v) { return v[0] * v[1]; }},
      {"div", [](auto& v) { return v[0] / (v[1].abs() + 0.5); }},
      {"pow", [](auto& v) { return (v[0].abs() + 0.5).pow(v[1]); }},
      {"maximum", [](auto& v) { return maximum(v[0], v[1]); }},
      {"minimum", [](auto& v) { return minimum(v[0], v[1]); }},
      {"where", [](auto& v) { return where(v[0] > v[1], v[0], v[1] * 2); }},
      {"lerp-like", [](auto& v) { return v[0] * 0.3 + v[1] * 0.7 - 1; }},
  };
  for (DType dt : kFloatTypes) {
    Tensor a = randn({4, 1, 6}, {.dtype = dt});
    Tensor b = randn({3, 6}, {.dtype = dt});
    Tensor c = randn({6, 3, 4}, {.dtype = dt});  // used as c.permute({2, 1, 0}): (4, 3, 6), strided
    for (auto& [name, f] : ops) {
      SCOPED_TRACE(std::string(name) + " " + dtype_name(dt));
      check_parity({a, b}, f, true, tol_for(dt));
      check_parity({c, a}, on_view(f, [](const Tensor& t) { return t.permute({2, 1, 0}); }), true, tol_for(dt));
    }
  }
  for (DType dt : {kFloat16, kBFloat16}) {
    Tensor a = randn({8, 16}).to(dt), b = randn({16}).to(dt);
    for (auto& [name, f] : ops) check_parity({a, b}, f, false, tol_for(dt));
  }
  // Comparisons, logic and integer arithmetic, exact.
  Tensor p = randint(-5, 5, {6, 5}), q = randint(1, 4, {5});
  for (auto f : std::vector<Fn>{[](auto& v) { return v[0] == v[1]; }, [](auto& v) { return v[0] < v[1]; },
                                [](auto& v) { return v[0] >= v[1]; }, [](auto& v) { return logical_xor(v[0], v[1]); },
                                [](auto& v) { return v[0] * v[1] - v[1]; }})
    check_parity({p, q}, f, false, {0, 0});
  for (BinaryOp op : {BinaryOp::Remainder, BinaryOp::FloorDivide, BinaryOp::Div, BinaryOp::Pow}) {
    check_parity({p, q}, [op](auto& v) { return raw_binary(op, v[0], v[1]); }, false, {0, 0});
    check_parity({p.to(kFloat64), q.to(kFloat64) - 0.5}, [op](auto& v) { return raw_binary(op, v[0], v[1]); }, false,
                 tol_for(kFloat64));
  }
  wick::testing::expect_error(
      [&] { (void)raw_binary(BinaryOp::FloorDivide, p.to(gpu()), zeros({5}, {.dtype = kInt64, .device = gpu()})); },
      "ZeroDivisionError");
}

TEST(CudaCoreParity, ReductionsWithGradients) {
  REQUIRE_GPU();
  const std::vector<std::pair<const char*, Fn>> ops = {
      {"sum", [](auto& v) { return v[0].sum(); }},
      {"sum01", [](auto& v) { return v[0].sum({0, 2}); }},
      {"sum_keep", [](auto& v) { return v[0].sum({1}, true); }},
      {"mean", [](auto& v) { return v[0].mean({-1}); }},
      {"prod", [](auto& v) { return v[0].prod(1); }},
      {"max", [](auto& v) { return v[0].max(); }},
      {"amin", [](auto& v) { return amin(v[0], {0, 1}); }},
      {"max_dim", [](auto& v) { return std::get<0>(v[0].max(1)); }},
      {"min_dim", [](auto& v) { return std::get<0>(v[0].min(0, true)); }},
      {"var", [](auto& v) { return v[0].var({2}); }},
      {"logsumexp", [](auto& v) { return logsumexp(v[0], {1}); }},
      {"softmax", [](auto& v) { return (v[0] - logsumexp(v[0], {2}, true)).exp(); }},
      {"cumsum", [](auto& v) { return v[0].cumsum(1); }},
  };
  for (DType dt : kFloatTypes) {
    Tensor x = randn({5, 40, 3}, {.dtype = dt});
    for (auto& [name, f] : ops) {
      SCOPED_TRACE(std::string(name) + " " + dtype_name(dt));
      check_parity({x}, f, true, tol_for(dt));
      check_parity({x}, on_view(f, [](const Tensor& t) { return t.transpose(0, 2); }), true, tol_for(dt));
    }
  }
  // A long reduction (block path) and half types.
  Tensor big = randn({3, 5000});
  check_parity({big}, [](auto& v) { return v[0].sum(1); }, true, {1e-5, 1e-4});
  check_parity({big}, [](auto& v) { return v[0].argmax(1); }, false, {0, 0});
  // Column sums of a wide matrix (one thread per column) and a long single reduction.
  check_parity({randn({50, 600})}, [](auto& v) { return v[0].sum({0}); }, true, {1e-5, 1e-5});
  check_parity({randn({50, 600}, {.dtype = kFloat64})}, [](auto& v) { return amax(v[0], {0}); }, true, tol_for(kFloat64));
  check_parity({randn({200000})}, [](auto& v) { return v[0].sum(); }, true, {1e-5, 1e-3});
  for (DType dt : {kFloat16, kBFloat16})
    check_parity({big.to(dt)}, [](auto& v) { return std::get<0>(v[0].max(1)); }, false, {0, 0});
  // Ties pick the first index; NaN wins.
  Tensor t = tensor({{1.0, 3.0, 3.0, 0.0}, {2.0, NAN, 5.0, NAN}});
  check_parity({t}, [](auto& v) { return v[0].argmax(1); }, false, {0, 0});
  check_parity({t}, [](auto& v) { return v[0].argmin(1); }, false, {0, 0});
  check_parity({t}, [](auto& v) { return amax(v[0], {1}); }, false, {0, 0});
  // Integers and bool.
  Tensor i = randint(-100, 100, {7, 9});
  check_parity({i}, [](auto& v) { return v[0].sum({1}); }, false, {0, 0});
  check_parity({i}, [](auto& v) { return v[0].cumsum(0); }, false, {0, 0});
  check_parity({i}, [](auto& v) { return std::get<1>(v[0].min(1)); }, false, {0, 0});
  check_parity({i}, [](auto& v) { return (v[0] > 0).all(1); }, false, {0, 0});
  check_parity({i}, [](auto& v) { return (v[0] > 90).any(0); }, false, {0, 0});
}

TEST(CudaCoreParity, IndexingGatherScatterSelectNonzero) {
  REQUIRE_GPU();
  for (DType dt : kFloatTypes) {
    SCOPED_TRACE(dtype_name(dt));
    Tensor x = randn({6, 5}, {.dtype = dt});
    Tensor idx = randint(0, 5, {6, 3});
    Tensor sel = tensor({4, 0, 4, 2}, {.dtype = kInt64});  // < 5 columns and < 6 rows
    check_parity({x, idx}, [](auto& v) { return v[0].gather(1, v[1]); }, true, tol_for(dt));
    check_parity({x, sel}, [](auto& v) { return v[0].index_select(1, v[1]); }, true, tol_for(dt));
    check_parity({x, sel}, [](auto& v) { return v[0].t().index_select(0, v[1]); }, true, tol_for(dt));
    check_parity({x, idx}, [](auto& v) { return zeros({6, 5}, v[0].options()).scatter_add(1, v[1], v[0].narrow(1, 0, 3)); },
                 true, tol_for(dt));
    check_parity({x, sel}, [](auto& v) { return v[0].index_add(0, v[1], v[0].narrow(0, 0, 4), 0.5); }, true,
                 tol_for(dt));
    check_parity({x}, [](auto& v) { return v[0].index({TensorIndex(v[0] > 0)}); }, true, tol_for(dt));
    check_parity({x}, [](auto& v) { return v[0].masked_fill(v[0] < 0, 0.25); }, true, tol_for(dt));
    check_parity({x}, [](auto& v) { return cat({v[0], v[0] * 2}, 1); }, true, tol_for(dt));
    check_parity({x}, [](auto& v) { return stack({v[0], v[0].t().t() + 1}, 0); }, true, tol_for(dt));
  }
  Tensor idx = tensor({0, 2, 2, 1}, {.dtype = kInt64});  // duplicates accumulate atomically
  for (DType dt : {kInt64, kInt32, kUInt8, kFloat16, kBFloat16}) {
    SCOPED_TRACE(dtype_name(dt));
    Tensor src = ones({4, 3}, {.dtype = dt});
    check_parity({src, idx}, [](auto& v) { return zeros({3, 3}, v[0].options()).index_add(0, v[1], v[0]); }, false,
                 {0, 0});
  }
  Tensor m = tensor({{0.0, 1.5, 0.0}, {NAN, 0.0, -2.0}});
  check_parity({m}, [](auto& v) { return v[0].nonzero(); }, false, {0, 0});
  Tensor big = (randn({70, 33}) > 0.5).t();  // several blocks, strided
  check_parity({big}, [](auto& v) { return v[0].nonzero(); }, false, {0, 0});
  wick::testing::expect_error([] { (void)randn({3}, {.device = gpu()}).gather(0, tensor({3}, {.dtype = kInt64}).to(gpu())); },
                        "index 3 is out of bounds for dimension 0 with size 3");
}

TEST(CudaCoreParity, SortIsStableAndMatchesTheCpu) {
  REQUIRE_GPU();
  Tensor x = randint(0, 4, {5, 37}).to(kFloat32);  // many ties: stability shows in the indices
  for (bool desc : {false, true}) {
    check_parity({x}, [desc](auto& v) { return std::get<1>(v[0].sort(1, desc)); }, false, {0, 0});
    check_parity({x}, [desc](auto& v) { return std::get<0>(v[0].sort(0, desc)); }, false, {0, 0});
    check_parity({x}, [desc](auto& v) { return std::get<1>(v[0].t().sort(0, desc)); }, false, {0, 0});
  }
  Tensor f = randn({4, 1000}, {.dtype = kFloat64});
  check_parity({f}, [](auto& v) { return std::get<0>(v[0].sort(-1)); }, true, tol_for(kFloat64));
  check_parity({f}, [](auto& v) { return std::get<0>(v[0].topk(5, 1)); }, true, tol_for(kFloat64));
  Tensor n = tensor({3.0, NAN, -1.0, NAN, 2.0});
  check_parity({n}, [](auto& v) { return std::get<1>(v[0].sort(0)); }, false, {0, 0});
  check_parity({n}, [](auto& v) { return std::get<1>(v[0].sort(0, true)); }, false, {0, 0});
  for (DType dt : {kInt64, kInt32, kUInt8, kFloat16, kBFloat16, kBool})
    check_parity({(x - 1).to(dt)}, [](auto& v) { return std::get<1>(v[0].sort(1)); }, false, {0, 0});
}

TEST(CudaCoreParity, RandomFillsReproduceTheCpuStream) {
  REQUIRE_GPU();
  // Same seed, same offset: CUDA draws the numbers the CPU draws (normal up to device log/cos).
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    SCOPED_TRACE(dtype_name(dt));
    manual_seed(7);
    Tensor c = rand({3, 50}, {.dtype = dt});
    Tensor cn = randn({3, 50}, {.dtype = dt});
    manual_seed(7);
    Tensor g = rand({3, 50}, {.dtype = dt, .device = gpu()});
    Tensor gn = randn({3, 50}, {.dtype = dt, .device = gpu()});
    EXPECT_TRUE(tensors_close(g, c, 0, 0));
    EXPECT_TRUE(tensors_close(gn, cn, dt == kFloat64 ? 1e-12 : 1e-6, 1e-12));
  }
  manual_seed(3);
  Tensor ci = randint(-4, 9, {100});
  Tensor cb = bernoulli(full({100}, 0.3));
  manual_seed(3);
  EXPECT_TRUE(tensors_close(randint(-4, 9, {100}, {.device = gpu()}), ci, 0, 0));
  EXPECT_TRUE(tensors_close(bernoulli(full({100}, 0.3, {.device = gpu()})), cb, 0, 0));
  // A strided in-place fill draws in row-major order of the view.
  manual_seed(5);
  Tensor a = zeros({4, 6});
  a.t().uniform_(-1, 1);
  manual_seed(5);
  Tensor b = zeros({4, 6}, {.device = gpu()});
  b.t().uniform_(-1, 1);
  EXPECT_TRUE(tensors_close(b, a, 0, 0));
  if (self_test()) return;  // the rest is about the CUDA generator itself
  // Reseeding reproduces; the CUDA generator advances independently of the CPU one.
  cuda::manual_seed(11);
  Tensor r1 = randn({10}, {.device = gpu()});
  cuda::manual_seed(11);
  (void)randn({10});
  EXPECT_TRUE(tensors_close(randn({10}, {.device = gpu()}), r1, 0, 0));
}

TEST(CudaCoreParity, GradcheckRunsOnCudaInputs) {
  REQUIRE_GPU();
  const TensorOptions o{.dtype = kFloat64, .device = gpu(), .requires_grad = true};
  Tensor x = randn({3, 4}, o), y = randn({4}, o);
  Tensor idx = tensor({2, 0, 2}, {.dtype = kInt64}).to(gpu());
  auto res = autograd::gradcheck(
      [&](const autograd::variable_list& v) -> Tensor {
        return ((v[0] * v[1].exp()).sum({1}) + v[0].index_select(1, idx).sigmoid().sum({1})).cumsum(0);
      },
      {x, y});
  EXPECT_TRUE(res.ok) << res.message;
}

TEST(CudaCoreParity, NormalizeTransformOnAGpuImage) {
  REQUIRE_GPU();
  data::transforms::Normalize norm({0.5, 0.25, 0.1}, {0.2, 0.3, 0.4});
  Tensor img = rand({2, 3, 5, 4});
  EXPECT_TRUE(tensors_close(norm(img.to(gpu())), norm(img), 1e-6, 1e-6));
}

TEST(CudaCoreParity, ModuleToCudaAndPrinting) {
  REQUIRE_REAL_GPU();
  auto lin = nn::Linear(4, 3);
  lin->to(gpu());
  for (auto& p : lin->parameters()) EXPECT_TRUE(p.device().type == gpu().type);
  std::ostringstream os;
  os << tensor({1.5, -2.0}).to(gpu());
  EXPECT_EQ(os.str(), "tensor([ 1.5000, -2.0000], device='cuda:0')");
  EXPECT_EQ(ones({2}).to(gpu()).device().str(), "cuda:0");
  EXPECT_DOUBLE_EQ(full({}, 3.25, {.device = gpu()}).item<double>(), 3.25);
}

TEST(CudaCoreParity, MemoryStatisticsAndCaching) {
  REQUIRE_REAL_GPU();
  cuda::synchronize();
  cuda::empty_cache();
  const size_t base = cuda::memory_allocated();
  cuda::reset_peak_memory_stats();
  {
    Tensor t = empty({1024, 1024}, {.device = gpu()});  // 4 MiB
    EXPECT_EQ(cuda::memory_allocated(), base + 4u * 1024 * 1024);
  }
  EXPECT_EQ(cuda::memory_allocated(), base);
  EXPECT_GE(cuda::max_memory_allocated(), base + 4u * 1024 * 1024);
  const size_t reserved = cuda::memory_reserved();
  EXPECT_GE(reserved, 4u * 1024 * 1024);
  {
    Tensor again = empty({1024, 1024}, {.device = gpu()});  // served from the cache
    EXPECT_EQ(cuda::memory_reserved(), reserved);
  }
  cuda::empty_cache();
  EXPECT_LT(cuda::memory_reserved(), reserved);
  wick::testing::expect_error([] { (void)empty({int64_t{1} << 40}, {.device = gpu()}); }, "CUDA out of memory");
}

}  // namespace

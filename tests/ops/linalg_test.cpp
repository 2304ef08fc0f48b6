// matmul (every rank combination), mm, mv, bmm, addmm, dot, outer: values against PyTorch
// goldens, non-contiguous and broadcast operands, the threaded GEMM against a plain loop,
// gradchecks (with double backward), grad_fn names and PyTorch's error messages.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/backend/backend.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;

const testing::Golden& golden() {
  static const testing::Golden g("linalg");
  return g;
}

using testing::expect_error;

// The reference product in float64 by the definition (a (M, K) @ b (K, N)).
Tensor naive_mm(const Tensor& a, const Tensor& b) {
  const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  std::vector<double> av = a.tolist<double>(), bv = b.tolist<double>(),
                      out(static_cast<size_t>(m * n), 0.0);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p)
      for (int64_t j = 0; j < n; ++j)
        out[static_cast<size_t>(i * n + j)] +=
            av[static_cast<size_t>(i * k + p)] * bv[static_cast<size_t>(p * n + j)];
  return tensor(out, {.dtype = kFloat64}).reshape({m, n});
}

struct MatmulCase {
  const char* key;
  const char* grad_fn;
};
// grad_fn names as torch 1.13 reports them when both operands require grad.
const MatmulCase kMatmulCases[] = {
    {"1x1", "DotBackward0"},         {"2x1", "MvBackward0"},         {"1x2", "SqueezeBackward3"},
    {"2x2", "MmBackward0"},          {"3x1", "UnsafeViewBackward0"}, {"1x3", "UnsafeViewBackward0"},
    {"3x2", "UnsafeViewBackward0"},  {"2x3", "CloneBackward0"},      {"3x3", "UnsafeViewBackward0"},
    {"3x3b", "UnsafeViewBackward0"}, {"4x3", "UnsafeViewBackward0"}, {"1x4", "UnsafeViewBackward0"},
};

TEST(Matmul, EveryRankCombinationMatchesPyTorch) {
  for (const auto& c : kMatmulCases) {
    SCOPED_TRACE(c.key);
    const std::string k = std::string("matmul_") + c.key;
    Tensor a = golden()[k + "_a"], b = golden()[k + "_b"], expected = golden()[k + "_out"];
    Tensor out = matmul(a, b);
    EXPECT_EQ(out.sizes(), expected.sizes());
    EXPECT_TENSOR_CLOSE(out, expected, 1e-12, 1e-12);
    EXPECT_TENSOR_CLOSE(a.to(kFloat32).matmul(b.to(kFloat32)).to(kFloat64), expected, 1e-5, 1e-5);
    Tensor ag = a.clone().requires_grad_(), bg = b.clone().requires_grad_();
    Tensor y = matmul(ag, bg);
    ASSERT_NE(y.grad_fn(), nullptr);
    EXPECT_EQ(y.grad_fn()->name(), c.grad_fn);
  }
}

TEST(Matmul, EveryRankCombinationGradchecks) {
  for (const auto& c : kMatmulCases) {
    SCOPED_TRACE(c.key);
    const std::string k = std::string("matmul_") + c.key;
    Tensor a = golden()[k + "_a"].requires_grad_(), b = golden()[k + "_b"].requires_grad_();
    auto r = autograd::gradcheck([](const variable_list& in) { return matmul(in[0], in[1]); },
                                 {a, b}, {.check_grad_grad = true});
    EXPECT_TRUE(r) << r.message;
  }
}

TEST(Matmul, TransposedBatchAndIntegerInputs) {
  // A batch of transposed matrices takes the bmm path (no folding); values must not change.
  Tensor a = randn({3, 4, 2}, {.dtype = kFloat64}).mT(), b = randn({4, 5}, {.dtype = kFloat64});
  Tensor out = matmul(a, b);
  ASSERT_EQ(out.sizes(), (Shape{3, 2, 5}));
  for (int64_t i = 0; i < 3; ++i)
    EXPECT_TENSOR_CLOSE(out[i], naive_mm(a[i].contiguous(), b), 1e-12, 1e-12);
  Tensor ia = tensor({{1, 2}, {3, 4}}, {.dtype = kInt64});
  EXPECT_EQ(matmul(ia, ia).tolist<int64_t>(), (std::vector<int64_t>{7, 10, 15, 22}));
  EXPECT_EQ(
      matmul(tensor({1, 2}, {.dtype = kInt32}), tensor({1, 2}, {.dtype = kInt32})).item<int64_t>(),
      5);
}

TEST(Mm, ValuesAndGradientsMatchPyTorch) {
  Tensor a = golden()["mm_a"].requires_grad_(), b = golden()["mm_b"].requires_grad_();
  Tensor out = mm(a, b);
  EXPECT_TENSOR_CLOSE(out, golden()["mm_out"], 1e-12, 1e-12);
  (out * golden()["mm_w"]).sum().backward();
  EXPECT_TENSOR_CLOSE(a.grad(), golden()["mm_ga"], 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(b.grad(), golden()["mm_gb"], 1e-12, 1e-12);
  EXPECT_EQ(out.grad_fn()->name(), "MmBackward0");
  // A transposed (non-contiguous) left operand.
  Tensor at = golden()["mmt_at"];
  EXPECT_TENSOR_CLOSE(at.t().mm(golden()["mm_b"]), golden()["mmt_out"], 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(at.t().to(kFloat32).mm(golden()["mm_b"].to(kFloat32)).to(kFloat64),
                      golden()["mmt_out"], 1e-5, 1e-5);
}

TEST(Mm, StridedOperandsAndThreadsMatchPlainLoop) {
  // Sizes that are not multiples of any block, large enough to split across threads.
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (DType dt : {kFloat32, kFloat64}) {
      Tensor a = randn({150, 90}, {.dtype = dt});
      Tensor x = randn({90, 150}, {.dtype = dt}).t(),
             y = randn({130, 90}, {.dtype = dt}).t();                        // column-major
      Tensor sliced = slice(randn({90, 260}, {.dtype = dt}), 1, 0, 259, 2);  // (90, 130), stride 2
      const double tol = dt == kFloat32 ? 1e-4 : 1e-11;
      EXPECT_TENSOR_CLOSE(mm(x, y).to(kFloat64), naive_mm(x.contiguous(), y.contiguous()), tol,
                          tol);
      EXPECT_TENSOR_CLOSE(mm(a, sliced).to(kFloat64), naive_mm(a, sliced.contiguous()), tol, tol);
      EXPECT_TENSOR_CLOSE(mm(a, y).to(kFloat64), naive_mm(a, y.contiguous()), tol, tol);
      EXPECT_TENSOR_CLOSE(mm(sliced.t(), a.t()).to(kFloat64),
                          naive_mm(sliced.t().contiguous(), a.t().contiguous()), tol, tol);
      // Column-major left operand with a row count that leaves a partial panel, over several
      // depth blocks (how a weight gradient g^T @ h arrives).
      Tensor xd = randn({600, 151}, {.dtype = dt}).t(), b = randn({600, 70}, {.dtype = dt});
      EXPECT_TENSOR_CLOSE(mm(xd, b).to(kFloat64), naive_mm(xd.contiguous(), b), 10 * tol, 10 * tol);
    }
  }
  set_num_threads(2);
}

TEST(Mm, LargeFloat32ProductSplitOverThreads) {
  // Big enough for the threaded paths (src/cpu/sgemm_packed.cpp), B spanning depth blocks. 200
  // columns are shared out as pieces of C's rows; wider products give each thread its own columns
  // where a depth block of them (256 x columns) fits in half the L2: 300 at 2 threads on a 512 KB
  // L2, 530 (ragged parts) on 1.1 MB and more, 600 at 3 threads on 410 KB.
  const int saved = get_num_threads();
  for (int threads : {2, 3}) {
    set_num_threads(threads);
    for (int64_t n : {200, 300, 530, 600}) {
      SCOPED_TRACE(::testing::Message() << threads << " threads, " << n << " columns");
      Tensor a = randn({400, 600}), b = randn({600, n});
      Tensor out = mm(a, b).to(kFloat64), expected = naive_mm(a, b);
      EXPECT_TENSOR_CLOSE(out, expected, 1e-4, 1e-3);
    }
  }
  set_num_threads(saved);
}

TEST(Mm, DeepFloat32ProductsWithFewRowsSplitTheirDepthOverThreads) {
  // Few rows and a deep product: each thread takes a part of the depth into its own buffer, added
  // into C at the end (src/cpu/sgemm_packed.cpp, split_depth). addmm's beta applies once, alpha to
  // every part; a column-major B and a strided C; 2 and 3 parts.
  const int saved = get_num_threads();
  for (int threads : {2, 3}) {
    set_num_threads(threads);
    SCOPED_TRACE(threads);
    Tensor a = randn({50, 1700}), b = randn({70, 1700}).t(), c = randn({50, 90}).narrow(1, 5, 70);
    Tensor expected = naive_mm(a, b.contiguous()) * 0.5 + c.to(kFloat64) * 0.25;
    EXPECT_TENSOR_CLOSE(addmm(c, a, b, 0.25, 0.5).to(kFloat64), expected, 1e-4, 1e-3);
    EXPECT_TENSOR_CLOSE(mm(a, b).to(kFloat64), naive_mm(a, b.contiguous()), 1e-4, 1e-3);
  }
  set_num_threads(saved);
}

TEST(Mm, DeepFloat32ProductsAccumulateAcrossBlocks) {
  // K spans several packed depth blocks; addmm's beta applies once, on the first block only.
  Tensor a = randn({37, 900}), b = randn({900, 45}), c = randn({37, 45});
  Tensor expected = naive_mm(a, b) * 0.5 + c.to(kFloat64) * 0.25;
  EXPECT_TENSOR_CLOSE(addmm(c, a, b, 0.25, 0.5).to(kFloat64), expected, 1e-4, 1e-3);
}

TEST(Mm, EveryRowCountOfTheLastRegisterTile) {
  // The packed kernel runs a tile of fewer rows than its register tile (14 on AVX-512, 6 on AVX2)
  // through a kernel of just those rows (src/cpu/sgemm_packed.cpp): 28 to 42 rows end on a tile of
  // every row count for either. Two depth blocks, a partial column panel, beta applied once.
  for (int64_t m = 28; m <= 42; ++m) {
    SCOPED_TRACE(m);
    Tensor a = randn({m, 300}), b = randn({300, 45}), c = randn({m, 45});
    Tensor expected = naive_mm(a, b) * 0.5 + c.to(kFloat64) * 0.25;
    EXPECT_TENSOR_CLOSE(addmm(c, a, b, 0.25, 0.5).to(kFloat64), expected, 1e-4, 1e-3);
  }
}

TEST(Mm, IntegerProducts) {
  Tensor a = arange(1, 7, 1, {.dtype = kInt32}).reshape({2, 3});
  Tensor b = tensor({1, 0, 0, 1, 1, 1}, {.dtype = kInt32}).reshape({3, 2});
  Tensor out = mm(a, b);
  EXPECT_EQ(out.dtype(), kInt32);
  EXPECT_EQ(out.tolist<int32_t>(), (std::vector<int32_t>{4, 5, 10, 11}));
  Tensor u = tensor({200, 100}, {.dtype = kUInt8}).reshape({1, 2}),
         v = ones({2, 1}, {.dtype = kUInt8});
  EXPECT_EQ(mm(u, v).item<int64_t>(), 44);  // wraps modulo 256, as PyTorch
}

TEST(Bmm, ValuesStridesAndBroadcastBatch) {
  Tensor a = golden()["bmm_a"], b = golden()["bmm_b"];
  EXPECT_TENSOR_CLOSE(bmm(a, b), golden()["bmm_out"], 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(bmm(a.mT().contiguous().mT(), b.mT().contiguous().mT()), golden()["bmm_out"],
                      1e-12, 1e-12);
  // A stride-0 batch (expanded) operand and many small matrices spread over threads.
  Tensor w = randn({1, 3, 4}, {.dtype = kFloat64}).expand({64, 3, 4});
  Tensor x = randn({64, 5, 3}, {.dtype = kFloat64});
  Tensor out = bmm(x, w);
  for (int64_t i : {0, 31, 63})
    EXPECT_TENSOR_CLOSE(out[i], naive_mm(x[i], w[i].contiguous()), 1e-12, 1e-12);
  Tensor ag = a.clone().requires_grad_(), bg = b.clone().requires_grad_();
  EXPECT_EQ(bmm(ag, bg).grad_fn()->name(), "BmmBackward0");
  auto r = autograd::gradcheck([](const variable_list& in) { return bmm(in[0], in[1]); }, {ag, bg},
                               {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
}

TEST(Bmm, BackendBetaAlphaAndTransposedOutput) {
  Tensor a = randn({2, 3, 4}, {.dtype = kFloat64}), b = randn({2, 4, 5}, {.dtype = kFloat64});
  Tensor c0 = randn({2, 3, 5}, {.dtype = kFloat64});
  // out written through a transposed view: out[i] = 0.5 * c0[i] + 2 * a[i] @ b[i].
  Tensor store = c0.mT().contiguous();
  Tensor out = store.mT();
  backend_for(out).bmm(out, a, b, 0.5, 2.0);
  for (int64_t i = 0; i < 2; ++i)
    EXPECT_TENSOR_CLOSE(out[i], c0[i] * 0.5 + naive_mm(a[i], b[i]) * 2.0, 1e-12, 1e-12);
  // beta = 0 ignores the old contents, NaN included.
  Tensor nan_out = full({2, 3, 5}, std::numeric_limits<double>::quiet_NaN(), {.dtype = kFloat64});
  backend_for(nan_out).bmm(nan_out, a, b, 0.0, 1.0);
  EXPECT_TENSOR_CLOSE(nan_out, bmm(a, b), 1e-12, 1e-12);
  // K = 0: out = beta * out.
  Tensor e = randn({1, 2, 2}, {.dtype = kFloat64}), e0 = e.clone();
  backend_for(e).bmm(e, zeros({1, 2, 0}, {.dtype = kFloat64}),
                     zeros({1, 0, 2}, {.dtype = kFloat64}), 3.0, 1.0);
  EXPECT_TENSOR_CLOSE(e, e0 * 3.0, 1e-12, 1e-12);
}

TEST(Addmm, ValuesGradientsAndBetaZero) {
  Tensor in = golden()["addmm_in"], m1 = golden()["addmm_m1"], m2 = golden()["addmm_m2"];
  EXPECT_TENSOR_CLOSE(addmm(in, m1, m2, 0.5, 2.0), golden()["addmm_out"], 1e-12, 1e-12);
  Tensor nan_in = full({2, 4}, std::numeric_limits<double>::quiet_NaN(), {.dtype = kFloat64});
  EXPECT_TENSOR_CLOSE(addmm(nan_in, m1, m2, 0.0), mm(m1, m2), 1e-12, 1e-12);
  Tensor ig = in.clone().requires_grad_(), ag = m1.clone().requires_grad_(),
         bg = m2.clone().requires_grad_();
  EXPECT_EQ(addmm(ig, ag, bg).grad_fn()->name(), "AddmmBackward0");
  auto r =
      autograd::gradcheck([](const variable_list& x) { return addmm(x[0], x[1], x[2], 0.5, 2.0); },
                          {ig, ag, bg}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
}

TEST(DotMvOuter, ValuesAndGradients) {
  Tensor d1 = golden()["dot_a"], d2 = golden()["dot_b"];
  EXPECT_TENSOR_CLOSE(dot(d1, d2), golden()["dot_out"], 1e-12, 1e-12);
  Tensor every_other = slice(d1, 0, 0, std::nullopt, 2);  // stride 2
  EXPECT_TENSOR_CLOSE(every_other.dot(d2.narrow(0, 0, 3)), (every_other * d2.narrow(0, 0, 3)).sum(),
                      1e-12, 1e-12);
  Tensor x = golden()["mv_x"], v = golden()["mv_v"];
  EXPECT_TENSOR_CLOSE(mv(x, v), golden()["mv_out"], 1e-12, 1e-12);
  Tensor o1 = golden()["outer_a"], o2 = golden()["outer_b"];
  EXPECT_TENSOR_CLOSE(outer(o1, o2), golden()["outer_out"], 1e-12, 1e-12);
  Tensor og = o1.clone().requires_grad_();
  EXPECT_EQ(og.outer(o2).grad_fn()->name(), "MulBackward0");
  auto two = [](Tensor (*f)(const Tensor&, const Tensor&)) {
    return [f](const variable_list& in) { return f(in[0], in[1]); };
  };
  for (auto& [fn, a, b] :
       std::vector<std::tuple<Tensor (*)(const Tensor&, const Tensor&), Tensor, Tensor>>{
           {&dot, d1, d2}, {&mv, x, v}, {&outer, o1, o2}}) {
    auto r = autograd::gradcheck(two(fn), {a.clone().requires_grad_(), b.clone().requires_grad_()},
                                 {.check_grad_grad = true});
    EXPECT_TRUE(r) << r.message;
  }
}

TEST(Linalg, ErrorsMatchPyTorch) {
  Tensor f23 = zeros({2, 3}), f45 = zeros({4, 5}), f3 = zeros({3}), f4 = zeros({4});
  expect_error([&] { mm(f23, f45); }, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  expect_error([&] { matmul(f23, f45); },
               "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  expect_error([&] { matmul(f3, f45); }, "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)");
  expect_error(
      [&] {
        matmul(zeros({2, 2, 3}), f45);
      },
      "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x5)");
  expect_error(
      [&] {
        mm(f23, zeros({3, 4}, {.dtype = kFloat64}));
      },
      "expected scalar type Float but found Double");
  expect_error(
      [&] {
        matmul(zeros({2, 2, 3}, {.dtype = kFloat64}), zeros({2, 3, 4}));
      },
      "expected scalar type Double but found Float");
  expect_error([&] { mm(zeros({2, 3, 4}), f45); }, "self must be a matrix");
  expect_error([&] { mm(f23, f3); }, "mat2 must be a matrix");
  expect_error(
      [&] {
        mm(zeros({2, 2}, {.dtype = kBool}), zeros({2, 2}, {.dtype = kBool}));
      },
      "\"addmm_impl_cpu_\" not implemented for 'Bool'");
  expect_error([&] { matmul(tensor(1.0), f3); },
               "both arguments to matmul need to be at least 1D, but they are 0D and 1D");
  expect_error([&] { matmul(f3, f4); },
               "inconsistent tensor size, expected tensor [3] and src [4]");
  expect_error([&] { dot(f3, zeros({3}, {.dtype = kFloat64})); },
               "dot : expected both vectors to have same dtype, but found Float and Double");
  expect_error([&] { dot(zeros({3, 1}), f3); }, "1D tensors expected, but got 2D and 1D tensors");
  expect_error([&] { matmul(f23, f4); }, "size mismatch, got 2, 2x3,4");
  expect_error(
      [&] {
        bmm(zeros({2, 2, 3}), zeros({3, 3, 4}));
      },
      "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].");
  expect_error([&] { bmm(f23, zeros({2, 3, 4})); }, "batch1 must be a 3D tensor");
  expect_error(
      [&] {
        matmul(zeros({2, 2, 3}), zeros({3, 3, 4}));
      },
      "must match the size of tensor b (3) at non-singleton dimension 0");
  expect_error(
      [&] {
        addmm(zeros({3, 5}), f23, zeros({3, 4}));
      },
      "The expanded size of the tensor");
  expect_error(
      [&] {
        addmm(zeros({2, 4}), zeros({2, 2, 3}), zeros({3, 4}));
      },
      "mat1 must be a matrix, got 3-D tensor");
  expect_error(
      [&] {
        addmm(zeros({2, 4}), f23, zeros({3, 4}, {.dtype = kFloat64}));
      },
      "mat1 and mat2 must have the same dtype");
  expect_error(
      [&] {
        addmm(zeros({2, 4}, {.dtype = kFloat64}), f23, zeros({3, 4}));
      },
      "self and mat2 must have the same dtype");
  expect_error([&] { outer(zeros({3, 1}), f3); }, "outer: Expected 1-D argument self, but got 2-D");
}

}  // namespace
}  // namespace wick

namespace wick {
namespace {

// A Linear layer multiplies by weight.t(): its gradient is computed transposed, so that it arrives
// contiguous (as PyTorch's) and AccumulateGrad keeps it rather than copying through a transpose.
TEST(LinalgGradLayout, GradientOfATransposedOperandIsContiguous) {
  Tensor w = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}).requires_grad_(true);  // (out 2, in 3)
  Tensor x = tensor({{1.0, 0.5, -1.0}, {2.0, -1.0, 0.0}, {0.0, 1.0, 1.0}, {1.0, 1.0, 1.0}});  // (4, 3)
  Tensor b = tensor({0.5, -0.5}).requires_grad_(true);
  Tensor g = tensor({{1.0, 2.0}, {0.0, 1.0}, {-1.0, 1.0}, {2.0, 0.0}});  // (4, 2)
  (addmm(b, x, w.t()) * g).sum().backward();
  ASSERT_TRUE(w.grad().is_contiguous());
  // dW = g^T x
  EXPECT_EQ(w.grad().tolist<double>(), (std::vector<double>{3.0, 1.5, 0.0, 4.0, 1.0, -1.0}));
  Tensor w2 = w.detach().clone().requires_grad_(true);
  (mm(x, w2.t()) * g).sum().backward();
  ASSERT_TRUE(w2.grad().is_contiguous());
  EXPECT_EQ(w2.grad().tolist<double>(), w.grad().tolist<double>());
  // The other operand a transposed view too.
  Tensor xt = x.t().contiguous().requires_grad_(true);  // (3, 4); x = xt.t()
  (mm(xt.t(), w.detach().t()) * g).sum().backward();
  ASSERT_TRUE(xt.grad().is_contiguous());
  EXPECT_EQ(xt.grad().t().contiguous().tolist<double>(), mm(g, w.detach()).tolist<double>());
}

}  // namespace
}  // namespace wick

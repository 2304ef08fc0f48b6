// gather, scatter, scatter_add, index_select, index_add (out of place and in place): values
// against PyTorch goldens incl. non-contiguous inputs, gradchecks, and index/dtype errors.
#include <gtest/gtest.h>

#include "ops/index_test_util.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;
using testing::error_of;
using testing::li;

TEST(GatherScatter, Values) {
  testing::Golden g("indexing");
  Tensor x = g["x"], x3 = g["x3"], src = g["src"];
  Tensor gi = tensor({{0, 3}, {2, 2}, {1, 0}});
  EXPECT_TENSOR_CLOSE(x.gather(1, gi), g["gather"]);
  EXPECT_TENSOR_CLOSE(gather(x, -1, gi), g["gather"]);
  EXPECT_TENSOR_CLOSE(x.t().gather(0, tensor({{2, 0, 1}, {1, 1, 0}})), g["gather_t"]);
  Tensor z = zeros({3, 5}, {.dtype = kFloat64});
  EXPECT_TENSOR_CLOSE(z.scatter(1, tensor({{4, 0}, {1, 2}, {3, 2}}), src), g["scatter"]);
  EXPECT_TENSOR_CLOSE(x.scatter(1, gi, 9.5), g["scatter_val"]);
  Tensor si = tensor({{4, 0}, {1, 1}, {3, 2}});
  EXPECT_TENSOR_CLOSE(ones({3, 5}, {.dtype = kFloat64}).scatter_add(1, si, src), g["scatter_add"]);
  Tensor o = ones({3, 5}, {.dtype = kFloat64});
  o.scatter_add_(1, si, src);
  EXPECT_TENSOR_CLOSE(o, g["scatter_add"]);
  Tensor zz = zeros({3, 5}, {.dtype = kFloat64});
  zz.scatter_(1, tensor({{4, 0}, {1, 2}, {3, 2}}), src);
  EXPECT_TENSOR_CLOSE(zz, g["scatter"]);
  EXPECT_TENSOR_CLOSE(x.index_select(0, li({2, 0, 2})), g["index_select"]);
  EXPECT_TENSOR_CLOSE(x.index_select(0, tensor({2, 0, 2}, {.dtype = kInt32})), g["index_select"]);
  EXPECT_TENSOR_CLOSE(x.t().index_select(1, li({1, 2})), g["index_select_t"]);
  EXPECT_TENSOR_CLOSE(x.index_add(0, li({0, 2, 0}), x3.select(0, 0), 2), g["index_add"]);
  Tensor xa = x.clone();
  xa.index_add_(0, li({0, 2, 0}), x3.select(0, 0), 2);
  EXPECT_TENSOR_CLOSE(xa, g["index_add"]);
  // Integer tensors and scatter into a transposed (non-contiguous) target.
  Tensor xi = zeros({2, 3}, {.dtype = kInt64});
  EXPECT_EQ(xi.t().scatter_add(0, tensor({{0, 0}, {2, 2}}), tensor({{1, 2}, {3, 4}})).tolist<int64_t>(),
            (std::vector<int64_t>{1, 2, 0, 0, 3, 4}));
}

TEST(GatherScatter, InPlaceBumpsVersionAndRecords) {
  Tensor base = randn({3, 4}, {.dtype = kFloat64, .requires_grad = true});
  Tensor y = base * 1.0;
  const uint32_t v = y._version();
  Tensor src = randn({3, 1}, {.dtype = kFloat64, .requires_grad = true});
  y.scatter_(1, tensor({0, 1, 2}).view({3, 1}), src);
  EXPECT_GT(y._version(), v);
  EXPECT_EQ(y.grad_fn()->name(), "ScatterBackward0");
  y.sum().backward();
  EXPECT_EQ(src.grad().tolist<double>(), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(base.grad().tolist<double>(), (std::vector<double>{0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1}));
  Tensor leaf = randn({3}, {.requires_grad = true});
  EXPECT_THROW(leaf.index_add_(0, li({0}), ones({1})), Error);
}

TEST(GatherScatter, Gradchecks) {
  auto opts = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  Tensor x = randn({3, 4}, opts), s = randn({3, 2}, opts), big = randn({4, 3}, opts);
  Tensor gi = tensor({{0, 3}, {2, 2}, {1, 0}});
  auto check = [](const std::function<Tensor(const variable_list&)>& f, const variable_list& in) {
    auto r = autograd::gradcheck(f, in, {.check_grad_grad = true});
    EXPECT_TRUE(r) << r.message;
  };
  check([&](const variable_list& in) { return in[0].gather(1, gi); }, {x});
  check([&](const variable_list& in) { return in[0].t().gather(0, gi.t()); }, {x});
  // Distinct targets per row: with duplicates the surviving write (and so the gradient) is unspecified.
  Tensor distinct = tensor({{0, 3}, {2, 1}, {1, 0}});
  check([&](const variable_list& in) { return in[0].scatter(1, distinct, in[1]); }, {x, s});
  // src larger than index: the part index does not reach gets no gradient.
  check([&](const variable_list& in) { return in[0].scatter(1, tensor({0, 2, 1}).view({3, 1}), in[1]); }, {x, big});
  check([&](const variable_list& in) { return in[0].scatter(1, gi, 2.5); }, {x});
  check([&](const variable_list& in) { return in[0].scatter_add(1, gi, in[1]); }, {x, s});
  check([&](const variable_list& in) { return in[0].index_select(0, li({2, 0, 2})); }, {x});
  check([&](const variable_list& in) { return in[0].index_select(1, li({3, 1})); }, {x});
  check([&](const variable_list& in) { return in[0].index_add(1, li({1, 1}), in[1], 1.5); }, {x, s});
  EXPECT_EQ(x.gather(1, gi).grad_fn()->name(), "GatherBackward0");
  EXPECT_EQ(x.scatter(1, gi, s).grad_fn()->name(), "ScatterBackward0");
  EXPECT_EQ(x.scatter(1, gi, 1.0).grad_fn()->name(), "ScatterBackward1");
  EXPECT_EQ(x.scatter_add(1, gi, s).grad_fn()->name(), "ScatterAddBackward0");
  EXPECT_EQ(x.index_select(0, li({0})).grad_fn()->name(), "IndexSelectBackward0");
  EXPECT_EQ(x.index_add(1, li({1, 1}), s).grad_fn()->name(), "IndexAddBackward0");
}

TEST(GatherScatter, Errors) {
  Tensor x = randn({3, 4});
  EXPECT_EQ(error_of([&] { x.gather(0, tensor({5}).view({1, 1})); }), "index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of([&] { x.gather(0, tensor({-1}).view({1, 1})); }), "index -1 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of([&] { x.gather(0, tensor({1}, {.dtype = kInt32}).view({1, 1})); }), "gather(): Expected dtype int64 for index");
  EXPECT_EQ(error_of([&] { x.gather(0, tensor({1, 1, 1, 1, 1}).view({1, 5})); }),
            "Size does not match at dimension 1 expected index [1, 5] to be smaller than self [3, 4] apart from dimension 0");
  EXPECT_EQ(error_of([&] { x.scatter(0, tensor({5}).view({1, 1}), 1.0); }), "index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of([&] { x.scatter(0, tensor({0}).view({1, 1}), ones({1, 1}, {.dtype = kFloat64})); }),
            "scatter(): Expected self.dtype to be equal to src.dtype");
  EXPECT_EQ(error_of([&] { x.index_select(0, li({3})); }), "index 3 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of([&] { x.index_select(0, tensor({1.0})); }), "index_select(): Expected dtype int32 or int64 for index");
  EXPECT_EQ(error_of([&] { x.index_add(0, li({5}), ones({1, 4})); }), "index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of([&] { x.index_add(0, li({0, 1}), ones({1, 4})); }),
            "index_add_(): Number of indices (2) should be equal to source.size(dim) (1)");
  // Nothing was written by the failing in-place call.
  Tensor y = zeros({3});
  EXPECT_THROW(y.scatter_add_(0, li({0, 7}), ones({2})), Error);
  EXPECT_EQ(y.tolist<float>(), (std::vector<float>{0, 0, 0}));
}

}  // namespace
}  // namespace wick

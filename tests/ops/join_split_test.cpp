// cat, stack, split, chunk, unbind and unfold: values against PyTorch goldens, promotion and the
// legacy empty-tensor rule of cat, gradchecks, and shape errors.
#include <gtest/gtest.h>

#include "ops/index_test_util.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;
using testing::error_of;

TEST(JoinSplit, CatStackValues) {
  testing::Golden g("indexing");
  Tensor a = g["a"], b = g["b"], x = g["x"];
  EXPECT_TENSOR_CLOSE(cat({a, b}), g["cat0"]);
  // A non-contiguous input.
  EXPECT_TENSOR_CLOSE(cat({a, x.narrow(0, 0, 2).t().narrow(0, 0, 3).t()}, -1), g["cat1_t"]);
  Tensor ci = cat({tensor({{1, 2, 3}}), a});
  EXPECT_EQ(ci.dtype(), kFloat64);
  EXPECT_TENSOR_CLOSE(ci, g["cat_int"]);
  // Legacy: 1-D empty tensors are skipped whatever the others' shapes.
  Tensor ce = cat({a, empty({0}, {.dtype = kFloat32})});
  EXPECT_EQ(ce.sizes(), a.sizes());
  EXPECT_TENSOR_CLOSE(ce, a);
  EXPECT_EQ(cat({a, b}).grad_fn(), nullptr);
  EXPECT_TENSOR_CLOSE(stack({a, b.expand({2, 3})}, 1), g["stack1"]);
  EXPECT_EQ(stack({a, a}, -1).sizes(), IntArrayRef({2, 3, 2}));
}

TEST(JoinSplit, SplitChunkUnbindValues) {
  testing::Golden g("indexing");
  Tensor x = g["x"];
  auto s = x.split(3, 1);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TENSOR_CLOSE(s[1], g["split2_1"]);
  auto ss = x.split(IntArrayRef{1, 2}, 0);
  ASSERT_EQ(ss.size(), 2u);
  EXPECT_TENSOR_CLOSE(ss[1], g["splits_0"]);
  auto ch = x.chunk(3, 1);
  ASSERT_EQ(ch.size(), 2u);
  EXPECT_TENSOR_CLOSE(ch[1], g["chunk3"]);
  auto ub = x.unbind(1);
  ASSERT_EQ(ub.size(), 4u);
  EXPECT_TENSOR_CLOSE(ub[2], x.select(1, 2));
  EXPECT_EQ(s[0].data_ptr(), x.data_ptr());  // views
}

TEST(JoinSplit, UnfoldValuesAndOverlappingGradient) {
  testing::Golden g("indexing");
  Tensor x = g["x"];
  EXPECT_TENSOR_CLOSE(x.unfold(1, 3, 1), g["unfold"]);
  EXPECT_TENSOR_CLOSE(x.t().unfold(0, 2, 2), g["unfold_t"]);
  Tensor xg = x.clone().detach().requires_grad_();
  (xg.unfold(1, 3, 1) * g["unfold_w"]).sum().backward();
  EXPECT_TENSOR_CLOSE(xg.grad(), g["unfold_grad"]);
  EXPECT_EQ(xg.unfold(1, 3, 1).grad_fn()->name(), "UnfoldBackward0");
}

TEST(JoinSplit, GradNodeNames) {
  Tensor a = randn({2, 4}, {.requires_grad = true});
  EXPECT_EQ(cat({a, a}).grad_fn()->name(), "CatBackward0");
  EXPECT_EQ(stack({a, a}).grad_fn()->name(), "StackBackward0");
  EXPECT_EQ(a.split(2, 1)[0].grad_fn()->name(), "SplitBackward0");
  EXPECT_EQ(a.split(IntArrayRef{1, 3}, 1)[1].grad_fn()->name(), "SplitWithSizesBackward0");
  EXPECT_EQ(a.chunk(2)[0].grad_fn()->name(), "SplitBackward0");
  EXPECT_EQ(a.unbind()[0].grad_fn()->name(), "UnbindBackward0");
}

TEST(JoinSplit, Gradchecks) {
  auto opts = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  Tensor a = randn({2, 3}, opts), b = randn({2, 2}, opts), c = randn({3, 4}, opts);
  auto r = autograd::gradcheck([](const variable_list& in) { return cat({in[0], in[1]}, 1); }, {a, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  r = autograd::gradcheck([](const variable_list& in) { return stack({in[0], in[1] * 2.0}, 2); }, {a, a.detach().clone().requires_grad_()},
                          {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  // Only some outputs used: the node fills the others with zeros.
  r = autograd::gradcheck([](const variable_list& in) { return in[0].split(3, 1)[1] * 3.0; }, {c}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  r = autograd::gradcheck([](const variable_list& in) { auto p = in[0].split(IntArrayRef{1, 2}, 0); return variable_list{p[0], p[1]}; },
                          {c}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  r = autograd::gradcheck([](const variable_list& in) { auto p = in[0].chunk(2, 1); return p[0] * p[1]; }, {c}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  r = autograd::gradcheck([](const variable_list& in) { auto p = in[0].unbind(0); return p[0] + p[2]; }, {c}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  r = autograd::gradcheck([](const variable_list& in) { return in[0].unfold(1, 2, 1) * 1.5; }, {c}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  r = autograd::gradcheck([](const variable_list& in) { return in[0].t().unfold(0, 3, 2); }, {c}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
}

TEST(JoinSplit, Errors) {
  Tensor x = randn({3, 4});
  EXPECT_EQ(error_of([&] { cat({x, randn({3, 5})}); }),
            "Sizes of tensors must match except in dimension 0. Expected size 4 but got size 5 for tensor number 1 in the list.");
  EXPECT_EQ(error_of([&] { cat({x, randn({3})}); }), "Tensors must have same number of dimensions: got 2 and 1");
  EXPECT_EQ(error_of([&] { cat({}); }), "torch.cat(): expected a non-empty list of Tensors");
  EXPECT_EQ(error_of([&] { cat({x, scalar_tensor(1.0)}); }), "zero-dimensional tensor (at position 1) cannot be concatenated");
  EXPECT_THROW(cat({x, x}, 2), Error);
  EXPECT_EQ(error_of([&] { stack({x, randn({3, 5})}); }),
            "stack expects each tensor to be equal size, but got [3, 4] at entry 0 and [3, 5] at entry 1");
  EXPECT_NE(error_of([&] { x.split(IntArrayRef{1, 1}); }).find("split_with_sizes expects split_sizes to sum exactly to 3"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { x.chunk(0); }), "chunk expects `chunks` to be greater than 0, got: 0");
  EXPECT_EQ(error_of([&] { x.unfold(1, 5, 1); }), "maximum size for tensor at dimension 1 is 4 but size is 5");
  EXPECT_EQ(error_of([&] { x.unfold(1, 2, 0); }), "step is 0 but must be > 0");
}

}  // namespace
}  // namespace wick

// Tensor::index / index_put_ in Python's x[...] forms and the tensor-list index/index_put:
// values against PyTorch goldens, where advanced-index dims go, gradients and errors.
#include <gtest/gtest.h>

#include "ops/index_test_util.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;
using testing::error_of;
using testing::li;

TEST(PythonIndex, BasicAndAdvancedForms) {
  testing::Golden g("indexing");
  Tensor x = g["x"], x3 = g["x3"];
  EXPECT_TENSOR_CLOSE(x.index({Slice(1, 3), 0}), g["i_slice_int"]);
  EXPECT_TENSOR_CLOSE(x3.index({-1, Slice(std::nullopt, std::nullopt, 2)}), g["i_step_neg"]);
  EXPECT_TENSOR_CLOSE(x3.index({Ellipsis, None}), g["i_none"]);
  EXPECT_EQ(x3.index({Ellipsis, None}).data_ptr(), x3.data_ptr());  // basic forms are views
  EXPECT_TENSOR_CLOSE(x3.index({li({1, 0, 1})}), g["i_idx"]);
  EXPECT_TENSOR_CLOSE(x3.index({li({-1, 0})}), g["i_idx_neg"]);
  EXPECT_TENSOR_CLOSE(x3.index({g["mask3"]}), g["i_mask"]);
  EXPECT_TENSOR_CLOSE(x3.index({g["mask2"]}), g["i_mask2"]);
  EXPECT_TENSOR_CLOSE(x3.index({Slice(), li({0, 2})}), g["i_cols"]);
  // Separated by a slice: the broadcast index dims go first.
  EXPECT_TENSOR_CLOSE(x3.index({li({0, 1}), Slice(), li({1, 3})}), g["i_sep"]);
  // Adjacent: they stay where they were.
  EXPECT_TENSOR_CLOSE(x3.index({Slice(), li({0, 2}), li({1, 3})}), g["i_adj"]);
  EXPECT_TENSOR_CLOSE(x3.index({Slice(), li({0, 2}), 1}), g["i_int_adv"]);
  EXPECT_TENSOR_CLOSE(x.index({tensor({{0, 2}, {1, 1}})}), g["i_2d"]);
  EXPECT_TENSOR_CLOSE(x3.transpose(0, 2).index({li({1, 2}), 0}), g["i_nc"]);
  EXPECT_TENSOR_CLOSE(x3.index({Ellipsis, li({3, 0})}), g["i_ell_idx"]);
  EXPECT_EQ(x3.index({true}).sizes(), IntArrayRef({1, 2, 3, 4}));
  EXPECT_EQ(x3.index({false}).sizes(), IntArrayRef({0, 2, 3, 4}));
  EXPECT_EQ(x3.index({None, 0, Ellipsis, scalar_tensor(1, {.dtype = kInt64})}).sizes(), IntArrayRef({1, 3}));
  // A 2-dim mask followed by a slice: the slice applies to the dim after the mask.
  Tensor m = g["mask2"];
  EXPECT_TENSOR_CLOSE(x3.index({m, Slice(1, 3)}), index(x3, {m}).narrow(1, 1, 2));
}

TEST(PythonIndex, IndexGradients) {
  testing::Golden g("indexing");
  Tensor x3 = g["x3"].clone().requires_grad_();
  Tensor y = x3.index({li({1, 0, 1, 1})});
  EXPECT_EQ(y.grad_fn()->name(), "IndexBackward0");
  (y * g["i_w"]).sum().backward();
  EXPECT_TENSOR_CLOSE(x3.grad(), g["i_dup_grad"]);
  auto opts = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  Tensor a = randn({3, 4, 2}, opts);
  auto r = autograd::gradcheck([](const variable_list& in) { return in[0].index({li({0, 2, 0}), Slice(), li({1, 0, 1})}); }, {a},
                               {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor mask = tensor({true, false, true}).unsqueeze(1).expand({3, 4}).contiguous();
  r = autograd::gradcheck([&](const variable_list& in) { return in[0].index({mask}); }, {a}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor v = randn({3, 2}, opts);
  r = autograd::gradcheck(
      [](const variable_list& in) { return index_put(in[0], {li({0, 2, 0}), li({1, 1, 3})}, in[1], true); }, {a, v},
      {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor v2 = randn({2}, opts);
  r = autograd::gradcheck(
      [](const variable_list& in) { return index_put(in[0], {Tensor(), li({1, 3})}, in[1], false); }, {a, v2},
      {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  EXPECT_EQ(index_put(a, {li({0})}, v2).grad_fn()->name(), "IndexPutBackward0");
}

TEST(PythonIndex, IndexPutValues) {
  testing::Golden g("indexing");
  Tensor x3 = g["x3"];
  Tensor vals = tensor({10.0, 20.0, 30.0}, {.dtype = kFloat64});
  EXPECT_TENSOR_CLOSE(index_put(x3, {li({0, 1, 0}), li({2, 0, 1}), li({1, 2, 3})}, vals), g["put"]);
  EXPECT_TENSOR_CLOSE(index_put(x3, {li({0, 1, 0}), li({0, 0, 0}), li({1, -1, 1})}, vals, true), g["put_acc"]);
  EXPECT_TENSOR_CLOSE(index_put(x3, {li({1})}, tensor({1.0, 2.0, 3.0, 4.0}, {.dtype = kFloat64})), g["put_bcast"]);
  Tensor y = x3.clone();
  y.index_put_({Slice(), li({0, 2}), 1}, tensor({{7.0, 8.0}}, {.dtype = kFloat64}));
  EXPECT_TENSOR_CLOSE(y, g["put_py"]);
  y = x3.clone();
  y.index_put_({g["mask_half"]}, 0.0);
  EXPECT_TENSOR_CLOSE(y, g["put_mask"]);
  y = x3.clone();
  const uint32_t v0 = y._version();
  y.index_put_({1, Slice(1, 3)}, -1.0);
  EXPECT_TENSOR_CLOSE(y, g["put_slice"]);
  EXPECT_GT(y._version(), v0);
  // In place with accumulate, recorded on a non-leaf.
  Tensor leaf = zeros({4}, {.dtype = kFloat64, .requires_grad = true});
  Tensor w = leaf * 1.0;
  Tensor src = tensor({1.0, 2.0, 3.0}, {.dtype = kFloat64, .requires_grad = true});
  w.index_put_({li({1, 1, 3})}, src, true);
  EXPECT_EQ(w.tolist<double>(), (std::vector<double>{0, 3, 0, 3}));
  (w * tensor({1.0, 2.0, 3.0, 4.0}, {.dtype = kFloat64})).sum().backward();
  EXPECT_EQ(src.grad().tolist<double>(), (std::vector<double>{2, 2, 4}));
  EXPECT_EQ(leaf.grad().tolist<double>(), (std::vector<double>{1, 2, 3, 4}));
}

TEST(PythonIndex, Errors) {
  Tensor x = randn({3, 4});
  EXPECT_EQ(error_of([&] { x.index({li({5})}); }), "index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of([&] { x.index({Slice(), li({-5})}); }), "index -5 is out of bounds for dimension 1 with size 4");
  EXPECT_EQ(error_of([&] { x.index({5}); }), "index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(error_of([&] { x.index({tensor({1.0})}); }), "tensors used as indices must be long, byte or bool tensors");
  EXPECT_EQ(error_of([&] { x.index({tensor({1}, {.dtype = kInt32})}); }),
            "tensors used as indices must be long, byte or bool tensors");
  EXPECT_EQ(error_of([&] { x.index({tensor({true, false})}); }),
            "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0");
  EXPECT_EQ(error_of([&] { x.index({0, 0, 0}); }), "too many indices for tensor of dimension 2");
  EXPECT_EQ(error_of([&] { x.index({Ellipsis, Ellipsis}); }), "an index can only have a single ellipsis ('...')");
  EXPECT_NE(error_of([&] { x.index({li({0, 1}), li({0, 1, 2})}); }).find("shape mismatch: indexing tensors could not be broadcast"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { index_put(x, {li({1})}, ones({2, 4})); }),
            "shape mismatch: value tensor of shape [2, 4] cannot be broadcast to indexing result of shape [1, 4]");
  EXPECT_NE(error_of([&] { index_put(x, {li({1})}, ones({4}, {.dtype = kFloat64})); }).find("dtypes match"), std::string::npos);
  EXPECT_EQ(error_of([&] { x.clone().index_put_({li({3})}, 1.0); }), "index 3 is out of bounds for dimension 0 with size 3");
}

}  // namespace
}  // namespace wick

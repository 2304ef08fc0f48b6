// sort (stable, NaN last/first), argsort, topk, nonzero and one_hot: values against PyTorch
// goldens, gradchecks of the values, and errors.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;

TEST(Sort, SortArgsortTopkValues) {
  testing::Golden g("indexing");
  Tensor s = g["s"], x = g["x"];
  auto [v, i] = s.sort();
  EXPECT_TENSOR_CLOSE(v, g["sort_v"]);
  EXPECT_TENSOR_CLOSE(i, g["sort_i"]);
  auto [vd, id] = sort(s, -1, true);
  EXPECT_TENSOR_CLOSE(vd, g["sortd_v"]);
  EXPECT_TENSOR_CLOSE(id, g["sortd_i"]);
  auto [v0, i0] = x.sort(0);
  EXPECT_TENSOR_CLOSE(v0, g["sort0_v"]);
  EXPECT_TENSOR_CLOSE(i0, g["sort0_i"]);
  EXPECT_TENSOR_CLOSE(argsort(x, 1, true), g["argsort"]);
  auto [tv, ti] = x.topk(2, 1);
  EXPECT_TENSOR_CLOSE(tv, g["topk_v"]);
  EXPECT_TENSOR_CLOSE(ti, g["topk_i"]);
  auto [sv, si] = x.t().topk(2, 1, /*largest=*/false);
  EXPECT_TENSOR_CLOSE(sv, g["topks_v"]);
  EXPECT_TENSOR_CLOSE(si, g["topks_i"]);
  EXPECT_EQ(ti.dtype(), kInt64);
}

TEST(Sort, NanOrderAndIntegers) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = tensor(std::vector<float>{1, nan, 0, 2});
  auto [v, i] = x.sort();
  EXPECT_EQ(i.tolist<int64_t>(), (std::vector<int64_t>{2, 0, 3, 1}));
  EXPECT_TRUE(std::isnan(v.tolist<float>()[3]));
  auto [vd, id] = x.sort(0, true);
  EXPECT_EQ(id.tolist<int64_t>(), (std::vector<int64_t>{1, 3, 0, 2}));
  auto [top_v, top_i] = tensor({5, -2, 9, 0}).topk(3);
  EXPECT_EQ(top_v.tolist<int64_t>(), (std::vector<int64_t>{9, 5, 0}));
  EXPECT_EQ(top_i.tolist<int64_t>(), (std::vector<int64_t>{2, 0, 3}));
}

TEST(Sort, Gradchecks) {
  Tensor x = randn({3, 5}, {.dtype = kFloat64, .requires_grad = true});
  auto r = autograd::gradcheck([](const variable_list& in) { return std::get<0>(in[0].sort(1)); }, {x}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  r = autograd::gradcheck([](const variable_list& in) { return std::get<0>(in[0].t().topk(2, 1, false)); }, {x},
                          {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  EXPECT_EQ(std::get<0>(x.sort()).grad_fn()->name(), "SortBackward0");
  EXPECT_EQ(std::get<0>(x.topk(1)).grad_fn()->name(), "TopkBackward0");
  EXPECT_THROW(x.topk(6), Error);
}

TEST(Sort, NonzeroAndOneHot) {
  testing::Golden g("indexing");
  EXPECT_TENSOR_CLOSE(g["nz_in"].nonzero(), g["nonzero"]);
  EXPECT_TENSOR_CLOSE(g["nz_in"].t().nonzero(), g["nz_in"].t().contiguous().nonzero());
  EXPECT_EQ(zeros({2, 3}).nonzero().sizes(), IntArrayRef({0, 2}));
  EXPECT_TENSOR_CLOSE(one_hot(tensor({{0, 2}, {1, 0}})), g["one_hot"]);
  Tensor oh = one_hot(tensor({4, 1}), 5);
  EXPECT_EQ(oh.dtype(), kInt64);
  EXPECT_TENSOR_CLOSE(oh, g["one_hot5"]);
  EXPECT_THROW(one_hot(tensor({1, 5}), 3), Error);
  // torch.nn.functional.one_hot is the same function.
  EXPECT_TRUE(equal(nn::functional::one_hot(tensor({4, 1}), 5), oh));
  EXPECT_THROW(one_hot(tensor({-1}), 3), Error);
  EXPECT_THROW(one_hot(tensor({1.0}), 3), Error);
}

}  // namespace
}  // namespace wick

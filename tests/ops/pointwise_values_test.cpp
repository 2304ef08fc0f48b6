// Values of the elementwise ops against PyTorch goldens (tools/goldens/pointwise.py): float32
// inputs with broadcasting, special values (0, -0, +-inf, nan) and integer inputs.
#include <gtest/gtest.h>

#include <functional>

#include "ops/unary_op_table.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

class PointwiseValues : public ::testing::Test {
 protected:
  static const testing::Golden& g() {
    static testing::Golden golden("pointwise");
    return golden;
  }
  // Inputs were float32 in PyTorch; the float64 golden holds them exactly.
  static Tensor f(const std::string& key) { return g()[key].to(kFloat32); }
  static Tensor ints() { return g()["ints"]; }
  static Tensor flip(const Tensor& t) {
    std::vector<float> v = t.tolist<float>();
    return tensor(std::vector<float>(v.rbegin(), v.rend()));
  }
  static void expect(const Tensor& actual, const std::string& key, double rtol = 1e-6,
                     double atol = 1e-7) {
    SCOPED_TRACE(key);
    EXPECT_TENSOR_CLOSE(actual, g()[key], rtol, atol);
  }
};

TEST_F(PointwiseValues, UnaryOps) {
  for (const auto& [name, fn, positive_only] : testing::unary_op_table()) {
    expect(fn(f("a")), name + "_a");
    expect(fn(f("sp")), name + "_sp");
    expect(fn(ints()), name + "_ints");
    EXPECT_EQ(fn(ints()).dtype(), g()[name + "_ints"].dtype() == kInt64 ? kInt64 : kFloat32)
        << name;
    if (positive_only) expect(fn(f("pos")), name + "_pos");
  }
  // The methods reach the same functions.
  Tensor x = f("pos");
  const std::vector<std::pair<Tensor, Tensor>> same = {
      {x.abs(), abs(x)},       {x.sign(), sign(x)},   {x.exp(), exp(x)},
      {x.log(), log(x)},       {x.log1p(), log1p(x)}, {x.expm1(), expm1(x)},
      {x.sqrt(), sqrt(x)},     {x.rsqrt(), rsqrt(x)}, {x.sin(), sin(x)},
      {x.cos(), cos(x)},       {x.tanh(), tanh(x)},   {x.sigmoid(), sigmoid(x)},
      {x.relu(), relu(x)},     {x.erf(), erf(x)},     {x.reciprocal(), reciprocal(x)},
      {x.square(), square(x)},
  };
  for (const auto& [method, fn] : same) EXPECT_TRUE(equal(method, fn));
}

TEST_F(PointwiseValues, Pow) {
  expect(pow(f("pos"), f("b")), "pow_tt");
  expect(pow(f("a"), 2), "pow_t2");
  expect(f("a").pow(3), "pow_t3");
  expect(pow(f("pos"), 0.5), "pow_thalf");
  expect(pow(f("pos"), -1.5), "pow_tneg");
  expect(pow(2.0, f("a")), "pow_st");
  expect(pow(f("sp"), 2.5), "pow_sp");
  Tensor i2 = pow(ints(), 2);
  EXPECT_EQ(i2.dtype(), kInt64);
  expect(i2, "pow_ints2");
  Tensor ii = pow(tensor({2, -1, 1, 0, 3, -2}),
                  tensor({3, -3, -5, 0, -1, 2}));  // negative exponents truncate
  EXPECT_EQ(ii.dtype(), kInt64);
  expect(ii, "pow_ints_ints");
  expect(pow(2, tensor({0, 1, 5})), "pow_2_ints");
  Tensor ih = pow(ints(), 2.5);
  EXPECT_EQ(ih.dtype(), kFloat32);
  expect(ih, "pow_ints_half");
  expect(f("pos").pow(f("b")), "pow_tt");
}

TEST_F(PointwiseValues, MinimumMaximum) {
  expect(minimum(f("a"), f("b")), "minimum_ab");
  expect(f("a").maximum(f("e")), "maximum_ae");
  Tensor sp = f("sp"), flipped = flip(sp);
  expect(minimum(sp, flipped), "minimum_sp");
  expect(maximum(sp, flipped), "maximum_sp");
}

TEST_F(PointwiseValues, Clamp) {
  expect(clamp(f("a"), -0.5, 0.5), "clamp_both");
  expect(f("a").clamp(-0.5), "clamp_min");
  expect(f("a").clamp_min(-0.5), "clamp_min");
  expect(f("a").clamp(std::nullopt, 0.5), "clamp_max");
  expect(clamp_max(f("a"), 0.5), "clamp_max");
  expect(clamp(f("sp"), -1.0, 2.0), "clamp_sp");
  expect(clamp(f("a"), f("b"), abs(f("e"))), "clamp_tt");
  Tensor ci = clamp(ints(), -1, 2);
  EXPECT_EQ(ci.dtype(), kInt64);
  expect(ci, "clamp_ints");
  Tensor x = f("a").clone();
  x.clamp_(-0.5, 0.5);
  expect(x, "clamp_both");
}

TEST_F(PointwiseValues, Comparisons) {
  using Fn = std::function<Tensor(const Tensor&, const Tensor&)>;
  using FnS = std::function<Tensor(const Tensor&, const Scalar&)>;
  const std::vector<std::tuple<std::string, Fn, FnS>> ops = {
      {"eq", [](const Tensor& a, const Tensor& b) { return a == b; },
       [](const Tensor& a, const Scalar& s) { return a == s; }},
      {"ne", [](const Tensor& a, const Tensor& b) { return a != b; },
       [](const Tensor& a, const Scalar& s) { return a != s; }},
      {"lt", [](const Tensor& a, const Tensor& b) { return a < b; },
       [](const Tensor& a, const Scalar& s) { return a < s; }},
      {"le", [](const Tensor& a, const Tensor& b) { return a <= b; },
       [](const Tensor& a, const Scalar& s) { return a <= s; }},
      {"gt", [](const Tensor& a, const Tensor& b) { return a > b; },
       [](const Tensor& a, const Scalar& s) { return a > s; }},
      {"ge", [](const Tensor& a, const Tensor& b) { return a >= b; },
       [](const Tensor& a, const Scalar& s) { return a >= s; }},
  };
  Tensor sp = f("sp"), flipped = flip(sp);
  for (const auto& [name, op, op_s] : ops) {
    Tensor r = op(f("a"), f("b"));
    EXPECT_EQ(r.dtype(), kBool);
    expect(r, name + "_ab");
    expect(op_s(f("a"), 0.25), name + "_as");
    expect(op(sp, flipped), name + "_sp");
    expect(op_s(ints(), 1), name + "_ints");
  }
  expect(eq(f("a"), f("b")), "eq_ab");
  expect(f("a").lt(f("b")), "lt_ab");
  expect(f("a").ge(0.25), "ge_as");
  expect(ge(ints(), 1), "ge_ints");
}

TEST_F(PointwiseValues, LogicalOps) {
  Tensor i = ints(), r = tensor({5, 2, 1, 0, -1, -3});
  expect(logical_and(i, r), "logical_and");
  expect(i || r, "logical_or");
  expect(i.logical_xor(r), "logical_xor");
  expect(!i, "logical_not");
  EXPECT_EQ((i && r).dtype(), kBool);
  EXPECT_EQ(logical_not(f("a")).dtype(), kBool);
}

TEST_F(PointwiseValues, WhereMaskedFillLerp) {
  Tensor a = f("a"), b = f("b"), e = f("e");
  expect(where(a > 0, a, b), "where_ab");
  expect(where(a > 0, 1.5, e), "where_se");
  expect(where(a > 0, a, -2), "where_as");
  expect(a.masked_fill(b > 0, 7.0), "masked_fill_s");
  expect(masked_fill(b, e > 0, -1.0), "masked_fill_bcast");
  expect(masked_fill(a, a > 0, tensor(3.5)), "masked_fill_t");
  Tensor mi = ints().masked_fill(ints() > 0, 2.7);  // the value takes the tensor's dtype
  EXPECT_EQ(mi.dtype(), kInt64);
  expect(mi, "masked_fill_ints");
  Tensor inplace = a.clone();
  inplace.masked_fill_(b > 0, 7.0);
  expect(inplace, "masked_fill_s");

  Tensor end = f("end");
  expect(lerp(a, end, 0.3), "lerp_03");
  expect(a.lerp(end, 0.7), "lerp_07");
  expect(lerp(b, end, 0.3), "lerp_bcast");
  expect(lerp(a, end, f("w")), "lerp_w");
  Tensor l = a.clone();
  l.lerp_(end, 0.7);
  expect(l, "lerp_07");
  Tensor r = a.clone();
  r.relu_();
  expect(r, "relu_a");
}

TEST_F(PointwiseValues, IscloseAllcloseEqual) {
  Tensor x = f("close_x"), y = f("close_y");
  expect(isclose(x, y), "isclose");
  expect(isclose(x, y, 1e-5, 1e-8, /*equal_nan=*/true), "isclose_nan");
  expect(x.isclose(y, 1e-2, 1e-8), "isclose_tol");
  expect(isclose(x, y, 0, 0), "isclose_zero_tol");
  EXPECT_TRUE(allclose(f("a"), f("a") + 1e-7));
  EXPECT_FALSE(f("a").allclose(f("a") + 1e-3));
  EXPECT_FALSE(allclose(x, x));  // NaN
  EXPECT_TRUE(allclose(x, x, 1e-5, 1e-8, /*equal_nan=*/true));
  EXPECT_TRUE(allclose(ints(), ints()));
  EXPECT_EQ(isclose(tensor({true, false}), tensor({true, false})).tolist<bool>(),
            (std::vector<bool>{true, true}));

  EXPECT_TRUE(equal(f("a"), f("a").clone()));
  EXPECT_TRUE(f("a").equal(f("a").t().t()));
  EXPECT_FALSE(equal(f("a"), f("a") + 1));
  EXPECT_FALSE(equal(ints(), ints().narrow(0, 0, 2)));  // different sizes
  EXPECT_FALSE(equal(x, x));                            // NaN != NaN
}

TEST_F(PointwiseValues, NonContiguousAndEmptyInputs) {
  Tensor a = f("a");
  Tensor at = a.t();  // (3, 2), strided
  EXPECT_TENSOR_CLOSE(exp(at), exp(at.contiguous()), 0, 0);
  EXPECT_TENSOR_CLOSE(maximum(at, f("e").t()), maximum(at.contiguous(), f("e").t().contiguous()), 0,
                      0);
  EXPECT_TENSOR_CLOSE(where(at > 0, at, 0.0), relu(at), 0, 0);
  Tensor empty = zeros({0, 3});
  EXPECT_EQ(exp(empty).sizes(), IntArrayRef({0, 3}));
  EXPECT_EQ(pow(empty, f("b")).sizes(), IntArrayRef({0, 3}));
  EXPECT_EQ(where(empty > 0, empty, 1.0).sizes(), IntArrayRef({0, 3}));
}

}  // namespace
}  // namespace wick

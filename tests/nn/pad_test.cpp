// F::pad and the padding layers: goldens from PyTorch (constant incl. cropping, reflect,
// replicate, circular; batched and unbatched), gradchecks, printing and PyTorch's errors; also
// Conv2d's non-zero padding modes.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

// Mirrors CASES in tools/goldens/nn_pad.py.
struct Case {
  const char* name;
  std::vector<int64_t> pad;
  const char* mode;
  double value;
};

const std::vector<Case> kCases = {
    {"const_2d", {1, 2, 0, 1}, "constant", 1.5},
    {"const_crop", {1, -2, -1, 1, 1, 0}, "constant", 0.0},
    {"const_4dims", {1, 0, 0, 1, 2, 0, 0, 1}, "constant", -1.0},
    {"reflect_1d", {2, 3}, "reflect", 0.0},
    {"reflect_1d_unbatched", {1, 2}, "reflect", 0.0},
    {"reflect_2d", {1, 2, 3, 1}, "reflect", 0.0},
    {"reflect_2d_unbatched", {2, 1, 0, 3}, "reflect", 0.0},
    {"reflect_3d", {1, 1, 2, 0, 1, 2}, "reflect", 0.0},
    {"replicate_1d", {3, 1}, "replicate", 0.0},
    {"replicate_2d", {2, 1, 0, 3}, "replicate", 0.0},
    {"replicate_3d_unbatched", {1, 2, 1, 0, 2, 1}, "replicate", 0.0},
    {"circular_1d", {2, 3}, "circular", 0.0},
    {"circular_2d", {1, 2, 3, 0}, "circular", 0.0},
    {"circular_3d", {1, 1, 2, 1, 1, 0}, "circular", 0.0},
    {"reflect_negative", {-1, 2}, "reflect", 0.0},
};

Tensor d64(const Tensor& t) { return t.detach().to(kFloat64); }

std::string str(const auto& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

TEST(NnPad, MatchesPyTorch) {
  testing::Golden gold("nn_pad");
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const std::string k = c.name;
    for (DType dt : {kFloat64, kFloat32}) {
      double tol = dt == kFloat64 ? 1e-12 : 1e-5;
      Tensor x = gold[k + "_x"].to(dt).detach().requires_grad_();
      Tensor y = F::pad(x, c.pad, {.mode = c.mode, .value = c.value});
      (y * gold[k + "_g"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(d64(y), gold[k + "_out"], tol, tol);
      EXPECT_TENSOR_CLOSE(d64(x.grad()), gold[k + "_gx"], tol, tol);
    }
  }
}

TEST(NnPad, Gradcheck) {
  auto o = TensorOptions{.dtype = kFloat64, .requires_grad = true};
  for (const char* mode : {"constant", "reflect", "replicate", "circular"}) {
    SCOPED_TRACE(mode);
    Tensor x = randn({1, 2, 3, 4}, o);
    auto r = autograd::gradcheck(
        [mode](const autograd::variable_list& in) {
          return F::pad(in[0], {2, 1, 1, 2}, {.mode = mode, .value = 0.5});
        },
        {x}, {.check_grad_grad = true});
    EXPECT_TRUE(r) << r.message;
  }
  EXPECT_EQ(F::pad(randn({2, 3}, o), {1, -1}).grad_fn()->name(), "ConstantPadNdBackward0");
}

TEST(NnPad, ModulesPrintAndPad) {
  EXPECT_EQ(str(nn::ZeroPad2d(2)), "ZeroPad2d((2, 2, 2, 2))");
  EXPECT_EQ(str(nn::ZeroPad2d({1, 2, 3, 4})), "ZeroPad2d((1, 2, 3, 4))");
  EXPECT_EQ(str(nn::ConstantPad1d(2, 3.5)), "ConstantPad1d(padding=(2, 2), value=3.5)");
  EXPECT_EQ(str(nn::ConstantPad3d(1, 0.0)), "ConstantPad3d(padding=(1, 1, 1, 1, 1, 1), value=0.0)");
  EXPECT_EQ(str(nn::ConstantPad2d(1, 2)), "ConstantPad2d(padding=(1, 1, 1, 1), value=2)");
  EXPECT_EQ(str(nn::ReflectionPad1d(2)), "ReflectionPad1d((2, 2))");
  EXPECT_EQ(str(nn::ReplicationPad3d({1, 2, 3, 4, 5, 6})), "ReplicationPad3d((1, 2, 3, 4, 5, 6))");
  EXPECT_EQ(str(nn::CircularPad2d(1)), "CircularPad2d((1, 1, 1, 1))");

  Tensor x = randn({1, 2, 4, 5});
  EXPECT_TENSOR_CLOSE(nn::ReflectionPad2d({1, 2, 0, 3})(x), F::pad(x, {1, 2, 0, 3}, {.mode = "reflect"}));
  EXPECT_TENSOR_CLOSE(nn::ConstantPad2d(1, 2.5)(x), F::pad(x, {1, 1, 1, 1}, {.value = 2.5}));
  EXPECT_EQ(nn::ZeroPad3d(1)(randn({2, 3, 4, 5})).sizes(), (Shape{2, 5, 6, 7}));
  EXPECT_EQ(nn::ReplicationPad1d({0, 2})(randn({3, 4})).sizes(), (Shape{3, 6}));
  EXPECT_EQ(nn::CircularPad1d(1)(randn({1, 2, 3})).sizes(), (Shape{1, 2, 5}));
  EXPECT_TRUE(nn::ReflectionPad2d(1)->state_dict().empty());
}

TEST(NnPad, ConvPaddingModes) {
  // Conv2d(padding_mode=m) equals F::pad with that mode followed by an unpadded conv.
  for (const char* mode : {"reflect", "replicate", "circular"}) {
    SCOPED_TRACE(mode);
    nn::Conv2d m(2, 3, {3, 2}, {.padding = {1, 2}, .padding_mode = mode});
    Tensor x = randn({2, 2, 5, 6});
    Tensor want = F::conv2d(F::pad(x, {2, 2, 1, 1}, {.mode = mode}), m->weight, m->bias);
    EXPECT_TENSOR_CLOSE(m(x), want);
  }
  // "same" with an even kernel pads (left, right) = (total / 2, total - total / 2).
  nn::Conv1d m(2, 2, 4, {.padding = "same", .padding_mode = "reflect"});
  Tensor x = randn({1, 2, 7});
  EXPECT_TENSOR_CLOSE(m(x), F::conv1d(F::pad(x, {1, 2}, {.mode = "reflect"}), m->weight, m->bias));
  EXPECT_EQ(m(x).sizes(), (Shape{1, 2, 7}));
}

TEST(NnPad, Errors) {
  using testing::expect_error;
  Tensor x = randn({1, 2, 3, 4});
  expect_error([&] { F::pad(x, {1, 1, 1}); }, "Padding length must be divisible by 2");
  expect_error([&] { F::pad(x, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}); }, "Padding length too large");
  expect_error([&] { F::pad(x, {1, 1}, {.mode = "foo"}); }, "Unrecognised padding mode foo");
  expect_error([&] { F::pad(x, {1, 1}, {.mode = "reflect"}); },
               "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  expect_error([&] { F::pad(x[0], {1, 1, 1, 1}, {.mode = "circular"}); },
               "Invalid padding size, expected 2 but got 4");
  expect_error([&] { F::pad(x, {4, 0, 0, 0}, {.mode = "reflect"}); },
               "Padding size should be less than the corresponding input dimension");
  expect_error([&] { F::pad(x, {5, 0, 0, 0}, {.mode = "circular"}); },
               "Padding value causes wrapping around more than once.");
  expect_error([&] { nn::ReflectionPad2d(1)(randn({3, 4})); },
               "ReflectionPad2d((1, 1, 1, 1)): Only 2D, 3D, 4D, 5D padding");
}

}  // namespace
}  // namespace wick

// Result dtypes of the elementwise ops (torch.result_type tables from PyTorch, integer and bool
// inputs, promotion by numbers and 0-dim tensors) and the errors PyTorch raises.
#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

const DType kDTypes[] = {kBool, kUInt8, kInt32, kInt64, kFloat16, kBFloat16, kFloat32, kFloat64};

Tensor sample(DType dt, bool dim) {
  return dim ? ones({2}, {.dtype = dt}) : ones({}, {.dtype = dt});
}

TEST(PointwiseDtype, ResultTypeMatchesPyTorchTables) {
  testing::Golden g("pointwise");
  std::vector<int64_t> tt = g["rt_tt"].tolist<int64_t>(), ts = g["rt_ts"].tolist<int64_t>();
  const std::pair<bool, bool> dims[] = {{true, true}, {true, false}, {false, true}};
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 8; ++j) {
      for (int k = 0; k < 3; ++k) {
        Tensor a = sample(kDTypes[i], dims[k].first), b = sample(kDTypes[j], dims[k].second);
        DType want = kDTypes[tt[(i * 8 + j) * 3 + k]];
        EXPECT_EQ(result_type(a, b), want) << kDTypes[i] << " (dim " << dims[k].first << ") with "
                                           << kDTypes[j] << " (dim " << dims[k].second << ")";
      }
    }
    const Scalar numbers[] = {true, 2, 2.5};
    for (int d = 0; d < 2; ++d) {
      for (int s = 0; s < 3; ++s) {
        EXPECT_EQ(result_type(sample(kDTypes[i], d == 0), numbers[s]),
                  kDTypes[ts[(i * 2 + d) * 3 + s]])
            << kDTypes[i] << " dim " << (d == 0) << " number " << s;
      }
    }
  }
}

TEST(PointwiseDtype, OpsFollowPromotion) {
  Tensor i64 = tensor({1, 2, 3});
  Tensor f32 = tensor({1.0f, 2.0f, 3.0f});
  Tensor u8 = tensor({1, 2}, {.dtype = kUInt8});
  Tensor b = tensor({true, false, true});
  EXPECT_EQ((i64 + 2.5).dtype(), kFloat32);
  EXPECT_EQ((u8 + tensor(int64_t{300})).dtype(), kUInt8);  // a 0-dim int64 does not promote uint8
  EXPECT_EQ((f32 + tensor(1.0, {.dtype = kFloat64})).dtype(), kFloat32);
  EXPECT_EQ((f32 + tensor({1.0}, {.dtype = kFloat64})).dtype(), kFloat64);
  EXPECT_EQ(maximum(i64, tensor(2.5)).dtype(), kFloat32);
  EXPECT_EQ(minimum(b, b).dtype(), kBool);
  EXPECT_EQ(pow(i64, 2).dtype(), kInt64);
  EXPECT_EQ(pow(i64, 2.5).dtype(), kFloat32);
  EXPECT_EQ(pow(2, i64).dtype(), kInt64);
  EXPECT_EQ(pow(2.5, i64).dtype(), kFloat32);
  EXPECT_EQ(pow(i64, tensor(2.0)).dtype(), kFloat32);
  EXPECT_EQ(square(b).dtype(), kInt64);
  EXPECT_EQ(exp(i64).dtype(), kFloat32);
  EXPECT_EQ(exp(b).dtype(), kFloat32);
  EXPECT_EQ(sqrt(tensor({4, 9}, {.dtype = kInt32})).tolist<float>(), (std::vector<float>{2, 3}));
  EXPECT_EQ(abs(tensor({-2, 3})).dtype(), kInt64);
  EXPECT_EQ(sign(b).dtype(), kBool);
  EXPECT_EQ(relu(tensor({-2, 3})).tolist<int64_t>(), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(clamp(i64, 0, 2).dtype(), kInt64);
  EXPECT_EQ(clamp(i64, 0.5).dtype(), kFloat32);
  EXPECT_EQ(clamp(b, 0, 1).dtype(), kInt64);
  EXPECT_EQ(clamp(i64, tensor(0.5), Tensor()).dtype(), kFloat32);
  EXPECT_EQ((i64 == 2.5).dtype(), kBool);
  EXPECT_EQ((i64 == 2.5).tolist<bool>(),
            (std::vector<bool>{false, false, false}));  // compared as float
  EXPECT_EQ(where(b, i64, f32).dtype(), kFloat32);
  EXPECT_EQ(where(b, i64, 2.5).dtype(), kFloat32);
  EXPECT_EQ(where(b, 2, i64).dtype(), kInt64);
  EXPECT_EQ(where(b, f32.to(kFloat64), tensor(1.0)).dtype(), kFloat64);
  EXPECT_EQ(masked_fill(f32, b, tensor(1.0, {.dtype = kFloat64})).dtype(), kFloat32);
  // Default dtype float64 changes what integer inputs promote to.
  set_default_dtype(kFloat64);
  EXPECT_EQ(exp(i64).dtype(), kFloat64);
  EXPECT_EQ((i64 * 0.5).dtype(), kFloat64);
  set_default_dtype(kFloat32);
}

TEST(PointwiseDtype, InplaceOpsCastOrRefuse) {
  Tensor i = tensor({1, 2, 3});
  try {
    i.mul_(2.5);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "result type Float can't be cast to the desired output type Long"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(i.clamp_(0.5), Error);
  EXPECT_THROW(i.add_(tensor({true, false, true}).to(kFloat32)), Error);
  Tensor u8 = tensor({1, 2}, {.dtype = kUInt8});
  u8.add_(tensor({3, 4}));  // int64 result goes back into uint8 (same category)
  EXPECT_EQ(u8.tolist<int64_t>(), (std::vector<int64_t>{4, 6}));
  Tensor b = tensor({true, false});
  EXPECT_THROW(b.add_(tensor({1, 1})), Error);  // int can't be cast to bool
  i.clamp_(0, 2);
  EXPECT_EQ(i.tolist<int64_t>(), (std::vector<int64_t>{1, 2, 2}));
  i.masked_fill_(tensor({true, false, false}), 2.9);  // the value is cast, as PyTorch
  EXPECT_EQ(i.tolist<int64_t>(), (std::vector<int64_t>{2, 2, 2}));
  Tensor r = tensor({-1, 4});
  r.relu_();
  EXPECT_EQ(r.tolist<int64_t>(), (std::vector<int64_t>{0, 4}));
}

using testing::expect_error;

TEST(PointwiseErrors, ShapesThatDoNotBroadcast) {
  Tensor a = zeros({3}), b = zeros({2});
  expect_error([&] { pow(a, b); }, "must match the size");
  expect_error([&] { maximum(a, b); }, "must match the size");
  expect_error([&] { (void)(a == b); }, "must match the size");
  expect_error([&] { logical_and(a, b); }, "must match the size");
  expect_error([&] { where(a > 0, a, b); }, "must match the size");
  expect_error([&] { clamp(a, b, Tensor()); }, "must match the size");
  expect_error([&] { lerp(a, b, 0.5); }, "must match the size");
  expect_error([&] { a.masked_fill(b > 0, 1.0); }, "must match the size");
  Tensor small = zeros({3});
  expect_error(
      [&] {
        small.masked_fill_(zeros({2, 3}) > 0, 1.0);
      },
      "doesn't match the broadcast shape");
  expect_error([&] { small.lerp_(zeros({2, 3}), 0.5); }, "doesn't match the broadcast shape");
}

TEST(PointwiseErrors, BadDtypesAndArguments) {
  Tensor f = zeros({3}), i = tensor({1, 2, 3}), b = tensor({true, false, true});
  expect_error([&] { f.masked_fill(i, 1.0); },
               "masked_fill_ only supports boolean masks, but got mask with dtype Long");
  expect_error([&] { f.masked_fill(b.to(kUInt8), 1.0); }, "only supports boolean masks");
  expect_error([&] { f.masked_fill_(i, 1.0); }, "only supports boolean masks");
  expect_error([&] { f.masked_fill(b, zeros({1})); }, "only supports a 0-dimensional value tensor");
  expect_error([&] { where(i, f, f); },
               "where expected condition to be a boolean tensor, but got a tensor with dtype Long");
  expect_error([&] { clamp(f, std::nullopt, std::nullopt); },
               "At least one of 'min' or 'max' must not be None");
  expect_error([&] { clamp(f, Tensor(), Tensor()); },
               "At least one of 'min' or 'max' must not be None");
  expect_error([&] { pow(i, -1); }, "Integers to negative integer powers are not allowed.");
  expect_error([&] { pow(b, b); }, "\"pow\" not implemented for 'Bool'");
  expect_error([&] { abs(b); }, "not implemented for 'Bool'");
  expect_error([&] { relu(b); }, "Boolean inputs not supported for relu");
  expect_error([&] { lerp(i, i, 0.5); }, "\"lerp_kernel_scalar\" not implemented for 'Long'");
  expect_error([&] { lerp(f, f.to(kFloat64), 0.5); },
               "expected dtype float for `end` but got dtype double");
  expect_error([&] { lerp(f, f, f.to(kFloat64)); },
               "expected dtype float for `weight` but got dtype double");
  expect_error([&] { isclose(i, f); }, "Long did not match Float");
  expect_error([&] { allclose(f, f, -1.0); },
               "rtol must be greater than or equal to zero, but got -1");
  expect_error([&] { (void)(b - b); }, "Subtraction, the `-` operator, with two bool tensors");
}

TEST(PointwiseErrors, InplaceOnLeafThatRequiresGrad) {
  Tensor x = tensor({1.0, -1.0}, {.requires_grad = true});
  expect_error([&] { x.relu_(); },
               "a leaf Variable that requires grad is being used in an in-place operation");
  expect_error([&] { x.clamp_(0, 1); }, "a leaf Variable that requires grad");
  expect_error([&] { x.masked_fill_(x > 0, 0.0); }, "a leaf Variable that requires grad");
  expect_error([&] { x.lerp_(x, 0.5); }, "a leaf Variable that requires grad");
  EXPECT_EQ(x.tolist<float>(), (std::vector<float>{1.0f, -1.0f}));  // untouched
}

}  // namespace
}  // namespace wick

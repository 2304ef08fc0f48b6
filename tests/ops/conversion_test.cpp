// Copies and conversions: to(dtype) casts against PyTorch (float -> int truncates toward zero,
// anything nonzero -> true), clone/contiguous, copy_ with broadcasting and dtype conversion and its
// gradient, fill_/zero_.
#include <gtest/gtest.h>

#include <limits>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

using autograd::variable_list;

TEST(Conversion, CastsMatchPyTorch) {
  testing::Golden g("core");
  Tensor f = g["cast_in"].to(kFloat32);
  EXPECT_EQ(f.to(kInt64).tolist<int64_t>(), g["cast_int64"].tolist<int64_t>());
  EXPECT_EQ(f.to(kInt32).tolist<int64_t>(), g["cast_int32"].tolist<int64_t>());
  EXPECT_EQ(f.to(kInt32).dtype(), kInt32);
  Tensor b = tensor({0.0, -0.0, 0.1, std::numeric_limits<double>::quiet_NaN(), -3.0}).to(kBool);
  EXPECT_EQ(b.dtype(), kBool);
  EXPECT_EQ(b.tolist<int64_t>(), g["cast_bool"].tolist<int64_t>());
  EXPECT_EQ(tensor({0.0, 1.5, 254.9, 255.0}).to(kUInt8).tolist<int64_t>(),
            g["cast_uint8"].tolist<int64_t>());
  EXPECT_EQ(tensor({true, false}).to(kFloat32).tolist<float>(), (std::vector<float>{1, 0}));
  EXPECT_EQ(tensor({-7, 3}).to(kFloat64).tolist<double>(), (std::vector<double>{-7, 3}));
  // Large int64 survive a round trip through float64 only when exactly representable.
  EXPECT_EQ(tensor({int64_t{1} << 53}).to(kFloat64).to(kInt64).item<int64_t>(), int64_t{1} << 53);
}

TEST(Conversion, ToReturnsSelfUnlessCopyOrChange) {
  Tensor x = tensor({1.0, 2.0});
  EXPECT_TRUE(x.to(kFloat32).is_same(x));
  EXPECT_TRUE(x.to(Device(kCPU)).is_same(x));
  Tensor c = x.to(kFloat32, /*copy=*/true);
  EXPECT_FALSE(c.is_same(x));
  c.fill_(0);
  EXPECT_EQ(x.tolist<float>(), (std::vector<float>{1, 2}));
  EXPECT_EQ(x.type_as(zeros({1}, {.dtype = kFloat64})).dtype(), kFloat64);
}

TEST(Conversion, ToGradientGoesBackToTheSourceDtype) {
  Tensor x = tensor({1.5, -2.0}, {.dtype = kFloat64, .requires_grad = true});
  Tensor y = x.to(kFloat32);
  EXPECT_EQ(y.grad_fn()->name(), "ToCopyBackward0");
  (y * y).sum().backward();
  EXPECT_EQ(x.grad().dtype(), kFloat64);
  EXPECT_EQ(x.grad().tolist<double>(), (std::vector<double>{3.0, -4.0}));
  // Integer results are not differentiable.
  EXPECT_FALSE(x.to(kInt64).requires_grad());
}

TEST(Conversion, CloneAndContiguous) {
  Tensor x = arange(6.0).reshape({2, 3});
  Tensor c = x.clone();
  EXPECT_NE(c.data_ptr(), x.data_ptr());
  EXPECT_EQ(c.tolist<float>(), x.tolist<float>());
  c.fill_(1);
  EXPECT_EQ(x.tolist<float>()[0], 0.0f);
  EXPECT_TRUE(x.contiguous().is_same(x));
  Tensor t = x.t();
  Tensor tc = t.contiguous();
  EXPECT_TRUE(tc.is_contiguous());
  EXPECT_EQ(tc.strides().vec(), (Shape{2, 1}));
  EXPECT_EQ(tc.tolist<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  Tensor tclone = t.clone();  // clone of a view is contiguous here (dense row-major result)
  EXPECT_EQ(tclone.tolist<float>(), tc.tolist<float>());
  Tensor xg = arange(6, {.dtype = kFloat64}).reshape({2, 3});
  xg.requires_grad_();
  EXPECT_TRUE(autograd::gradcheck(
                  [](const variable_list& in) -> Tensor {
                    return in[0].t().contiguous() * in[0].t().clone();
                  },
                  {xg}, {.check_grad_grad = true})
                  .ok);
}

TEST(Conversion, CopyBroadcastsAndConverts) {
  Tensor dst = zeros({2, 3}, {.dtype = kInt32});
  dst.copy_(tensor({1.9, -2.9, 3.0}));  // broadcast over rows, float -> int truncates
  EXPECT_EQ(dst.tolist<int32_t>(), (std::vector<int32_t>{1, -2, 3, 1, -2, 3}));
  Tensor d2 = zeros({2, 2});
  d2.copy_(tensor(5.0));
  EXPECT_EQ(d2.tolist<float>(), std::vector<float>(4, 5.0f));
  // Copy into a non-contiguous view writes into the base.
  Tensor base = zeros({3, 2});
  base.t().copy_(arange(6.0).reshape({2, 3}));
  EXPECT_EQ(base.tolist<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_THROW(zeros({2, 3}).copy_(zeros({4})), Error);
  EXPECT_THROW(zeros({2}).copy_(Tensor()), Error);
}

TEST(Conversion, CopyGradient) {
  // d/dsrc of sum(w * dst) after dst.copy_(src broadcast) is w summed over the broadcast dim, cast
  // back to src's dtype; dst's earlier value gets no gradient.
  Tensor src = tensor({1.0, 2.0, 3.0}, {.dtype = kFloat32, .requires_grad = true});
  Tensor before = ones({2, 3}, {.dtype = kFloat64, .requires_grad = true});
  Tensor dst = before * 1.0;
  dst.copy_(src);
  EXPECT_EQ(dst.grad_fn()->name(), "CopyBackwards");
  Tensor w = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, {.dtype = kFloat64});
  (dst * w).sum().backward();
  EXPECT_EQ(src.grad().dtype(), kFloat32);
  EXPECT_EQ(src.grad().tolist<float>(), (std::vector<float>{5, 7, 9}));
  EXPECT_EQ(before.grad().tolist<double>(), std::vector<double>(6, 0.0));

  auto s64 = tensor({0.5, -1.5, 2.0}, {.dtype = kFloat64, .requires_grad = true});
  auto r = autograd::gradcheck(
      [](const variable_list& in) -> Tensor {
        Tensor d = zeros({2, 3}, {.dtype = kFloat64});
        d.copy_(in[0]);
        return d * d;
      },
      {s64}, {.check_grad_grad = true});
  EXPECT_TRUE(r.ok) << r.message;
  // A leaf that requires grad cannot be written in place.
  Tensor leaf = zeros({3}, {.requires_grad = true});
  EXPECT_THROW(leaf.copy_(ones({3})), Error);
}

TEST(Conversion, FillAndZero) {
  Tensor x = empty({2, 2}, {.dtype = kInt64});
  x.fill_(3.7);  // truncates like torch.full(..., dtype=int64).fill_(3.7)
  EXPECT_EQ(x.tolist<int64_t>(), std::vector<int64_t>(4, 3));
  x.zero_();
  EXPECT_EQ(x.tolist<int64_t>(), std::vector<int64_t>(4, 0));
  Tensor b = zeros({3}, {.dtype = kBool});
  b.fill_(2);
  EXPECT_EQ(b.tolist<bool>(), (std::vector<bool>{true, true, true}));
  Tensor m = zeros({3, 3});
  m.select(1, 1).fill_(1);
  EXPECT_EQ(m.tolist<float>(), (std::vector<float>{0, 1, 0, 0, 1, 0, 0, 1, 0}));
  Tensor h = zeros({2}, {.dtype = kFloat16});
  h.fill_(0.1);
  EXPECT_EQ(h.to(kFloat32).tolist<float>()[0], static_cast<float>(Half(0.1f)));
  // fill_ on a non-leaf cuts the gradient of the overwritten values.
  Tensor a = tensor({1.0, 2.0}, {.requires_grad = true});
  Tensor y = a * 2.0;
  y.fill_(5);
  EXPECT_EQ(y.grad_fn()->name(), "FillBackward2");  // fill_.Scalar in PyTorch's derivatives.yaml
  (y * a).sum().backward();
  EXPECT_EQ(a.grad().tolist<float>(), (std::vector<float>{5, 5}));
  EXPECT_THROW(zeros({2}, {.requires_grad = true}).fill_(1), Error);
}

}  // namespace
}  // namespace wick

// data::transforms: Resize (bilinear/nearest, uint8 and float) and Normalize against PyTorch
// goldens (F.interpolate, align_corners=False), ToTensor layouts, crops with padding, flips,
// Compose, random transforms drawing from the loader's per-batch stream, and errors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/data/data.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace T = data::transforms;
using testing::expect_error;

const testing::Golden& golden() {
  static testing::Golden g("data_transforms");
  return g;
}

Tensor u8(const std::string& key) { return golden()[key].to(kUInt8); }

// uint8 resizes round a float result, and PyTorch sums the four taps in an order (and with FMA
// contractions) a portable build does not reproduce bit for bit: a value within 1e-6 of a .5 tie
// may round the other way. So: equal, except at most 0.2% of pixels off by exactly 1.
::testing::AssertionResult u8_close(const Tensor& actual, const std::string& key) {
  auto a = actual.tolist<int64_t>(), e = golden()[key].tolist<int64_t>();
  if (a.size() != e.size())
    return ::testing::AssertionFailure() << key << ": size " << a.size() << " vs " << e.size();
  size_t off = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::abs(a[i] - e[i]) > 1) {
      return ::testing::AssertionFailure()
             << key << ": element " << i << " is " << a[i] << ", expected " << e[i];
    }
    off += a[i] != e[i];
  }
  if (off * 500 > a.size())
    return ::testing::AssertionFailure() << key << ": " << off << " values off by one";
  return ::testing::AssertionSuccess();
}

TEST(DataTransforms, ResizeMatchesInterpolate) {
  for (std::string mode : {"bilinear", "nearest"}) {
    T::ResizeOptions o{.interpolation = mode == "bilinear" ? T::InterpolationMode::BILINEAR
                                                           : T::InterpolationMode::NEAREST};
    SCOPED_TRACE(mode);
    // uint8 stays uint8, rounded like torchvision: exact.
    Tensor a = T::Resize({13, 11}, o)(u8("u8"));
    EXPECT_EQ(a.dtype(), kUInt8);
    EXPECT_TRUE(u8_close(a, "u8_" + mode + "_13x11"));
    EXPECT_TRUE(u8_close(T::Resize({3, 4}, o)(u8("u8")), "u8_" + mode + "_3x4"));
    EXPECT_TRUE(u8_close(T::Resize(96, o)(u8("mnist")), "mnist_" + mode + "_96"));
    // float32: Resize(10) on (6, 9) matches the short edge: (10, 15).
    Tensor f = T::Resize(10, o)(golden()["f32"].to(kFloat32));
    EXPECT_EQ(f.sizes(), (std::vector<int64_t>{2, 10, 15}));
    EXPECT_EQ(f.dtype(), kFloat32);
    // float32 in [0, 1]: a few ulps of 1 (the tap order, see u8_close).
    EXPECT_TENSOR_CLOSE(f.to(kFloat64), golden()["f32_" + mode + "_10x15"], 0, 5e-7);
    EXPECT_TENSOR_CLOSE(T::Resize({4, 5}, o)(golden()["f32"].to(kFloat32)).to(kFloat64),
                        golden()["f32_" + mode + "_4x5"], 0, 5e-7);
    EXPECT_TENSOR_CLOSE(T::Resize({11, 8}, o)(golden()["f64"]), golden()["f64_" + mode + "_11x8"],
                        1e-12, 1e-14);
  }
  // Batched (N, C, H, W) and the float path after ToTensor.
  Tensor corner = u8("mnist").narrow(1, 0, 10).narrow(2, 0, 10);
  Tensor x = T::Compose({T::ToTensor(), T::Resize(36)})(corner);
  EXPECT_TENSOR_CLOSE(x.to(kFloat64), golden()["mnist_corner_float_bilinear_36"], 0, 5e-7);
  Tensor batched = T::Resize({13, 11})(stack({u8("u8"), u8("u8")}));
  EXPECT_EQ(batched.sizes(), (std::vector<int64_t>{2, 2, 13, 11}));
  EXPECT_TRUE(u8_close(batched.select(0, 1), "u8_bilinear_13x11"));
}

TEST(DataTransforms, ResizeSizesAndErrors) {
  T::Resize r(8);
  EXPECT_EQ(r.output_size(28, 56), (std::pair<int64_t, int64_t>{8, 16}));
  EXPECT_EQ(r.output_size(30, 20), (std::pair<int64_t, int64_t>{12, 8}));
  EXPECT_EQ(T::Resize(8, {.max_size = 10}).output_size(10, 40),
            (std::pair<int64_t, int64_t>{2, 10}));
  expect_error(
      [] {
        T::Resize({8, 9}, {.max_size = 10});
      },
      "max_size should only be passed if size specifies");
  expect_error([] { T::Resize(8, {.antialias = true}); }, "antialias=True is not supported");
  expect_error(
      [] {
        T::Resize({1, 2, 3});
      },
      "Resize: size should be an int or a sequence of 2 ints");
  expect_error([] { T::Resize(4)(zeros({5}, {.dtype = kFloat32})); },
               "expected a tensor image of shape (..., H, W)");
  expect_error(
      [] {
        T::Resize(4)(zeros({2, 5}, {.dtype = kInt64}));
      },
      "expected a uint8, float32 or float64 image");
}

TEST(DataTransforms, ToTensorLayoutsAndScale) {
  Tensor chw = tensor({{{0, 255}, {51, 102}}}, {.dtype = kUInt8});  // (1, 2, 2)
  Tensor t = T::ToTensor()(chw);
  EXPECT_EQ(t.dtype(), kFloat32);
  EXPECT_EQ(t.sizes(), (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(t.tolist<float>(), (std::vector<float>{0.0f, 1.0f, 0.2f, 0.4f}));
  EXPECT_EQ(T::ToTensor()(chw.squeeze(0)).sizes(), (std::vector<int64_t>{1, 2, 2}));  // (H, W)
  Tensor hwc = arange(30).reshape({5, 2, 3}).to(kUInt8);                              // (H, W, C=3)
  Tensor c = T::ToTensor()(hwc);
  EXPECT_EQ(c.sizes(), (std::vector<int64_t>{3, 5, 2}));
  EXPECT_FLOAT_EQ(c.index({1, 0, 1}).item<float>(), 4.0f / 255.0f);  // hwc[0, 1, 1] = 4
  Tensor f = rand({1, 3, 3});
  EXPECT_TRUE(T::ToTensor()(f).equal(f));  // float values pass through
  expect_error(
      [] {
        T::ToTensor()(zeros({1, 1, 2, 2}));
      },
      "ToTensor: pic should be 2 or 3 dimensional, got 4 dims");
}

TEST(DataTransforms, NormalizeAsTorchvision) {
  Tensor x = golden()["f32"].to(kFloat32);
  Tensor y = T::Normalize({0.5, 0.2}, {0.25, 0.3})(x);
  EXPECT_TENSOR_CLOSE(y.to(kFloat64), golden()["f32_normalized"], 1e-6, 1e-6);
  EXPECT_TRUE(x.equal(golden()["f32"].to(kFloat32)));  // not in place by default
  Tensor z = x.clone();
  T::Normalize({0.5}, {0.25}, {.inplace = true})(z);
  EXPECT_FLOAT_EQ(z.index({1, 0, 0}).item<float>(),
                  (x.index({1, 0, 0}).item<float>() - 0.5f) / 0.25f);
  expect_error(
      [] {
        T::Normalize({0.5}, {0.5})(zeros({1, 2, 2}, {.dtype = kUInt8}));
      },
      "Input tensor should be a float tensor. Got torch.uint8.");
  expect_error([] { T::Normalize({0.5}, {0.0})(zeros({1, 2, 2})); }, "std evaluated to zero");
  expect_error(
      [] {
        T::Normalize({0.5, 0.5}, {1, 1})(zeros({3, 2, 2}));
      },
      "mean has 2 values, the image has 3 channels");
}

TEST(DataTransforms, CenterCropAndPadding) {
  Tensor img = arange(1, 21).reshape({1, 4, 5}).to(kFloat32);  // rows 1..5, 6..10, 11..15, 16..20
  // top = round((4 - 2) / 2) = 1, left = round((5 - 3) / 2) = 1.
  EXPECT_EQ(T::CenterCrop({2, 3})(img).tolist<float>(), (std::vector<float>{7, 8, 9, 12, 13, 14}));
  // Odd margins round half to even: top = round(0.5) = 0, left = round(1.5) = 2.
  EXPECT_EQ(T::CenterCrop({3, 2})(img).tolist<float>(), (std::vector<float>{3, 4, 8, 9, 13, 14}));
  // A larger crop zero-pads: (6 - 4) // 2 = 1 row above, (6 - 5) // 2 = 0 columns left.
  Tensor big = T::CenterCrop(6)(img);
  EXPECT_EQ(big.sizes(), (std::vector<int64_t>{1, 6, 6}));
  EXPECT_EQ(big.index({0, 0}).sum().item<float>(), 0.0f);
  EXPECT_EQ(big.index({0, 1}).tolist<float>(), (std::vector<float>{1, 2, 3, 4, 5, 0}));
}

TEST(DataTransforms, RandomCropPaddingAndFill) {
  Tensor img = arange(1, 10).reshape({1, 3, 3}).to(kUInt8);
  Generator g(1);
  // Padding 1 with fill 7 then a 5x5 crop: the only position is the whole padded image.
  Tensor p = T::RandomCrop(5, {.padding = {1}, .fill = 7, .generator = &g})(img);
  EXPECT_EQ(p.tolist<int64_t>(), (std::vector<int64_t>{7, 7, 7, 7, 7, 7, 1, 2, 3, 7, 7, 4, 5,
                                                       6, 7, 7, 7, 8, 9, 7, 7, 7, 7, 7, 7}));
  // Edge padding (left/right 1, top/bottom 0) and a 3x5 crop: borders repeat.
  Tensor e =
      T::RandomCrop({3, 5}, {.padding = {1, 0}, .padding_mode = "edge", .generator = &g})(img);
  EXPECT_EQ(e.tolist<int64_t>(),
            (std::vector<int64_t>{1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9}));
  // pad_if_needed pads by (crop - size) on both sides, so a 4-crop of 3 sees a 5-wide image.
  std::set<std::vector<int64_t>> seen;
  for (int i = 0; i < 200; ++i) {
    Tensor c = T::RandomCrop(2, {.generator = &g})(img);
    seen.insert(c.tolist<int64_t>());
    Tensor q = T::RandomCrop(4, {.pad_if_needed = true, .generator = &g})(img);
    EXPECT_EQ(q.sizes(), (std::vector<int64_t>{1, 4, 4}));
    EXPECT_EQ(q.sum().item<int64_t>() <= 45, true);
  }
  EXPECT_EQ(seen.size(), 4u);  // every 2x2 position of a 3x3 image occurs
  expect_error([&] { T::RandomCrop(4)(img); },
               "Required crop size (4, 4) is larger than input image size (3, 3)");
  expect_error(
      [] {
        T::RandomCrop(2, {.padding = {1, 2, 3}});
      },
      "Padding must be an int or a 1, 2, or 4 element");
  expect_error([] { T::RandomCrop(2, {.padding_mode = "reflect"}); },
               "padding_mode should be constant or edge");
}

TEST(DataTransforms, RandomHorizontalFlipAndLambda) {
  Tensor img = arange(6).reshape({1, 2, 3}).to(kFloat32);
  EXPECT_EQ(T::RandomHorizontalFlip(1.0)(img).tolist<float>(),
            (std::vector<float>{2, 1, 0, 5, 4, 3}));
  EXPECT_TRUE(T::RandomHorizontalFlip(0.0)(img).equal(img));
  Generator g(4);
  int flips = 0;
  for (int i = 0; i < 1000; ++i)
    flips += T::RandomHorizontalFlip(0.5, &g)(img).index({0, 0, 0}).item<float>() == 2;
  EXPECT_GT(flips, 430);
  EXPECT_LT(flips, 570);
  auto doubled = T::Compose(
      {T::Lambda([](const Tensor& x) { return x * 2; }), T::RandomHorizontalFlip(1.0)})(img);
  EXPECT_EQ(doubled.tolist<float>(), (std::vector<float>{4, 2, 0, 10, 8, 6}));
}

TEST(DataTransforms, RandomTransformsFollowTheLoaderSeed) {
  // Random crops inside a DataLoader are the same whatever num_workers, and change with the seed.
  auto ds =
      data::TensorDataset(arange(40 * 36, {.dtype = kFloat32}).reshape({40, 1, 6, 6}), arange(40));
  struct Cropped : data::Dataset {
    data::TensorDataset base;
    T::Compose tf{{T::RandomCrop(4, {.padding = {1}}), T::RandomHorizontalFlip()}};
    explicit Cropped(data::TensorDataset b) : base(std::move(b)) {}
    int64_t size() const override { return base.size(); }
    data::Example get(int64_t i) const override {
      return {tf(base.get(i).data), base.get(i).target};
    }
  };
  auto run = [&](int64_t workers, uint64_t seed) {
    Generator g(seed);
    std::vector<float> all;
    for (auto& [x, y] : data::DataLoader(
             Cropped(ds), {.batch_size = 8, .num_workers = workers, .generator = &g})) {
      auto v = x.tolist<float>();
      all.insert(all.end(), v.begin(), v.end());
    }
    return all;
  };
  auto ref = run(0, 3);
  EXPECT_EQ(run(2, 3), ref);
  EXPECT_EQ(run(3, 3), ref);
  EXPECT_NE(run(0, 4), ref);
}

}  // namespace
}  // namespace wick

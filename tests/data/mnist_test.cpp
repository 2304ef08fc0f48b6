// MNIST/FashionMNIST: small IDX files written to a temp dir (plain and gzipped, flat and in
// torchvision's <root>/<Name>/raw layout), errors for missing/corrupt/truncated files, and the
// real Fashion-MNIST when dataset-fashion-mnist is installed (skipped with a message otherwise).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "wick/data/data.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using Bytes = std::vector<unsigned char>;

Bytes idx(const std::vector<int64_t>& dims, const Bytes& payload) {
  Bytes b{0, 0, 0x08, static_cast<unsigned char>(dims.size())};
  for (int64_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(d >> s));
  }
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

void write(const fs::path& p, const Bytes& b, bool gz) {
  fs::create_directories(p.parent_path());
  if (gz) {
    gzFile f = gzopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, b.data(), static_cast<unsigned>(b.size())), static_cast<int>(b.size()));
    gzclose(f);
  } else {
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }
}

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("wick_mnist_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// n images of 4x3 whose pixel k of image i is 10 * i + k; labels i % 10.
Bytes images(int64_t n) {
  Bytes p;
  for (int64_t i = 0; i < n; ++i) {
    for (int k = 0; k < 12; ++k) p.push_back(static_cast<unsigned char>(10 * i + k));
  }
  return idx({n, 4, 3}, p);
}
Bytes labels(int64_t n) {
  Bytes p;
  for (int64_t i = 0; i < n; ++i) p.push_back(static_cast<unsigned char>(i % 10));
  return idx({n}, p);
}

void write_set(const fs::path& dir, const std::string& prefix, int64_t n, bool gz) {
  std::string ext = gz ? ".gz" : "";
  write(dir / (prefix + "-images-idx3-ubyte" + ext), images(n), gz);
  write(dir / (prefix + "-labels-idx1-ubyte" + ext), labels(n), gz);
}

TEST(DataMNIST, ReadsPlainAndGzippedIdx) {
  TempDir tmp;
  write_set(tmp.path(), "train", 5, /*gz=*/true);
  write_set(tmp.path(), "t10k", 3, /*gz=*/false);
  data::FashionMNIST train(tmp.path().string());
  EXPECT_EQ(train.size(), 5);
  EXPECT_TRUE(train.train());
  auto [x, y] = train.get(2);
  EXPECT_EQ(x.dtype(), kUInt8);
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{1, 4, 3}));
  EXPECT_EQ(x.index({0, 1, 2}).item<int64_t>(), 25);
  EXPECT_EQ(y.dtype(), kInt64);
  EXPECT_EQ(y.dim(), 0);
  EXPECT_EQ(y.item<int64_t>(), 2);
  EXPECT_EQ(train.data().sizes(), (std::vector<int64_t>{5, 4, 3}));
  EXPECT_EQ(train.targets().tolist<int64_t>(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(train.classes().size(), 10u);
  EXPECT_EQ(train.classes()[0], "T-shirt/top");
  EXPECT_EQ(train.classes()[9], "Ankle boot");

  data::MNIST test(tmp.path().string(),
                   {.train = false,
                    .transform = data::transforms::ToTensor(),
                    .target_transform = [](const Tensor& t) { return t + 100; }});
  EXPECT_EQ(test.size(), 3);
  EXPECT_EQ(test.classes()[3], "3 - three");
  auto s = test.get(1);
  EXPECT_EQ(s.data.dtype(), kFloat32);
  EXPECT_FLOAT_EQ(s.data.index({0, 0, 1}).item<float>(), 11.0f / 255.0f);
  EXPECT_EQ(s.target.item<int64_t>(), 101);

  // torchvision's layout: <root>/FashionMNIST/raw/.
  TempDir tv;
  write_set(tv.path() / "FashionMNIST" / "raw", "train", 4, false);
  EXPECT_EQ(data::FashionMNIST(tv.path().string()).size(), 4);

  // Through a DataLoader with Resize: (N, 1, 8, 6) float batches.
  data::FashionMNIST resized(
      tmp.path().string(), {.transform = data::transforms::Compose(
                                {data::transforms::Resize({8, 6}), data::transforms::ToTensor()})});
  data::DataLoader loader(resized, {.batch_size = 2, .num_workers = 2});
  EXPECT_EQ(loader.size(), 3);
  for (auto& [bx, by] : loader) {
    EXPECT_EQ(bx.sizes().size(), 4u);
    EXPECT_EQ(bx.size(2), 8);
    EXPECT_EQ(bx.dtype(), kFloat32);
    EXPECT_EQ(by.dtype(), kInt64);
  }
}

TEST(DataMNIST, BatchFastPathEqualsGetAndCollate) {
  // get_batch writes whole batches straight from uint8; it must give get() + default_collate's
  // values.
  TempDir tmp;
  write_set(tmp.path(), "train", 6, true);
  namespace T = data::transforms;
  using Mode = T::InterpolationMode;
  std::vector<data::Transform> fused{
      nullptr,
      T::ToTensor(),
      T::Compose({T::Resize({9, 7}), T::ToTensor()}),
      T::Compose({T::Resize(5, {.interpolation = Mode::NEAREST}), T::ToTensor(),
                  T::Normalize({0.3}, {0.7})}),
      T::Compose({T::ToTensor(), T::Resize(11), T::Normalize({0.5}, {0.25})}),
      T::Compose({T::ToTensor(), T::Normalize({0.1}, {2.0})}),
  };
  std::vector<int64_t> idx{4, 0, -1, 2};
  for (size_t k = 0; k < fused.size(); ++k) {
    data::FashionMNIST ds(tmp.path().string(), {.transform = fused[k]});
    auto batch = ds.get_batch(idx);
    ASSERT_TRUE(batch.has_value()) << "pipeline " << k;
    std::vector<data::Example> samples;
    for (int64_t i : idx) samples.push_back(ds.get(i));
    auto ref = data::default_collate(std::move(samples));
    EXPECT_EQ(batch->data.sizes(), ref.data.sizes()) << "pipeline " << k;
    EXPECT_EQ(batch->data.dtype(), ref.data.dtype()) << "pipeline " << k;
    EXPECT_TRUE(batch->data.equal(ref.data)) << "pipeline " << k;
    EXPECT_TRUE(batch->target.equal(ref.target)) << "pipeline " << k;
    // Through a Subset too.
    auto sub = data::Subset(ds, {5, 4, 3}).get_batch({1});
    ASSERT_TRUE(sub.has_value());
    EXPECT_TRUE(sub->data.select(0, 0).equal(ds.get(4).data)) << "pipeline " << k;
  }
  // Pipelines it does not know take the general path.
  data::FashionMNIST flip(tmp.path().string(),
                          {.transform = T::Compose({T::ToTensor(), T::RandomHorizontalFlip()})});
  EXPECT_FALSE(flip.get_batch(idx).has_value());
  data::FashionMNIST relabel(tmp.path().string(),
                             {.target_transform = [](const Tensor& t) { return t; }});
  EXPECT_FALSE(relabel.get_batch(idx).has_value());
  expect_error([&] { (void)data::FashionMNIST(tmp.path().string()).get_batch({6}); },
               "FashionMNIST: index 6 is out of range for a dataset of size 6");
}

TEST(DataMNIST, MissingAndCorruptFilesSayWhatAndHow) {
  TempDir tmp;
  std::string root = tmp.path().string();
  expect_error([&] { data::FashionMNIST{root}; },
               "FashionMNIST: cannot find train-images-idx3-ubyte or "
               "train-images-idx3-ubyte.gz in " +
                   root);
  expect_error([&] { data::FashionMNIST{root}; }, "apt-get install dataset-fashion-mnist");

  auto images_path = tmp.path() / "train-images-idx3-ubyte";
  write(tmp.path() / "train-labels-idx1-ubyte", labels(5), false);
  // Bad magic (a label file where images belong, and garbage).
  Bytes bad = images(5);
  bad[2] = 0x0D;  // float IDX
  write(images_path, bad, false);
  expect_error([&] { data::FashionMNIST{root}; },
               images_path.string() + ": bad magic number 3331 at byte 0");
  write(images_path, labels(5), false);
  expect_error([&] { data::FashionMNIST{root}; },
               "expected an image file with 3 dims (N, H, W), got 1 dims");
  // Truncated data, in a plain file and in a gzipped one.
  Bytes cut = images(5);
  cut.resize(cut.size() - 7);
  write(images_path, cut, false);
  expect_error(
      [&] { data::FashionMNIST{root}; },
      "truncated: the header promises 5 x 4 x 3 = 60 bytes after byte 16, the file has 53");
  fs::remove(images_path);
  write(tmp.path() / "train-images-idx3-ubyte.gz", cut, true);
  expect_error([&] { data::FashionMNIST{root}; },
               "the file has 53 (get the data with: apt-get install");
  // A gzip stream cut short.
  write(tmp.path() / "train-images-idx3-ubyte.gz", images(5), true);
  auto gz = tmp.path() / "train-images-idx3-ubyte.gz";
  fs::resize_file(gz, fs::file_size(gz) - 12);
  expect_error([&] { data::FashionMNIST{root}; }, "train-images-idx3-ubyte.gz");
  // Counts that disagree, and extra bytes.
  write(gz, images(4), true);
  expect_error([&] { data::FashionMNIST{root}; }, "holds 5 labels but");
  Bytes longer = images(5);
  longer.push_back(1);
  write(gz, longer, true);
  expect_error([&] { data::FashionMNIST{root}; }, "more data than the header promises");
  // A label that is no class.
  write(gz, images(5), true);
  Bytes lab = labels(5);
  lab.back() = 12;
  write(tmp.path() / "train-labels-idx1-ubyte", lab, false);
  expect_error([&] { data::FashionMNIST{root}; },
               "label 12 at byte 12 is not a class index in [0, 10)");
}

TEST(DataMNIST, RealFashionMNIST) {
  if (!fs::exists(std::string(data::FashionMNIST::kDefaultRoot) + "/t10k-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "Fashion-MNIST is not installed in " << data::FashionMNIST::kDefaultRoot
                 << " (apt-get install dataset-fashion-mnist)";
  }
  data::FashionMNIST test({.train = false});
  ASSERT_EQ(test.size(), 10000);
  EXPECT_EQ(test.data().sizes(), (std::vector<int64_t>{10000, 28, 28}));
  // Known values (torchvision): the first test label is 9 (Ankle boot), then 2, 1; 1000 of each
  // class.
  EXPECT_EQ(test.targets().narrow(0, 0, 3).tolist<int64_t>(), (std::vector<int64_t>{9, 2, 1}));
  EXPECT_EQ(test.targets().eq(4).sum().item<int64_t>(), 1000);
  EXPECT_GT(test.get(0).data.to(kInt64).sum().item<int64_t>(), 0);
}

}  // namespace
}  // namespace wick

// MNIST and FashionMNIST, as torchvision.datasets: the IDX files of a root folder (gzipped or
// not), read into memory once. Samples are uint8 (1, 28, 28) images before the transform and int64
// targets. Nothing is downloaded: the files come from the system (apt-get install
// dataset-fashion-mnist).
#pragma once

#include <string>
#include <vector>

#include "wick/data/dataset.h"

namespace wick::data {

struct MNISTOptions {
  bool train = true;  // train-* (60000 images) or t10k-* (10000) files
  Transform transform = nullptr;
  Transform target_transform = nullptr;
};

// torchvision.datasets.MNIST(root, train=True, transform=None, target_transform=None). Looks for
// train-images-idx3-ubyte[.gz] etc. in root, then in root/<ClassName>/raw (torchvision's layout).
class MNIST : public Dataset {
 public:
  explicit MNIST(const std::string& root, MNISTOptions options = {});
  int64_t size() const override { return data_.size(0); }
  Example get(int64_t index) const override;
  // The fast path for whole batches: with no transform, or Resize/ToTensor/Normalize pipelines,
  // writes the batch straight from the uint8 images (the same values as get() + default_collate).
  std::optional<Example> get_batch(const std::vector<int64_t>& indices) const override;

  // All images, uint8 (N, 28, 28), and targets, int64 (N), as torchvision's .data and .targets.
  const Tensor& data() const { return data_; }
  const Tensor& targets() const { return targets_; }
  const std::vector<std::string>& classes() const { return classes_; }
  bool train() const { return options_.train; }

 protected:
  MNIST(const std::string& root, MNISTOptions options, const char* name,
        std::vector<std::string> classes, const char* install_hint);

 private:
  int64_t check_index(int64_t index) const;
  Tensor data_, targets_;
  MNISTOptions options_;
  std::vector<std::string> classes_;
  std::string name_;
};

// torchvision.datasets.FashionMNIST; the default root is where Debian's dataset-fashion-mnist puts
// it.
class FashionMNIST : public MNIST {
 public:
  static constexpr const char* kDefaultRoot = "/usr/share/datasets/fashion-mnist";
  explicit FashionMNIST(const std::string& root = kDefaultRoot, MNISTOptions options = {});
  explicit FashionMNIST(MNISTOptions options) : FashionMNIST(kDefaultRoot, std::move(options)) {}
};

// Reads one IDX file (gzipped or not) into a uint8 tensor of its dims (labels: (N), images: (N, H,
// W)). Throws naming the file, what is wrong and `hint` on a missing, corrupt or truncated file.
Tensor read_idx_file(const std::string& path, const std::string& hint = "");

}  // namespace wick::data

// Map-style datasets, as torch.utils.data: Dataset (size() and get(i) -> Example), TensorDataset,
// Subset, ConcatDataset and random_split. Iterable-style datasets are deliberately not here.
// Datasets are cheap to copy (they hold tensors or shared references), so APIs take them by value.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "wick/core/generator.h"
#include "wick/core/tensor.h"

namespace wick::data {

// One sample or one batch: `auto& [x, y] = example`. target may be undefined (no labels).
struct Example {
  Tensor data;
  Tensor target;
};

// A sample transform (transforms::Compose, ToTensor, ... or any callable Tensor -> Tensor).
using Transform = std::function<Tensor(const Tensor&)>;

// torch.utils.data.Dataset: size() is len(ds), get(i) is ds[i] for 0 <= i < size().
class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  virtual Example get(int64_t index) const = 0;
  // An optional fast path, as PyTorch's __getitems__: the batch of these samples exactly as
  // default_collate would stack them, or nullopt to have the DataLoader get() and collate each.
  virtual std::optional<Example> get_batch(const std::vector<int64_t>& indices) const {
    (void)indices;
    return std::nullopt;
  }
};

// A shared, type-erased reference to a dataset: made from any Dataset value (copied once) or from a
// shared_ptr. What Subset, ConcatDataset and DataLoader hold.
class DatasetRef {
 public:
  template <typename D, typename = std::enable_if_t<std::is_base_of_v<Dataset, std::decay_t<D>>>>
  DatasetRef(D&& dataset)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<std::decay_t<D>>(std::forward<D>(dataset))) {}
  template <typename D, typename = std::enable_if_t<std::is_base_of_v<Dataset, D>>>
  DatasetRef(std::shared_ptr<D> dataset) : ptr_(std::move(dataset)) {}  // NOLINT

  const Dataset& operator*() const { return *ptr_; }
  const Dataset* operator->() const { return ptr_.get(); }
  const std::shared_ptr<const Dataset>& ptr() const { return ptr_; }

 private:
  std::shared_ptr<const Dataset> ptr_;
};

// torch.utils.data.TensorDataset(data, target): sample i is (data[i], target[i]); both share dim 0.
class TensorDataset : public Dataset {
 public:
  explicit TensorDataset(Tensor data, Tensor target = {});
  int64_t size() const override { return data_.size(0); }
  Example get(int64_t index) const override;
  const Tensor& data() const { return data_; }
  const Tensor& target() const { return target_; }

 private:
  Tensor data_, target_;
};

// torch.utils.data.Subset(dataset, indices).
class Subset : public Dataset {
 public:
  Subset(DatasetRef dataset, std::vector<int64_t> indices);
  int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
  Example get(int64_t index) const override;
  std::optional<Example> get_batch(const std::vector<int64_t>& indices) const override;
  const Dataset& dataset() const { return *dataset_; }
  const std::vector<int64_t>& indices() const { return indices_; }

 private:
  DatasetRef dataset_;
  std::vector<int64_t> indices_;
};

// torch.utils.data.ConcatDataset(datasets): the samples of each dataset in turn.
class ConcatDataset : public Dataset {
 public:
  explicit ConcatDataset(std::vector<DatasetRef> datasets);
  int64_t size() const override { return cumulative_sizes_.empty() ? 0 : cumulative_sizes_.back(); }
  Example get(int64_t index) const override;
  const std::vector<int64_t>& cumulative_sizes() const { return cumulative_sizes_; }

 private:
  std::vector<DatasetRef> datasets_;
  std::vector<int64_t> cumulative_sizes_;
};

// The lengths argument of random_split: counts ({50000, 10000}) or fractions ({0.8, 0.2}).
class SplitLengths {
 public:
  SplitLengths(std::initializer_list<int> l) : values_(l.begin(), l.end()) {}        // NOLINT
  SplitLengths(std::initializer_list<int64_t> l) : values_(l.begin(), l.end()) {}    // NOLINT
  SplitLengths(std::initializer_list<double> l) : values_(l), fractional_(true) {}   // NOLINT
  SplitLengths(const std::vector<int64_t>& l) : values_(l.begin(), l.end()) {}       // NOLINT
  SplitLengths(std::vector<double> l) : values_(std::move(l)), fractional_(true) {}  // NOLINT
  // The counts for a dataset of n samples (fractions as PyTorch turns them into counts).
  std::vector<int64_t> counts(int64_t n) const;

 private:
  std::vector<double> values_;
  bool fractional_ = false;
};

// torch.utils.data.random_split: a random permutation cut into consecutive pieces. Draws from
// `generator` (default_generator() when null).
std::vector<Subset> random_split(const DatasetRef& dataset, const SplitLengths& lengths,
                                 Generator* generator = nullptr);

}  // namespace wick::data

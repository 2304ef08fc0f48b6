// TensorDataset, Subset, ConcatDataset and random_split: index bookkeeping over other datasets.
// No sample data is copied here; a sample is read from its source when get() asks for it.
#include "wick/data/dataset.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "wick/core/error.h"
#include "wick/ops/creation.h"

namespace wick::data {

namespace {

int64_t check_index(const char* who, int64_t index, int64_t size) {
  WICK_CHECK(index >= -size && index < size, who, ": index ", index,
             " is out of range for a dataset of size ", size);
  return index < 0 ? index + size : index;
}

}  // namespace

TensorDataset::TensorDataset(Tensor data, Tensor target)
    : data_(std::move(data)), target_(std::move(target)) {
  WICK_CHECK(data_.defined() && data_.dim() >= 1,
             "TensorDataset: expected a data tensor with at least one dim");
  WICK_CHECK(!target_.defined() || (target_.dim() >= 1 && target_.size(0) == data_.size(0)),
             "TensorDataset: Size mismatch between tensors: data has ", data_.size(0),
             " samples, target has ",
             target_.defined() && target_.dim() >= 1 ? target_.size(0) : 0);
}

Example TensorDataset::get(int64_t index) const {
  int64_t i = check_index("TensorDataset", index, size());
  return {data_.select(0, i), target_.defined() ? target_.select(0, i) : Tensor()};
}

Subset::Subset(DatasetRef dataset, std::vector<int64_t> indices)
    : dataset_(std::move(dataset)), indices_(std::move(indices)) {
  int64_t n = dataset_->size();
  for (int64_t& i : indices_) i = check_index("Subset", i, n);
}

Example Subset::get(int64_t index) const {
  return dataset_->get(indices_[static_cast<size_t>(check_index("Subset", index, size()))]);
}

std::optional<Example> Subset::get_batch(const std::vector<int64_t>& indices) const {
  std::vector<int64_t> mapped;
  mapped.reserve(indices.size());
  for (int64_t i : indices)
    mapped.push_back(indices_[static_cast<size_t>(check_index("Subset", i, size()))]);
  return dataset_->get_batch(mapped);
}

ConcatDataset::ConcatDataset(std::vector<DatasetRef> datasets) : datasets_(std::move(datasets)) {
  WICK_CHECK(!datasets_.empty(), "ConcatDataset: datasets should not be an empty iterable");
  int64_t total = 0;
  for (const auto& d : datasets_) cumulative_sizes_.push_back(total += d->size());
}

Example ConcatDataset::get(int64_t index) const {
  int64_t i = check_index("ConcatDataset", index, size());
  // The first dataset whose cumulative size exceeds i holds sample i.
  auto it = std::upper_bound(cumulative_sizes_.begin(), cumulative_sizes_.end(), i);
  auto d = static_cast<size_t>(it - cumulative_sizes_.begin());
  int64_t start = d == 0 ? 0 : cumulative_sizes_[d - 1];
  return datasets_[d]->get(i - start);
}

std::vector<int64_t> SplitLengths::counts(int64_t n) const {
  double sum = std::accumulate(values_.begin(), values_.end(), 0.0);
  std::vector<int64_t> out;
  if (fractional_ && std::abs(sum - 1.0) <= 1e-9 && sum <= 1.0) {
    // PyTorch: floor(n * frac) each, then the remainder one by one round-robin from the first.
    for (size_t i = 0; i < values_.size(); ++i) {
      WICK_CHECK(values_[i] >= 0 && values_[i] <= 1, "random_split: Fraction at index ", i,
                 " is not between 0 and 1");
      out.push_back(static_cast<int64_t>(std::floor(static_cast<double>(n) * values_[i])));
    }
    int64_t remainder = n - std::accumulate(out.begin(), out.end(), int64_t{0});
    for (int64_t i = 0; i < remainder; ++i) out[static_cast<size_t>(i) % out.size()] += 1;
    return out;
  }
  for (double v : values_) {
    WICK_CHECK(v >= 0 && v == std::floor(v),
               "random_split: expected non-negative whole lengths or fractions "
               "summing to 1, got ",
               v);
    out.push_back(static_cast<int64_t>(v));
  }
  return out;
}

std::vector<Subset> random_split(const DatasetRef& dataset, const SplitLengths& lengths,
                                 Generator* generator) {
  int64_t n = dataset->size();
  std::vector<int64_t> counts = lengths.counts(n);
  int64_t total = std::accumulate(counts.begin(), counts.end(), int64_t{0});
  WICK_CHECK(total == n, "random_split: Sum of input lengths (", total,
             ") does not equal the length of the input dataset (", n, ")!");
  std::vector<int64_t> perm = randperm(n, {}, generator).tolist<int64_t>();
  std::vector<Subset> out;
  int64_t offset = 0;
  for (int64_t c : counts) {
    out.emplace_back(dataset,
                     std::vector<int64_t>(perm.begin() + offset, perm.begin() + offset + c));
    offset += c;
  }
  return out;
}

}  // namespace wick::data

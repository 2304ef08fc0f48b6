// Samplers, as torch.utils.data: which dataset indices an epoch visits and in what order
// (SequentialSampler, RandomSampler, SubsetRandomSampler) and how they group into batches
// (BatchSampler). Distributed and weighted samplers are deliberately not here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "wick/core/generator.h"
#include "wick/data/dataset.h"

namespace wick::data {

// torch.utils.data.Sampler: indices() is one pass of iter(sampler) (random samplers draw a new
// order on each call), size() is len(sampler).
class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::vector<int64_t> indices() = 0;
  virtual int64_t size() const = 0;
};

class SequentialSampler : public Sampler {
 public:
  explicit SequentialSampler(const Dataset& data_source) : n_(data_source.size()) {}
  std::vector<int64_t> indices() override;
  int64_t size() const override { return n_; }

 private:
  int64_t n_;
};

struct RandomSamplerOptions {
  bool replacement = false;
  std::optional<int64_t> num_samples = std::nullopt;  // default: len(data_source)
  // Draws from this generator (which must outlive the sampler); when null, each epoch seeds a fresh
  // generator from default_generator(), so wick::manual_seed makes the order reproducible.
  Generator* generator = nullptr;
};

class RandomSampler : public Sampler {
 public:
  explicit RandomSampler(const Dataset& data_source, RandomSamplerOptions options = {});
  std::vector<int64_t> indices() override;
  int64_t size() const override { return num_samples_; }

 private:
  int64_t n_, num_samples_;
  RandomSamplerOptions options_;
};

// Samples the given indices in a random order, without replacement.
class SubsetRandomSampler : public Sampler {
 public:
  explicit SubsetRandomSampler(std::vector<int64_t> indices, Generator* generator = nullptr)
      : indices_(std::move(indices)), generator_(generator) {}
  std::vector<int64_t> indices() override;
  int64_t size() const override { return static_cast<int64_t>(indices_.size()); }

 private:
  std::vector<int64_t> indices_;
  Generator* generator_;
};

// A shared, type-erased reference to a sampler: made from any Sampler value or a shared_ptr.
template <typename Base>
class SharedRef {
 public:
  SharedRef() = default;
  SharedRef(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  template <typename D, typename = std::enable_if_t<std::is_base_of_v<Base, std::decay_t<D>>>>
  SharedRef(D&& value)  // NOLINT(google-explicit-constructor)
      : ptr_(std::make_shared<std::decay_t<D>>(std::forward<D>(value))) {}
  template <typename D, typename = std::enable_if_t<std::is_base_of_v<Base, D>>>
  SharedRef(std::shared_ptr<D> ptr) : ptr_(std::move(ptr)) {}  // NOLINT
  explicit operator bool() const { return ptr_ != nullptr; }
  Base& operator*() const { return *ptr_; }
  Base* operator->() const { return ptr_.get(); }

 private:
  std::shared_ptr<Base> ptr_;
};
using SamplerRef = SharedRef<Sampler>;

// torch.utils.data.BatchSampler(sampler, batch_size, drop_last): the sampler's indices in batches
// of batch_size; the last, shorter one is kept unless drop_last.
class BatchSampler {
 public:
  BatchSampler(SamplerRef sampler, int64_t batch_size, bool drop_last);
  virtual ~BatchSampler() = default;
  virtual std::vector<std::vector<int64_t>> batches();
  // len(batch_sampler): ceil(len(sampler) / batch_size), or floor with drop_last.
  virtual int64_t size() const;

 private:
  SamplerRef sampler_;
  int64_t batch_size_;
  bool drop_last_;
};
using BatchSamplerRef = SharedRef<BatchSampler>;

}  // namespace wick::data

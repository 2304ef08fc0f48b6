// DataLoader, as torch.utils.data.DataLoader: batches of a map-style dataset, optionally shuffled,
// loaded ahead by background threads (num_workers) in a fixed order. Threads, not processes:
// a dataset is shared, never pickled; there is no pin_memory, timeout or worker_init_fn.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "wick/core/generator.h"
#include "wick/data/dataset.h"
#include "wick/data/sampler.h"

namespace wick::data {

// Turns the samples of one batch into the batch (default_collate stacks data and targets).
using CollateFn = std::function<Example(std::vector<Example>&&)>;

// default_collate: stack(data) and stack(target) along a new dim 0 (an undefined target stays so).
Example default_collate(std::vector<Example>&& samples);

// The generator that random transforms draw from. While a DataLoader loads batch b it is a stream
// fixed by (the epoch's base seed, b), whichever thread loads it, so batches do not depend on
// num_workers; elsewhere it is default_generator().
Generator& current_generator();

struct DataLoaderOptions {
  std::optional<int64_t> batch_size = 1;  // nullopt: no batching, each item is one sample
  bool shuffle = false;
  SamplerRef sampler = nullptr;
  BatchSamplerRef batch_sampler = nullptr;
  int64_t num_workers = 0;         // background loading threads; 0 loads in the iterating thread
  CollateFn collate_fn = nullptr;  // default: default_collate
  bool drop_last = false;
  // Shuffling and the epoch seeds of random transforms draw from it (it must outlive the loader);
  // null: default_generator().
  Generator* generator = nullptr;
  int64_t prefetch_factor = 2;  // batches loaded ahead per worker
};

class DataLoader {
 public:
  struct Epoch;  // one pass: its batch list, the worker threads and the batches loaded ahead
  class Iterator;
  struct Sentinel {};

  DataLoader(DatasetRef dataset, DataLoaderOptions options = {});

  // One epoch: a new order when shuffling. `for (auto& [x, y] : loader)`. Leaving the loop early
  // stops the workers.
  Iterator begin() const;
  Sentinel end() const { return {}; }
  // len(loader): the number of batches (ceil, or floor with drop_last).
  int64_t size() const;

  const Dataset& dataset() const { return *dataset_; }
  const DataLoaderOptions& options() const { return options_; }

 private:
  DatasetRef dataset_;
  DataLoaderOptions options_;
  BatchSamplerRef batch_sampler_;  // null when batch_size is nullopt
  SamplerRef sampler_;
};

class DataLoader::Iterator {
 public:
  using value_type = Example;
  using difference_type = std::ptrdiff_t;

  explicit Iterator(std::shared_ptr<Epoch> epoch);
  // Move-only: two copies advancing would take the same batches from one epoch.
  Iterator(Iterator&&) = default;
  Iterator& operator=(Iterator&&) = default;
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  Example& operator*() { return current_; }
  Example* operator->() { return &current_; }
  Iterator& operator++();
  bool operator==(Sentinel) const;
  bool operator!=(Sentinel s) const { return !(*this == s); }

 private:
  void fetch();
  std::shared_ptr<Epoch> epoch_;
  int64_t index_ = 0;
  Example current_;
};

}  // namespace wick::data

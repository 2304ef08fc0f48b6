// Samplers and BatchSampler: index orders for one epoch. Random orders come from Wick's Philox
// generator (randperm/randint), so they are reproducible but not PyTorch's mt19937 orders.
#include "wick/data/sampler.h"

#include <numeric>

#include "wick/core/error.h"
#include "wick/ops/creation.h"

namespace wick::data {

namespace {

// A seed drawn from default_generator(): a sampler without a generator of its own seeds a fresh one
// with it each epoch, as PyTorch's RandomSampler does.
uint64_t seed_from_default() {
  return static_cast<uint64_t>(randint(0, INT64_MAX, {}, {}, &default_generator()).item<int64_t>());
}

}  // namespace

std::vector<int64_t> SequentialSampler::indices() {
  std::vector<int64_t> out(static_cast<size_t>(n_));
  std::iota(out.begin(), out.end(), int64_t{0});
  return out;
}

RandomSampler::RandomSampler(const Dataset& data_source, RandomSamplerOptions options)
    : n_(data_source.size()), num_samples_(options.num_samples.value_or(n_)), options_(options) {
  WICK_CHECK(num_samples_ > 0,
             "RandomSampler: num_samples should be a positive integer value, but got num_samples=",
             num_samples_);
}

std::vector<int64_t> RandomSampler::indices() {
  Generator local(options_.generator ? 0 : seed_from_default());
  Generator* gen = options_.generator ? options_.generator : &local;
  if (options_.replacement) return randint(0, n_, {num_samples_}, {}, gen).tolist<int64_t>();
  // Without replacement: whole permutations, then a prefix of one more (num_samples > n repeats).
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(num_samples_));
  while (static_cast<int64_t>(out.size()) < num_samples_) {
    std::vector<int64_t> perm = randperm(n_, {}, gen).tolist<int64_t>();
    size_t take = std::min(perm.size(), static_cast<size_t>(num_samples_) - out.size());
    out.insert(out.end(), perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(take));
  }
  return out;
}

std::vector<int64_t> SubsetRandomSampler::indices() {
  Generator local(generator_ ? 0 : seed_from_default());
  std::vector<int64_t> perm =
      randperm(size(), {}, generator_ ? generator_ : &local).tolist<int64_t>();
  std::vector<int64_t> out;
  out.reserve(perm.size());
  for (int64_t p : perm) out.push_back(indices_[static_cast<size_t>(p)]);
  return out;
}

BatchSampler::BatchSampler(SamplerRef sampler, int64_t batch_size, bool drop_last)
    : sampler_(std::move(sampler)), batch_size_(batch_size), drop_last_(drop_last) {
  WICK_CHECK(sampler_, "BatchSampler: sampler must not be null");
  WICK_CHECK(batch_size_ > 0,
             "BatchSampler: batch_size should be a positive integer value, but got batch_size=",
             batch_size_);
}

std::vector<std::vector<int64_t>> BatchSampler::batches() {
  std::vector<int64_t> idx = sampler_->indices();
  std::vector<std::vector<int64_t>> out;
  auto bs = static_cast<size_t>(batch_size_);
  for (size_t start = 0; start < idx.size(); start += bs) {
    size_t end = std::min(idx.size(), start + bs);
    if (end - start < bs && drop_last_) break;
    out.emplace_back(idx.begin() + static_cast<std::ptrdiff_t>(start),
                     idx.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return out;
}

int64_t BatchSampler::size() const {
  int64_t n = sampler_->size();
  return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

}  // namespace wick::data

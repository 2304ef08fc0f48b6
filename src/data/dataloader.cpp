// DataLoader: the batch list of an epoch is fixed up front in the iterating thread; workers claim
// batch numbers in order, at most num_workers * prefetch_factor ahead of the consumer, and the
// consumer takes them back in order, so the batches never depend on the number of workers.
#include "wick/data/dataloader.h"

#include <condition_variable>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "wick/autograd/grad_mode.h"
#include "wick/core/error.h"
#include "wick/ops/creation.h"
#include "wick/ops/shape_ops.h"

namespace wick::data {

namespace {

thread_local Generator* tl_generator = nullptr;

// Makes current_generator() a given generator for the life of the scope (per thread).
class GeneratorScope {
 public:
  explicit GeneratorScope(Generator* g) : prev_(tl_generator) { tl_generator = g; }
  ~GeneratorScope() { tl_generator = prev_; }
  GeneratorScope(const GeneratorScope&) = delete;
  GeneratorScope& operator=(const GeneratorScope&) = delete;

 private:
  Generator* prev_;
};

// Stacks same-shape contiguous CPU tensors with one memcpy each; anything else goes through
// wick::stack. The fast path keeps collation off the intra-op thread pool, which the training
// step in the main thread is using at the same time.
Tensor stack_samples(const std::vector<Tensor>& ts) {
  const Tensor& first = ts.front();
  bool simple = first.is_cpu() && !first.requires_grad();
  for (const Tensor& t : ts) {
    simple = simple && t.is_cpu() && t.is_contiguous() && t.dtype() == first.dtype() &&
             !t.requires_grad() && t.sizes() == first.sizes();
  }
  if (!simple) return stack(ts, 0);
  std::vector<int64_t> shape{static_cast<int64_t>(ts.size())};
  shape.insert(shape.end(), first.sizes().begin(), first.sizes().end());
  Tensor out = empty(shape, {.dtype = first.dtype()});
  auto* dst = static_cast<char*>(out.data_ptr());
  size_t bytes = first.nbytes();
  for (const Tensor& t : ts) {
    if (bytes) std::memcpy(dst, t.data_ptr(), bytes);
    dst += bytes;
  }
  return out;
}

}  // namespace

Generator& current_generator() { return tl_generator ? *tl_generator : default_generator(); }

Example default_collate(std::vector<Example>&& samples) {
  WICK_CHECK(!samples.empty(), "default_collate: expected at least one sample");
  std::vector<Tensor> data, target;
  data.reserve(samples.size());
  bool has_target = samples.front().target.defined();
  for (size_t i = 0; i < samples.size(); ++i) {
    WICK_CHECK(samples[i].data.defined() && samples[i].target.defined() == has_target,
               "default_collate: sample ", i, " has ",
               samples[i].data.defined() ? "" : "no data and ",
               samples[i].target.defined() ? "a target" : "no target", ", unlike sample 0");
    data.push_back(std::move(samples[i].data));
    if (has_target) target.push_back(std::move(samples[i].target));
  }
  return {stack_samples(data), has_target ? stack_samples(target) : Tensor()};
}

struct DataLoader::Epoch {
  struct Slot {
    Example batch;
    std::exception_ptr error;
  };

  DatasetRef dataset;
  CollateFn collate;  // null: unbatched
  bool use_get_batch =
      false;  // default_collate: then the dataset's get_batch fast path may stand in for it
  std::vector<std::vector<int64_t>> batches;
  uint64_t base_seed = 0;
  int64_t window = 1;

  std::mutex mu;
  std::condition_variable work_cv, ready_cv;
  int64_t next_claim = 0;  // the next batch a worker starts
  int64_t consumed = 0;    // batches handed to the consumer
  bool stop = false;
  std::map<int64_t, Slot> ready;
  std::vector<std::thread> threads;

  Epoch(DatasetRef d, CollateFn c) : dataset(std::move(d)), collate(std::move(c)) {}
  Epoch(const Epoch&) = delete;
  Epoch& operator=(const Epoch&) = delete;

  int64_t size() const { return static_cast<int64_t>(batches.size()); }

  Example load(int64_t b) const {
    autograd::NoGradGuard no_grad;
    Generator gen(base_seed);
    gen.set_state(base_seed, static_cast<uint64_t>(b) << 40);  // 2^40 counters per batch
    GeneratorScope scope(&gen);
    const auto& idx = batches[static_cast<size_t>(b)];
    if (!collate) return dataset->get(idx.front());
    if (use_get_batch) {
      if (auto batch = dataset->get_batch(idx)) return std::move(*batch);
    }
    std::vector<Example> samples;
    samples.reserve(idx.size());
    for (int64_t i : idx) samples.push_back(dataset->get(i));
    return collate(std::move(samples));
  }

  void start(int64_t num_workers) {
    for (int64_t w = 0; w < num_workers; ++w) threads.emplace_back([this] { work(); });
  }

  void work() {
    for (;;) {
      int64_t b;
      {
        std::unique_lock<std::mutex> lk(mu);
        work_cv.wait(
            lk, [&] { return stop || next_claim >= size() || next_claim < consumed + window; });
        if (stop || next_claim >= size()) return;
        b = next_claim++;
      }
      Slot slot;
      try {
        slot.batch = load(b);
      } catch (...) {
        slot.error = std::current_exception();
      }
      std::lock_guard<std::mutex> lk(mu);
      ready.emplace(b, std::move(slot));
      ready_cv.notify_all();
    }
  }

  Example take(int64_t b) {
    if (threads.empty()) return load(b);
    Slot slot;
    {
      std::unique_lock<std::mutex> lk(mu);
      ready_cv.wait(lk, [&] { return ready.count(b) != 0; });
      auto it = ready.find(b);
      slot = std::move(it->second);
      ready.erase(it);
      consumed = b + 1;
    }
    work_cv.notify_all();
    if (slot.error) std::rethrow_exception(slot.error);
    return std::move(slot.batch);
  }

  ~Epoch() {
    {
      std::lock_guard<std::mutex> lk(mu);
      stop = true;
    }
    work_cv.notify_all();
    for (auto& t : threads) t.join();
  }
};

DataLoader::DataLoader(DatasetRef dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(std::move(options)) {
  const auto& o = options_;
  WICK_CHECK(o.num_workers >= 0,
             "DataLoader: num_workers option should be non-negative; use num_workers=0 to "
             "disable multiprocessing, got ",
             o.num_workers);
  WICK_CHECK(o.prefetch_factor >= 1, "DataLoader: prefetch_factor option should be positive, got ",
             o.prefetch_factor);
  WICK_CHECK(!(o.sampler && o.shuffle),
             "DataLoader: sampler option is mutually exclusive with shuffle");
  if (o.batch_sampler) {
    WICK_CHECK(o.batch_size == 1 && !o.shuffle && !o.sampler && !o.drop_last,
               "DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, "
               "sampler, and "
               "drop_last");
    batch_sampler_ = o.batch_sampler;
    return;
  }
  WICK_CHECK(o.batch_size || !o.drop_last,
             "DataLoader: batch_size=None option disables auto-batching and is "
             "mutually exclusive with drop_last");
  WICK_CHECK(!o.batch_size || *o.batch_size > 0,
             "DataLoader: batch_size should be a positive integer value, "
             "but got batch_size=",
             o.batch_size.value_or(0));
  if (o.sampler) {
    sampler_ = o.sampler;
  } else if (o.shuffle) {
    sampler_ = RandomSampler(*dataset_, {.generator = o.generator});
  } else {
    sampler_ = SequentialSampler(*dataset_);
  }
  if (o.batch_size) batch_sampler_ = BatchSampler(sampler_, *o.batch_size, o.drop_last);
}

int64_t DataLoader::size() const {
  return batch_sampler_ ? batch_sampler_->size() : sampler_->size();
}

DataLoader::Iterator DataLoader::begin() const {
  CollateFn collate;
  if (batch_sampler_)
    collate = options_.collate_fn ? options_.collate_fn : CollateFn(default_collate);
  auto epoch = std::make_shared<Epoch>(dataset_, std::move(collate));
  epoch->use_get_batch = batch_sampler_ && !options_.collate_fn;
  // The epoch's transform seed, then its order, both from the loader's generator.
  Generator* gen = options_.generator ? options_.generator : &default_generator();
  epoch->base_seed = static_cast<uint64_t>(randint(0, INT64_MAX, {}, {}, gen).item<int64_t>());
  if (batch_sampler_) {
    epoch->batches = batch_sampler_->batches();
  } else {
    for (int64_t i : sampler_->indices()) epoch->batches.push_back({i});
  }
  epoch->window = std::max<int64_t>(1, options_.num_workers * options_.prefetch_factor);
  epoch->start(std::min<int64_t>(options_.num_workers, epoch->size()));
  return Iterator(std::move(epoch));
}

DataLoader::Iterator::Iterator(std::shared_ptr<Epoch> epoch) : epoch_(std::move(epoch)) { fetch(); }

void DataLoader::Iterator::fetch() {
  current_ = index_ < epoch_->size() ? epoch_->take(index_) : Example{};
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  ++index_;
  fetch();
  if (index_ >= epoch_->size()) epoch_.reset();  // the epoch is over: join its workers now
  return *this;
}

bool DataLoader::Iterator::operator==(Sentinel) const {
  return !epoch_ || index_ >= epoch_->size();
}

}  // namespace wick::data

// Samplers and DataLoader: batch shapes and order, len(loader), shuffling per epoch and seeds,
// batch order independent of num_workers, worker exceptions rethrown, custom samplers/collate.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "support/expect_error.h"
#include "wick/data/data.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::expect_error;

data::TensorDataset make_dataset(int64_t n) {
  return data::TensorDataset(arange(n * 2, {.dtype = kFloat32}).reshape({n, 2}), arange(n));
}

// The targets of every batch of one epoch.
std::vector<std::vector<int64_t>> epoch_targets(const data::DataLoader& loader) {
  std::vector<std::vector<int64_t>> out;
  for (auto& [x, y] : loader) out.push_back(y.tolist<int64_t>());
  return out;
}

TEST(DataSampler, SequentialRandomSubsetBatch) {
  auto ds = make_dataset(5);
  EXPECT_EQ(data::SequentialSampler(ds).indices(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  Generator g(3);
  data::RandomSampler rs(ds, {.generator = &g});
  auto p1 = rs.indices(), p2 = rs.indices();
  EXPECT_NE(p1, p2);  // a new order each epoch
  std::sort(p1.begin(), p1.end());
  EXPECT_EQ(p1, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  data::RandomSampler with_repl(ds, {.replacement = true, .num_samples = 12});
  EXPECT_EQ(with_repl.size(), 12);
  auto r = with_repl.indices();
  EXPECT_EQ(r.size(), 12u);
  EXPECT_TRUE(std::all_of(r.begin(), r.end(), [](int64_t i) { return i >= 0 && i < 5; }));
  data::RandomSampler longer(ds, {.num_samples = 7});
  EXPECT_EQ(longer.indices().size(), 7u);

  auto sub = data::SubsetRandomSampler({10, 20, 30}).indices();
  std::sort(sub.begin(), sub.end());
  EXPECT_EQ(sub, (std::vector<int64_t>{10, 20, 30}));

  data::BatchSampler bs(data::SequentialSampler(ds), 2, false);
  EXPECT_EQ(bs.size(), 3);
  EXPECT_EQ(bs.batches(), (std::vector<std::vector<int64_t>>{{0, 1}, {2, 3}, {4}}));
  data::BatchSampler bs_drop(data::SequentialSampler(ds), 2, true);
  EXPECT_EQ(bs_drop.size(), 2);
  EXPECT_EQ(bs_drop.batches().size(), 2u);
  expect_error([&] { data::BatchSampler(data::SequentialSampler(ds), 0, false); },
               "batch_size should be a positive integer value, but got batch_size=0");
}

TEST(DataLoader, BatchesInOrderWithLenAsPyTorch) {
  auto ds = make_dataset(10);
  data::DataLoader loader(ds, {.batch_size = 4});
  EXPECT_EQ(loader.size(), 3);
  EXPECT_EQ(data::DataLoader(ds, {.batch_size = 4, .drop_last = true}).size(), 2);
  EXPECT_EQ(data::DataLoader(ds, {.batch_size = 5, .drop_last = true}).size(), 2);
  int64_t batches = 0;
  for (auto& [x, y] : loader) {
    int64_t n = batches < 2 ? 4 : 2;
    EXPECT_EQ(x.sizes(), (std::vector<int64_t>{n, 2}));
    EXPECT_EQ(x.dtype(), kFloat32);
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{n}));
    EXPECT_EQ(y.dtype(), kInt64);
    EXPECT_EQ(x.index({0, 0}).item<float>(), static_cast<float>(8 * batches));
    ++batches;
  }
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(epoch_targets(data::DataLoader(ds, {.batch_size = 4, .drop_last = true})).size(), 2u);
  // batch_size=None: one unbatched sample per item.
  data::DataLoader single(ds, {.batch_size = std::nullopt});
  EXPECT_EQ(single.size(), 10);
  EXPECT_EQ((*single.begin()).target.dim(), 0);
}

TEST(DataLoader, ShuffleReshufflesEachEpochAndSeedReproduces) {
  auto ds = make_dataset(64);
  Generator g(5);
  data::DataLoader loader(ds, {.batch_size = 8, .shuffle = true, .generator = &g});
  auto e1 = epoch_targets(loader), e2 = epoch_targets(loader);
  EXPECT_NE(e1, e2);
  std::vector<int64_t> flat;
  for (auto& b : e1) flat.insert(flat.end(), b.begin(), b.end());
  std::sort(flat.begin(), flat.end());
  for (int64_t i = 0; i < 64; ++i) EXPECT_EQ(flat[static_cast<size_t>(i)], i);
  Generator g2(5);
  data::DataLoader again(ds, {.batch_size = 8, .shuffle = true, .generator = &g2});
  EXPECT_EQ(epoch_targets(again), e1);
  // Without a generator the order follows wick::manual_seed.
  manual_seed(11);
  auto m1 = epoch_targets(data::DataLoader(ds, {.batch_size = 8, .shuffle = true}));
  manual_seed(11);
  EXPECT_EQ(epoch_targets(data::DataLoader(ds, {.batch_size = 8, .shuffle = true})), m1);
}

// A dataset whose samples are random (drawn from data::current_generator()) and slow to load.
class NoisyDataset : public data::Dataset {
 public:
  int64_t size() const override { return 37; }
  data::Example get(int64_t index) const override {
    std::this_thread::sleep_for(std::chrono::microseconds(50 * (index % 3)));
    return {rand({3}, {}, &data::current_generator()), scalar_tensor(index, {.dtype = kInt64})};
  }
};

TEST(DataLoader, SameBatchesWhateverTheNumberOfWorkers) {
  std::vector<std::vector<float>> ref;
  for (int64_t workers : {0, 1, 2, 3}) {
    Generator g(99);
    data::DataLoader loader(NoisyDataset(), {.batch_size = 5,
                                             .shuffle = true,
                                             .num_workers = workers,
                                             .generator = &g,
                                             .prefetch_factor = 1 + workers % 2});
    std::vector<std::vector<float>> got;
    for (auto& [x, y] : loader) {
      auto v = x.tolist<float>();
      auto t = y.tolist<int64_t>();
      v.insert(v.end(), t.begin(), t.end());
      got.push_back(v);
    }
    EXPECT_EQ(got.size(), 8u);
    if (ref.empty()) {
      ref = got;
    } else {
      EXPECT_EQ(got, ref) << "num_workers=" << workers;
    }
  }
}

TEST(DataLoader, WorkersLoadAheadAndStopWhenTheLoopBreaks) {
  // Workers run ahead of a slow consumer, at most num_workers * prefetch_factor batches.
  struct Counting : data::Dataset {
    std::shared_ptr<std::atomic<int64_t>> loaded = std::make_shared<std::atomic<int64_t>>(0);
    int64_t size() const override { return 100; }
    data::Example get(int64_t i) const override {
      ++*loaded;
      return {zeros({1}), scalar_tensor(i, {.dtype = kInt64})};
    }
  } ds;
  data::DataLoader loader(ds, {.batch_size = 1, .num_workers = 2, .prefetch_factor = 2});
  {
    auto it = loader.begin();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // The consumer holds batch 0; batches 1..4 may be loaded ahead, no more.
    EXPECT_GE(ds.loaded->load(), 3);
    EXPECT_LE(ds.loaded->load(), 5);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_LE(ds.loaded->load(), 5);  // the iterator is gone: the workers stopped
}

TEST(DataLoader, WorkerExceptionsReachTheLoop) {
  struct Failing : data::Dataset {
    int64_t size() const override { return 20; }
    data::Example get(int64_t i) const override {
      WICK_CHECK(i != 13, "Failing: cannot read sample ", i);
      return {zeros({2}), scalar_tensor(i, {.dtype = kInt64})};
    }
  };
  for (int64_t workers : {0, 2}) {
    data::DataLoader loader(Failing(), {.batch_size = 4, .num_workers = workers});
    int64_t seen = 0;
    expect_error(
        [&] {
          for (auto& [x, y] : loader) {
            (void)x;
            (void)y;
            ++seen;
          }
        },
        "Failing: cannot read sample 13");
    EXPECT_EQ(seen, 3) << "num_workers=" << workers;
  }
}

TEST(DataLoader, CustomSamplerBatchSamplerAndCollate) {
  auto ds = make_dataset(6);
  data::DataLoader by_sampler(ds, {.batch_size = 2, .sampler = data::SubsetRandomSampler({5, 3})});
  auto b = epoch_targets(by_sampler);
  ASSERT_EQ(b.size(), 1u);
  std::sort(b[0].begin(), b[0].end());
  EXPECT_EQ(b[0], (std::vector<int64_t>{3, 5}));

  data::DataLoader by_batch(
      ds, {.batch_sampler = data::BatchSampler(data::SequentialSampler(ds), 4, false)});
  EXPECT_EQ(by_batch.size(), 2);
  EXPECT_EQ(epoch_targets(by_batch), (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5}}));

  auto sum_collate = [](std::vector<data::Example>&& s) {
    return data::Example{stack({s.front().data, s.back().data}).sum(),
                         scalar_tensor(s.size(), {.dtype = kInt64})};
  };
  data::DataLoader custom(ds, {.batch_size = 3, .collate_fn = sum_collate});
  auto it = custom.begin();
  EXPECT_EQ((*it).data.item<float>(), 0 + 1 + 4 + 5);
  EXPECT_EQ((*it).target.item<int64_t>(), 3);

  expect_error(
      [&] { data::DataLoader(ds, {.shuffle = true, .sampler = data::SequentialSampler(ds)}); },
      "sampler option is mutually exclusive with shuffle");
  expect_error(
      [&] {
        data::DataLoader(
            ds, {.batch_size = 2,
                 .batch_sampler = data::BatchSampler(data::SequentialSampler(ds), 2, false)});
      },
      "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
      "drop_last");
  expect_error([&] { data::DataLoader(ds, {.num_workers = -1}); },
               "num_workers option should be non-negative");
}

TEST(DataLoader, DefaultCollateStacksAndChecksShapes) {
  std::vector<data::Example> s{{ones({2, 2}), scalar_tensor(1, {.dtype = kInt64})},
                               {zeros({2, 2}), scalar_tensor(2, {.dtype = kInt64})}};
  auto [x, y] = data::default_collate(std::move(s));
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(x.sum().item<float>(), 4.0f);
  EXPECT_EQ(y.tolist<int64_t>(), (std::vector<int64_t>{1, 2}));
  std::vector<data::Example> bad{{ones({2}), Tensor()}, {ones({3}), Tensor()}};
  expect_error([&] { data::default_collate(std::move(bad)); },
               "stack expects each tensor to be equal size");
  // Non-contiguous samples take the general stack.
  std::vector<data::Example> strided{{ones({2, 3}).t(), Tensor()}, {zeros({2, 3}).t(), Tensor()}};
  auto st = data::default_collate(std::move(strided));
  EXPECT_EQ(st.data.sizes(), (std::vector<int64_t>{2, 3, 2}));
  EXPECT_FALSE(st.target.defined());
}

}  // namespace
}  // namespace wick

// Map-style datasets: TensorDataset, Subset, ConcatDataset, random_split (counts, fractions,
// seeded generator) and their errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "support/expect_error.h"
#include "wick/data/data.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::expect_error;

data::TensorDataset make_dataset(int64_t n) {
  return data::TensorDataset(arange(n * 2).reshape({n, 2}), arange(n) * 10);
}

TEST(DataDataset, TensorDatasetGetsRows) {
  auto ds = make_dataset(5);
  EXPECT_EQ(ds.size(), 5);
  auto [x, y] = ds.get(3);
  EXPECT_EQ(x.tolist<int64_t>(), (std::vector<int64_t>{6, 7}));
  EXPECT_EQ(y.dim(), 0);
  EXPECT_EQ(y.item<int64_t>(), 30);
  EXPECT_EQ(ds.get(-1).target.item<int64_t>(), 40);  // Python's negative indexing
  expect_error([&] { ds.get(5); },
               "TensorDataset: index 5 is out of range for a dataset of size 5");
  expect_error(
      [] {
        data::TensorDataset(zeros({3, 2}), zeros({4}));
      },
      "Size mismatch between tensors");
  data::TensorDataset unlabeled(zeros({2, 3}));
  EXPECT_FALSE(unlabeled.get(0).target.defined());
}

TEST(DataDataset, SubsetAndConcat) {
  auto ds = make_dataset(6);
  data::Subset sub(ds, {4, 1, -1});
  ASSERT_EQ(sub.size(), 3);
  EXPECT_EQ(sub.get(0).target.item<int64_t>(), 40);
  EXPECT_EQ(sub.get(1).target.item<int64_t>(), 10);
  EXPECT_EQ(sub.get(2).target.item<int64_t>(), 50);
  expect_error([&] { data::Subset(ds, {6}); }, "Subset: index 6 is out of range");

  data::ConcatDataset cat({make_dataset(2), sub, make_dataset(3)});
  EXPECT_EQ(cat.size(), 8);
  EXPECT_EQ(cat.cumulative_sizes(), (std::vector<int64_t>{2, 5, 8}));
  std::vector<int64_t> got;
  for (int64_t i = 0; i < cat.size(); ++i) got.push_back(cat.get(i).target.item<int64_t>());
  EXPECT_EQ(got, (std::vector<int64_t>{0, 10, 40, 10, 50, 0, 10, 20}));
  expect_error([&] { cat.get(8); }, "ConcatDataset: index 8 is out of range");
  expect_error([] { data::ConcatDataset({}); }, "datasets should not be an empty iterable");
}

std::vector<int64_t> targets(const data::Dataset& ds) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < ds.size(); ++i) out.push_back(ds.get(i).target.item<int64_t>() / 10);
  return out;
}

TEST(DataDataset, RandomSplitCountsPartitionAndSeed) {
  auto ds = make_dataset(10);
  Generator g1(42), g2(42), g3(7);
  auto a = data::random_split(ds, {7, 3}, &g1);
  auto b = data::random_split(ds, {7, 3}, &g2);
  auto c = data::random_split(ds, {7, 3}, &g3);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].size(), 7);
  EXPECT_EQ(a[1].size(), 3);
  EXPECT_EQ(targets(a[0]), targets(b[0]));  // same seed, same split
  EXPECT_NE(targets(a[0]), targets(c[0]));
  std::vector<int64_t> all = targets(a[0]), rest = targets(a[1]);
  all.insert(all.end(), rest.begin(), rest.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));   // a partition
  EXPECT_NE(targets(a[0]), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6}));  // and shuffled
  expect_error(
      [&] {
        data::random_split(ds, {7, 4});
      },
      "Sum of input lengths (11) does not equal the length of the input dataset (10)!");
}

TEST(DataDataset, RandomSplitFractionsAsPyTorch) {
  // PyTorch: floor(n * f) each, the remainder round-robin: 11 * (0.5, 0.3, 0.2) -> (5, 3, 2) + 1 ->
  // (6, 3, 2).
  auto parts = data::random_split(make_dataset(11), {0.5, 0.3, 0.2});
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].size(), 6);
  EXPECT_EQ(parts[1].size(), 3);
  EXPECT_EQ(parts[2].size(), 2);
  EXPECT_EQ(data::SplitLengths({0.25, 0.25, 0.25, 0.25}).counts(6),
            (std::vector<int64_t>{2, 2, 1, 1}));
  expect_error(
      [] {
        (void)data::SplitLengths({1.5, -0.5}).counts(4);
      },
      "Fraction at index 0 is not between 0 and 1");
  std::vector<int64_t> lengths{8, 3};
  EXPECT_EQ(data::random_split(make_dataset(11), lengths).size(), 2u);
}

}  // namespace
}  // namespace wick

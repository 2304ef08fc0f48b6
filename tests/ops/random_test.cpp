// Random factories: manual_seed reproducibility, loose statistical sanity (means, stds, ranges),
// randperm is a permutation, and results that do not depend on the thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "wick/wick.h"

namespace wick {
namespace {

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double std_of(const std::vector<double>& v) {
  double m = mean_of(v), s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

// Every random factory once, flattened to doubles, from the current state of the default generator.
std::vector<std::vector<double>> draw_all() {
  std::vector<std::vector<double>> out;
  out.push_back(rand({50}).tolist<double>());
  out.push_back(randn({7, 9}).tolist<double>());
  out.push_back(randint(-5, 5, {40}).tolist<double>());
  out.push_back(randperm(33).tolist<double>());
  out.push_back(bernoulli(full({30}, 0.3)).tolist<double>());
  out.push_back(normal(2.0, 0.5, {25}).tolist<double>());
  out.push_back(normal(zeros({3}), ones({4, 3})).tolist<double>());
  Tensor t = empty({20});
  t.uniform_(-2, 3);
  out.push_back(t.tolist<double>());
  return out;
}

TEST(Random, ManualSeedMakesEverythingReproducible) {
  manual_seed(123);
  auto a = draw_all();
  manual_seed(123);
  auto b = draw_all();
  EXPECT_EQ(a, b);
  manual_seed(124);
  auto c = draw_all();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NE(a[i], c[i]) << "factory " << i;
  // Successive draws differ (the generator advances).
  manual_seed(123);
  EXPECT_NE(rand({10}).tolist<double>(), rand({10}).tolist<double>());
}

TEST(Random, OwnGeneratorIsIndependentOfTheDefaultOne) {
  Generator g1(7), g2(7);
  manual_seed(1);
  Tensor a = randn({16}, {}, &g1);
  rand({100});  // advances only the default generator
  Tensor b = randn({16}, {}, &g2);
  EXPECT_EQ(a.tolist<float>(), b.tolist<float>());
}

TEST(Random, ResultsDoNotDependOnThreadCount) {
  const int before = get_num_threads();
  auto draw = [] {
    manual_seed(99);
    // Large enough to be split across threads (kParallelGrain).
    std::vector<std::vector<double>> out;
    out.push_back(rand({200000}).tolist<double>());
    out.push_back(randn({200000}).tolist<double>());
    out.push_back(randint(0, 1000, {200000}).tolist<double>());
    out.push_back(bernoulli(full({200000}, 0.5)).tolist<double>());
    Tensor strided = empty({400, 500}).t();  // a non-contiguous destination
    strided.normal_();
    out.push_back(strided.tolist<double>());
    return out;
  };
  set_num_threads(1);
  auto one = draw();
  set_num_threads(2);
  auto two = draw();
  set_num_threads(before);
  EXPECT_TRUE(one == two);
}

TEST(Random, DistributionsLookRight) {
  manual_seed(2024);
  const int64_t n = 100000;
  auto u = rand({n}, {.dtype = kFloat64}).tolist<double>();
  EXPECT_NEAR(mean_of(u), 0.5, 0.01);
  EXPECT_NEAR(std_of(u), std::sqrt(1.0 / 12), 0.01);
  EXPECT_GE(*std::min_element(u.begin(), u.end()), 0.0);
  EXPECT_LT(*std::max_element(u.begin(), u.end()), 1.0);

  auto z = randn({n}).tolist<double>();
  EXPECT_NEAR(mean_of(z), 0.0, 0.02);
  EXPECT_NEAR(std_of(z), 1.0, 0.02);

  auto nz = normal(3.0, 2.0, {n}).tolist<double>();
  EXPECT_NEAR(mean_of(nz), 3.0, 0.05);
  EXPECT_NEAR(std_of(nz), 2.0, 0.05);

  auto ri = randint(-3, 4, {n}).tolist<double>();
  EXPECT_EQ(*std::min_element(ri.begin(), ri.end()), -3.0);
  EXPECT_EQ(*std::max_element(ri.begin(), ri.end()), 3.0);
  EXPECT_NEAR(mean_of(ri), 0.0, 0.05);
  EXPECT_EQ(randint(10, {5}).dtype(), kInt64);
  EXPECT_EQ(randint(10, {5}, {.dtype = kInt32}).dtype(), kInt32);

  auto b = bernoulli(full({n}, 0.25, {.dtype = kFloat64})).tolist<double>();
  for (double x : b) ASSERT_TRUE(x == 0.0 || x == 1.0);
  EXPECT_NEAR(mean_of(b), 0.25, 0.01);
  EXPECT_NEAR(mean_of(bernoulli(zeros({n}), 0.8).tolist<double>()), 0.8, 0.01);
  // p = 0 and p = 1 are exact.
  EXPECT_EQ(mean_of(bernoulli(zeros({1000})).tolist<double>()), 0.0);
  EXPECT_EQ(mean_of(bernoulli(ones({1000})).tolist<double>()), 1.0);

  Tensor u2 = empty({n}, {.dtype = kFloat64});
  u2.uniform_(-2, 6);
  auto uv = u2.tolist<double>();
  EXPECT_GE(*std::min_element(uv.begin(), uv.end()), -2.0);
  EXPECT_LT(*std::max_element(uv.begin(), uv.end()), 6.0);
  EXPECT_NEAR(mean_of(uv), 2.0, 0.05);
}

TEST(Random, RandpermIsAPermutation) {
  manual_seed(5);
  for (int64_t n : {0, 1, 2, 10, 1000}) {
    Tensor p = randperm(n);
    EXPECT_EQ(p.dtype(), kInt64);
    auto v = p.tolist<int64_t>();
    std::vector<int64_t> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> expect(static_cast<size_t>(n));
    std::iota(expect.begin(), expect.end(), 0);
    EXPECT_EQ(sorted, expect) << "n = " << n;
  }
  // Not the identity (a 1000-element shuffle leaving everything in place would be a broken
  // shuffle).
  auto v = randperm(1000).tolist<int64_t>();
  EXPECT_FALSE(std::is_sorted(v.begin(), v.end()));
  EXPECT_EQ(randperm(4, {.dtype = kInt32}).dtype(), kInt32);
  EXPECT_THROW(randperm(-1), Error);
}

TEST(Random, BadArgumentsThrow) {
  EXPECT_THROW(randint(5, 5, {3}), Error);
  EXPECT_THROW(normal(0.0, -1.0, {3}), Error);
  EXPECT_THROW(bernoulli(zeros({3}), 1.5), Error);
  Tensor t = empty({3});
  EXPECT_THROW(t.normal_(0, -1), Error);
  EXPECT_THROW(t.bernoulli_(-0.1), Error);
}

}  // namespace
}  // namespace wick

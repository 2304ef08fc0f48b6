// The caching device allocator's bookkeeping (cuda/caching_allocator.h) over a fake raw allocator:
// size classes, reuse per device and stream, the steady state of a loop, statistics, OOM retry and
// message. Runs on every machine: the header needs no CUDA.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <vector>

#include "../../cuda/caching_allocator.h"  // host-only: no CUDA header behind it
#include "support/expect_error.h"

namespace {

using wick::cuda::CachingAllocator;

// A raw allocator over malloc with a byte budget; counts its calls.
struct FakeRaw {
  size_t budget = size_t{1} << 40;
  size_t in_use = 0;
  int mallocs = 0, frees = 0;
  std::map<void*, size_t> sizes;
  FakeRaw() = default;
  FakeRaw(const FakeRaw&) = delete;
  FakeRaw& operator=(const FakeRaw&) = delete;
  // The allocator keeps its cache until empty_cache (the real one's blocks go with the CUDA
  // context at exit); the fake device's memory goes with the fake device.
  ~FakeRaw() {
    for (auto& [p, n] : sizes) std::free(p);
  }
  wick::cuda::RawAllocator make() {
    return {[this](size_t n, int) -> void* {
              if (in_use + n > budget) return nullptr;
              in_use += n;
              ++mallocs;
              void* p = std::malloc(n);
              sizes[p] = n;
              return p;
            },
            [this](void* p, int) {
              ++frees;
              in_use -= sizes.at(p);
              sizes.erase(p);
              std::free(p);
            }};
  }
};

constexpr size_t kMiB = size_t{1} << 20;

TEST(CudaCachingAllocator, RoundsToSizeClasses) {
  EXPECT_EQ(CachingAllocator::round_size(0), 512u);
  EXPECT_EQ(CachingAllocator::round_size(1), 512u);
  EXPECT_EQ(CachingAllocator::round_size(512), 512u);
  EXPECT_EQ(CachingAllocator::round_size(513), 1024u);
  EXPECT_EQ(CachingAllocator::round_size(kMiB), kMiB);
  EXPECT_EQ(CachingAllocator::round_size(kMiB + 1), 2 * kMiB);
  EXPECT_EQ(CachingAllocator::round_size(5 * kMiB), 6 * kMiB);
}

TEST(CudaCachingAllocator, SteadyStateMakesNoRawCalls) {
  FakeRaw raw;
  CachingAllocator a(raw.make());
  const std::vector<size_t> step = {4000, 100, 3 * kMiB, 4000, 70000};
  for (int iter = 0; iter < 10; ++iter) {
    std::vector<void*> ptrs;
    for (size_t n : step) ptrs.push_back(a.allocate(n, 0, 0));
    for (void* p : ptrs) a.release(p);
  }
  EXPECT_EQ(raw.mallocs, 5);  // the first iteration only
  EXPECT_EQ(raw.frees, 0);
  auto st = a.stats(0);
  EXPECT_EQ(st.allocated, 0u);
  EXPECT_EQ(st.reserved, 4096u + 512u + 4 * kMiB + 4096u + 70144u);
  a.empty_cache();
  EXPECT_EQ(raw.frees, 5);
  EXPECT_EQ(a.stats(0).reserved, 0u);
}

TEST(CudaCachingAllocator, ReusesBestFitWithinAQuarterOnly) {
  FakeRaw raw;
  CachingAllocator a(raw.make());
  void* big = a.allocate(8 * kMiB, 0, 0);
  a.release(big);
  void* small = a.allocate(2 * kMiB, 0, 0);  // 8 MiB is too wasteful for 2 MiB: a new block
  EXPECT_NE(small, big);
  void* close = a.allocate(7 * kMiB, 0, 0);  // rounds to 8 MiB: the cached block
  EXPECT_EQ(close, big);
  EXPECT_EQ(a.stats(0).allocated, 10 * kMiB);
  a.release(small);
  a.release(close);
}

TEST(CudaCachingAllocator, CachesPerDeviceAndStream) {
  FakeRaw raw;
  CachingAllocator a(raw.make());
  void* p = a.allocate(1000, 0, 7);
  a.release(p);
  void* q = a.allocate(1000, 0, 8);  // another stream does not get stream 7's block
  void* r = a.allocate(1000, 1, 7);  // nor another device
  EXPECT_NE(q, p);
  EXPECT_NE(r, p);
  EXPECT_EQ(a.allocate(1000, 0, 7), p);
  EXPECT_EQ(a.stats(1).allocated, 1024u);
  a.empty_cache(1);  // device 1 has nothing cached: nothing freed
  EXPECT_EQ(raw.frees, 0);
  a.release(q);
  a.release(r);
  a.release(p);
}

TEST(CudaCachingAllocator, TracksPeakAndResets) {
  FakeRaw raw;
  CachingAllocator a(raw.make());
  void* p = a.allocate(3 * kMiB, 0, 0);
  void* q = a.allocate(1000, 0, 0);
  a.release(p);
  auto st = a.stats(0);
  EXPECT_EQ(st.allocated, 1024u);
  EXPECT_EQ(st.peak_allocated, 4 * kMiB + 1024u);
  a.reset_peak_memory_stats(0);
  EXPECT_EQ(a.stats(0).peak_allocated, 1024u);
  EXPECT_EQ(a.cached_bytes(0), 4 * kMiB);
  a.release(q);
}

TEST(CudaCachingAllocator, OutOfMemoryFreesTheCacheAndRetries) {
  FakeRaw raw;
  raw.budget = 10 * kMiB;
  CachingAllocator a(raw.make());
  a.release(a.allocate(6 * kMiB, 0, 0));  // 6 MiB cached
  void* p = a.allocate(8 * kMiB, 0, 0);   // fits only once the cache is returned
  EXPECT_NE(p, nullptr);
  EXPECT_EQ(raw.frees, 1);
  EXPECT_EQ(a.stats(0).reserved, 8 * kMiB);
  wick::testing::expect_error([&] { a.allocate(4 * kMiB, 0, 0); },
                              "CUDA out of memory: tried to allocate 4.00 MiB on device 0 (8.00 MiB allocated, 8.00 MiB reserved)");
  a.release(p);
}

TEST(CudaCachingAllocator, RejectsForeignPointers) {
  FakeRaw raw;
  CachingAllocator a(raw.make());
  int x = 0;
  wick::testing::expect_error([&] { a.release(&x); },
                              "release of a pointer it did not allocate");
}

}  // namespace

// make_pooled: blocks come back to the freeing thread's list and are reused; sizes beyond the
// pool and blocks freed on other threads stay correct.
#include "wick/core/object_pool.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <thread>
#include <vector>

#include "wick/wick.h"

namespace wick {
namespace {

struct Small {
  explicit Small(int v) : value(v) {}
  int value;
  std::array<char, 100> pad{};
};

TEST(ObjectPool, AFreedBlockIsReusedBySameSizeRequests) {
  const size_t before = detail::pool_cached_blocks();
  auto a = detail::make_pooled<Small>(1);
  const void* where = a.get();
  a.reset();
  EXPECT_EQ(detail::pool_cached_blocks(), before + 1);
  auto b = detail::make_pooled<Small>(2);
  EXPECT_EQ(b.get(), where);  // last in, first out
  EXPECT_EQ(b->value, 2);
  EXPECT_EQ(detail::pool_cached_blocks(), before);
}

TEST(ObjectPool, LargeRequestsBypassThePool) {
  const size_t before = detail::pool_cached_blocks();
  void* p = detail::pool_allocate(detail::kPoolMaxBytes + 1);
  detail::pool_release(p, detail::kPoolMaxBytes + 1);
  EXPECT_EQ(detail::pool_cached_blocks(), before);
  void* q = detail::pool_allocate(detail::kPoolMaxBytes);
  detail::pool_release(q, detail::kPoolMaxBytes);
  EXPECT_EQ(detail::pool_cached_blocks(), before + 1);
}

TEST(ObjectPool, AThreadKeepsAtMostFourMebibytesOfFreeBlocks) {
  std::thread t([] {  // a fresh thread: an empty pool
    std::vector<void*> blocks;
    for (int i = 0; i < 20000; ++i) blocks.push_back(detail::pool_allocate(detail::kPoolMaxBytes));
    for (void* p : blocks) detail::pool_release(p, detail::kPoolMaxBytes);
    EXPECT_EQ(detail::pool_cached_blocks(), (4u << 20) / detail::kPoolMaxBytes);
  });
  t.join();
}

TEST(ObjectPool, TensorsMadeOnOneThreadAndDroppedOnAnotherStayIntact) {
  Tensor x = tensor({1.0f, 2.0f}, {.requires_grad = true});
  Tensor y = x * x + 1;  // a TensorImpl, a StorageImpl and two nodes from this thread's pool
  std::thread t([y]() mutable {
    y.sum().backward();
    y = Tensor();  // the worker's pool may now hold this thread's blocks
  });
  t.join();
  EXPECT_FLOAT_EQ(x.grad().index({1}).item<float>(), 4.0f);
  y = Tensor();
  for (int i = 0; i < 100; ++i) {
    Tensor z = (x * 2).detach();
    EXPECT_FLOAT_EQ(z.index({0}).item<float>(), 2.0f);
  }
}

}  // namespace
}  // namespace wick

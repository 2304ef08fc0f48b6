// src/cpu/streaming_store.h: elementwise outputs larger than the last-level cache are written
// with streaming stores, whole lines at a time with plain stores for the unaligned head and the
// tail. Checked at every alignment and length around a line, for 1- to 8-byte elements, with
// guards on both sides; then through Tensor ops large enough to take that path.
#include "../src/cpu/streaming_store.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "wick/wick.h"

namespace wick {
namespace {

template <typename T>
void check_every_alignment_and_length() {
  constexpr int64_t kLine = 64 / static_cast<int64_t>(sizeof(T));
  constexpr T kGuard = static_cast<T>(99);
  for (int64_t offset = 0; offset <= kLine; ++offset) {
    for (int64_t n = 0; n <= 3 * kLine + 1; ++n) {
      // 64-byte aligned storage, written from `offset` elements in.
      std::vector<T> storage(static_cast<size_t>(offset + n + 2 * kLine + 64));
      T* base = storage.data();
      while (reinterpret_cast<std::uintptr_t>(base) % 64 != 0) ++base;
      for (T* p = base; p < storage.data() + storage.size(); ++p) *p = kGuard;
      T* out = base + offset;
      // Writes out[i] for i in [2, n + 2): b > 0 as in a thread's share of a parallel loop.
      cpu::write_streaming(out - 2, 2, n + 2, [](int64_t i) { return static_cast<T>(i % 50); });
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(out[i], static_cast<T>((i + 2) % 50))
            << "offset " << offset << " n " << n << " at " << i;
      for (T* p = base; p < out; ++p) ASSERT_EQ(*p, kGuard) << "written before the range";
      for (T* p = out + n; p < storage.data() + storage.size(); ++p)
        ASSERT_EQ(*p, kGuard) << "written after the range";
    }
  }
}

TEST(StreamingStore, WritesExactlyTheRangeAtEveryAlignment) {
  check_every_alignment_and_length<uint8_t>();
  check_every_alignment_and_length<int16_t>();
  check_every_alignment_and_length<float>();
  check_every_alignment_and_length<double>();
}

TEST(StreamingStore, TensorOpsLargerThanTheCacheTakeItAndMatchPlainLoops) {
  // The threshold is at most 32 MiB, so 9M floats (36 MB) stream.
  ASSERT_GT(cpu::streaming_min_bytes(), 0);
  ASSERT_LE(cpu::streaming_min_bytes(), int64_t{32} << 20);
  const int64_t n = 9 * 1000 * 1000 + 7;  // not a whole number of lines
  ASSERT_GE(n * 4, cpu::streaming_min_bytes());
  Tensor a = arange(n, {.dtype = kFloat32}), b = full({n}, 0.5);
  const int saved_threads = get_num_threads();
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    Tensor c = a + b, d = a * 2.0, e = a.neg();
    const float* pc = c.data_ptr<float>();
    const float* pd = d.data_ptr<float>();
    const float* pe = e.data_ptr<float>();
    for (int64_t i = 0; i < n; i += (i < 1000 || i > n - 1000) ? 1 : 997) {
      const auto x = static_cast<float>(i);
      ASSERT_EQ(pc[i], x + 0.5f) << i;
      ASSERT_EQ(pd[i], x * 2.0f) << i;
      ASSERT_EQ(pe[i], -x) << i;
    }
  }
  set_num_threads(saved_threads);
}

}  // namespace
}  // namespace wick

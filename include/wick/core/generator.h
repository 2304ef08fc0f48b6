// Generator: the seeded source of randomness. Counter-based (Philox4x32-10), so a fill gives the
// same numbers whatever the thread count, and the CUDA backend can reproduce the stream.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>

namespace wick {

class Generator {
 public:
  explicit Generator(uint64_t seed = 67280421310721ull) : seed_(seed) {}
  void manual_seed(uint64_t seed) {
    std::lock_guard<std::mutex> lk(mu_);
    seed_ = seed;
    offset_ = 0;
  }
  uint64_t initial_seed() const { return seed_; }
  // Reserves `n` 128-bit counters and returns the first: a kernel then calls philox(seed, base + i).
  uint64_t reserve(uint64_t n) {
    std::lock_guard<std::mutex> lk(mu_);
    uint64_t base = offset_;
    offset_ += n;
    return base;
  }
  uint64_t seed() const { return seed_; }
  uint64_t offset() const { return offset_; }
  void set_state(uint64_t seed, uint64_t offset) {
    std::lock_guard<std::mutex> lk(mu_);
    seed_ = seed;
    offset_ = offset;
  }

 private:
  uint64_t seed_;
  uint64_t offset_ = 0;
  std::mutex mu_;
};

// Philox4x32-10: four 32-bit random words for (key = seed, counter).
inline std::array<uint32_t, 4> philox4x32(uint64_t seed, uint64_t counter) {
  uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int r = 0; r < 10; ++r) {
    uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0;
    uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2;
    uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
    c1 = static_cast<uint32_t>(p1);
    c3 = static_cast<uint32_t>(p0);
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return {c0, c1, c2, c3};
}

Generator& default_generator();
// torch.manual_seed: seeds the CPU generator (and the CUDA ones when that backend is linked).
void manual_seed(uint64_t seed);

}  // namespace wick

// Threaded stand-ins for CUDA: each block's threads as std::threads, __syncthreads a barrier,
// __shared__ a static (blocks run one at a time), block_sum through a shared accumulator.
#pragma once
#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
struct Dim3 { unsigned x = 1, y = 1, z = 1; };
using dim3 = Dim3;
inline Dim3 blockIdx{0, 0, 0}, blockDim{1, 1, 1}, gridDim{1, 1, 1};
inline thread_local Dim3 threadIdx{0, 0, 0};
inline std::barrier<>* g_bar = nullptr;
inline void __syncthreads() { g_bar->arrive_and_wait(); }
using std::min; using std::max; using std::isnan; using std::sqrt; using std::exp; using std::log; using std::fabs;
template <class T> T atomicAdd(T* p, T v) { static std::mutex m; std::lock_guard<std::mutex> l(m); T o = *p; *p += v; return o; }
template <typename T> using acc_t = T;
template <typename T> inline T load(const T* p, int64_t i) { return p[i]; }
template <typename T> inline void store(T* p, int64_t i, T v) { p[i] = v; }
inline uint32_t __umulhi(uint32_t a, uint32_t b) { return static_cast<uint32_t>((static_cast<uint64_t>(a) * b) >> 32); }
struct uint4 { uint32_t x, y, z, w; };
inline uint4 make_uint4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return {a, b, c, d}; }
// block_sum through a shared accumulator and barriers
template <typename A> A block_sum(A v) {
  static A acc; static std::mutex m;
  const bool first = threadIdx.x == 0 && threadIdx.y == 0;
  __syncthreads();
  if (first) acc = 0;
  __syncthreads();
  { std::lock_guard<std::mutex> l(m); acc += v; }
  __syncthreads();
  A r = acc;
  __syncthreads();
  return r;
}
inline void launch(Dim3 grid, Dim3 block, const std::function<void()>& body) {
  blockDim = block; gridDim = grid;
  const unsigned nt = block.x * block.y * block.z;
  for (unsigned bz = 0; bz < grid.z; ++bz) for (unsigned by = 0; by < grid.y; ++by) for (unsigned bx = 0; bx < grid.x; ++bx) {
    blockIdx = {bx, by, bz};
    std::barrier<> bar(nt);
    g_bar = &bar;
    std::vector<std::thread> ts;
    for (unsigned t = 0; t < nt; ++t) ts.emplace_back([&, t] { threadIdx = {t % block.x, (t / block.x) % block.y, t / (block.x * block.y)}; body(); });
    for (auto& th : ts) th.join();
  }
}

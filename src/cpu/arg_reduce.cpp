// CPU max/min along one dim with the index of the winner (torch.max(x, dim), argmax, ...): the first
// index wins ties, and the first NaN wins outright (NaN propagates, as PyTorch). Does not handle
// reductions over several dims (reduce.cpp does, without indices).
#include <algorithm>
#include <limits>

#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

namespace {

constexpr int64_t kLanes = 32;

template <typename T, bool kIsMax>
void arg_reduce_kernel(const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim) {
  using C = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;
  // Kept dims (every dim but `dim`) -> per-output offsets; x (..., n, ...) -> values/indices (..., 1, ...).
  Shape kept_sizes, xs, vs, is;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d == dim) continue;
    kept_sizes.push_back(x.size(d));
    xs.push_back(x.stride(d));
    vs.push_back(values.stride(d));
    is.push_back(indices.stride(d));
  }
  const int64_t n = x.size(dim), step = x.stride(dim), n_out = numel_of(kept_sizes);
  // The better of two values; NaN wins, branch-free so the lanes vectorise.
  auto better = [](C a, C v) { return (v != v || (kIsMax ? v > a : v < a)) ? v : a; };
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* vp = static_cast<T*>(values.data_ptr());
  int64_t* ip = static_cast<int64_t*>(indices.data_ptr());
  auto body = [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o) {
      int64_t xo = 0, vo = 0, io = 0, rem = o;
      for (size_t d = kept_sizes.size(); d-- > 0;) {
        const int64_t i = rem % kept_sizes[d];
        rem /= kept_sizes[d];
        xo += i * xs[d];
        vo += i * vs[d];
        io += i * is[d];
      }
      const T* p = xp + xo;
      // Two passes: the extreme value (independent lanes, NaN wins), then its first position.
      C lanes[kLanes];
      for (int64_t l = 0; l < kLanes; ++l) lanes[l] = static_cast<C>(p[0]);
      int64_t k = 0;
      if (step == 1) {
        for (; k + kLanes <= n; k += kLanes)
          for (int64_t l = 0; l < kLanes; ++l) lanes[l] = better(lanes[l], static_cast<C>(p[k + l]));
      }
      for (; k < n; ++k) lanes[0] = better(lanes[0], static_cast<C>(p[k * step]));
      C best = lanes[0];
      for (int64_t l = 1; l < kLanes; ++l) best = better(best, lanes[l]);
      int64_t best_i = 0;
      if (best == best) {
        while (static_cast<C>(p[best_i * step]) != best) ++best_i;
      } else {
        while (static_cast<C>(p[best_i * step]) == static_cast<C>(p[best_i * step])) ++best_i;
      }
      vp[vo] = static_cast<T>(best);
      ip[io] = best_i;
    }
  };
  if (n_out > 1 && n_out * n >= kParallelGrain) {
    parallel_for(n_out, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(n, 1)), body);
  } else {
    body(0, n_out);
  }
}

}  // namespace

void CpuBackend::arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim) {
  WICK_CHECK(op == ReduceOp::Max || op == ReduceOp::Min, "arg_reduce kernel: expects Max or Min");
  WICK_CHECK(indices.dtype() == kInt64 && values.dtype() == x.dtype(), "arg_reduce kernel: bad output dtypes");
  WICK_CHECK(x.size(dim) > 0, "arg_reduce kernel: empty reduction dim");
  dispatch_all(x.dtype(), [&]<typename T>() {
    if (op == ReduceOp::Max) arg_reduce_kernel<T, true>(values, indices, x, dim);
    else arg_reduce_kernel<T, false>(values, indices, x, dim);
  });
}

}  // namespace wick::cpu

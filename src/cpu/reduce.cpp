// CPU reductions (sum, prod, max, min, all, any) over any dims and strides. Three loops: a
// contiguous reduced run (per output: many lanes, then blocks merged in the accumulator type), a
// "vertical" loop when a kept dim is contiguous (rows of x added into a vector of accumulators,
// the way x.sum(0) should run), and a strided fallback. Float sums add in float lanes within
// blocks and in double across blocks (precision like PyTorch's cascade sum). A single output over
// many elements is split into fixed chunks merged in order, so results never depend on threads.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

namespace {

// Independent accumulators of a contiguous run: 128 bytes of them (4 AVX2 registers), so that
// reduce_runs' 4 rows side by side keep all their lanes in the 16 registers (64 float lanes per
// row spilled to the stack on every step: the 4096x4096 sum, 1 thread, 6.3 -> 5.5 ms median).
template <typename Lane>
constexpr int64_t kLanesOf = std::max<int64_t>(1, 128 / static_cast<int64_t>(sizeof(Lane)));
constexpr int64_t kBlock = 4096;     // elements added in lanes before merging into Acc
constexpr int64_t kRowBlock = 64;    // rows added in Lane type before merging (vertical loop)
constexpr int64_t kMaxTile = 8192;   // columns of the vertical loop's accumulators (L2-resident)
constexpr int64_t kChunk = 1 << 16;  // fixed split of a single long reduction across threads
constexpr size_t kPrefetchBytes = 4096;  // how far ahead a contiguous run prefetches

template <typename T>
using compute_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;

// Each op: Lane (fast inner accumulator), Acc (accumulator across blocks), and their steps.
template <typename T>
struct SumOp {
  using C = compute_t<T>;
  using Lane = std::conditional_t<std::is_floating_point_v<C>, C, int64_t>;
  using Acc = std::conditional_t<std::is_floating_point_v<C>, double, int64_t>;
  static Lane lane_init() { return Lane(0); }
  static Lane step(Lane a, T v) { return a + static_cast<Lane>(static_cast<C>(v)); }
  static Lane combine(Lane a, Lane b) { return a + b; }
  static Acc acc_init() { return Acc(0); }
  static Acc merge(Acc a, Acc b) { return a + b; }
  static Acc to_acc(Lane l) { return static_cast<Acc>(l); }
  static T finish(Acc a) { return static_cast<T>(static_cast<C>(a)); }
};

template <typename T>
struct ProdOp {
  using C = compute_t<T>;
  using Lane = std::conditional_t<std::is_floating_point_v<C>, double, int64_t>;
  using Acc = Lane;
  static Lane lane_init() { return Lane(1); }
  static Lane step(Lane a, T v) { return a * static_cast<Lane>(static_cast<C>(v)); }
  static Lane combine(Lane a, Lane b) { return a * b; }
  static Acc acc_init() { return Acc(1); }
  static Acc merge(Acc a, Acc b) { return a * b; }
  static Acc to_acc(Lane l) { return l; }
  static T finish(Acc a) { return static_cast<T>(static_cast<C>(a)); }
};

// NaN wins (first seen stays NaN): max/min propagate NaN, as PyTorch.
template <typename T, bool kIsMax>
struct ExtremeOp {
  using C = compute_t<T>;
  using Lane = C;
  using Acc = C;
  // Floats start from -inf/+inf (not lowest/max), so a row of infinities reduces to infinity.
  static Lane lane_init() {
    if constexpr (std::is_floating_point_v<C>)
      return kIsMax ? -std::numeric_limits<C>::infinity() : std::numeric_limits<C>::infinity();
    else
      return kIsMax ? std::numeric_limits<C>::lowest() : std::numeric_limits<C>::max();
  }
  // Branch-free so lanes vectorise; a NaN in `a` stays (no comparison with NaN is true).
  static Lane combine(Lane a, Lane v) {
    if constexpr (kIsMax) return (v != v || v > a) ? v : a;
    else return (v != v || v < a) ? v : a;
  }
  static Lane step(Lane a, T v) { return combine(a, static_cast<C>(v)); }
  static Acc acc_init() { return lane_init(); }
  static Acc merge(Acc a, Acc b) { return combine(a, b); }
  static Acc to_acc(Lane l) { return l; }
  static T finish(Acc a) { return static_cast<T>(a); }
};

// uint8 lanes (not bool): they vectorise, and std::vector<bool> has no data().
template <bool kIsAll>
struct LogicOp {
  using Lane = uint8_t;
  using Acc = uint8_t;
  static Lane lane_init() { return kIsAll ? 1 : 0; }
  static Lane combine(Lane a, Lane b) { return kIsAll ? static_cast<Lane>(a & b) : static_cast<Lane>(a | b); }
  static Lane step(Lane a, bool v) { return combine(a, static_cast<Lane>(v)); }
  static Acc acc_init() { return lane_init(); }
  static Acc merge(Acc a, Acc b) { return combine(a, b); }
  static Acc to_acc(Lane l) { return l; }
  static bool finish(Acc a) { return a != 0; }
};

// R contiguous runs p[r][0..n) -> acc[r], side by side: each with kLanesOf<Lane> independent
// lanes the compiler vectorises. Several rows at once keep several memory streams in flight (a
// plain loop over a 4096x4096 float matrix, one thread: 7.4 -> 5.5 ms median with 4 rows). Each
// row's arithmetic is the same whatever R, so results do not depend on how rows are grouped.
template <typename T, typename Op, int R>
void reduce_runs(const T* const* p, int64_t n, typename Op::Acc* acc) {
  using Lane = typename Op::Lane;
  constexpr int64_t kLanes = kLanesOf<Lane>;
  for (int r = 0; r < R; ++r) acc[r] = Op::acc_init();
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t m = std::min(kBlock, n - b);
    Lane lanes[R][kLanes];
    for (int r = 0; r < R; ++r)
      for (int64_t k = 0; k < kLanes; ++k) lanes[r][k] = Op::lane_init();
    int64_t i = 0;
    for (; i + kLanes <= m; i += kLanes) {
      for (int r = 0; r < R; ++r) {
        const T* q = p[r] + b;
        // One run alone: software prefetch a few KB ahead (the hardware prefetcher alone left
        // a single stream well below memory bandwidth). Several runs side by side do better
        // without it (4 rows: 8.7 -> 7.2 ms median for the 4096x4096 sum, PyTorch 7.8).
        if constexpr (R == 1) {
          const char* ahead = reinterpret_cast<const char*>(q + i) + kPrefetchBytes;
          for (size_t c = 0; c < kLanes * sizeof(T); c += 64) __builtin_prefetch(ahead + c);
        }
        for (int64_t k = 0; k < kLanes; ++k) lanes[r][k] = Op::step(lanes[r][k], q[i + k]);
      }
    }
    for (int r = 0; r < R; ++r) {
      const T* q = p[r] + b;
      for (int64_t j = i; j < m; ++j) lanes[r][0] = Op::step(lanes[r][0], q[j]);
      for (int64_t w = kLanes / 2; w >= 1; w /= 2)  // pairwise, in a fixed order
        for (int64_t k = 0; k < w; ++k) lanes[r][k] = Op::combine(lanes[r][k], lanes[r][k + w]);
      acc[r] = Op::merge(acc[r], Op::to_acc(lanes[r][0]));
    }
  }
}

template <typename T, typename Op>
typename Op::Acc reduce_run(const T* p, int64_t n) {
  typename Op::Acc acc;
  reduce_runs<T, Op, 1>(&p, n, &acc);
  return acc;
}

// The reduced dims, coalesced, outermost (largest stride) first.
struct RedDims {
  Shape sizes, strides;
  int64_t numel() const { return numel_of(sizes); }
  bool inner_contiguous() const { return !sizes.empty() && strides.back() == 1; }
};

// Reduced linear indices [b, e) of x at `base` -> Acc.
template <typename T, typename Op>
typename Op::Acc reduce_range(const T* base, const RedDims& r, int64_t b, int64_t e) {
  using Acc = typename Op::Acc;
  const size_t nr = r.sizes.size();
  if (nr == 0) return Op::merge(Op::acc_init(), Op::to_acc(Op::step(Op::lane_init(), base[0])));
  std::vector<int64_t> idx(nr);
  int64_t rem = b;
  for (size_t d = nr; d-- > 0;) {
    idx[d] = rem % r.sizes[d];
    rem /= r.sizes[d];
  }
  auto offset = [&] {
    int64_t off = 0;
    for (size_t d = 0; d < nr; ++d) off += idx[d] * r.strides[d];
    return off;
  };
  Acc acc = Op::acc_init();
  if (r.inner_contiguous()) {
    const int64_t inner = r.sizes.back();
    int64_t i = b;
    while (i < e) {
      const int64_t n = std::min(inner - idx[nr - 1], e - i);
      acc = Op::merge(acc, reduce_run<T, Op>(base + offset(), n));
      i += n;
      idx[nr - 1] = 0;
      for (size_t d = nr - 1; d-- > 0;) {
        if (++idx[d] < r.sizes[d]) break;
        idx[d] = 0;
      }
    }
    return acc;
  }
  typename Op::Lane lane = Op::lane_init();
  int64_t in_block = 0;
  for (int64_t i = b; i < e; ++i) {
    lane = Op::step(lane, base[offset()]);
    if (++in_block == kBlock) {
      acc = Op::merge(acc, Op::to_acc(lane));
      lane = Op::lane_init();
      in_block = 0;
    }
    for (size_t d = nr; d-- > 0;) {
      if (++idx[d] < r.sizes[d]) break;
      idx[d] = 0;
    }
  }
  return Op::merge(acc, Op::to_acc(lane));
}

struct Geometry {
  Shape kept_sizes, kept_x_strides, kept_out_strides;  // kept dims (the stride-1 one last if any)
  RedDims red;
};

Geometry split_dims(const Tensor& out, const Tensor& x, IntArrayRef dims) {
  Geometry g;
  std::vector<bool> is_red(static_cast<size_t>(x.dim()), false);
  for (int64_t d : dims) is_red[static_cast<size_t>(d)] = true;
  std::vector<std::pair<int64_t, int64_t>> red;  // (stride, size)
  int64_t unit_kept = -1;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (x.size(d) == 1) continue;
    if (is_red[static_cast<size_t>(d)]) {
      red.emplace_back(x.stride(d), x.size(d));
    } else {
      if (x.stride(d) == 1 && unit_kept < 0) unit_kept = static_cast<int64_t>(g.kept_sizes.size());
      g.kept_sizes.push_back(x.size(d));
      g.kept_x_strides.push_back(x.stride(d));
      g.kept_out_strides.push_back(out.stride(d));
    }
  }
  if (unit_kept >= 0) {  // the contiguous kept dim goes last: the vertical loop walks it
    auto to_back = [&](Shape& s) { std::rotate(s.begin() + unit_kept, s.begin() + unit_kept + 1, s.end()); };
    to_back(g.kept_sizes);
    to_back(g.kept_x_strides);
    to_back(g.kept_out_strides);
  }
  std::stable_sort(red.begin(), red.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (auto [st, sz] : red) {
    if (!g.red.sizes.empty() && g.red.strides.back() == st * sz) {
      g.red.sizes.back() *= sz;
      g.red.strides.back() = st;
    } else {
      g.red.sizes.push_back(sz);
      g.red.strides.push_back(st);
    }
  }
  return g;
}

// Offsets of kept-linear index o into x and out (kept dims in Geometry order).
inline void kept_offsets(const Geometry& g, int64_t o, size_t ndims, int64_t& xoff, int64_t& ooff) {
  xoff = 0;
  ooff = 0;
  for (size_t d = ndims; d-- > 0;) {
    const int64_t i = o % g.kept_sizes[d];
    o /= g.kept_sizes[d];
    xoff += i * g.kept_x_strides[d];
    ooff += i * g.kept_out_strides[d];
  }
}

// Kept dim contiguous in x: x (outer..., R..., K) -> out (outer..., K), rows added into a tile of
// accumulators so x is read in order.
template <typename T, typename Op>
void reduce_vertical(const Geometry& g, const T* xp, T* op) {
  using Lane = typename Op::Lane;
  using Acc = typename Op::Acc;
  const size_t nk = g.kept_sizes.size();
  const int64_t K = g.kept_sizes.back(), out_step = g.kept_out_strides.back();
  const int64_t n_outer = numel_of(Shape(g.kept_sizes.begin(), g.kept_sizes.end() - 1));
  // Wide tiles: each row piece spans pages, not a few cache lines (narrow tiles thrash the TLB).
  // With few outer slices, split the columns so every thread gets a tile (sums stay per column,
  // so the result does not depend on the split).
  int64_t tile = std::min(K, kMaxTile);
  const int64_t threads = get_num_threads();
  if (n_outer < threads && K >= 1024) tile = std::min(tile, ((K + threads - 1) / threads + 63) / 64 * 64);
  const int64_t n_tiles = (K + tile - 1) / tile;
  const int64_t R = g.red.numel();
  const size_t nr = g.red.sizes.size();
  auto body = [&](int64_t wb, int64_t we) {
    std::vector<Lane> lanes(static_cast<size_t>(tile));
    std::vector<Acc> acc(static_cast<size_t>(tile));
    std::vector<int64_t> idx(nr);
    for (int64_t w = wb; w < we; ++w) {
      const int64_t o = w / n_tiles, j0 = (w % n_tiles) * tile, width = std::min(tile, K - j0);
      int64_t xoff, ooff;
      kept_offsets(g, o, nk - 1, xoff, ooff);
      xoff += j0;
      std::fill(acc.begin(), acc.end(), Op::acc_init());
      std::fill(idx.begin(), idx.end(), 0);
      for (int64_t r0 = 0; r0 < R; r0 += kRowBlock) {
        std::fill(lanes.begin(), lanes.end(), Op::lane_init());
        for (int64_t r = r0; r < std::min(R, r0 + kRowBlock); ++r) {
          int64_t off = xoff;
          for (size_t d = 0; d < nr; ++d) off += idx[d] * g.red.strides[d];
          const T* __restrict row = xp + off;
          Lane* __restrict l = lanes.data();
          for (int64_t j = 0; j < width; ++j) l[j] = Op::step(l[j], row[j]);
          for (size_t d = nr; d-- > 0;) {
            if (++idx[d] < g.red.sizes[d]) break;
            idx[d] = 0;
          }
        }
        for (int64_t j = 0; j < width; ++j) acc[static_cast<size_t>(j)] = Op::merge(acc[static_cast<size_t>(j)], Op::to_acc(lanes[static_cast<size_t>(j)]));
      }
      for (int64_t j = 0; j < width; ++j) op[ooff + (j0 + j) * out_step] = Op::finish(acc[static_cast<size_t>(j)]);
    }
  };
  const int64_t work = n_outer * n_tiles;
  const int64_t per_item = std::max<int64_t>(1, R * tile);
  if (work > 1 && work * per_item >= kParallelGrain) {
    parallel_for(work, std::max<int64_t>(1, kParallelGrain / per_item), body);
  } else {
    body(0, work);
  }
}

template <typename T, typename Op>
void reduce_kernel(const Tensor& out, const Tensor& x, IntArrayRef dims) {
  Geometry g = split_dims(out, x, dims);
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  const int64_t n_out = numel_of(g.kept_sizes), n_red = g.red.numel();
  const size_t nk = g.kept_sizes.size();
  if (n_out == 0) return;
  if (n_red == 0) {  // an empty reduction gives the identity (sum 0, prod 1, all true, any false)
    for (int64_t o = 0; o < n_out; ++o) {
      int64_t xoff, ooff;
      kept_offsets(g, o, nk, xoff, ooff);
      op[ooff] = Op::finish(Op::acc_init());
    }
    return;
  }
  if (!g.red.sizes.empty() && !g.red.inner_contiguous() && nk > 0 && g.kept_x_strides.back() == 1) {
    reduce_vertical<T, Op>(g, xp, op);
    return;
  }
  if (n_out == 1 && n_red >= 2 * kChunk) {
    // One long reduction: fixed chunks (whatever the thread count), merged in order.
    const int64_t n_chunks = (n_red + kChunk - 1) / kChunk;
    std::vector<typename Op::Acc> partial(static_cast<size_t>(n_chunks));
    parallel_for(n_chunks, 1, [&](int64_t cb, int64_t ce) {
      for (int64_t c = cb; c < ce; ++c)
        partial[static_cast<size_t>(c)] = reduce_range<T, Op>(xp, g.red, c * kChunk, std::min(n_red, (c + 1) * kChunk));
    });
    typename Op::Acc acc = Op::acc_init();
    for (auto& p : partial) acc = Op::merge(acc, p);
    int64_t xoff, ooff;
    kept_offsets(g, 0, nk, xoff, ooff);
    op[ooff] = Op::finish(acc);
    return;
  }
  // One contiguous reduced dim (x.sum(-1)): each output is one run, without reduce_range's index
  // bookkeeping, which costs as much as a short row.
  const bool one_run = g.red.sizes.size() == 1 && g.red.inner_contiguous();
  auto body = [&](int64_t b, int64_t e) {
    constexpr int kRows = 4;  // runs reduced side by side (reduce_runs)
    if (one_run) {
      for (; b + kRows <= e; b += kRows) {
        const T* rows[kRows];
        int64_t at[kRows];
        for (int r = 0; r < kRows; ++r) {
          int64_t xoff;
          kept_offsets(g, b + r, nk, xoff, at[r]);
          rows[r] = xp + xoff;
        }
        typename Op::Acc acc[kRows];
        reduce_runs<T, Op, kRows>(rows, n_red, acc);
        for (int r = 0; r < kRows; ++r) op[at[r]] = Op::finish(acc[r]);
      }
    }
    for (int64_t o = b; o < e; ++o) {
      int64_t xoff, ooff;
      kept_offsets(g, o, nk, xoff, ooff);
      op[ooff] = Op::finish(one_run ? reduce_run<T, Op>(xp + xoff, n_red) : reduce_range<T, Op>(xp + xoff, g.red, 0, n_red));
    }
  };
  if (n_out > 1 && n_out * n_red >= kParallelGrain) {
    parallel_for(n_out, std::max<int64_t>(1, kParallelGrain / n_red), body);
  } else {
    body(0, n_out);
  }
}

}  // namespace

void CpuBackend::reduce(ReduceOp op, const Tensor& out, const Tensor& x, IntArrayRef dims) {
  if (op == ReduceOp::All || op == ReduceOp::Any) {
    WICK_CHECK(out.dtype() == kBool && x.dtype() == kBool, "all/any kernel: expects bool tensors");
    if (op == ReduceOp::All) reduce_kernel<bool, LogicOp<true>>(out, x, dims);
    else reduce_kernel<bool, LogicOp<false>>(out, x, dims);
    return;
  }
  WICK_CHECK(out.dtype() == x.dtype(), "reduce kernel: out and x must share a dtype");
  dispatch_all(x.dtype(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, bool>) {
      WICK_FAIL("reduce kernel: bool input must be cast first");
    } else {
      switch (op) {
        case ReduceOp::Sum: reduce_kernel<T, SumOp<T>>(out, x, dims); break;
        case ReduceOp::Prod: reduce_kernel<T, ProdOp<T>>(out, x, dims); break;
        case ReduceOp::Max:
        case ReduceOp::Min:
          WICK_CHECK(x.numel() > 0, op == ReduceOp::Max ? "max" : "min",
                     "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
                     "with the 'dim' argument.");
          if (op == ReduceOp::Max) reduce_kernel<T, ExtremeOp<T, true>>(out, x, dims);
          else reduce_kernel<T, ExtremeOp<T, false>>(out, x, dims);
          break;
        default: WICK_FAIL("reduce kernel: unexpected op");
      }
    }
  });
}

}  // namespace wick::cpu

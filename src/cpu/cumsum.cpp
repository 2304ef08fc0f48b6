// CPU cumsum along one dim. Floats accumulate in double (as PyTorch's CPU kernel). Contiguous
// inputs run as (outer, n, inner) with a row of accumulators, so dim 0 reads memory in order;
// other layouts walk each line with its stride.
#include <algorithm>

#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

namespace {

constexpr int64_t kMaxTile = 8192;  // inner columns per work item (wide: row pieces span pages)

template <typename T>
void cumsum_kernel(const Tensor& out, const Tensor& x, int64_t dim) {
  using C = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;
  using Acc = std::conditional_t<std::is_floating_point_v<C>, double, int64_t>;
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  const int64_t n = x.size(dim);
  if (x.is_contiguous() && out.is_contiguous()) {
    // x, out (outer, n, inner)
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < dim; ++d) outer *= x.size(d);
    for (int64_t d = dim + 1; d < x.dim(); ++d) inner *= x.size(d);
    int64_t tile = std::min(inner, kMaxTile);
    const int64_t threads = get_num_threads();
    if (outer < threads && inner >= 1024) tile = std::min(tile, ((inner + threads - 1) / threads + 63) / 64 * 64);
    const int64_t tiles = (inner + tile - 1) / tile;
    auto body = [&](int64_t wb, int64_t we) {
      std::vector<Acc> acc(static_cast<size_t>(tile));
      for (int64_t w = wb; w < we; ++w) {
        const int64_t o = w / tiles, j0 = (w % tiles) * tile, width = std::min(tile, inner - j0);
        std::fill(acc.begin(), acc.end(), Acc(0));
        for (int64_t i = 0; i < n; ++i) {
          const int64_t off = (o * n + i) * inner + j0;
          for (int64_t j = 0; j < width; ++j) {
            acc[static_cast<size_t>(j)] += static_cast<Acc>(static_cast<C>(xp[off + j]));
            op[off + j] = static_cast<T>(static_cast<C>(acc[static_cast<size_t>(j)]));
          }
        }
      }
    };
    const int64_t work = outer * tiles, per_item = n * tile;
    if (work > 1 && work * per_item >= kParallelGrain) {
      parallel_for(work, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(per_item, 1)), body);
    } else {
      body(0, work);
    }
    return;
  }
  Shape sizes, xs, os;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d == dim) continue;
    sizes.push_back(x.size(d));
    xs.push_back(x.stride(d));
    os.push_back(out.stride(d));
  }
  const int64_t xstep = x.stride(dim), ostep = out.stride(dim), lines = numel_of(sizes);
  auto body = [&](int64_t b, int64_t e) {
    for (int64_t l = b; l < e; ++l) {
      int64_t xo = 0, oo = 0, rem = l;
      for (size_t d = sizes.size(); d-- > 0;) {
        const int64_t i = rem % sizes[d];
        rem /= sizes[d];
        xo += i * xs[d];
        oo += i * os[d];
      }
      Acc acc = 0;
      for (int64_t i = 0; i < n; ++i) {
        acc += static_cast<Acc>(static_cast<C>(xp[xo + i * xstep]));
        op[oo + i * ostep] = static_cast<T>(static_cast<C>(acc));
      }
    }
  };
  if (lines > 1 && lines * n >= kParallelGrain) {
    parallel_for(lines, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(n, 1)), body);
  } else {
    body(0, lines);
  }
}

}  // namespace

void CpuBackend::cumsum(const Tensor& out, const Tensor& x, int64_t dim) {
  WICK_CHECK(out.dtype() == x.dtype() && out.sizes() == x.sizes(), "cumsum kernel: out must match x");
  if (x.numel() == 0) return;
  dispatch_all(x.dtype(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, bool>) {
      WICK_FAIL("cumsum kernel: bool input must be cast first");
    } else {
      cumsum_kernel<T>(out, x, dim);
    }
  });
}

}  // namespace wick::cpu

// CPU reductions. The reduced dims are gathered into an inner block walked by an index counter;
// kept dims are split across threads. A contiguous inner block gets a tight loop. float sums
// accumulate in double (precision comparable to PyTorch's cascade sums).
#include <cmath>
#include <limits>

#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

namespace {

template <typename T>
using acc_t = std::conditional_t<std::is_floating_point_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>,
                                 double, std::conditional_t<std::is_same_v<T, bool>, int64_t, int64_t>>;

struct Geometry {
  Shape kept_sizes, kept_x_strides, kept_out_strides;  // outer iteration
  Shape red_sizes, red_strides;                          // inner block (x strides), outermost first
};

Geometry split_dims(const Tensor& out, const Tensor& x, IntArrayRef dims) {
  Geometry g;
  std::vector<bool> red(static_cast<size_t>(x.dim()), false);
  for (int64_t d : dims) red[static_cast<size_t>(d)] = true;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (red[static_cast<size_t>(d)]) {
      if (x.size(d) == 1) continue;
      // Merge with the previous reduced dim when memory allows.
      if (!g.red_sizes.empty() && g.red_strides.back() == x.stride(d) * x.size(d)) {
        g.red_sizes.back() *= x.size(d);
        g.red_strides.back() = x.stride(d);
      } else {
        g.red_sizes.push_back(x.size(d));
        g.red_strides.push_back(x.stride(d));
      }
    } else {
      g.kept_sizes.push_back(x.size(d));
      g.kept_x_strides.push_back(x.stride(d));
      g.kept_out_strides.push_back(out.stride(d));
    }
  }
  return g;
}

template <typename T, typename Acc, typename Init, typename Step, typename Finish>
void reduce_loop(const Tensor& out, const Tensor& x, IntArrayRef dims, Init init, Step step, Finish finish) {
  Geometry g = split_dims(out, x, dims);
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  int64_t n_out = numel_of(g.kept_sizes);
  int64_t n_red = numel_of(g.red_sizes);
  const size_t nr = g.red_sizes.size();
  const bool inner_contig = nr >= 1 && g.red_strides.back() == 1;
  auto body = [&](int64_t b, int64_t e) {
    std::vector<int64_t> idx(nr);
    for (int64_t o = b; o < e; ++o) {
      int64_t xoff = 0, ooff = 0, rem = o;
      for (size_t d = g.kept_sizes.size(); d-- > 0;) {
        int64_t i = rem % g.kept_sizes[d];
        rem /= g.kept_sizes[d];
        xoff += i * g.kept_x_strides[d];
        ooff += i * g.kept_out_strides[d];
      }
      Acc acc = init();
      if (nr == 0) {
        acc = step(acc, xp[xoff]);
      } else if (inner_contig) {
        const int64_t inner = g.red_sizes.back();
        const int64_t outer = n_red / inner;
        std::fill(idx.begin(), idx.end(), 0);
        for (int64_t r = 0; r < outer; ++r) {
          int64_t off = xoff;
          for (size_t d = 0; d + 1 < nr; ++d) off += idx[d] * g.red_strides[d];
          const T* p = xp + off;
          for (int64_t i = 0; i < inner; ++i) acc = step(acc, p[i]);
          for (size_t d = nr - 1; d-- > 0;) {
            if (++idx[d] < g.red_sizes[d]) break;
            idx[d] = 0;
          }
        }
      } else {
        std::fill(idx.begin(), idx.end(), 0);
        for (int64_t r = 0; r < n_red; ++r) {
          int64_t off = xoff;
          for (size_t d = 0; d < nr; ++d) off += idx[d] * g.red_strides[d];
          acc = step(acc, xp[off]);
          for (size_t d = nr; d-- > 0;) {
            if (++idx[d] < g.red_sizes[d]) break;
            idx[d] = 0;
          }
        }
      }
      op[ooff] = finish(acc);
    }
  };
  if (n_out * std::max<int64_t>(n_red, 1) >= kParallelGrain && n_out > 1) {
    parallel_for(n_out, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(n_red, 1)), body);
  } else {
    body(0, n_out);
  }
}

}  // namespace

void CpuBackend::reduce(ReduceOp op, const Tensor& out, const Tensor& x, IntArrayRef dims) {
  if (op == ReduceOp::All || op == ReduceOp::Any) {
    WICK_CHECK(out.dtype() == kBool && x.dtype() == kBool, "all/any kernel: expects bool tensors");
    bool is_all = op == ReduceOp::All;
    reduce_loop<bool, bool>(
        out, x, dims, [&] { return is_all; },
        [&](bool a, bool v) { return is_all ? (a && v) : (a || v); }, [](bool a) { return a; });
    return;
  }
  dispatch_all(x.dtype(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, bool>) {
      WICK_FAIL("reduce kernel: bool input must be cast first");
    } else {
      using A = acc_t<T>;
      using C = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;
      switch (op) {
        case ReduceOp::Sum:
          reduce_loop<T, A>(out, x, dims, [] { return A(0); }, [](A a, T v) { return a + static_cast<A>(static_cast<C>(v)); },
                            [](A a) { return static_cast<T>(static_cast<C>(a)); });
          break;
        case ReduceOp::Prod:
          reduce_loop<T, A>(out, x, dims, [] { return A(1); }, [](A a, T v) { return a * static_cast<A>(static_cast<C>(v)); },
                            [](A a) { return static_cast<T>(static_cast<C>(a)); });
          break;
        case ReduceOp::Max:
        case ReduceOp::Min: {
          WICK_CHECK(numel_of(x.sizes()) > 0, op == ReduceOp::Max ? "max" : "min",
                     "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
          const bool is_max = op == ReduceOp::Max;
          reduce_loop<T, C>(
              out, x, dims,
              [&] { return is_max ? std::numeric_limits<C>::lowest() : std::numeric_limits<C>::max(); },
              [&](C a, T tv) {
                C v = static_cast<C>(tv);
                if constexpr (std::is_floating_point_v<C>) {
                  if (std::isnan(a) || std::isnan(v)) return std::numeric_limits<C>::quiet_NaN();
                }
                return is_max ? (v > a ? v : a) : (v < a ? v : a);
              },
              [](C a) { return static_cast<T>(a); });
          break;
        }
        default: WICK_FAIL("reduce kernel: unexpected op");
      }
    }
  });
}

}  // namespace wick::cpu

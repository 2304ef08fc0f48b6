// CPU pooling kernels (max/avg, sliding or adaptive, 1 to 3 spatial dims) through one 3-d loop:
// fewer spatial dims are padded in front with size-1 axes. Each axis's windows are tabulated once
// (which input cells feed each output cell, and the axis's share of the divisor), so the loops
// hold no padding/dilation arithmetic. Planes (the B = N*C dim) run in parallel; no channels-last.
// Sliding max pooling over 1 or 2 dims (every zoo model's) has its own loop, through the plane's
// stride phases, one pass per window cell over all outputs (max_pool_phases).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

namespace {

// One spatial axis: output cell o reads input cells tap[off[o]] .. tap[off[o + 1] - 1]; its
// share of the average's divisor is div[o] (padded cells counted when count_include_pad).
struct Axis {
  int64_t in = 1, out = 1;
  std::vector<int64_t> off{0, 1}, tap{0};
  std::vector<int64_t> div{1};
};

// An axis with no windows yet (the tables are filled per output cell).
Axis empty_axis(int64_t in, int64_t out) {
  Axis a;
  a.in = in;
  a.out = out;
  a.off.assign(1, 0);
  a.tap.clear();
  a.div.clear();
  return a;
}

Axis sliding_axis(int64_t in, int64_t out, int64_t k, int64_t s, int64_t p, int64_t d, bool include_pad) {
  Axis a = empty_axis(in, out);
  for (int64_t o = 0; o < out; ++o) {
    const int64_t start = o * s - p;
    for (int64_t j = 0; j < k; ++j) {
      const int64_t i = start + j * d;
      if (i >= 0 && i < in) a.tap.push_back(i);
    }
    a.off.push_back(static_cast<int64_t>(a.tap.size()));
    // Average pooling's padded window stops at the right padding edge (PyTorch's pool_size).
    const int64_t padded = std::min(start + k, in + p) - start;
    a.div.push_back(include_pad ? padded : a.off[static_cast<size_t>(o) + 1] - a.off[static_cast<size_t>(o)]);
  }
  return a;
}

Axis adaptive_axis(int64_t in, int64_t out) {
  Axis a = empty_axis(in, out);
  for (int64_t o = 0; o < out; ++o) {
    const int64_t begin = (o * in) / out, end = ((o + 1) * in + out - 1) / out;
    for (int64_t i = begin; i < end; ++i) a.tap.push_back(i);
    a.off.push_back(static_cast<int64_t>(a.tap.size()));
    a.div.push_back(end - begin);
  }
  return a;
}

// The three axes of x (B, *in) -> (B, *out); missing leading axes stay size 1.
std::array<Axis, 3> make_axes(IntArrayRef in, IntArrayRef out, const PoolArgs& args) {
  const size_t nd = in.size() - 1;
  WICK_CHECK(nd >= 1 && nd <= 3 && out.size() == in.size(), "pooling kernel: expected 1 to 3 spatial dims");
  std::array<Axis, 3> axes;
  for (size_t d = 0; d < nd; ++d) {
    Axis& a = axes[3 - nd + d];
    if (args.adaptive) {
      a = adaptive_axis(in[d + 1], out[d + 1]);
    } else {
      a = sliding_axis(in[d + 1], out[d + 1], args.kernel[d], args.stride[d], args.padding[d],
                       args.dilation.empty() ? 1 : args.dilation[d], args.count_include_pad);
    }
  }
  return axes;
}

// Calls f(o, [t0b, t0e) ...) for every output cell of one plane: o is the flat output index,
// tap ranges are into each axis's tap table.
template <typename F>
void for_each_cell(const std::array<Axis, 3>& ax, F&& f) {
  int64_t o = 0;
  for (int64_t o0 = 0; o0 < ax[0].out; ++o0)
    for (int64_t o1 = 0; o1 < ax[1].out; ++o1)
      for (int64_t o2 = 0; o2 < ax[2].out; ++o2, ++o) f(o, o0, o1, o2);
}

// Runs body(b_begin, b_end) over the B planes, in parallel when the work is large enough.
template <typename F>
void over_planes(int64_t planes, int64_t per_plane, F&& body) {
  if (planes > 1 && planes * per_plane >= kParallelGrain) {
    parallel_for(planes, std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(per_plane, 1)), body);
  } else {
    body(0, planes);
  }
}

int64_t plane_work(const std::array<Axis, 3>& ax) {
  int64_t taps = 1;
  for (const Axis& a : ax) taps *= static_cast<int64_t>(a.tap.size());
  return std::max<int64_t>(taps, ax[0].in * ax[1].in * ax[2].in);
}

// Each output cell's window as a start and a length per axis, when every axis's windows are runs
// of adjacent input cells (dilation 1, or adaptive pooling): the hot loops then walk memory
// directly instead of the tap tables, which costs 3-4x less for LeNet's 2x2 windows. Average
// pooling (which has no dilation) always takes this form.
struct Runs {
  std::vector<int64_t> begin, len;
};

bool as_runs(const Axis& a, Runs& r) {
  r.begin.assign(static_cast<size_t>(a.out), 0);
  r.len.assign(static_cast<size_t>(a.out), 0);
  for (int64_t o = 0; o < a.out; ++o) {
    const int64_t b = a.off[static_cast<size_t>(o)], e = a.off[static_cast<size_t>(o) + 1];
    for (int64_t j = b + 1; j < e; ++j)
      if (a.tap[static_cast<size_t>(j)] != a.tap[static_cast<size_t>(j) - 1] + 1) return false;
    r.begin[static_cast<size_t>(o)] = e > b ? a.tap[static_cast<size_t>(b)] : 0;
    r.len[static_cast<size_t>(o)] = e - b;
  }
  return true;
}

std::optional<std::array<Runs, 3>> runs_of(const std::array<Axis, 3>& ax) {
  std::array<Runs, 3> r;
  for (int d = 0; d < 3; ++d)
    if (!as_runs(ax[static_cast<size_t>(d)], r[static_cast<size_t>(d)])) return std::nullopt;
  return r;
}

// Calls f(o, window start in the plane, rows of axis 0, rows of axis 1, length along axis 2,
// divisor) for every output cell of one plane whose window is not empty; empty(o) otherwise.
template <typename F, typename E>
void for_each_run(const std::array<Axis, 3>& ax, const std::array<Runs, 3>& r, F&& f, E&& empty) {
  const int64_t I1 = ax[1].in, I2 = ax[2].in;
  int64_t o = 0;
  for (size_t o0 = 0; o0 < r[0].len.size(); ++o0)
    for (size_t o1 = 0; o1 < r[1].len.size(); ++o1)
      for (size_t o2 = 0; o2 < r[2].len.size(); ++o2, ++o) {
        const int64_t n0 = r[0].len[o0], n1 = r[1].len[o1], n2 = r[2].len[o2];
        if (n0 == 0 || n1 == 0 || n2 == 0) {
          empty(o);
          continue;
        }
        f(o, (r[0].begin[o0] * I1 + r[1].begin[o1]) * I2 + r[2].begin[o2], n0, n1, n2,
          ax[0].div[o0] * ax[1].div[o1] * ax[2].div[o2]);
      }
}

// 2-d pooling by disjoint 2x2 blocks from the corner (kernel 2, stride 2, no padding: LeNet's and
// DenseNet's transitions): loops over whole output rows that the compiler vectorises, instead of
// a call per output cell.
bool is_2x2_blocks(const std::array<Axis, 3>& ax, const std::array<Runs, 3>& r) {
  if (ax[0].in != 1 || ax[0].out != 1 || r[0].len[0] != 1) return false;
  for (int d = 1; d < 3; ++d) {
    const Runs& rd = r[static_cast<size_t>(d)];
    for (size_t o = 0; o < rd.len.size(); ++o)
      if (rd.len[o] != 2 || rd.begin[o] != 2 * static_cast<int64_t>(o)) return false;
  }
  return true;
}

template <typename T>
void avg_pool_2x2(const Tensor& out, const Tensor& x, const std::array<Axis, 3>& ax, T divisor) {
  const int64_t planes = x.size(0), I1 = ax[1].in, I2 = ax[2].in, O1 = ax[1].out, O2 = ax[2].out;
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  over_planes(planes, plane_work(ax), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b)
      for (int64_t oy = 0; oy < O1; ++oy) {
        const T* r0 = xp + (b * I1 + 2 * oy) * I2;
        const T* r1 = r0 + I2;
        T* o = op + (b * O1 + oy) * O2;
        // The generic kernel's order of additions (row by row), so results agree bit for bit.
        for (int64_t ox = 0; ox < O2; ++ox)
          o[ox] = (((T(0) + r0[2 * ox]) + r0[2 * ox + 1]) + r1[2 * ox] + r1[2 * ox + 1]) / divisor;
      }
  });
}

template <typename T>
void avg_pool_backward_2x2(const Tensor& gi, const Tensor& go, const std::array<Axis, 3>& ax, T divisor) {
  const int64_t planes = gi.size(0), I1 = ax[1].in, I2 = ax[2].in, O1 = ax[1].out, O2 = ax[2].out;
  T* gip = static_cast<T*>(gi.data_ptr());
  const T* gop = static_cast<const T*>(go.data_ptr());
  over_planes(planes, plane_work(ax), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      T* gib = gip + b * I1 * I2;
      std::fill(gib, gib + I1 * I2, T(0));  // an odd last row or column is in no window
      for (int64_t oy = 0; oy < O1; ++oy) {
        T* r0 = gib + 2 * oy * I2;
        T* r1 = r0 + I2;
        const T* g = gop + (b * O1 + oy) * O2;
        for (int64_t ox = 0; ox < O2; ++ox) {
          const T v = g[ox] / divisor;
          r0[2 * ox] = v;
          r0[2 * ox + 1] = v;
          r1[2 * ox] = v;
          r1[2 * ox + 1] = v;
        }
      }
    }
  });
}

template <typename T>
void avg_pool_runs(const Tensor& out, const Tensor& x, const std::array<Axis, 3>& ax, const std::array<Runs, 3>& r,
                   const std::optional<int64_t>& divisor_override) {
  if (is_2x2_blocks(ax, r))
    return avg_pool_2x2<T>(out, x, ax, static_cast<T>(divisor_override ? *divisor_override : 4));
  const int64_t planes = x.size(0), in_plane = ax[0].in * ax[1].in * ax[2].in;
  const int64_t out_plane = ax[0].out * ax[1].out * ax[2].out, I1 = ax[1].in, I2 = ax[2].in;
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  over_planes(planes, plane_work(ax), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const T* xb = xp + b * in_plane;
      T* ob = op + b * out_plane;
      for_each_run(
          ax, r,
          [&](int64_t o, int64_t start, int64_t n0, int64_t n1, int64_t n2, int64_t div) {
            T sum = T(0);  // accumulated in T, as PyTorch's CPU kernel does
            for (int64_t i0 = 0; i0 < n0; ++i0)
              for (int64_t i1 = 0; i1 < n1; ++i1) {
                const T* row = xb + start + (i0 * I1 + i1) * I2;
                for (int64_t i2 = 0; i2 < n2; ++i2) sum += row[i2];
              }
            ob[o] = sum / static_cast<T>(divisor_override ? *divisor_override : div);
          },
          [&](int64_t o) { ob[o] = T(0); });
    }
  });
}

template <typename T>
void avg_pool_backward_runs(const Tensor& gi, const Tensor& go, const std::array<Axis, 3>& ax,
                            const std::array<Runs, 3>& r, const std::optional<int64_t>& divisor_override) {
  if (is_2x2_blocks(ax, r))
    return avg_pool_backward_2x2<T>(gi, go, ax, static_cast<T>(divisor_override ? *divisor_override : 4));
  const int64_t planes = gi.size(0), in_plane = ax[0].in * ax[1].in * ax[2].in;
  const int64_t out_plane = ax[0].out * ax[1].out * ax[2].out, I1 = ax[1].in, I2 = ax[2].in;
  T* gip = static_cast<T*>(gi.data_ptr());
  const T* gop = static_cast<const T*>(go.data_ptr());
  over_planes(planes, plane_work(ax), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      T* gib = gip + b * in_plane;
      const T* gob = gop + b * out_plane;
      std::fill(gib, gib + in_plane, T(0));
      for_each_run(
          ax, r,
          [&](int64_t o, int64_t start, int64_t n0, int64_t n1, int64_t n2, int64_t div) {
            const T g = gob[o] / static_cast<T>(divisor_override ? *divisor_override : div);
            for (int64_t i0 = 0; i0 < n0; ++i0)
              for (int64_t i1 = 0; i1 < n1; ++i1) {
                T* row = gib + start + (i0 * I1 + i1) * I2;
                for (int64_t i2 = 0; i2 < n2; ++i2) row[i2] += g;
              }
          },
          [](int64_t) {});
    }
  });
}

// max_pool_kernel over window runs (dilation 1), same rules: the first maximum wins, NaN wins.
template <typename T>
void max_pool_runs(const Tensor& out, const Tensor& indices, const Tensor& x, const std::array<Axis, 3>& ax,
                   const std::array<Runs, 3>& r) {
  const int64_t planes = x.size(0), in_plane = ax[0].in * ax[1].in * ax[2].in;
  const int64_t out_plane = ax[0].out * ax[1].out * ax[2].out, I1 = ax[1].in, I2 = ax[2].in;
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  int64_t* ip = static_cast<int64_t*>(indices.data_ptr());
  over_planes(planes, plane_work(ax), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const T* xb = xp + b * in_plane;
      T* ob = op + b * out_plane;
      int64_t* ib = ip + b * out_plane;
      for_each_run(
          ax, r,
          [&](int64_t o, int64_t start, int64_t n0, int64_t n1, int64_t n2, int64_t) {
            int64_t best_i = start;
            T best = -std::numeric_limits<T>::infinity();
            for (int64_t i0 = 0; i0 < n0; ++i0)
              for (int64_t i1 = 0; i1 < n1; ++i1) {
                const int64_t row = start + (i0 * I1 + i1) * I2;
                for (int64_t i2 = 0; i2 < n2; ++i2) {
                  const T v = xb[row + i2];
                  if (v > best || std::isnan(v)) {
                    best = v;
                    best_i = row + i2;
                  }
                }
              }
            ob[o] = best;
            ib[o] = best_i;
          },
          // PyTorch never makes an empty max-pool window (padding <= kernel / 2).
          [&](int64_t o) {
            ob[o] = -std::numeric_limits<T>::infinity();
            ib[o] = 0;
          });
    }
  });
}

template <typename T>
void max_pool_kernel(const Tensor& out, const Tensor& indices, const Tensor& x, const std::array<Axis, 3>& ax) {
  const int64_t planes = x.size(0), in_plane = ax[0].in * ax[1].in * ax[2].in;
  const int64_t out_plane = ax[0].out * ax[1].out * ax[2].out, I1 = ax[1].in, I2 = ax[2].in;
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  int64_t* ip = static_cast<int64_t*>(indices.data_ptr());
  over_planes(planes, plane_work(ax), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const T* xb = xp + b * in_plane;
      T* ob = op + b * out_plane;
      int64_t* ib = ip + b * out_plane;
      for_each_cell(ax, [&](int64_t o, int64_t o0, int64_t o1, int64_t o2) {
        const int64_t* t0 = ax[0].tap.data();
        const int64_t* t1 = ax[1].tap.data();
        const int64_t* t2 = ax[2].tap.data();
        const int64_t a0 = ax[0].off[o0], e0 = ax[0].off[o0 + 1], a1 = ax[1].off[o1], e1 = ax[1].off[o1 + 1];
        const int64_t a2 = ax[2].off[o2], e2 = ax[2].off[o2 + 1];
        // PyTorch's rule: a later cell wins when strictly greater or NaN; the first cell is the
        // index when every value is -inf.
        int64_t best_i = (t0[a0] * I1 + t1[a1]) * I2 + t2[a2];
        T best = -std::numeric_limits<T>::infinity();
        for (int64_t j0 = a0; j0 < e0; ++j0)
          for (int64_t j1 = a1; j1 < e1; ++j1) {
            const int64_t row = (t0[j0] * I1 + t1[j1]) * I2;
            for (int64_t j2 = a2; j2 < e2; ++j2) {
              const int64_t i = row + t2[j2];
              const T v = xb[i];
              if (v > best || std::isnan(v)) {
                best = v;
                best_i = i;
              }
            }
          }
        ob[o] = best;
        ib[o] = best_i;
      });
    }
  });
}

// Whether max_pool_phases takes the layer: sliding windows over 1 or 2 dims, int32 indices.
bool phases_apply(const std::array<Axis, 3>& ax, const PoolArgs& args) {
  return !args.adaptive && args.kernel.size() <= 2 && ax[0].in == 1 && ax[0].out == 1 &&
         ax[1].in * ax[2].in <= std::numeric_limits<int32_t>::max();
}

// Max pooling over 1 or 2 dims (1-d as 2-d with one row), plane by plane through the plane's
// stride phases: phase (a, b)[i][j] = x[i * s1 + a - p1][j * s2 + b - p2], -inf outside x, each
// PW = O2 + (k2 - 1) * d2 / s2 wide. Window cell (t, j) of output (o1, o2) is phase
// ((t * d1) % s1, (j * d2) % s2) at row o1 + t * d1 / s1 and column o2 + j * d2 / s2, so over the
// flat outputs q = o1 * PW + o2 (the last PW - O2 of each line thrown away) each window cell is
// one contiguous pass, a compare-and-select over all outputs at once. Output rows are short in
// GoogLeNet's inception blocks (12, 6 and 3 wide): a loop over each output row ran them in its
// scalar remainder, 16% of a GoogLeNet training step at unit stride and 6% at stride 2. Passes go
// in window order, so the rule is max_pool_kernel's: the first maximum wins, NaN wins; a window of
// -inf (or only padding) keeps its first cell inside the input. Indices are int32 in the loop
// (float and int32 vectors have the same width).
template <typename T>
void max_pool_phases(const Tensor& out, const Tensor& indices, const Tensor& x,
                     const std::array<Axis, 3>& ax, const PoolArgs& args) {
  // Dim d of the window (0: rows, 1: columns); a 1-d window has one row.
  const size_t n = args.kernel.size();
  auto win = [&](const std::vector<int64_t>& v, size_t d, int64_t one) {
    if (v.empty() || (n == 1 && d == 0)) return one;
    return v[n == 1 ? 0 : d];
  };
  const int64_t k1 = win(args.kernel, 0, 1), k2 = win(args.kernel, 1, 1),
                s1 = win(args.stride, 0, 1), s2 = win(args.stride, 1, 1),
                p1 = win(args.padding, 0, 0), p2 = win(args.padding, 1, 0),
                d1 = win(args.dilation, 0, 1), d2 = win(args.dilation, 1, 1);
  const int64_t I1 = ax[1].in, I2 = ax[2].in, O1 = ax[1].out, O2 = ax[2].out;
  // One line more than the windows reach: the last pass runs up to a line past the last output.
  const int64_t PH = O1 + (k1 - 1) * d1 / s1 + 1, PW = O2 + (k2 - 1) * d2 / s2, plane = PH * PW;
  const int64_t Q = O1 * PW;
  // Per flat output q: the input index of its window's top-left cell (may lie in the padding),
  // and of its first cell inside the input.
  std::vector<int32_t> base(static_cast<size_t>(Q)), first(static_cast<size_t>(Q), 0);
  for (int64_t o1 = 0; o1 < O1; ++o1)
    for (int64_t o2 = 0; o2 < PW; ++o2) {
      const auto q = static_cast<size_t>(o1 * PW + o2);
      const int64_t r0 = o1 * s1 - p1, c0 = o2 * s2 - p2;
      base[q] = static_cast<int32_t>(r0 * I2 + c0);
      if (o2 >= O2) continue;
      int64_t t = 0, j = 0;
      while (t < k1 && (r0 + t * d1 < 0 || r0 + t * d1 >= I1)) ++t;
      while (j < k2 && (c0 + j * d2 < 0 || c0 + j * d2 >= I2)) ++j;
      if (t < k1 && j < k2) first[q] = static_cast<int32_t>((r0 + t * d1) * I2 + c0 + j * d2);
    }
  const T* xp = static_cast<const T*>(x.data_ptr());
  T* op = static_cast<T*>(out.data_ptr());
  int64_t* ip = static_cast<int64_t*>(indices.data_ptr());
  const T lowest = -std::numeric_limits<T>::infinity();
  over_planes(x.size(0), plane_work(ax), [&](int64_t b0, int64_t b1) {
    // Padding cells are the same in every plane: -inf once, and only x's cells copied per plane.
    std::vector<T> phases_v(static_cast<size_t>(s1 * s2 * plane), lowest),
        best_v(static_cast<size_t>(Q));
    std::vector<int32_t> at_v(static_cast<size_t>(Q));
    T* __restrict ph = phases_v.data();
    T* __restrict best = best_v.data();
    int32_t* __restrict at = at_v.data();
    const int32_t* __restrict bs = base.data();
    for (int64_t b = b0; b < b1; ++b) {
      const T* xb = xp + b * I1 * I2;
      for (int64_t a = 0; a < s1; ++a)
        for (int64_t c = 0; c < s2; ++c)
          for (int64_t i = 0; i < PH; ++i) {
            const int64_t r = i * s1 + a - p1;
            if (r < 0 || r >= I1) continue;
            // Columns j in [lo, hi) read x's row at j * s2 + c - p2; the rest is padding.
            const int64_t lo = std::clamp<int64_t>((p2 - c + s2 - 1) / s2, 0, PW),
                          hi = std::clamp<int64_t>((I2 + p2 - c + s2 - 1) / s2, lo, PW);
            T* d = ph + ((a * s2 + c) * PH + i) * PW + lo;
            const T* xr = xb + r * I2 + lo * s2 + c - p2;
            if (s2 == 1) {
              std::copy_n(xr, hi - lo, d);
            } else {
              for (int64_t j = 0; j < hi - lo; ++j) d[j] = xr[j * s2];
            }
          }
      std::copy_n(first.data(), Q, at);
      std::fill_n(best, Q, lowest);
      for (int64_t t = 0; t < k1; ++t)
        for (int64_t j = 0; j < k2; ++j) {
          const T* __restrict src =
              ph + (((t * d1) % s1 * s2 + (j * d2) % s2) * PH + t * d1 / s1) * PW + j * d2 / s2;
          const auto off = static_cast<int32_t>(t * d1 * I2 + j * d2);
          for (int64_t q = 0; q < Q; ++q) {
            const T v = src[q];
            const bool take = v > best[q] || v != v;
            best[q] = take ? v : best[q];
            at[q] = take ? bs[q] + off : at[q];
          }
        }
      T* ob = op + b * O1 * O2;
      int64_t* ib = ip + b * O1 * O2;
      for (int64_t o1 = 0; o1 < O1; ++o1)
        for (int64_t o2 = 0; o2 < O2; ++o2) {
          ob[o1 * O2 + o2] = best[o1 * PW + o2];
          ib[o1 * O2 + o2] = at[o1 * PW + o2];
        }
    }
  });
}

void check_contiguous(const char* kernel, std::initializer_list<const Tensor*> ts) {
  for (const Tensor* t : ts) WICK_CHECK(t->is_contiguous(), kernel, " kernel: expects contiguous tensors");
}

}  // namespace

void CpuBackend::max_pool_forward(const Tensor& out, const Tensor& indices, const Tensor& x, const PoolArgs& args) {
  check_contiguous("max_pool", {&out, &indices, &x});
  WICK_CHECK(indices.dtype() == kInt64 && out.dtype() == x.dtype(), "max_pool kernel: bad output dtypes");
  if (out.numel() == 0) return;
  const auto axes = make_axes(x.sizes(), out.sizes(), args);
  const auto runs = runs_of(axes);
  dispatch_floating(x.dtype(), "max_pool", [&]<typename T>() {
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      if (phases_apply(axes, args)) return max_pool_phases<T>(out, indices, x, axes, args);
    }
    if (runs) max_pool_runs<T>(out, indices, x, axes, *runs);
    else max_pool_kernel<T>(out, indices, x, axes);  // dilated windows
  });
}

void CpuBackend::avg_pool_forward(const Tensor& out, const Tensor& x, const PoolArgs& args) {
  check_contiguous("avg_pool", {&out, &x});
  if (out.numel() == 0) return;
  const auto axes = make_axes(x.sizes(), out.sizes(), args);
  const auto runs = runs_of(axes);
  WICK_CHECK(runs, "avg_pool kernel: windows must be runs of adjacent cells (no dilation)");
  dispatch_floating(x.dtype(), "avg_pool", [&]<typename T>() { avg_pool_runs<T>(out, x, axes, *runs, args.divisor_override); });
}

void CpuBackend::avg_pool_backward(const Tensor& grad_input, const Tensor& grad_output, const PoolArgs& args) {
  check_contiguous("avg_pool_backward", {&grad_input, &grad_output});
  if (grad_input.numel() == 0) return;
  const auto axes = make_axes(grad_input.sizes(), grad_output.sizes(), args);
  const auto runs = runs_of(axes);
  WICK_CHECK(runs, "avg_pool_backward kernel: windows must be runs of adjacent cells (no dilation)");
  dispatch_floating(grad_input.dtype(), "avg_pool_backward", [&]<typename T>() {
    avg_pool_backward_runs<T>(grad_input, grad_output, axes, *runs, args.divisor_override);
  });
}

void CpuBackend::pool_scatter(const Tensor& out, const Tensor& src, const Tensor& indices, bool accumulate) {
  check_contiguous("pool_scatter", {&out, &src, &indices});
  WICK_CHECK(out.dim() == 2 && src.dim() == 2 && indices.sizes() == src.sizes() && out.size(0) == src.size(0),
             "pool_scatter kernel: expected out (B, M), src and indices (B, K)");
  const int64_t planes = out.size(0), m = out.size(1), k = src.size(1);
  const int64_t* ip = static_cast<const int64_t*>(indices.data_ptr());
  dispatch_floating(out.dtype(), "pool_scatter", [&]<typename T>() {
    T* op = static_cast<T*>(out.data_ptr());
    const T* sp = static_cast<const T*>(src.data_ptr());
    over_planes(planes, std::max(m, k), [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        T* ob = op + b * m;
        std::fill(ob, ob + m, T(0));
        for (int64_t j = 0; j < k; ++j) {
          const int64_t i = ip[b * k + j];
          WICK_CHECK(i >= 0 && i < m, "Found an invalid max index: ", i, " (output volumes are of size ", m, ")");
          if (accumulate) ob[i] += sp[b * k + j];
          else ob[i] = sp[b * k + j];
        }
      }
    });
  });
}

}  // namespace wick::cpu

// Line walks for CPU kernels that work along one dim (gather/scatter, index_select, sort): every
// position of an iteration shape with `dim` left out, giving each operand's element offset at the
// start of that line. Unlike loops.h there is no coalescing: the caller steps along `dim` itself.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "thread_pool.h"
#include "wick/core/parallel.h"
#include "wick/core/shape.h"

namespace wick::cpu {

// Element strides of t over its own dims; a 0-dim tensor walks as shape [1].
inline Shape line_strides(const Tensor& t) { return t.dim() == 0 ? Shape{0} : t.strides().vec(); }
inline Shape line_shape(const Tensor& t) { return t.dim() == 0 ? Shape{1} : t.sizes().vec(); }

// f(offsets) once per line of `shape` along `dim`, for lines [begin, end) in row-major order.
template <size_t N, typename F>
void for_each_line_range(const Shape& shape, int64_t dim, const std::array<const Shape*, N>& strides, int64_t begin,
                         int64_t end, F&& f) {
  const int64_t nd = static_cast<int64_t>(shape.size());
  std::vector<int64_t> idx(static_cast<size_t>(nd), 0);
  std::array<int64_t, N> off{};
  int64_t rem = begin;
  for (int64_t d = nd - 1; d >= 0; --d) {
    if (d == dim) continue;
    const size_t du = static_cast<size_t>(d);
    idx[du] = rem % shape[du];
    rem /= shape[du];
    for (size_t k = 0; k < N; ++k) off[k] += idx[du] * (*strides[k])[du];
  }
  for (int64_t l = begin; l < end; ++l) {
    f(off);
    for (int64_t d = nd - 1; d >= 0; --d) {
      if (d == dim) continue;
      const size_t du = static_cast<size_t>(d);
      if (++idx[du] < shape[du]) {
        for (size_t k = 0; k < N; ++k) off[k] += (*strides[k])[du];
        break;
      }
      for (size_t k = 0; k < N; ++k) off[k] -= (shape[du] - 1) * (*strides[k])[du];
      idx[du] = 0;
    }
  }
}

inline int64_t line_count(const Shape& shape, int64_t dim) {
  int64_t n = 1;
  for (size_t d = 0; d < shape.size(); ++d)
    if (static_cast<int64_t>(d) != dim) n *= shape[d];
  return n;
}

// Serial walk over every line (kernels that write through indices must not race).
template <size_t N, typename F>
void for_each_line(const Shape& shape, int64_t dim, const std::array<const Shape*, N>& strides, F&& f) {
  if (numel_of(shape) == 0) return;
  for_each_line_range<N>(shape, dim, strides, 0, line_count(shape, dim), f);
}

// Lines split across threads when the work is large enough; f must not throw.
template <size_t N, typename F>
void parallel_for_each_line(const Shape& shape, int64_t dim, const std::array<const Shape*, N>& strides, F&& f) {
  const int64_t total = numel_of(shape);
  if (total == 0) return;
  const int64_t lines = line_count(shape, dim);
  const int64_t len = std::max<int64_t>(1, total / std::max<int64_t>(lines, 1));
  if (total < kParallelGrain || lines == 1) {
    for_each_line_range<N>(shape, dim, strides, 0, lines, f);
    return;
  }
  parallel_for(lines, std::max<int64_t>(1, kParallelGrain / len),
               [&](int64_t b, int64_t e) { for_each_line_range<N>(shape, dim, strides, b, e, f); });
}

}  // namespace wick::cpu

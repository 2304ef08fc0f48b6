// The strided N-operand indexer of cuda-core's kernels: element offsets of each operand for a
// row-major linear index (int64 math), dims of size 1 dropped and neighbours merged where every
// operand steps evenly, at most kMaxDims left. No CUDA header: host tests check it on any machine.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "host_device.h"
#include "wick/core/error.h"
#include "wick/core/tensor.h"

namespace wick::cuda {

constexpr int kMaxDims = 16;

// Element offsets of N operands for a linear (row-major) index over a shared iteration shape.
template <int N>
struct Indexer {
  int ndim = 0;
  int64_t sizes[kMaxDims] = {};
  int64_t strides[kMaxDims][N] = {};

  WICK_HOST_DEVICE void get(int64_t i, int64_t (&off)[N]) const {
    WICK_UNROLL
    for (int k = 0; k < N; ++k) off[k] = 0;
    // Inner dims by division; the outermost takes what is left, so contiguous operands (merged to
    // one dim) need no 64-bit division at all.
    for (int d = ndim - 1; d > 0; --d) {
      const int64_t s = sizes[d];
      const int64_t q = i / s, r = i - q * s;
      i = q;
      WICK_UNROLL
      for (int k = 0; k < N; ++k) off[k] += r * strides[d][k];
    }
    if (ndim > 0) {
      WICK_UNROLL
      for (int k = 0; k < N; ++k) off[k] += i * strides[0][k];
    }
  }
};

// Builds an indexer over `shape` with per-operand element strides (each of shape's rank); size-1
// dims are dropped and neighbours merged where every operand steps evenly across them.
template <int N>
Indexer<N> make_indexer(IntArrayRef shape, const std::array<Shape, N>& strides) {
  std::vector<int64_t> sz;
  std::vector<std::array<int64_t, N>> st;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    std::array<int64_t, N> s{};
    for (int k = 0; k < N; ++k) s[static_cast<size_t>(k)] = strides[static_cast<size_t>(k)][d];
    if (!sz.empty()) {
      bool merge = true;
      for (int k = 0; k < N; ++k) merge = merge && st.back()[static_cast<size_t>(k)] == s[static_cast<size_t>(k)] * shape[d];
      if (merge) {
        sz.back() *= shape[d];
        st.back() = s;
        continue;
      }
    }
    sz.push_back(shape[d]);
    st.push_back(s);
  }
  WICK_CHECK(sz.size() <= static_cast<size_t>(kMaxDims), "CUDA backend: tensors with more than ", kMaxDims,
             " non-mergeable dims are not supported, got shape ", shape_str(shape));
  Indexer<N> ix;
  ix.ndim = static_cast<int>(sz.size());
  for (size_t d = 0; d < sz.size(); ++d) {
    ix.sizes[d] = sz[d];
    for (int k = 0; k < N; ++k) ix.strides[d][k] = st[d][static_cast<size_t>(k)];
  }
  return ix;
}

// An indexer over `shape` for tensors that all have that shape (or were expanded to it).
template <int N>
Indexer<N> make_indexer(IntArrayRef shape, const std::array<const Tensor*, N>& ts) {
  std::array<Shape, N> st;
  for (int k = 0; k < N; ++k) st[static_cast<size_t>(k)] = ts[static_cast<size_t>(k)]->strides().vec();
  return make_indexer<N>(shape, st);
}

}  // namespace wick::cuda

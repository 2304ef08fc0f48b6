// The merge step of sort.cu's stable merge sort, one element at a time: where element `pos` of a
// line lands when the sorted runs of `width` around it are merged pairwise. Left-run elements go
// before equal right-run ones, so the sort is stable. No CUDA header: a host test sorts with it.
#pragma once

#include <cstdint>

#include "host_device.h"

namespace wick::cuda {

// a strictly before b: NaN after every number ascending, before every number descending (PyTorch).
template <typename C>
WICK_HOST_DEVICE bool sort_before(C a, C b, bool descending) {
  const bool an = a != a, bn = b != b;
  return descending ? (a > b || (an && !bn)) : (a < b || (bn && !an));
}

// keys (n) of one line, sorted in runs [j * width, (j + 1) * width): the slot of keys[pos] in the
// runs of 2 * width after merging.
template <typename C>
WICK_HOST_DEVICE int64_t merge_slot(const C* keys, int64_t n, int64_t width, int64_t pos, bool descending) {
  const int64_t start = pos / (2 * width) * (2 * width);
  const int64_t mid = start + width < n ? start + width : n;
  const int64_t end = start + 2 * width < n ? start + 2 * width : n;
  const C key = keys[pos];
  if (pos < mid) {  // left run: after the right run's elements strictly before it
    int64_t lo = mid, hi = end;
    while (lo < hi) {
      const int64_t m = lo + (hi - lo) / 2;
      if (sort_before(keys[m], key, descending)) lo = m + 1;
      else hi = m;
    }
    return pos + (lo - mid);
  }
  // right run: after the left run's elements not after it (equal ones stay first)
  int64_t lo = start, hi = mid;
  while (lo < hi) {
    const int64_t m = lo + (hi - lo) / 2;
    if (sort_before(key, keys[m], descending)) hi = m;
    else lo = m + 1;
  }
  return start + (pos - mid) + (lo - start);
}

}  // namespace wick::cuda

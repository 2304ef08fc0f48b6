// Sums over a contiguous run in independent lanes: one accumulator is a serial chain that FP rules
// forbid reordering, while Lanes of them the compiler maps to vector registers. Lanes first, then
// the tail, always in the same order, so results do not depend on how rows are split up.
#pragma once

#include <cstdint>

namespace wick::cpu {

// sum of term(j) for j in [0, n), accumulated in Acc.
template <typename Acc, int Lanes, typename F>
Acc lane_sum(int64_t n, F&& term) {
  Acc acc[Lanes] = {};
  int64_t j = 0;
  for (; j + Lanes <= n; j += Lanes)
    for (int k = 0; k < Lanes; ++k) acc[k] += term(j + k);
  Acc s = 0;
  for (int k = 0; k < Lanes; ++k) s += acc[k];
  for (; j < n; ++j) s += term(j);
  return s;
}

}  // namespace wick::cpu

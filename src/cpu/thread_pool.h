// parallel_for over Wick's own thread pool. Workers sleep on a condition variable between jobs
// (passive waiting: libgomp reads OMP_WAIT_POLICY only when it loads, too early for a library to
// choose, and its spinning collapses under a neighbour's load, see DESIGN.md "Speed").
#pragma once

#include <cstdint>
#include <functional>

namespace wick::cpu {

// Runs fn(begin, end) over [0, n) in contiguous chunks of at least `grain` elements, on up to
// get_num_threads() threads (the caller's thread included). Small n runs inline.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// True inside a parallel_for body (nested calls run inline).
bool in_parallel_region();

}  // namespace wick::cpu

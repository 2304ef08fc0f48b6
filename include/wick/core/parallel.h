// Intra-op threading, as torch.set_num_threads / get_num_threads. Threads wait passively so a
// busy neighbour process does not make them spin (see DESIGN.md, "Speed").
#pragma once

#include <cstdint>

namespace wick {

void set_num_threads(int n);
int get_num_threads();
// Elements below which an elementwise kernel stays single-threaded (fork/join costs ~us).
inline constexpr int64_t kParallelGrain = 32768;

}  // namespace wick

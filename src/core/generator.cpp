// The default CPU generator and manual_seed.
#include "wick/core/generator.h"

#include <functional>
#include <mutex>
#include <vector>

namespace wick {

Generator& default_generator() {
  static Generator gen;
  return gen;
}

namespace detail {
// Other backends (CUDA) add their generators' seeding here.
std::vector<std::function<void(uint64_t)>>& seed_hooks() {
  static std::vector<std::function<void(uint64_t)>> hooks;
  return hooks;
}
}  // namespace detail

void manual_seed(uint64_t seed) {
  default_generator().manual_seed(seed);
  for (auto& h : detail::seed_hooks()) h(seed);
}

}  // namespace wick

// The default CPU generator, the per-device lookup and manual_seed (which seeds the CUDA generators too).
#include "wick/core/generator.h"

#include <functional>
#include <mutex>
#include <vector>

#include "wick/cuda.h"

namespace wick {

Generator& default_generator() {
  static Generator gen;
  return gen;
}

Generator& default_generator(Device device) {
  return device.is_cuda() ? cuda::default_generator(device.index) : default_generator();
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
  cuda::manual_seed_all(seed);
  for (auto& h : detail::seed_hooks()) h(seed);
}

}  // namespace wick

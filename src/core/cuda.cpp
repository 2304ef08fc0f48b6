// wick::cuda's public functions: they forward to the hooks wick_cuda registers, and answer "no CUDA"
// without it. The per-device generators live here (plain counters, no device memory), so
// wick::manual_seed can seed them whether or not a GPU was ever touched.
#include "wick/cuda.h"

#include <deque>
#include <mutex>

#include "wick/backend/cuda_hooks.h"
#include "wick/core/error.h"

namespace wick::cuda {

namespace detail {
namespace {
const Hooks*& hooks_slot() {
  static const Hooks* h = nullptr;
  return h;
}
}  // namespace
void set_hooks(const Hooks* h) { hooks_slot() = h; }
const Hooks* hooks() { return hooks_slot(); }
}  // namespace detail

namespace {
const detail::Hooks& require_built(const char* fn) {
  const detail::Hooks* h = detail::hooks();
  WICK_CHECK(h != nullptr, "torch.cuda.", fn, ": Wick was built without CUDA (configure with -DWICK_CUDA=ON and link wick::wick_cuda)");
  return *h;
}

const detail::Hooks& require_device(const char* fn, int device) {
  const detail::Hooks& h = require_built(fn);
  const int n = device_count();
  WICK_CHECK(n > 0, "torch.cuda.", fn, ": CUDA is not available (no CUDA device or driver found)");
  WICK_CHECK(device >= 0 && device < n, "torch.cuda.", fn, ": invalid device ", device, " (", n, " CUDA device",
             n == 1 ? "" : "s", " available)");
  return h;
}

// One generator per device, created on first use; never destroyed (tensors in static objects may
// draw from them after main returns).
std::deque<Generator>& generators() {
  static auto* g = new std::deque<Generator>();
  return *g;
}
std::mutex& generators_mutex() {
  static auto* m = new std::mutex();
  return *m;
}
}  // namespace

bool is_built() { return detail::hooks() != nullptr; }

int device_count() {
  const detail::Hooks* h = detail::hooks();
  if (!h) return 0;
  static const int n = h->device_count();  // the driver's answer does not change in a process
  return n;
}

bool is_available() { return device_count() > 0; }

int current_device() {
  const detail::Hooks& h = require_device("current_device", 0);
  return h.current_device();
}

void set_device(int device) { require_device("set_device", device).set_device(device); }

void synchronize() { require_device("synchronize", 0).synchronize(); }

Generator& default_generator(int device) {
  if (device < 0) device = current_device();
  require_device("default_generators", device);
  std::lock_guard<std::mutex> lk(generators_mutex());
  auto& g = generators();
  while (static_cast<int>(g.size()) <= device) g.emplace_back();
  return g[static_cast<size_t>(device)];
}

void manual_seed(uint64_t seed) {
  if (is_available()) default_generator(current_device()).manual_seed(seed);
}

void manual_seed_all(uint64_t seed) {
  for (int d = 0; d < device_count(); ++d) default_generator(d).manual_seed(seed);
}

size_t memory_allocated(int device) { return require_device("memory_allocated", device).memory_allocated(device); }
size_t max_memory_allocated(int device) {
  return require_device("max_memory_allocated", device).max_memory_allocated(device);
}
size_t memory_reserved(int device) { return require_device("memory_reserved", device).memory_reserved(device); }
void reset_peak_memory_stats(int device) {
  require_device("reset_peak_memory_stats", device).reset_peak_memory_stats(device);
}
void empty_cache() {
  const detail::Hooks& h = require_built("empty_cache");
  if (device_count() > 0) h.empty_cache();
}

}  // namespace wick::cuda

// The table from device type to Backend. The CPU backend is built in and registered on first use
// (a static registrar in a static library would be dropped by the linker).
#include <array>

#include "wick/backend/backend.h"

namespace wick {

namespace cpu {
void ensure_cpu_backend_registered();
}

namespace {
std::array<Backend*, 2>& table() {
  static std::array<Backend*, 2> t{nullptr, nullptr};
  return t;
}
}  // namespace

void register_backend(DeviceType type, Backend* backend) { table()[static_cast<size_t>(type)] = backend; }

bool has_backend(DeviceType type) { return table()[static_cast<size_t>(type)] != nullptr; }

Backend& backend_for(Device device) {
  if (device.is_cpu()) cpu::ensure_cpu_backend_registered();  // the built-in default
  Backend* b = table()[static_cast<size_t>(device.type)];
  WICK_CHECK(b != nullptr, "no backend for device '", device.str(), "': ",
             device.is_cuda() ? "Wick was built without the CUDA backend (wick_cuda is not linked)" : "the CPU backend is missing");
  return *b;
}

}  // namespace wick

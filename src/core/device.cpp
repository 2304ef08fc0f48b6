// Device parsing and printing ("cpu", "cuda", "cuda:0").
#include "wick/core/device.h"

#include "wick/core/error.h"

namespace wick {

Device::Device(const std::string& spec) {
  if (spec == "cpu") {
    type = DeviceType::CPU;
    return;
  }
  if (spec.rfind("cuda", 0) == 0) {
    type = DeviceType::CUDA;
    if (spec.size() == 4) return;
    WICK_CHECK(spec.size() > 5 && spec[4] == ':', "Device: expected 'cpu', 'cuda' or 'cuda:N', got '", spec, "'");
    // Digits only: std::stoi alone would accept "cuda:1x" and "cuda:-1".
    const std::string digits = spec.substr(5);
    WICK_CHECK(digits.size() <= 3 && digits.find_first_not_of("0123456789") == std::string::npos,
               "Device: expected 'cpu', 'cuda' or 'cuda:N', got '", spec, "'");
    const int idx = std::stoi(digits);
    WICK_CHECK(idx <= 127, "Device: expected 'cpu', 'cuda' or 'cuda:N', got '", spec, "'");
    index = static_cast<int8_t>(idx);
    return;
  }
  WICK_FAIL("Device: expected 'cpu', 'cuda' or 'cuda:N', got '", spec, "'");
}

std::string Device::str() const {
  if (type == DeviceType::CPU) return "cpu";
  return index < 0 ? "cuda" : "cuda:" + std::to_string(index);
}

}  // namespace wick

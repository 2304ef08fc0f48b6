// PoolArgs: the settings of one pooling call (max/avg, sliding or adaptive windows over 1 to 3
// spatial dims), shared by every backend. Shapes come from the tensors; this holds no sizes and
// does no checking (the ops validate before a kernel sees it).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace wick {

struct PoolArgs {
  // Adaptive: output cell o of an axis with input size I and output size O covers
  // [floor(o * I / O), ceil((o + 1) * I / O)); the vectors below are then unused.
  bool adaptive = false;
  // Sliding windows, one entry per spatial dim (outermost first).
  std::vector<int64_t> kernel, stride, padding, dilation;
  // Average pooling: count the padded cells in the divisor, or divide by a fixed number.
  bool count_include_pad = true;
  std::optional<int64_t> divisor_override;
};

}  // namespace wick

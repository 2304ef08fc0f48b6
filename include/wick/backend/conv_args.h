// ConvArgs: the geometry of an N-d convolution (1 to 3 spatial dims) shared by every backend's conv
// kernels. Padding here is the leading (low) padding only: the output size is read from the tensors
// passed, so asymmetric padding ("same" with an even kernel) needs nothing more.
#pragma once

#include <array>
#include <cstdint>

namespace wick {

struct ConvArgs {
  int64_t dims = 2;  // spatial dims: 1, 2 or 3
  std::array<int64_t, 3> stride{1, 1, 1};
  std::array<int64_t, 3> padding{0, 0, 0};
  std::array<int64_t, 3> dilation{1, 1, 1};
  int64_t groups = 1;
};

}  // namespace wick

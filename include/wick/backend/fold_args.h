// FoldArgs: the sliding-block geometry of torch.nn.functional.unfold / fold (2 spatial dims) shared
// by every backend's im2col / col2im kernels. The block counts are read from the tensors passed,
// never stored here.
#pragma once

#include <array>
#include <cstdint>

namespace wick {

struct FoldArgs {
  std::array<int64_t, 2> kernel_size{1, 1};
  std::array<int64_t, 2> dilation{1, 1};
  std::array<int64_t, 2> padding{0, 0};
  std::array<int64_t, 2> stride{1, 1};
  // Blocks along spatial dim d of an image with `size` cells: (size + 2p - d(k - 1) - 1) / s + 1.
  int64_t blocks(size_t d, int64_t size) const {
    return (size + 2 * padding[d] - dilation[d] * (kernel_size[d] - 1) - 1) / stride[d] + 1;
  }
};

}  // namespace wick

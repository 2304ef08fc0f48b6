// nn::functional::unfold / fold (torch.nn.functional): sliding local blocks of a batched image
// (N, C, H, W) into columns (N, C * kh * kw, L) and back, summing overlaps. Unbatched (C, H, W) and
// (C * kh * kw, L) inputs work as in PyTorch; only 2 spatial dims, as PyTorch 1.13.
#pragma once

#include "wick/core/tensor.h"
#include "wick/nn/expanding_array.h"

namespace wick::nn::functional {

// The keyword arguments after kernel_size, in PyTorch's order.
struct FoldFuncOptions {
  ExpandingArray<2> dilation = 1;
  ExpandingArray<2> padding = 0;
  ExpandingArray<2> stride = 1;
};
using UnfoldFuncOptions = FoldFuncOptions;

// input (N, C, H, W) or (C, H, W) -> (N, C * kh * kw, L) or (C * kh * kw, L); records
// Im2ColBackward0 (its backward is fold).
Tensor unfold(const Tensor& input, ExpandingArray<2> kernel_size, UnfoldFuncOptions options = {});
// input (N, C * kh * kw, L) or (C * kh * kw, L) -> (N, C, *output_size) or (C, *output_size), the
// entries of overlapping blocks summed; records Col2ImBackward0 (its backward is unfold).
Tensor fold(const Tensor& input, ExpandingArray<2> output_size, ExpandingArray<2> kernel_size,
            FoldFuncOptions options = {});

}  // namespace wick::nn::functional

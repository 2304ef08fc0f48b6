// nn::functional::pad (torch.nn.functional.pad): constant padding of any number of trailing dims
// (negative amounts crop), and reflect / replicate / circular padding of the last 1 to 3 dims in
// the input ranks PyTorch 1.13 accepts. Constant padding is a fused op (ConstantPadNdBackward0);
// the other modes gather along each padded dim with index_select (gradients from that op).
#pragma once

#include <string>

#include "wick/core/scalar.h"
#include "wick/core/tensor.h"

namespace wick {

// torch.constant_pad_nd: pad = (last_lo, last_hi, second_last_lo, ...).
Tensor constant_pad_nd(const Tensor& input, IntArrayRef pad, const Scalar& value = 0);

}  // namespace wick

namespace wick::nn::functional {

struct PadFuncOptions {
  std::string mode = "constant";  // "constant", "reflect", "replicate" or "circular"
  double value = 0;               // constant mode only
};

// F::pad(x, {1, 1, 2, 0}, {.mode = "reflect"}): pads the last dim by (1, 1), the one before by (2, 0).
Tensor pad(const Tensor& input, IntArrayRef pad, PadFuncOptions options = {});

}  // namespace wick::nn::functional

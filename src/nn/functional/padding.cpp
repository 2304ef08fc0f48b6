// F::pad: mode dispatch and PyTorch 1.13's rank rules for the non-constant modes. Reflect,
// replicate and circular padding gather each padded dim through an int64 index (one index_select
// per dim), so their gradients (index_add) come from that op; padding is rarely hot enough to
// deserve a kernel of its own.
#include <algorithm>
#include <string>
#include <vector>

#include "wick/nn/functional/padding.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"

namespace wick::nn::functional {
namespace {

// Source position along a dim of size n for each output position of a dim padded by (lo, hi).
Tensor pad_index(const std::string& mode, int64_t n, int64_t lo, int64_t hi, int64_t d,
                 const Tensor& input) {
  std::vector<int64_t> idx;
  idx.reserve(static_cast<size_t>(std::max<int64_t>(n + lo + hi, 0)));
  if (mode == "reflect") {
    WICK_CHECK(lo < n && hi < n,
               "Argument #4: Padding size should be less than the corresponding input dimension, "
               "but got: padding (",
               lo, ", ", hi, ") at dimension ", d, " of input ", input.sizes());
  } else if (mode == "circular") {
    WICK_CHECK(lo <= n && hi <= n, "Padding value causes wrapping around more than once.");
  } else {
    WICK_CHECK(n > 0, "pad: replicate padding of dimension ", d, " of input ", input.sizes(),
               " needs a non-empty dimension");
  }
  for (int64_t j = 0; j < n + lo + hi; ++j) {
    int64_t i = j - lo;
    if (mode == "reflect") {
      if (i < 0) i = -i;
      if (i >= n) i = 2 * (n - 1) - i;
    } else if (mode == "replicate") {
      i = std::clamp<int64_t>(i, 0, n - 1);
    } else {
      i = ((i % n) + n) % n;
    }
    idx.push_back(i);
  }
  return tensor(idx, {.dtype = kInt64, .device = input.device()});
}

// How many trailing dims a non-constant mode pads for this input rank and pad length (PyTorch
// 1.13: reflect/replicate take batched or unbatched inputs, circular only batched ones).
void check_rank(const std::string& mode, const Tensor& input, int64_t npad) {
  const int64_t dim = input.dim();
  WICK_CHECK(dim >= 2 && dim <= 5,
             "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  if (mode == "circular") {
    WICK_CHECK(dim >= 3, "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    WICK_CHECK(npad == dim - 2, "Invalid padding size, expected ", 2 * (dim - 2), " but got ",
               2 * npad);
    return;
  }
  WICK_CHECK(npad == dim - 1 || npad == dim - 2,
             "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  WICK_CHECK(npad >= 1 && npad <= 3,
             "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
}

}  // namespace

Tensor pad(const Tensor& input, IntArrayRef pad, PadFuncOptions options) {
  const std::string& mode = options.mode;
  WICK_CHECK(mode == "constant" || mode == "reflect" || mode == "replicate" || mode == "circular",
             "Unrecognised padding mode ", mode);
  WICK_CHECK(pad.size() % 2 == 0, "Padding length must be divisible by 2");
  if (mode == "constant") return constant_pad_nd(input, pad, options.value);
  const auto npad = static_cast<int64_t>(pad.size()) / 2;
  check_rank(mode, input, npad);
  Tensor out = input;
  for (int64_t i = 0; i < npad; ++i) {
    const int64_t d = input.dim() - 1 - i;
    const int64_t lo = pad[static_cast<size_t>(2 * i)], hi = pad[static_cast<size_t>(2 * i + 1)];
    out = out.index_select(d, pad_index(mode, input.size(d), lo, hi, d, input));
  }
  return out;
}

}  // namespace wick::nn::functional

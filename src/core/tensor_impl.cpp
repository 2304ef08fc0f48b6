// TensorImpl helpers.
#include "wick/core/tensor_impl.h"

namespace wick {

TensorImpl::TensorImpl(Storage s, IntArrayRef sz, DType dt)
    : storage(std::move(s)), sizes(sz), dtype(dt) {
  strides = sz;  // sized; overwritten below
  contiguous_strides(sz, strides.data());
}

bool TensorImpl::is_contiguous() const {
  int64_t expected = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 1) continue;  // PyTorch ignores the stride of size-1 dims
    if (strides[i] != expected) return false;
    expected *= sizes[i];
  }
  return true;
}

}  // namespace wick

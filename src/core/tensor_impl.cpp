// TensorImpl helpers.
#include "wick/core/tensor_impl.h"

namespace wick {

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

// Tensor's metadata accessors and item(): the methods that need no op.
#include "wick/core/tensor.h"

#include <cstring>

#include "wick/backend/backend.h"

namespace wick {

TensorIndex::TensorIndex(const Tensor& t) : v_(t.impl_ptr()) {
  WICK_CHECK(t.defined(), "index: an index tensor is undefined");
}

int64_t Tensor::size(int64_t dim) const {
  int64_t d = wrap_dim(dim, this->dim());
  return this->dim() == 0 ? 1 : sizes()[static_cast<size_t>(d)];
}

int64_t Tensor::stride(int64_t dim) const {
  int64_t d = wrap_dim(dim, this->dim());
  return this->dim() == 0 ? 1 : strides()[static_cast<size_t>(d)];
}

Scalar Tensor::item() const {
  WICK_CHECK(numel() == 1, "a Tensor with ", numel(), " elements cannot be converted to Scalar");
  Tensor c = is_cpu() ? *this : to(Device(kCPU));
  return dispatch_all(c.dtype(), [&]<typename T>() -> Scalar {
    T v;
    std::memcpy(&v, c.data_ptr(), sizeof(T));
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return Scalar(static_cast<float>(v));
    else return Scalar(v);
  });
}

}  // namespace wick

// TensorImpl: what a Tensor handle points at. A view of a Storage (sizes, strides, offset, dtype)
// plus the autograd metadata. Views make new TensorImpls over the same Storage.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "wick/core/dim_vector.h"
#include "wick/core/dtype.h"
#include "wick/core/shape.h"
#include "wick/core/storage.h"

namespace wick {

class Tensor;
namespace autograd {
class Node;
}

using TensorHook = std::function<Tensor(const Tensor&)>;  // returns undefined to keep the grad

struct TensorImpl {
  Storage storage;
  int64_t offset = 0;  // in elements
  DimVector sizes;
  DimVector strides;  // in elements
  DType dtype = kFloat32;

  // Autograd metadata.
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;
  std::shared_ptr<autograd::Node> grad_fn;
  uint32_t output_nr = 0;
  std::weak_ptr<autograd::Node> grad_accumulator;  // leaves only; made on first use
  bool retains_grad = false;
  std::vector<std::pair<int, TensorHook>> leaf_hooks;  // hooks of a leaf, run before accumulation
  std::shared_ptr<TensorImpl> view_base;  // set on views: the tensor whose storage this views

  TensorImpl(Storage s, int64_t off, IntArrayRef sz, IntArrayRef st, DType dt)
      : storage(std::move(s)), offset(off), sizes(sz), strides(st), dtype(dt) {}
  // A fresh contiguous tensor over all of `s`.
  TensorImpl(Storage s, IntArrayRef sz, DType dt);

  Device device() const { return storage->device(); }
  int64_t numel() const { return numel_of(sizes); }
  int64_t dim() const { return static_cast<int64_t>(sizes.size()); }
  bool is_contiguous() const;
  void* data() const { return static_cast<char*>(storage->data()) + offset * static_cast<int64_t>(itemsize(dtype)); }
};

}  // namespace wick

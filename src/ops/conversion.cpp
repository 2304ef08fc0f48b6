// Copies and conversions: to(dtype/device), contiguous, clone, copy_, fill_/zero_ and the random
// in-place fills. Their backwards route the gradient back to the source's dtype and device.
#include "op_utils.h"
#include "wick/ops/creation.h"
#include "wick/cuda.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

Tensor Tensor::to(const TensorOptions& opts, bool copy) const {
  DType dt = opts.dtype.value_or(dtype());
  Device dev = opts.device.value_or(device());
  if (!copy && dt == dtype() && dev == device()) return *this;
  Tensor out = new_empty(sizes(), dt, dev);
  // Cross-device copies run on the non-CPU side's backend.
  Backend& b = dev.is_cpu() ? backend_for(*this) : backend_for(dev);
  b.copy_(out, *this);
  if (!wick::is_floating_point(dt)) return out;
  DType src_dtype = dtype();
  Device src_device = device();
  return autograd::record("ToCopyBackward0", out, {*this}, [src_dtype, src_device](const variable_list& g) {
    return variable_list{g[0].to(TensorOptions{src_dtype, src_device})};
  });
}
Tensor Tensor::to(DType dtype, bool copy) const { return to(TensorOptions{dtype, std::nullopt}, copy); }
Tensor Tensor::to(Device device, bool copy) const { return to(TensorOptions{std::nullopt, device}, copy); }
Tensor Tensor::to(Device device, DType dtype, bool copy) const { return to(TensorOptions{dtype, device}, copy); }

Tensor Tensor::clone() const {
  Tensor out = new_empty(sizes(), dtype(), device());
  backend_for(*this).copy_(out, *this);
  return autograd::record("CloneBackward0", out, {*this}, [](const variable_list& g) { return g; });
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }
Tensor contiguous(const Tensor& x) { return x.contiguous(); }

Tensor& Tensor::copy_(const Tensor& src) {
  WICK_CHECK(src.defined(), "copy_: the source tensor is undefined");
  Tensor s = ops::raw_expand(src, sizes());
  autograd::check_inplace(*this, "copy_");
  Backend& b = device().is_cpu() ? backend_for(src) : backend_for(*this);
  b.copy_(*this, s);
  impl()->storage->bump_version();
  Shape src_shape = src.sizes().vec();
  DType src_dtype = src.dtype();
  Device src_device = src.device();
  autograd::record_inplace("CopyBackwards", *this, {src}, [src_shape, src_dtype, src_device](const variable_list& g) {
    Tensor gs = sum_to(g[0], src_shape).to(TensorOptions{src_dtype, src_device});
    return variable_list{Tensor(), gs};  // self's old value is overwritten: no gradient
  });
  return *this;
}

Tensor& Tensor::fill_(const Scalar& value) {
  autograd::check_inplace(*this, "fill_");
  backend_for(*this).fill_(*this, value);
  impl()->storage->bump_version();
  autograd::record_inplace("FillBackward2", *this, {}, [](const variable_list&) { return variable_list{Tensor()}; });
  return *this;
}

Tensor& Tensor::zero_() { return fill_(0); }

Tensor& Tensor::uniform_(double from, double to) {
  autograd::check_inplace(*this, "uniform_");
  backend_for(*this).uniform_(*this, from, to, default_generator(device()));
  impl()->storage->bump_version();
  return *this;
}

Tensor& Tensor::normal_(double mean, double std) {
  WICK_CHECK(std >= 0, "normal_ expects std >= 0.0, but found std ", std);
  autograd::check_inplace(*this, "normal_");
  backend_for(*this).normal_(*this, mean, std, default_generator(device()));
  impl()->storage->bump_version();
  return *this;
}

Tensor& Tensor::bernoulli_(double p) {
  WICK_CHECK(p >= 0 && p <= 1, "bernoulli_ expects p to be in [0, 1], but got p=", p);
  autograd::check_inplace(*this, "bernoulli_");
  Tensor pt = full({}, p, {.dtype = kFloat64, .device = device()});
  backend_for(*this).bernoulli_(*this, pt, default_generator(device()));
  impl()->storage->bump_version();
  return *this;
}

}  // namespace wick

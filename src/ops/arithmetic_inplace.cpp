// In-place arithmetic (add_, sub_, mul_, div_ and +=, -=, *=, /=): the kernel writes into self,
// the version counter is bumped, and self's history is rebased onto the new node.
#include "pointwise_utils.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick {

using namespace ops;

namespace {

// Runs `op` with self as the output; checks PyTorch's in-place casting and shape rules.
void binary_inplace(BinaryOp op, Tensor& self, const Tensor& other, DType compute, const char* name) {
  check_same_device(name, {self, other});
  WICK_CHECK(can_cast(compute, self.dtype()), "result type ", scalar_type_name(compute),
             " can't be cast to the desired output type ", scalar_type_name(self.dtype()));
  Shape shape = broadcast_shapes(self.sizes(), other.sizes(), name);
  WICK_CHECK(IntArrayRef(shape) == self.sizes(), "output with shape ", shape_str(self.sizes()),
             " doesn't match the broadcast shape ", shape_str(shape));
  autograd::check_inplace(self, name);
  if (self.numel() == 0) return;
  if (compute == self.dtype()) {
    backend_for(self).binary(op, self, raw_cast(self, compute), raw_expand(raw_cast(other, compute), shape));
  } else {
    Tensor tmp = binary_kernel(op, self, other, compute, compute, name);
    backend_for(self).copy_(self, tmp);
  }
  self.impl()->storage->bump_version();
}

}  // namespace

Tensor& Tensor::add_(const Tensor& other, const Scalar& alpha) {
  Tensor o = alpha.to_double() == 1.0 ? other : wick::mul(other, scalar_like(alpha, result_type(*this, other), other));
  binary_inplace(BinaryOp::Add, *this, o, result_type(*this, other), "add_");
  Shape so = other.sizes().vec();
  DType dto = other.dtype();
  double al = alpha.to_double();
  autograd::record_inplace("AddBackward0", *this, {other}, [=](const variable_list& g) {
    return variable_list{g[0], reduce_grad(al == 1.0 ? g[0] : g[0] * al, so, dto)};
  });
  return *this;
}

Tensor& Tensor::sub_(const Tensor& other, const Scalar& alpha) {
  Tensor o = alpha.to_double() == 1.0 ? other : wick::mul(other, scalar_like(alpha, result_type(*this, other), other));
  binary_inplace(BinaryOp::Sub, *this, o, result_type(*this, other), "sub_");
  Shape so = other.sizes().vec();
  DType dto = other.dtype();
  double al = alpha.to_double();
  autograd::record_inplace("SubBackward0", *this, {other}, [=](const variable_list& g) {
    return variable_list{g[0], reduce_grad(-(al == 1.0 ? g[0] : g[0] * al), so, dto)};
  });
  return *this;
}

Tensor& Tensor::mul_(const Tensor& other) {
  const bool need_self = autograd::needs_grad({other});
  SavedTensor old_self = need_self ? SavedTensor(this->detach().clone()) : SavedTensor();
  binary_inplace(BinaryOp::Mul, *this, other, result_type(*this, other), "mul_");
  Shape so = other.sizes().vec();
  DType dto = other.dtype();
  SavedTensor so_t(other);
  autograd::record_inplace("MulBackward0", *this, {other}, [=](const variable_list& g) {
    Tensor go = need_self ? reduce_grad(g[0] * old_self.unpack(), so, dto) : Tensor();
    return variable_list{g[0] * so_t.unpack(), go};
  });
  return *this;
}

Tensor& Tensor::div_(const Tensor& other) {
  const bool need_self = autograd::needs_grad({other});
  SavedTensor old_self = need_self ? SavedTensor(this->detach().clone()) : SavedTensor();
  binary_inplace(BinaryOp::Div, *this, other, to_float_dtype(result_type(*this, other)), "div_");
  Shape so = other.sizes().vec();
  DType dto = other.dtype();
  SavedTensor so_t(other);
  autograd::record_inplace("DivBackward0", *this, {other}, [=](const variable_list& g) {
    Tensor b = so_t.unpack();
    Tensor go = need_self ? reduce_grad(-g[0] * old_self.unpack() / (b * b), so, dto) : Tensor();
    return variable_list{g[0] / b, go};
  });
  return *this;
}

Tensor& Tensor::add_(const Scalar& o) { return add_(scalar_like(o, result_type(*this, o), *this)); }
Tensor& Tensor::sub_(const Scalar& o) { return sub_(scalar_like(o, result_type(*this, o), *this)); }
Tensor& Tensor::mul_(const Scalar& o) { return mul_(scalar_like(o, result_type(*this, o), *this)); }
Tensor& Tensor::div_(const Scalar& o) { return div_(scalar_like(o, to_float_dtype(result_type(*this, o)), *this)); }

Tensor& operator+=(Tensor& a, const Tensor& b) { return a.add_(b); }
Tensor& operator-=(Tensor& a, const Tensor& b) { return a.sub_(b); }
Tensor& operator*=(Tensor& a, const Tensor& b) { return a.mul_(b); }
Tensor& operator/=(Tensor& a, const Tensor& b) { return a.div_(b); }
Tensor& operator+=(Tensor& a, const Scalar& b) { return a.add_(b); }
Tensor& operator-=(Tensor& a, const Scalar& b) { return a.sub_(b); }
Tensor& operator*=(Tensor& a, const Scalar& b) { return a.mul_(b); }
Tensor& operator/=(Tensor& a, const Scalar& b) { return a.div_(b); }

}  // namespace wick

// DType tables and PyTorch's type-promotion lattice.
#include "wick/core/dtype.h"

#include <atomic>

namespace wick {

size_t itemsize(DType t) {
  switch (t) {
    case kBool: case kUInt8: return 1;
    case kFloat16: case kBFloat16: return 2;
    case kInt32: case kFloat32: return 4;
    case kInt64: case kFloat64: return 8;
  }
  return 0;
}

const char* dtype_name(DType t) {
  switch (t) {
    case kBool: return "bool";
    case kUInt8: return "uint8";
    case kInt32: return "int32";
    case kInt64: return "int64";
    case kFloat16: return "float16";
    case kBFloat16: return "bfloat16";
    case kFloat32: return "float32";
    case kFloat64: return "float64";
  }
  return "?";
}

const char* legacy_type_name(DType t) {
  switch (t) {
    case kBool: return "BoolTensor";
    case kUInt8: return "ByteTensor";
    case kInt32: return "IntTensor";
    case kInt64: return "LongTensor";
    case kFloat16: return "HalfTensor";
    case kBFloat16: return "BFloat16Tensor";
    case kFloat32: return "FloatTensor";
    case kFloat64: return "DoubleTensor";
  }
  return "?";
}

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  // float16 with bfloat16 promotes to float32, as in PyTorch.
  if ((a == kFloat16 && b == kBFloat16) || (a == kBFloat16 && b == kFloat16)) return kFloat32;
  bool fa = is_floating_point(a), fb = is_floating_point(b);
  if (fa && !fb) return a;
  if (fb && !fa) return b;
  // Both floating or both integral/bool: the enum is ordered by width within each category.
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

namespace {
std::atomic<DType> g_default_dtype{kFloat32};
}
DType default_dtype() { return g_default_dtype.load(); }
void set_default_dtype(DType t) {
  WICK_CHECK(t == kFloat32 || t == kFloat64, "set_default_dtype: only float32 and float64 are supported, got ",
             dtype_name(t));
  g_default_dtype.store(t);
}

}  // namespace wick

// DType: the element types a tensor can hold, their sizes and names, PyTorch's promotion lattice,
// and dispatch_* helpers that turn a runtime dtype into a C++ type for a templated kernel.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "wick/core/error.h"
#include "wick/core/half.h"

namespace wick {

enum class DType : int8_t { Bool, UInt8, Int32, Int64, Float16, BFloat16, Float32, Float64 };

inline constexpr DType kBool = DType::Bool;
inline constexpr DType kUInt8 = DType::UInt8;
inline constexpr DType kInt32 = DType::Int32;
inline constexpr DType kInt64 = DType::Int64;
inline constexpr DType kFloat16 = DType::Float16;
inline constexpr DType kBFloat16 = DType::BFloat16;
inline constexpr DType kFloat32 = DType::Float32;
inline constexpr DType kFloat64 = DType::Float64;
// PyTorch's aliases.
inline constexpr DType kByte = kUInt8;
inline constexpr DType kInt = kInt32;
inline constexpr DType kLong = kInt64;
inline constexpr DType kHalf = kFloat16;
inline constexpr DType kFloat = kFloat32;
inline constexpr DType kDouble = kFloat64;

size_t itemsize(DType t);
// "float32", "int64", ... as torch prints them after "torch.".
const char* dtype_name(DType t);
// "FloatTensor", "LongTensor", ... (used in PyTorch's in-place error message).
const char* legacy_type_name(DType t);
inline bool is_floating_point(DType t) {
  return t == kFloat16 || t == kBFloat16 || t == kFloat32 || t == kFloat64;
}
inline bool is_integral(DType t, bool include_bool) {
  return t == kUInt8 || t == kInt32 || t == kInt64 || (include_bool && t == kBool);
}
// torch.promote_types.
DType promote_types(DType a, DType b);
DType default_dtype();
void set_default_dtype(DType t);  // kFloat32 or kFloat64, as torch.set_default_dtype

inline std::ostream& operator<<(std::ostream& os, DType t) { return os << "torch." << dtype_name(t); }

template <typename T> struct dtype_of;
template <> struct dtype_of<bool> { static constexpr DType value = kBool; };
template <> struct dtype_of<uint8_t> { static constexpr DType value = kUInt8; };
template <> struct dtype_of<int32_t> { static constexpr DType value = kInt32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = kInt64; };
template <> struct dtype_of<Half> { static constexpr DType value = kFloat16; };
template <> struct dtype_of<BFloat16> { static constexpr DType value = kBFloat16; };
template <> struct dtype_of<float> { static constexpr DType value = kFloat32; };
template <> struct dtype_of<double> { static constexpr DType value = kFloat64; };
template <typename T> inline constexpr DType dtype_v = dtype_of<T>::value;

// dispatch_all(t, [&]<typename T>() { ... }) calls the lambda with T = the C++ type of t.
template <typename F>
decltype(auto) dispatch_all(DType t, F&& f) {
  switch (t) {
    case kBool: return f.template operator()<bool>();
    case kUInt8: return f.template operator()<uint8_t>();
    case kInt32: return f.template operator()<int32_t>();
    case kInt64: return f.template operator()<int64_t>();
    case kFloat16: return f.template operator()<Half>();
    case kBFloat16: return f.template operator()<BFloat16>();
    case kFloat32: return f.template operator()<float>();
    case kFloat64: return f.template operator()<double>();
  }
  WICK_FAIL("unknown dtype");
}

// Types a CPU kernel computes in directly (half types are widened to float by the caller).
template <typename F>
decltype(auto) dispatch_floating(DType t, const char* op, F&& f) {
  switch (t) {
    case kFloat32: return f.template operator()<float>();
    case kFloat64: return f.template operator()<double>();
    default: WICK_FAIL(op, ": expected a float32 or float64 tensor, got ", dtype_name(t));
  }
}

template <typename F>
decltype(auto) dispatch_numeric(DType t, const char* op, F&& f) {
  switch (t) {
    case kUInt8: return f.template operator()<uint8_t>();
    case kInt32: return f.template operator()<int32_t>();
    case kInt64: return f.template operator()<int64_t>();
    case kFloat32: return f.template operator()<float>();
    case kFloat64: return f.template operator()<double>();
    default: WICK_FAIL(op, ": not implemented for ", dtype_name(t));
  }
}

}  // namespace wick

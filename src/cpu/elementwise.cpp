// CPU elementwise kernels: unary, binary and where. Half types compute in float. Integer ops
// follow PyTorch: integer division by zero raises, comparisons and logical ops write bool.
#include <cmath>

#include "cpu_backend.h"
#include "loops.h"
#include "transcendental.h"

namespace wick::cpu {

namespace {

template <typename T>
using compute_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;

template <typename T>
T unary_scalar(UnaryOp op, T x) {
  if constexpr (std::is_same_v<T, bool>) {
    switch (op) {
      case UnaryOp::Abs: case UnaryOp::Relu: case UnaryOp::Sign: case UnaryOp::Floor: case UnaryOp::Ceil:
      case UnaryOp::Round: case UnaryOp::Trunc: case UnaryOp::Square: return x;
      default: WICK_FAIL("unary op not supported for bool tensors");
    }
  } else if constexpr (std::is_integral_v<T>) {
    switch (op) {
      case UnaryOp::Neg: return static_cast<T>(-x);
      case UnaryOp::Abs: if constexpr (std::is_signed_v<T>) return x < 0 ? static_cast<T>(-x) : x; else return x;
      case UnaryOp::Sign: return static_cast<T>((T(0) < x) - (x < T(0)));
      case UnaryOp::Relu: return x > 0 ? x : T(0);
      case UnaryOp::Square: return static_cast<T>(x * x);
      case UnaryOp::Floor: case UnaryOp::Ceil: case UnaryOp::Round: case UnaryOp::Trunc: return x;
      default: WICK_FAIL("unary op not supported for integer tensors (use a floating-point dtype)");
    }
  } else {
    switch (op) {
      case UnaryOp::Neg: return -x;
      case UnaryOp::Abs: return std::abs(x);
      case UnaryOp::Sign: return static_cast<T>((T(0) < x) - (x < T(0)));
      case UnaryOp::Exp: return std::exp(x);
      case UnaryOp::Log: return std::log(x);
      case UnaryOp::Log1p: return std::log1p(x);
      case UnaryOp::Expm1: return std::expm1(x);
      case UnaryOp::Sqrt: return std::sqrt(x);
      case UnaryOp::Rsqrt: return T(1) / std::sqrt(x);
      case UnaryOp::Sin: return std::sin(x);
      case UnaryOp::Cos: return std::cos(x);
      case UnaryOp::Tanh: return std::tanh(x);
      case UnaryOp::Sigmoid: return T(1) / (T(1) + std::exp(-x));
      case UnaryOp::Relu: return x > T(0) ? x : (std::isnan(x) ? x : T(0));
      case UnaryOp::Erf: return std::erf(x);
      case UnaryOp::Reciprocal: return T(1) / x;
      case UnaryOp::Square: return x * x;
      case UnaryOp::Floor: return std::floor(x);
      case UnaryOp::Ceil: return std::ceil(x);
      case UnaryOp::Round: return std::nearbyint(x);  // half to even, as torch.round
      case UnaryOp::Trunc: return std::trunc(x);
      default: WICK_FAIL("unary op: unexpected op");
    }
  }
}

template <typename T>
T binary_scalar(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::Add: return static_cast<T>(a + b);
    case BinaryOp::Sub: return static_cast<T>(a - b);
    case BinaryOp::Mul: return static_cast<T>(a * b);
    case BinaryOp::Div:
      if constexpr (std::is_integral_v<T>) {
        WICK_CHECK(b != 0, "ZeroDivisionError");
      }
      return static_cast<T>(a / b);
    case BinaryOp::Pow:
      if constexpr (std::is_integral_v<T>) {
        // Negative exponents (a tensor exponent; ops reject a negative number) follow PyTorch's powi:
        // 1 and -1 keep their magnitude, everything else truncates to 0.
        if constexpr (std::is_signed_v<T>) {
          if (b < 0) return a == 1 ? T(1) : (a == -1 ? static_cast<T>((-b) % 2 ? -1 : 1) : T(0));
        }
        T r = 1, base = a;
        for (auto e = b; e > 0; e >>= 1) {
          if (e & 1) r = static_cast<T>(r * base);
          base = static_cast<T>(base * base);
        }
        return r;
      } else {
        return std::pow(a, b);
      }
    case BinaryOp::Minimum:
      if constexpr (std::is_floating_point_v<T>) if (std::isnan(a) || std::isnan(b)) return a + b;
      return a < b ? a : b;
    case BinaryOp::Maximum:
      if constexpr (std::is_floating_point_v<T>) if (std::isnan(a) || std::isnan(b)) return a + b;
      return a > b ? a : b;
    case BinaryOp::Remainder:
      if constexpr (std::is_integral_v<T>) {
        WICK_CHECK(b != 0, "ZeroDivisionError");
        T r = static_cast<T>(a % b);
        if constexpr (std::is_signed_v<T>) if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
        return r;
      } else {
        T r = std::fmod(a, b);
        if (r != 0 && ((r < 0) != (b < 0))) r += b;
        return r;
      }
    case BinaryOp::FloorDivide:
      if constexpr (std::is_integral_v<T>) {
        WICK_CHECK(b != 0, "ZeroDivisionError");
        T q = static_cast<T>(a / b);
        if constexpr (std::is_signed_v<T>) if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
      } else {
        return std::floor(a / b);
      }
    case BinaryOp::ThresholdBackward: return b > 0 ? a : T(0);
    default: WICK_FAIL("binary op: unexpected op");
  }
}

bool is_predicate(BinaryOp op) {
  return op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt || op == BinaryOp::Le || op == BinaryOp::Gt ||
         op == BinaryOp::Ge || op == BinaryOp::LogicalAnd || op == BinaryOp::LogicalOr || op == BinaryOp::LogicalXor;
}

template <typename T>
bool predicate_scalar(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::Eq: return a == b;
    case BinaryOp::Ne: return a != b;
    case BinaryOp::Lt: return a < b;
    case BinaryOp::Le: return a <= b;
    case BinaryOp::Gt: return a > b;
    case BinaryOp::Ge: return a >= b;
    case BinaryOp::LogicalAnd: return a != T(0) && b != T(0);
    case BinaryOp::LogicalOr: return a != T(0) || b != T(0);
    case BinaryOp::LogicalXor: return (a != T(0)) != (b != T(0));
    default: return false;
  }
}

}  // namespace

void CpuBackend::unary(UnaryOp op, const Tensor& out, const Tensor& x) {
  if (op == UnaryOp::LogicalNot || op == UnaryOp::IsNan) {
    dispatch_all(x.dtype(), [&]<typename T>() {
      using C = compute_t<T>;
      if (op == UnaryOp::LogicalNot) {
        map1<bool, T>(out, x, [](T v) { return static_cast<C>(v) == C(0); });
      } else {
        map1<bool, T>(out, x, [](T v) {
          if constexpr (std::is_floating_point_v<C>) return std::isnan(static_cast<C>(v));
          else return false;
        });
      }
    });
    return;
  }
  if (unary_transcendental(op, out, x)) return;
  dispatch_all(x.dtype(), [&]<typename T>() {
    using C = compute_t<T>;
    // A switch per element would block vectorisation: dispatch on the op once, outside the loop.
    auto run = [&](auto f) { map1<T, T>(out, x, [f](T v) { return static_cast<T>(f(static_cast<C>(v))); }); };
    if constexpr (std::is_floating_point_v<C>) {
      switch (op) {
        case UnaryOp::Neg: return run([](C v) { return -v; });
        case UnaryOp::Exp: return run([](C v) { return std::exp(v); });
        case UnaryOp::Tanh: return run([](C v) { return std::tanh(v); });
        case UnaryOp::Sigmoid: return run([](C v) { return C(1) / (C(1) + std::exp(-v)); });
        case UnaryOp::Relu: return run([](C v) { return v > C(0) ? v : (v != v ? v : C(0)); });
        case UnaryOp::Sqrt: return run([](C v) { return std::sqrt(v); });
        case UnaryOp::Square: return run([](C v) { return v * v; });
        default: break;
      }
    }
    run([op](C v) { return unary_scalar<C>(op, v); });
  });
}

void CpuBackend::binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  WICK_CHECK(a.dtype() == b.dtype(), "binary kernel: operands must share a dtype, got ", dtype_name(a.dtype()), " and ",
             dtype_name(b.dtype()));
  dispatch_all(a.dtype(), [&]<typename T>() {
    using C = compute_t<T>;
    if (is_predicate(op)) {
      // One loop per op (not a switch per element), so each stays vectorisable.
      auto pred = [&](auto f) { map2<bool, T, T>(out, a, b, [f](T x, T y) { return f(static_cast<C>(x), static_cast<C>(y)); }); };
      switch (op) {
        case BinaryOp::Eq: return pred([](C x, C y) { return x == y; });
        case BinaryOp::Ne: return pred([](C x, C y) { return x != y; });
        case BinaryOp::Lt: return pred([](C x, C y) { return x < y; });
        case BinaryOp::Le: return pred([](C x, C y) { return x <= y; });
        case BinaryOp::Gt: return pred([](C x, C y) { return x > y; });
        case BinaryOp::Ge: return pred([](C x, C y) { return x >= y; });
        default: return pred([op](C x, C y) { return predicate_scalar<C>(op, x, y); });
      }
    }
    if constexpr (std::is_same_v<T, bool>) {
      // bool arithmetic (True + True) is done in the integer domain, then cast back, as PyTorch.
      map2<bool, bool, bool>(out, a, b, [op](bool x, bool y) {
        return binary_scalar<int64_t>(op, static_cast<int64_t>(x), static_cast<int64_t>(y)) != 0;
      });
    } else {
      auto run = [&](auto f) { map2<T, T, T>(out, a, b, [f](T x, T y) { return static_cast<T>(f(static_cast<C>(x), static_cast<C>(y))); }); };
      switch (op) {
        case BinaryOp::Add: return run([](C x, C y) { return static_cast<C>(x + y); });
        case BinaryOp::Sub: return run([](C x, C y) { return static_cast<C>(x - y); });
        case BinaryOp::Mul: return run([](C x, C y) { return static_cast<C>(x * y); });
        case BinaryOp::Div:
          if constexpr (std::is_floating_point_v<C>) return run([](C x, C y) { return x / y; });
          break;
        // NaN in either operand propagates (x + y is then NaN), as torch.maximum/minimum.
        case BinaryOp::Maximum: return run([](C x, C y) { return (x != x || y != y) ? static_cast<C>(x + y) : (x > y ? x : y); });
        case BinaryOp::Minimum: return run([](C x, C y) { return (x != x || y != y) ? static_cast<C>(x + y) : (x < y ? x : y); });
        case BinaryOp::ThresholdBackward: return run([](C g, C y) { return y > 0 ? g : C(0); });
        default: break;
      }
      run([op](C x, C y) { return binary_scalar<C>(op, x, y); });
    }
  });
}

void CpuBackend::where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  dispatch_all(a.dtype(), [&]<typename T>() {
    map3<T, bool, T, T>(out, cond, a, b, [](bool c, T x, T y) { return c ? x : y; });
  });
}

}  // namespace wick::cpu

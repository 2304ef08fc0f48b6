// CUDA elementwise kernels: unary, binary and where over any strides (stride-0 broadcast inputs).
// One kernel per dtype with the op chosen by a switch (uniform across a launch, so no divergence):
// few instantiations keep the build cheap. Half types compute in float. Semantics follow
// src/cpu/elementwise.cpp; integer division by zero is detected on the device and raised after.
#include <cmath>

#include "cuda_backend.h"
#include "kernel_utils.cuh"

namespace wick::cuda {

namespace {

template <typename C>
__device__ __forceinline__ C unary_value(UnaryOp op, C x) {
  if constexpr (std::is_same_v<C, bool>) {
    return x;  // the host admits only the identity-like ops for bool
  } else if constexpr (std::is_integral_v<C>) {
    switch (op) {
      case UnaryOp::Neg: return static_cast<C>(-x);
      case UnaryOp::Abs: if constexpr (std::is_signed_v<C>) return x < 0 ? static_cast<C>(-x) : x; else return x;
      case UnaryOp::Sign:
        if constexpr (std::is_signed_v<C>) return static_cast<C>((C(0) < x) - (x < C(0)));
        else return static_cast<C>(x != 0);
      case UnaryOp::Relu: return x > 0 ? x : C(0);
      case UnaryOp::Square: return static_cast<C>(x * x);
      default: return x;  // Floor, Ceil, Round, Trunc
    }
  } else {
    switch (op) {
      case UnaryOp::Neg: return -x;
      case UnaryOp::Abs: return fabs(x);
      case UnaryOp::Sign: return static_cast<C>((C(0) < x) - (x < C(0)));
      case UnaryOp::Exp: return exp(x);
      case UnaryOp::Log: return log(x);
      case UnaryOp::Log1p: return log1p(x);
      case UnaryOp::Expm1: return expm1(x);
      case UnaryOp::Sqrt: return sqrt(x);
      case UnaryOp::Rsqrt: return C(1) / sqrt(x);
      case UnaryOp::Sin: return sin(x);
      case UnaryOp::Cos: return cos(x);
      case UnaryOp::Tanh: return tanh(x);
      case UnaryOp::Sigmoid: return C(1) / (C(1) + exp(-x));
      case UnaryOp::Relu: return x > C(0) ? x : (x != x ? x : C(0));
      case UnaryOp::Erf: return erf(x);
      case UnaryOp::Reciprocal: return C(1) / x;
      case UnaryOp::Square: return x * x;
      case UnaryOp::Floor: return floor(x);
      case UnaryOp::Ceil: return ceil(x);
      case UnaryOp::Round: return rint(x);  // half to even, as torch.round
      case UnaryOp::Trunc: return trunc(x);
      default: return x;
    }
  }
}

// out (shape) = op(x (shape)); out is bool for LogicalNot/IsNan, T otherwise.
template <typename T>
__global__ void unary_kernel(UnaryOp op, int64_t n, Indexer<2> ix, void* out, const T* x) {
  using C = compute_t<T>;
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[2];
    ix.get(i, off);
    const C v = convert<C, T>(x[off[1]]);
    if (op == UnaryOp::LogicalNot) {
      static_cast<bool*>(out)[off[0]] = v == C(0);
    } else if (op == UnaryOp::IsNan) {
      static_cast<bool*>(out)[off[0]] = v != v;
    } else {
      static_cast<T*>(out)[off[0]] = convert<T, C>(unary_value<C>(op, v));
    }
  }
}

bool is_predicate(BinaryOp op) {
  return op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt || op == BinaryOp::Le || op == BinaryOp::Gt ||
         op == BinaryOp::Ge || op == BinaryOp::LogicalAnd || op == BinaryOp::LogicalOr || op == BinaryOp::LogicalXor;
}

template <typename C>
__device__ __forceinline__ bool predicate_value(BinaryOp op, C a, C b) {
  switch (op) {
    case BinaryOp::Eq: return a == b;
    case BinaryOp::Ne: return a != b;
    case BinaryOp::Lt: return a < b;
    case BinaryOp::Le: return a <= b;
    case BinaryOp::Gt: return a > b;
    case BinaryOp::Ge: return a >= b;
    case BinaryOp::LogicalAnd: return a != C(0) && b != C(0);
    case BinaryOp::LogicalOr: return a != C(0) || b != C(0);
    default: return (a != C(0)) != (b != C(0));  // LogicalXor
  }
}

// a op b in C; integer division by zero sets *zero_div and gives 0.
template <typename C>
__device__ __forceinline__ C binary_value(BinaryOp op, C a, C b, int* zero_div) {
  switch (op) {
    case BinaryOp::Add: return static_cast<C>(a + b);
    case BinaryOp::Sub: return static_cast<C>(a - b);
    case BinaryOp::Mul: return static_cast<C>(a * b);
    case BinaryOp::Div:
      if constexpr (std::is_integral_v<C>) {
        if (b == 0) { *zero_div = 1; return C(0); }
      }
      return static_cast<C>(a / b);
    case BinaryOp::Pow:
      if constexpr (std::is_integral_v<C>) {
        if constexpr (std::is_signed_v<C>) {
          if (b < 0) return a == 1 ? C(1) : (a == -1 ? static_cast<C>((-b) % 2 ? -1 : 1) : C(0));
        }
        C r = 1, base = a;
        for (C e = b; e > 0; e >>= 1) {
          if (e & 1) r = static_cast<C>(r * base);
          base = static_cast<C>(base * base);
        }
        return r;
      } else {
        return pow(a, b);
      }
    case BinaryOp::Minimum:
      if constexpr (std::is_floating_point_v<C>) if (a != a || b != b) return a + b;
      return a < b ? a : b;
    case BinaryOp::Maximum:
      if constexpr (std::is_floating_point_v<C>) if (a != a || b != b) return a + b;
      return a > b ? a : b;
    case BinaryOp::Remainder:
      if constexpr (std::is_integral_v<C>) {
        if (b == 0) { *zero_div = 1; return C(0); }
        C r = static_cast<C>(a % b);
        if constexpr (std::is_signed_v<C>) if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<C>(r + b);
        return r;
      } else {
        C r = fmod(a, b);
        if (r != 0 && ((r < 0) != (b < 0))) r += b;
        return r;
      }
    case BinaryOp::ThresholdBackward:
      return b > 0 ? a : C(0);
    default:  // FloorDivide
      if constexpr (std::is_integral_v<C>) {
        if (b == 0) { *zero_div = 1; return C(0); }
        C q = static_cast<C>(a / b);
        if constexpr (std::is_signed_v<C>) if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
      } else {
        return floor(a / b);
      }
  }
}

// out (shape) = a (shape) op b (shape); bool out for predicates. bool arithmetic runs in int64.
template <typename T>
__global__ void binary_kernel(BinaryOp op, bool predicate, int64_t n, Indexer<3> ix, void* out, const T* a,
                              const T* b, int* zero_div) {
  using C = std::conditional_t<std::is_same_v<T, bool>, int64_t, compute_t<T>>;
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[3];
    ix.get(i, off);
    const C x = convert<C, T>(a[off[1]]), y = convert<C, T>(b[off[2]]);
    if (predicate) static_cast<bool*>(out)[off[0]] = predicate_value<C>(op, x, y);
    else static_cast<T*>(out)[off[0]] = convert<T, C>(binary_value<C>(op, x, y, zero_div));
  }
}

// out (shape) = cond ? a : b.
template <typename T>
__global__ void where_kernel(int64_t n, Indexer<4> ix, T* out, const bool* cond, const T* a, const T* b) {
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[4];
    ix.get(i, off);
    out[off[0]] = cond[off[1]] ? a[off[2]] : b[off[3]];
  }
}

bool unary_ok_for_integers(UnaryOp op, bool is_bool) {
  switch (op) {
    case UnaryOp::Abs: case UnaryOp::Relu: case UnaryOp::Sign: case UnaryOp::Floor: case UnaryOp::Ceil:
    case UnaryOp::Round: case UnaryOp::Trunc: case UnaryOp::Square: case UnaryOp::LogicalNot: case UnaryOp::IsNan:
      return true;
    case UnaryOp::Neg: return !is_bool;
    default: return false;
  }
}

}  // namespace

void CudaBackend::unary(UnaryOp op, const Tensor& out, const Tensor& x) {
  const int64_t n = out.numel();
  if (!is_floating_point(x.dtype())) {
    WICK_CHECK(unary_ok_for_integers(op, x.dtype() == kBool), "unary op not supported for ",
               x.dtype() == kBool ? "bool" : "integer", " tensors (use a floating-point dtype)");
  }
  if (n == 0) return;
  cudaStream_t stream = prepare(out);
  Indexer<2> ix = make_indexer<2>(out.sizes(), {&out, &x});
  dispatch_device(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    unary_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(op, n, ix, out.data_ptr(), ptr<const T>(x));
    WICK_CUDA_CHECK_LAUNCH();
  });
}

void CudaBackend::binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  WICK_CHECK(a.dtype() == b.dtype(), "binary kernel: operands must share a dtype, got ", dtype_name(a.dtype()), " and ",
             dtype_name(b.dtype()));
  const int64_t n = out.numel();
  if (n == 0) return;
  cudaStream_t stream = prepare(out);
  const bool integer_division = !is_floating_point(a.dtype()) &&
                                (op == BinaryOp::Div || op == BinaryOp::Remainder || op == BinaryOp::FloorDivide);
  // The zero-divisor flag lives in device memory only when it can be set.
  Storage flag_storage;
  int* flag = nullptr;
  if (integer_division) {
    flag_storage = allocate(sizeof(int), out.device());
    flag = static_cast<int*>(flag_storage->data());
    WICK_CUDA_CHECK(cudaMemsetAsync(flag, 0, sizeof(int), stream));
  }
  Indexer<3> ix = make_indexer<3>(out.sizes(), {&out, &a, &b});
  dispatch_device(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    binary_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(op, is_predicate(op), n, ix, out.data_ptr(), ptr<const T>(a),
                                                           ptr<const T>(b), flag);
    WICK_CUDA_CHECK_LAUNCH();
  });
  if (flag) {
    int host_flag = 0;
    WICK_CUDA_CHECK(cudaMemcpyAsync(&host_flag, flag, sizeof(int), cudaMemcpyDeviceToHost, stream));
    WICK_CUDA_CHECK(cudaStreamSynchronize(stream));
    WICK_CHECK(host_flag == 0, "ZeroDivisionError");
  }
}

void CudaBackend::where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  const int64_t n = out.numel();
  if (n == 0) return;
  WICK_CHECK(cond.dtype() == kBool, "where kernel: condition must be bool, got ", dtype_name(cond.dtype()));
  cudaStream_t stream = prepare(out);
  Indexer<4> ix = make_indexer<4>(out.sizes(), {&out, &cond, &a, &b});
  dispatch_device(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    where_kernel<T><<<grid_for(n), kThreads, 0, stream>>>(n, ix, ptr<T>(out), ptr<const bool>(cond), ptr<const T>(a),
                                                          ptr<const T>(b));
    WICK_CUDA_CHECK_LAUNCH();
  });
}

}  // namespace wick::cuda

// Strided N-operand loops for CPU kernels: the operands share one iteration shape (inputs already
// expanded, stride 0 for broadcast dims); dims are coalesced where memory allows, and the outer
// dims are split across threads. map1/map2/map3 apply a scalar lambda elementwise; contiguous
// inner runs get a plain indexed loop the compiler vectorises; all-contiguous operands skip the
// iterator entirely, and write outputs larger than the last-level cache with streaming stores.
#pragma once

#include <array>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "streaming_store.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"
#include "wick/core/tensor.h"

namespace wick::cpu {

template <size_t N>
struct StridedIter {
  std::vector<int64_t> shape;                    // coalesced, outermost first
  std::array<std::vector<int64_t>, N> strides;   // bytes, per operand, per dim
  std::array<char*, N> base{};

  StridedIter(IntArrayRef iter_shape, const std::array<const Tensor*, N>& ops) {
    std::vector<int64_t> sh;
    std::array<std::vector<int64_t>, N> st;
    for (size_t d = 0; d < iter_shape.size(); ++d) {
      if (iter_shape[d] == 1) continue;
      sh.push_back(iter_shape[d]);
      for (size_t k = 0; k < N; ++k)
        st[k].push_back(ops[k]->stride(static_cast<int64_t>(d)) * static_cast<int64_t>(ops[k]->element_size()));
    }
    for (size_t k = 0; k < N; ++k) base[k] = static_cast<char*>(ops[k]->data_ptr());
    // Coalesce dim d-1 into d when every operand steps evenly across the pair.
    for (size_t d = 0; d < sh.size(); ++d) {
      if (!shape.empty()) {
        bool ok = true;
        for (size_t k = 0; k < N; ++k) ok = ok && strides[k].back() == st[k][d] * sh[d];
        if (ok) {
          shape.back() *= sh[d];
          for (size_t k = 0; k < N; ++k) strides[k].back() = st[k][d];
          continue;
        }
      }
      shape.push_back(sh[d]);
      for (size_t k = 0; k < N; ++k) strides[k].push_back(st[k][d]);
    }
    if (shape.empty()) {  // a single element
      shape.push_back(1);
      for (size_t k = 0; k < N; ++k) strides[k].push_back(0);
    }
  }

  int64_t inner_size() const { return shape.back(); }
  int64_t outer_size() const {
    int64_t n = 1;
    for (size_t d = 0; d + 1 < shape.size(); ++d) n *= shape[d];
    return n;
  }
  int64_t numel() const { return outer_size() * inner_size(); }

  // run(ptrs, n, inner_strides) for each inner run, outer runs split across threads.
  template <typename F>
  void for_each_run(F&& run, bool parallel = true) const {
    const int64_t inner = inner_size(), outer = outer_size();
    std::array<int64_t, N> inner_st;
    for (size_t k = 0; k < N; ++k) inner_st[k] = strides[k].back();
    const int64_t grain = std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(inner, 1));
    auto body = [&](int64_t ob, int64_t oe) {
      for (int64_t o = ob; o < oe; ++o) {
        std::array<char*, N> p = base;
        int64_t rem = o;
        for (size_t d = shape.size() - 1; d-- > 0;) {
          int64_t i = rem % shape[d];
          rem /= shape[d];
          for (size_t k = 0; k < N; ++k) p[k] += i * strides[k][d];
        }
        run(p, inner, inner_st);
      }
    };
    if (parallel && outer > 1 && numel() >= kParallelGrain) {
      parallel_for(outer, grain, body);
    } else if (parallel && outer == 1 && inner >= 2 * kParallelGrain) {
      // One long run: split it.
      parallel_for(inner, kParallelGrain, [&](int64_t b, int64_t e) {
        std::array<char*, N> p = base;
        for (size_t k = 0; k < N; ++k) p[k] += b * inner_st[k];
        run(p, e - b, inner_st);
      });
    } else {
      body(0, outer);
    }
  }
};

namespace detail {

// One value broadcast over a whole operand (every stride 0), e.g. the 2 in x * 2.
inline bool all_strides_zero(const Tensor& t) {
  for (int64_t st : t.strides())
    if (st != 0) return false;
  return true;
}

// A flat operand that is either contiguous or one broadcast value.
template <typename T>
struct FlatOperand {
  const T* p;
  bool scalar;
  T operator[](int64_t i) const { return scalar ? *p : p[i]; }
};

template <typename O, typename... In, typename F, size_t... I>
void map_impl(const Tensor& out, F&& f, std::index_sequence<I...>, const std::array<const Tensor*, sizeof...(In)>& ins) {
  constexpr size_t N = 1 + sizeof...(In);
  const int64_t n = out.numel();
  auto run_flat = [n](const auto& flat) {
    if (n >= 2 * kParallelGrain) parallel_for(n, kParallelGrain, flat);
    else flat(0, n);
  };
  const bool streaming = n * static_cast<int64_t>(sizeof(O)) >= streaming_min_bytes();
  // All operands contiguous (so none broadcast): one flat run, without StridedIter's set-up,
  // which dominates ops on tiny tensors. Split across threads as StridedIter splits one long run.
  if (out.is_contiguous() && (ins[I]->is_contiguous() && ...)) {
    O* o = static_cast<O*>(out.data_ptr());
    std::tuple<const In*...> in{static_cast<const In*>(ins[I]->data_ptr())...};
    auto flat = [&](int64_t b, int64_t e) {
      auto value = [&](int64_t i) { return f(std::get<I>(in)[i]...); };
      if (streaming) return write_streaming(o, b, e, value);
      for (int64_t i = b; i < e; ++i) o[i] = value(i);
    };
    run_flat(flat);
    return;
  }
  // Contiguous but for operands that are one broadcast value: flat too (StridedIter would walk
  // them with byte strides, unvectorised).
  if (out.is_contiguous() && ((ins[I]->is_contiguous() || all_strides_zero(*ins[I])) && ...)) {
    O* o = static_cast<O*>(out.data_ptr());
    std::tuple<FlatOperand<In>...> in{FlatOperand<In>{static_cast<const In*>(ins[I]->data_ptr()),
                                                      !ins[I]->is_contiguous()}...};
    auto flat = [&](int64_t b, int64_t e) {
      auto value = [&](int64_t i) { return f(std::get<I>(in)[i]...); };
      if (streaming) return write_streaming(o, b, e, value);
      for (int64_t i = b; i < e; ++i) o[i] = value(i);
    };
    run_flat(flat);
    return;
  }
  std::array<const Tensor*, N> ops{&out, ins[I]...};
  StridedIter<N> it(out.sizes(), ops);
  it.for_each_run([&](const std::array<char*, N>& p, int64_t n, const std::array<int64_t, N>& st) {
    O* o = reinterpret_cast<O*>(p[0]);
    bool contiguous = st[0] == static_cast<int64_t>(sizeof(O)) &&
                      ((st[I + 1] == static_cast<int64_t>(sizeof(In))) && ...);
    if (contiguous) {
      for (int64_t i = 0; i < n; ++i) o[i] = f(reinterpret_cast<const In*>(p[I + 1])[i]...);
    } else {
      for (int64_t i = 0; i < n; ++i)
        *reinterpret_cast<O*>(p[0] + i * st[0]) = f(*reinterpret_cast<const In*>(p[I + 1] + i * st[I + 1])...);
    }
  });
}
}  // namespace detail

// out[i] = f(a[i]) with typed operands (O and A must match the tensors' dtypes).
template <typename O, typename A, typename F>
void map1(const Tensor& out, const Tensor& a, F&& f) {
  detail::map_impl<O, A>(out, std::forward<F>(f), std::index_sequence_for<A>{}, {&a});
}
template <typename O, typename A, typename B, typename F>
void map2(const Tensor& out, const Tensor& a, const Tensor& b, F&& f) {
  detail::map_impl<O, A, B>(out, std::forward<F>(f), std::index_sequence_for<A, B>{}, {&a, &b});
}
template <typename O, typename A, typename B, typename C, typename F>
void map3(const Tensor& out, const Tensor& a, const Tensor& b, const Tensor& c, F&& f) {
  detail::map_impl<O, A, B, C>(out, std::forward<F>(f), std::index_sequence_for<A, B, C>{}, {&a, &b, &c});
}

}  // namespace wick::cpu

// CPU memory kernels: allocation through the caching allocator, strided copy with dtype cast,
// fill, and the backend's registration.
#include <cstring>

#include "allocator.h"
#include "cpu_backend.h"
#include "loops.h"

namespace wick::cpu {

Storage CpuBackend::allocate(size_t nbytes, Device device) {
  WICK_CHECK(device.is_cpu(), "CpuBackend::allocate: asked for memory on ", device.str());
  const size_t n = nbytes == 0 ? 1 : nbytes;
  void* p = cpu::allocate(n);
  return wick::detail::make_pooled<StorageImpl>(p, nbytes, Device(kCPU),
                                                [n](void* q) { cpu::release(q, n); });
}

template <typename D, typename S>
static inline D convert(S v) {
  constexpr bool s_half = std::is_same_v<S, Half> || std::is_same_v<S, BFloat16>;
  constexpr bool d_half = std::is_same_v<D, Half> || std::is_same_v<D, BFloat16>;
  if constexpr (std::is_same_v<D, S>) return v;
  else if constexpr (s_half) return convert<D, float>(static_cast<float>(v));
  else if constexpr (std::is_same_v<D, bool>) return v != S(0);
  else if constexpr (d_half) return D(static_cast<float>(v));
  else return static_cast<D>(v);
}

void CpuBackend::copy_(const Tensor& dst, const Tensor& src) {
  WICK_CHECK(dst.is_cpu() && src.is_cpu(), "copy_: the CPU backend copies between CPU tensors only");
  if (dst.numel() == 0) return;
  if (dst.dtype() == src.dtype() && dst.is_contiguous() && src.is_contiguous()) {
    if (dst.data_ptr() != src.data_ptr()) std::memmove(dst.data_ptr(), src.data_ptr(), dst.nbytes());
    return;
  }
  dispatch_all(dst.dtype(), [&]<typename D>() {
    dispatch_all(src.dtype(), [&]<typename S>() { map1<D, S>(dst, src, [](S v) { return convert<D, S>(v); }); });
  });
}

void CpuBackend::fill_(const Tensor& dst, const Scalar& value) {
  dispatch_all(dst.dtype(), [&]<typename T>() {
    T v;
    if constexpr (std::is_same_v<T, bool>) v = value.to_bool();
    else if constexpr (std::is_integral_v<T>) v = static_cast<T>(value.is_floating_point() ? static_cast<int64_t>(value.to_double()) : value.to_long());
    else v = convert<T, double>(value.to_double());
    StridedIter<1> it(dst.sizes(), {&dst});
    it.for_each_run([&](const std::array<char*, 1>& p, int64_t n, const std::array<int64_t, 1>& st) {
      if (st[0] == static_cast<int64_t>(sizeof(T))) {
        T* o = reinterpret_cast<T*>(p[0]);
        for (int64_t i = 0; i < n; ++i) o[i] = v;
      } else {
        for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(p[0] + i * st[0]) = v;
      }
    });
  });
}

namespace {
struct Registrar {
  Registrar() {
    static CpuBackend backend;
    register_backend(kCPU, &backend);
  }
};
}  // namespace

// Referenced from the core so the linker keeps this object (static-library registration).
void ensure_cpu_backend_registered() { static Registrar r; }

}  // namespace wick::cpu

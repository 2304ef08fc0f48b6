// CUDA copy_ (host to device, device to host, device to device, with dtype cast and any strides)
// and fill_. Cross-device copies move contiguous bytes with cudaMemcpy; casts and strides are done
// by a kernel on the device side, or by the CPU backend on a host staging buffer.
// Not asynchronous: copies from pageable or pinned memory both complete before returning.
#include <cstring>

#include "cuda_backend.h"
#include "kernel_utils.cuh"
#include "wick/autograd/grad_mode.h"

namespace wick::cuda {

namespace {

// dst (shape) = convert(src (shape)), both strided.
template <typename D, typename S>
__global__ void copy_kernel(int64_t n, Indexer<2> ix, D* dst, const S* src) {
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[2];
    ix.get(i, off);
    dst[off[0]] = convert<D, S>(src[off[1]]);
  }
}

// Device-side strided copy with cast; both tensors on the current device.
void device_copy(const Tensor& dst, const Tensor& src) {
  cudaStream_t stream = prepare(dst);
  const int64_t n = dst.numel();
  if (n == 0) return;
  if (dst.dtype() == src.dtype() && dst.is_contiguous() && src.is_contiguous()) {
    if (dst.data_ptr() != src.data_ptr())
      WICK_CUDA_CHECK(cudaMemcpyAsync(dst.data_ptr(), src.data_ptr(), dst.nbytes(), cudaMemcpyDeviceToDevice, stream));
    return;
  }
  Indexer<2> ix = make_indexer<2>(dst.sizes(), {&dst, &src});
  dispatch_device(dst.dtype(), [&](auto dt) {
    using D = typename decltype(dt)::type;
    dispatch_device(src.dtype(), [&](auto st) {
      using S = typename decltype(st)::type;
      copy_kernel<D, S><<<grid_for(n), kThreads, 0, stream>>>(n, ix, ptr<D>(dst), ptr<const S>(src));
      WICK_CUDA_CHECK_LAUNCH();
    });
  });
}

// A contiguous tensor of `sizes` and `dtype` on `device` (fresh storage from its backend).
Tensor empty_like_on(IntArrayRef sizes, DType dtype, Device device) {
  Storage st = backend_for(device).allocate(static_cast<size_t>(numel_of(sizes)) * itemsize(dtype), device);
  return Tensor(wick::detail::make_pooled<TensorImpl>(st, sizes, dtype));
}

}  // namespace

void CudaBackend::copy_(const Tensor& dst, const Tensor& src) {
  WICK_CHECK(dst.sizes() == src.sizes(), "copy_ (CUDA): shapes differ: ", shape_str(dst.sizes()), " and ",
             shape_str(src.sizes()));
  if (dst.numel() == 0) return;
  NoGradGuard no_grad;  // staging copies below are plumbing, never recorded
  if (dst.is_cuda() && src.is_cuda()) {
    if (dst.device().index == src.device().index) return device_copy(dst, src);
    // Between GPUs: src as a contiguous dst-dtype buffer, peer copy, then place into dst.
    Tensor s = empty_like_on(src.sizes(), dst.dtype(), src.device());
    device_copy(s, src);
    Tensor d = dst.is_contiguous() ? dst : empty_like_on(dst.sizes(), dst.dtype(), dst.device());
    WICK_CUDA_CHECK(cudaMemcpyPeer(d.data_ptr(), dst.device().index, s.data_ptr(), src.device().index, s.nbytes()));
    if (!d.is_same(dst)) device_copy(dst, d);
    return;
  }
  if (dst.is_cuda()) {  // host -> device: contiguous host bytes of src's dtype, then cast/stride on the GPU
    cudaStream_t stream = prepare(dst);
    Tensor h = src.is_contiguous() ? src : src.contiguous();
    const bool direct = dst.is_contiguous() && dst.dtype() == src.dtype();
    Tensor d = direct ? dst : empty_like_on(src.sizes(), src.dtype(), dst.device());
    WICK_CUDA_CHECK(cudaMemcpyAsync(d.data_ptr(), h.data_ptr(), h.nbytes(), cudaMemcpyHostToDevice, stream));
    // The host buffer may be freed when this returns: wait for the copy (pageable copies already do).
    WICK_CUDA_CHECK(cudaStreamSynchronize(stream));
    if (!direct) device_copy(dst, d);
    return;
  }
  // device -> host: a contiguous dst-dtype buffer on the GPU, bytes down, strides on the CPU.
  WICK_CHECK(src.is_cuda() && dst.is_cpu(), "copy_ (CUDA): unexpected devices ", dst.device().str(), " <- ",
             src.device().str());
  cudaStream_t stream = prepare(src);
  Tensor s = src.is_contiguous() && src.dtype() == dst.dtype() ? src : empty_like_on(src.sizes(), dst.dtype(), src.device());
  if (!s.is_same(src)) device_copy(s, src);
  Tensor h = dst.is_contiguous() ? dst : empty_like_on(dst.sizes(), dst.dtype(), Device(kCPU));
  WICK_CUDA_CHECK(cudaMemcpyAsync(h.data_ptr(), s.data_ptr(), s.nbytes(), cudaMemcpyDeviceToHost, stream));
  WICK_CUDA_CHECK(cudaStreamSynchronize(stream));
  if (!h.is_same(dst)) backend_for(Device(kCPU)).copy_(dst, h);
}

namespace {
// dst (shape) = the bit pattern `bits` of one element.
template <typename U>
__global__ void fill_kernel(int64_t n, Indexer<1> ix, U* dst, U bits) {
  WICK_GRID_STRIDE_LOOP(i, n) {
    int64_t off[1];
    ix.get(i, off);
    dst[off[0]] = bits;
  }
}

// The value as the CPU backend stores it in dtype T (host types: Half, BFloat16, ...).
template <typename T>
T host_value(const Scalar& value) {
  if constexpr (std::is_same_v<T, bool>) return value.to_bool();
  else if constexpr (std::is_integral_v<T>)
    return static_cast<T>(value.is_floating_point() ? static_cast<int64_t>(value.to_double()) : value.to_long());
  else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(static_cast<float>(value.to_double()));
  else return static_cast<T>(value.to_double());
}
}  // namespace

void CudaBackend::fill_(const Tensor& dst, const Scalar& value) {
  const int64_t n = dst.numel();
  if (n == 0) return;
  cudaStream_t stream = prepare(dst);
  Indexer<1> ix = make_indexer<1>(dst.sizes(), {&dst});
  auto launch = [&](auto bits) {
    using U = decltype(bits);
    fill_kernel<U><<<grid_for(n), kThreads, 0, stream>>>(n, ix, ptr<U>(dst), bits);
    WICK_CUDA_CHECK_LAUNCH();
  };
  // The element's bytes are computed on the host, so every dtype rounds exactly as on the CPU.
  ::wick::dispatch_all(dst.dtype(), [&]<typename T>() {
    T v = host_value<T>(value);
    if constexpr (sizeof(T) == 1) { uint8_t b; std::memcpy(&b, &v, 1); launch(b); }
    else if constexpr (sizeof(T) == 2) { uint16_t b; std::memcpy(&b, &v, 2); launch(b); }
    else if constexpr (sizeof(T) == 4) { uint32_t b; std::memcpy(&b, &v, 4); launch(b); }
    else { uint64_t b; std::memcpy(&b, &v, 8); launch(b); }
  });
}

}  // namespace wick::cuda

// CudaBackend's fold kernels (torch.nn.functional.unfold / fold). im2col: one thread per column
// element, reading the one image cell it copies. col2im: one thread per image cell, gathering the
// column entries that read it, so the sum needs no atomics and is deterministic (the adjoint of
// one-thread-per-column-element scatter). float32 / float64; 64-bit indexing throughout.
#include <cstdint>

#include "check.h"
#include "context.h"
#include "cuda_backend.h"

namespace wick::cuda {
namespace {

constexpr int kThreads = 256;

// The geometry of one call: N * C planes of H x W, kh x kw blocks at bh x bw positions.
struct FoldGeom {
  int64_t planes, h, w, kh, kw, bh, bw, dh, dw, ph, pw, sh, sw;
};

FoldGeom make_geom(const Tensor& x, const FoldArgs& a) {
  const int64_t h = x.size(2), w = x.size(3);
  return {x.size(0) * x.size(1),
          h,
          w,
          a.kernel_size[0],
          a.kernel_size[1],
          a.blocks(0, h),
          a.blocks(1, w),
          a.dilation[0],
          a.dilation[1],
          a.padding[0],
          a.padding[1],
          a.stride[0],
          a.stride[1]};
}

// col (planes * kh * kw, bh * bw) from x (planes, h, w); index = ((p * kh + i) * kw + j) * L + l.
template <typename T>
__global__ void im2col_kernel(T* __restrict__ col, const T* __restrict__ x, FoldGeom g,
                              int64_t total) {
  for (int64_t idx = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; idx < total;
       idx += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t ow = idx % g.bw;
    int64_t rest = idx / g.bw;
    const int64_t oh = rest % g.bh;
    rest /= g.bh;
    const int64_t j = rest % g.kw;
    rest /= g.kw;
    const int64_t i = rest % g.kh;
    const int64_t p = rest / g.kh;
    const int64_t ih = oh * g.sh - g.ph + i * g.dh, iw = ow * g.sw - g.pw + j * g.dw;
    col[idx] = (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) ? x[(p * g.h + ih) * g.w + iw] : T(0);
  }
}

// x (planes, h, w) = sum of the col entries that read each cell; index = (p * h + ih) * w + iw.
template <typename T>
__global__ void col2im_kernel(T* __restrict__ x, const T* __restrict__ col, FoldGeom g,
                              int64_t total) {
  for (int64_t idx = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; idx < total;
       idx += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t iw = idx % g.w;
    const int64_t ih = (idx / g.w) % g.h;
    const int64_t p = idx / (g.w * g.h);
    T sum = T(0);
    for (int64_t i = 0; i < g.kh; ++i) {
      const int64_t th = ih + g.ph - i * g.dh;  // = oh * sh for the block reading this cell
      if (th < 0 || th % g.sh != 0) continue;
      const int64_t oh = th / g.sh;
      if (oh >= g.bh) continue;
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t tw = iw + g.pw - j * g.dw;
        if (tw < 0 || tw % g.sw != 0) continue;
        const int64_t ow = tw / g.sw;
        if (ow >= g.bw) continue;
        sum += col[(((p * g.kh + i) * g.kw + j) * g.bh + oh) * g.bw + ow];
      }
    }
    x[idx] = sum;
  }
}

// Enough blocks to cover `total` (grid-stride loops take the rest), capped for the launch limit.
unsigned blocks_for(int64_t total) {
  const int64_t b = (total + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 65535 * 32 ? b : 65535 * 32);
}

int device_index(const Tensor& t) {
  return t.device().index >= 0 ? t.device().index : current_device();
}

}  // namespace

void CudaBackend::im2col(const Tensor& col, const Tensor& x, const FoldArgs& args) {
  const FoldGeom g = make_geom(x, args);
  const int64_t total = col.numel();
  if (total == 0) return;
  const int dev = device_index(x);
  set_device(dev);
  dispatch_floating(x.dtype(), "im2col", [&]<typename T>() {
    im2col_kernel<T><<<blocks_for(total), kThreads, 0, current_stream(dev)>>>(
        col.data_ptr<T>(), x.data_ptr<T>(), g, total);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

void CudaBackend::col2im(const Tensor& x, const Tensor& col, const FoldArgs& args) {
  const FoldGeom g = make_geom(x, args);
  const int64_t total = x.numel();
  if (total == 0) return;
  const int dev = device_index(x);
  set_device(dev);
  dispatch_floating(x.dtype(), "col2im", [&]<typename T>() {
    col2im_kernel<T><<<blocks_for(total), kThreads, 0, current_stream(dev)>>>(
        x.data_ptr<T>(), col.data_ptr<T>(), g, total);
  });
  WICK_CUDA_CHECK_LAUNCH();
}

}  // namespace wick::cuda

// CpuBackend's fold kernels (torch.nn.functional.unfold / fold): conv's im2col / col2im (im2col.h)
// applied plane by plane over the N * C planes of H x W, planes split over threads when the call is
// big enough. No shape checks and no autograd (nn/functional/fold.cpp does those).
#include <algorithm>

#include "cpu_backend.h"
#include "im2col.h"
#include "thread_pool.h"

namespace wick::cpu {
namespace {

// Below about this many elements moved per chunk, a thread costs more than it saves.
constexpr int64_t kGrainElements = int64_t{1} << 15;

// One plane's geometry: a single channel of H x W in the last two of im2col's three dims.
ConvGeom plane_geom(const Tensor& x, const FoldArgs& a) {
  ConvGeom g;
  g.channels = 1;
  for (size_t d = 0; d < 2; ++d) {
    const int64_t size = x.size(static_cast<int64_t>(2 + d));
    g.in[1 + d] = size;
    g.kernel[1 + d] = a.kernel_size[d];
    g.out[1 + d] = a.blocks(d, size);
    g.stride[1 + d] = a.stride[d];
    g.padding[1 + d] = a.padding[d];
    g.dilation[1 + d] = a.dilation[d];
  }
  return g;
}

// fn(x_plane, col_plane) for each of the planes, in parallel chunks.
template <typename T, typename F>
void for_each_plane(const Tensor& x, const Tensor& col, const ConvGeom& g, F&& fn) {
  T* xp = x.data_ptr<T>();
  T* cp = col.data_ptr<T>();
  const int64_t planes = x.size(0) * x.size(1);
  const int64_t x_plane = g.in_size(), col_plane = g.kernel_size() * g.out_size();
  const int64_t grain =
      std::max<int64_t>(1, kGrainElements / std::max<int64_t>(1, x_plane + col_plane));
  parallel_for(planes, grain, [&](int64_t lo, int64_t hi) {
    for (int64_t p = lo; p < hi; ++p) fn(xp + p * x_plane, cp + p * col_plane);
  });
}

}  // namespace

void CpuBackend::im2col(const Tensor& col, const Tensor& x, const FoldArgs& args) {
  const ConvGeom g = plane_geom(x, args);
  dispatch_floating(x.dtype(), "im2col", [&]<typename T>() {
    for_each_plane<T>(x, col, g, [&](const T* xp, T* cp) { cpu::im2col<T>(xp, cp, g); });
  });
}

void CpuBackend::col2im(const Tensor& x, const Tensor& col, const FoldArgs& args) {
  const ConvGeom g = plane_geom(x, args);
  dispatch_floating(x.dtype(), "col2im", [&]<typename T>() {
    for_each_plane<T>(x, col, g, [&](T* xp, const T* cp) { cpu::col2im<T>(cp, xp, g); });
  });
}

}  // namespace wick::cpu

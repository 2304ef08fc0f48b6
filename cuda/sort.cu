// CUDA stable sort along one dim: the lines are gathered into a contiguous (lines, n) key buffer,
// then sorted by a bottom-up merge sort where every element finds its output slot by binary search
// in the neighbouring run (left-run elements go before equal right-run ones: stable). log2(n)
// passes of one thread per element; no CUB (keeps the build small). NaN sorts as larger than every
// number, as PyTorch. Not a top-k selection: topk sorts and narrows.
#include "cuda_backend.h"
#include "kernel_utils.cuh"
#include "merge_sort.h"
#include "wick/autograd/grad_mode.h"

namespace wick::cuda {

namespace {

// One merge pass over (lines, n): runs of `width` sorted elements pair up into runs of 2 * width.
template <typename C>
__global__ void merge_pass_kernel(int64_t total, int64_t n, int64_t width, bool descending, const C* keys,
                                  const int64_t* idx, C* keys_out, int64_t* idx_out) {
  WICK_GRID_STRIDE_LOOP(e, total) {
    const int64_t line = e / n, pos = e - line * n;
    const C* k = keys + line * n;
    const C key = k[pos];
    const int64_t dst = merge_slot(k, n, width, pos, descending);
    keys_out[line * n + dst] = key;
    idx_out[line * n + dst] = idx[e];
  }
}

__global__ void iota_kernel(int64_t total, int64_t n, int64_t* idx) {
  WICK_GRID_STRIDE_LOOP(e, total) { idx[e] = e % n; }
}

Tensor buffer(Backend& be, IntArrayRef sizes, DType dtype, Device device) {
  Storage st = be.allocate(static_cast<size_t>(numel_of(sizes)) * itemsize(dtype), device);
  return Tensor(wick::detail::make_pooled<TensorImpl>(st, sizes, dtype));
}

}  // namespace

// x, values, indices (..., n, ...) along dim; indices int64.
void CudaBackend::sort(const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim, bool descending) {
  if (x.numel() == 0) return;
  NoGradGuard no_grad;
  const int64_t d = x.dim() == 0 ? 0 : dim;
  // The sorted dim last: x, values and indices viewed as (..., n).
  Tensor xt = x.dim() == 0 ? x.reshape({1}) : x.transpose(d, -1);
  Tensor vt = x.dim() == 0 ? values.reshape({1}) : values.transpose(d, -1);
  Tensor it = x.dim() == 0 ? indices.reshape({1}) : indices.transpose(d, -1);
  const int64_t n = xt.size(-1), total = xt.numel();
  // Keys in the compute type (float for half types: exact, so values convert back exactly).
  const DType key_dtype = x.dtype() == kFloat16 || x.dtype() == kBFloat16 ? kFloat32 : x.dtype();
  Tensor keys = buffer(*this, xt.sizes(), key_dtype, x.device());
  Tensor keys2 = buffer(*this, xt.sizes(), key_dtype, x.device());
  Tensor idx = buffer(*this, xt.sizes(), kInt64, x.device());
  Tensor idx2 = buffer(*this, xt.sizes(), kInt64, x.device());
  copy_(keys, xt);
  cudaStream_t stream = prepare(x);
  iota_kernel<<<grid_for(total), kThreads, 0, stream>>>(total, n, ptr<int64_t>(idx));
  WICK_CUDA_CHECK_LAUNCH();
  dispatch_device(key_dtype, [&](auto tag) {
    using C = typename decltype(tag)::type;
    if constexpr (!is_half_v<C>) {
      for (int64_t width = 1; width < n; width *= 2) {
        merge_pass_kernel<C><<<grid_for(total), kThreads, 0, stream>>>(total, n, width, descending, ptr<const C>(keys),
                                                                        ptr<const int64_t>(idx), ptr<C>(keys2),
                                                                        ptr<int64_t>(idx2));
        WICK_CUDA_CHECK_LAUNCH();
        std::swap(keys, keys2);
        std::swap(idx, idx2);
      }
    }
  });
  copy_(vt, keys);
  copy_(it, idx);
}

}  // namespace wick::cuda

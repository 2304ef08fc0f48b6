// Block-wide sums for the cuda-nn reduction kernels (norm statistics, loss totals): warp shuffles,
// then one shared-memory slot per warp. Every thread of the block must call it; all get the sum.
// Deliberately no multi-block (grid) reduction here: callers use one block per reduced row.
#pragma once

namespace wick::cuda::nn {

template <typename A>
__device__ __forceinline__ A warp_sum(A v) {
  for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
  return v;
}

// Sum of v over the block (blockDim.x a multiple of 32, at most 1024).
template <typename A>
__device__ A block_sum(A v) {
  __shared__ A slots[32];
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = (blockDim.x + 31) / 32;
  v = warp_sum(v);
  __syncthreads();  // slots may still be read by a previous call
  if (lane == 0) slots[warp] = v;
  __syncthreads();
  A r = threadIdx.x < warps ? slots[threadIdx.x] : A(0);
  if (warp == 0) r = warp_sum(r);
  if (threadIdx.x == 0) slots[0] = r;
  __syncthreads();
  return slots[0];
}

}  // namespace wick::cuda::nn

// The CUDA backend's precision switches (include/wick/cuda_matmul.h). They live in the core
// library so code that sets them links with or without wick_cuda; only cuda/ reads them.
#include <atomic>

#include "wick/cuda_matmul.h"

namespace wick::cuda {

namespace {
std::atomic<bool> matmul_tf32{false};
std::atomic<bool> cudnn_tf32{true};
}  // namespace

void set_allow_tf32(bool allow) { matmul_tf32.store(allow, std::memory_order_relaxed); }
bool allow_tf32() { return matmul_tf32.load(std::memory_order_relaxed); }
void set_cudnn_allow_tf32(bool allow) { cudnn_tf32.store(allow, std::memory_order_relaxed); }
bool cudnn_allow_tf32() { return cudnn_tf32.load(std::memory_order_relaxed); }

}  // namespace wick::cuda

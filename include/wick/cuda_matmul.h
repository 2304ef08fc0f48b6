// Precision switches of the CUDA backend's library calls, as torch.backends: TF32 tensor cores for
// float32 matmuls (torch.backends.cuda.matmul.allow_tf32, off by default) and for cuDNN
// convolutions (torch.backends.cudnn.allow_tf32, on by default). Plain flags: no CUDA headers, and
// they exist (with no effect) when the CUDA backend is not built.
#pragma once

namespace wick::cuda {

void set_allow_tf32(bool allow);
bool allow_tf32();
void set_cudnn_allow_tf32(bool allow);
bool cudnn_allow_tf32();

}  // namespace wick::cuda

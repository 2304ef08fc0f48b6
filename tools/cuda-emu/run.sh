#!/usr/bin/env bash
# Runs cuda-nn's kernels on the CPU, without a GPU, against the CPU backend (a development aid, not
# part of the test suite): the kernel bodies are cut out of cuda/*.cu and compiled as plain C++
# with shim_*.h standing in for CUDA (each block's threads as std::threads, __syncthreads as a
# barrier, block_sum through a shared accumulator). It checks index math and formulas in float64;
# blas_emu puts a column-major reference GEMM with cuBLAS's leading-dimension rules behind
# blas.cpp's argument mapping; conv_pad_emu checks conv.cpp's explicitly padded input on the
# CPU convolution. It cannot see warp shuffles, half types, launch limits or cuDNN.
# Needs build/libwick.a (any configuration). Usage: tools/cuda-emu/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# cut FILE FROM TO: the lines of FILE from the one starting with FROM up to (not including) TO.
cut_src() { awk -v s="$2" -v e="$3" 'index($0,s)==1{f=1} f&&index($0,e)==1{exit} f' "$1"; }
cut_src cuda/pool.cu "// Geometry of the three" "}  // namespace" > "$out/pool_kernels.inc"
cut_src cuda/batch_norm.cu "struct BnDims {" "}  // namespace" > "$out/bn.inc"
cut_src cuda/layer_norm.cu "constexpr int kRowThreads" "}  // namespace" > "$out/ln.inc"
cut_src cuda/dropout.cu "// The device twin" "}  // namespace" > "$out/dropout.inc"
cut_src cuda/nll_loss.cu "constexpr int kReduceThreads" "}  // namespace" > "$out/nll.inc"
cut_src cuda/ctc_loss.cu "constexpr int kCtcThreads" "// Copies the per-item" > "$out/ctc.inc"
cut_src cuda/blas.cpp "// One (B, R, C) operand" "}  // namespace" > "$out/blas.inc"
cut_src cuda/conv.cpp "// Spatial axis d of x" "// Whether cuDNN" > "$out/conv_axis.inc"
cut_src cuda/conv.cpp "// ---- asymmetric padding" "bool any_empty(" > "$out/conv_pad.inc"
cut_src cuda/optim_step.cu "template <typename T>" "T* slot(" | head -n -1 > "$out/optim.inc"
for t in pool_emu nn_emu blas_emu conv_pad_emu; do
  g++ -std=c++20 -O1 -I"$out" -Itools/cuda-emu -Iinclude "tools/cuda-emu/$t.cpp" build/libwick.a -lpthread -o "$out/$t"
  echo "$t: $("$out/$t" | tail -1)"
done

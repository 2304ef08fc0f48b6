#!/usr/bin/env bash
# GPU benchmarks (issue 6): build/bench/cuda_bench against tools/bench_torch_cuda.py on the same
# GPU, one line per case: `<case>  wick <ms>  torch <ms>  ratio <torch/wick>` (ratio > 1: Wick is
# faster; for matmul also GFLOP/s). Needs a GPU and a python3 with CUDA PyTorch; builds nothing.
# Environment: BUILD_DIR (default build), WICK_BENCH_REPS (default 20), WICK_BENCH_CASES, PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
REPS=${WICK_BENCH_REPS:-20}
PYTHON=${PYTHON:-python3}
read -r -a CASES <<<"${WICK_BENCH_CASES:-train_resnet18_b128 train_lenet_b256 train_lstm_b256 train_transformer_b32 matmul_8192_f32 matmul_8192_bf16}"
EXE="$BUILD_DIR/bench/cuda_bench"
[[ -x "$EXE" ]] || { echo "run-cuda-bench: $EXE is missing (configure with -DWICK_CUDA=ON -DWICK_BUILD_BENCHMARKS=ON)" >&2; exit 1; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)," \
  "PyTorch $("$PYTHON" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo NA), reps=$REPS"
declare -A wick torch
while read -r name value; do wick[$name]=${value#wick_ms=}; done < <("$EXE" "$REPS" "${CASES[@]}")
if "$PYTHON" -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  while read -r name value; do torch[$name]=${value#torch_ms=}; done < <("$PYTHON" tools/bench_torch_cuda.py "$REPS" "${CASES[@]}")
fi
for c in "${CASES[@]}"; do
  w=${wick[$c]:-NA} t=${torch[$c]:-NA}
  ratio=NA
  [[ $w != NA && $t != NA ]] && ratio=$(awk -v w="$w" -v t="$t" 'BEGIN { printf "%.2f", t / w }')
  extra=""
  if [[ $c == matmul_8192_* && $w != NA ]]; then
    extra=$(awk -v w="$w" -v t="$t" 'BEGIN { f = 2 * 8192^3; printf "  wick_tflops %.1f", f / w / 1e9;
                                             if (t != "NA") printf "  torch_tflops %.1f", f / t / 1e9 }')
  fi
  printf '%-24s wick %s  torch %s  ratio %s%s\n' "$c" "$w" "$t" "$ratio" "$extra"
done

#!/usr/bin/env bash
# `make bench`: times Wick (build/bench/core_bench) and PyTorch (tools/bench_torch.py) on the same
# cases at 1 and 2 threads, alternating rounds of the two, and prints one line per case with the
# medians: `<case> threads=<n> wick_ms=<x> torch_ms=<y> ratio=<torch/wick>` (ratio > 1: Wick is
# faster), plus GFLOP/s and the share of the FMA peak (build/bench/fma_peak) for matmul: by
# wall-clock (wick_peak, against the n-thread peak) and by CPU time received (wick_cpu_peak:
# FLOPs per core-second of CPU time against one core's peak; it leaves out time slices that
# neighbour processes take, so it measures the kernel rather than the machine's load).
# The matmul cases are also timed against the system BLAS in one process (build/bench/matmul_vs_blas:
# `<case> threads=<n> wick_ms=<x> blas_ms=<y> ratio=<blas/wick>`).
# Then the nn layers forward+backward the same way (build/bench/nn_bench against
# tools/bench_torch_nn.py), one training step of each zoo model (build/bench/zoo_bench against
# tools/bench_torch_zoo.py), the peak memory of a ResNet-18 step at batch 32
# (`peak_rss_resnet18_b32 wick_mb=<x> torch_mb=<y> ratio=<torch/wick>`), the optimizer step
# (build/bench/optim_bench, its own ratio lines) and the DataLoader's rate on Fashion-MNIST at
# num_workers 2 against ResNet-18's training rate (`dataloader_vs_resnet18 loader_img_s=<x>
# train_img_s=<y> ratio=<x/y>`; skipped without the data set). PyTorch is skipped (torch_ms=NA)
# when /usr/bin/python3 has no torch. It does not build anything.
#
# Environment: BUILD_DIR (default build), WICK_BENCH_ROUNDS (default 3 rounds per side),
# WICK_BENCH_REPS (default 5 timed repetitions per case and round), WICK_BENCH_CASES and
# WICK_BENCH_NN_CASES and WICK_BENCH_ZOO_CASES (space-separated subsets; empty skips that suite),
# WICK_BENCH_THREADS (default "1 2"), WICK_BENCH_ZOO_ROUNDS and WICK_BENCH_ZOO_REPS (default 3 and 3).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ROUNDS=${WICK_BENCH_ROUNDS:-3}
REPS=${WICK_BENCH_REPS:-5}
read -r -a CASES <<<"${WICK_BENCH_CASES-matmul_1024 matmul_256x4096x1024 add_16M sum_dim1_4096 tiny_chain_100}"
read -r -a NN_CASES <<<"${WICK_BENCH_NN_CASES-conv2d_lenet conv2d_resnet64 conv2d_resnet128s2 maxpool2d batchnorm2d lstm transformer cross_entropy cross_entropy_composite}"
read -r -a THREADS <<<"${WICK_BENCH_THREADS:-1 2}"
CORE="$BUILD_DIR/bench/core_bench"
NN="$BUILD_DIR/bench/nn_bench"
read -r -a ZOO_CASES <<<"${WICK_BENCH_ZOO_CASES-train_lenet_b256 train_lenet_bn_b256 train_resnet18_b32 train_alexnet_b16 train_vgg11_small_b16 train_nin_b16 train_googlenet_b16 train_densenet_b16}"
ZOO="$BUILD_DIR/bench/zoo_bench"
PEAK="$BUILD_DIR/bench/fma_peak"
PYTHON=/usr/bin/python3

for exe in "$CORE" "$PEAK" "$NN" "$ZOO"; do
  [[ -x "$exe" ]] || { echo "run-bench: $exe is missing (build with -DWICK_BUILD_BENCHMARKS=ON)" >&2; exit 1; }
done

# PyTorch at its best (DESIGN.md, "Speed"): passive OpenMP waits, no malloc trimming/re-mapping.
# Wick gets the same environment.
export OMP_WAIT_POLICY=passive MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736

# OpenBLAS picks its kernels from the CPU model, and 0.3.21 (Debian 12) does not know newer ones:
# on an Emerald Rapids Xeon it falls back to its generic "Prescott" kernels and torch.mm runs at a
# tenth of its speed. PyTorch at its best is then OpenBLAS told which kernels to use
# (OPENBLAS_CORETYPE; Debian builds it with every kernel set): try each set the CPU can run, on a
# 1024^3 torch.mm at 1 thread (best of 5), and keep the fastest for all PyTorch runs and the
# in-process check. A caller's own OPENBLAS_CORETYPE is kept as it is.
pick_openblas_core() {
  if [[ -n "${OPENBLAS_CORETYPE:-}" ]]; then
    echo "# OpenBLAS kernels: $OPENBLAS_CORETYPE (OPENBLAS_CORETYPE from the caller)"
    return 0
  fi
  local flags candidates=("") core ms best="" best_ms="" own report=""
  flags=$(grep -m1 '^flags' /proc/cpuinfo)
  [[ " $flags " == *" avx2 "* ]] && candidates+=(Haswell Zen)
  [[ " $flags " == *" avx512f "* ]] && candidates+=(SkylakeX)
  [[ " $flags " == *" avx512_bf16 "* ]] && candidates+=(Cooperlake)
  own=$(OPENBLAS_VERBOSE=2 "$PYTHON" -c 'import torch; torch.mm(torch.ones(2, 2), torch.ones(2, 2))' 2>&1 |
    sed -n 's/^Core: //p' | head -1)
  for core in "${candidates[@]}"; do
    # An empty OPENBLAS_CORETYPE is not the same as none ("Core not found", then a guess).
    ms=$(env ${core:+OPENBLAS_CORETYPE=$core} OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PYTHON" -c '
import time, torch
torch.set_num_threads(1)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
torch.mm(a, b)
best = float("inf")
for _ in range(5):
    t = time.perf_counter(); torch.mm(a, b); best = min(best, time.perf_counter() - t)
print(f"{best * 1e3:.1f}")') || continue
    report+=" ${core:-$own}=${ms}ms"
    if [[ -z "$best_ms" ]] || awk -v a="$ms" -v b="$best_ms" 'BEGIN { exit !(a < b) }'; then
      best=$core best_ms=$ms
    fi
  done
  if [[ -n "$best" ]]; then export OPENBLAS_CORETYPE=$best; fi
  echo "# OpenBLAS kernels: ${best:-$own} (its own pick: ${own:-unknown}; 1024^3 at 1 thread:$report)"
}

have_torch=0
if [[ -x "$PYTHON" ]] && "$PYTHON" -c 'import torch' 2>/dev/null; then have_torch=1; fi
if [[ $have_torch == 1 ]]; then
  blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)
  echo "# PyTorch $("$PYTHON" -c 'import torch; print(torch.__version__)') with BLAS $blas"
  [[ "$blas" == *openblas* ]] || echo "# WARNING: PyTorch is not using OpenBLAS; its matmul times are not a fair baseline"
  [[ "$blas" == *openblas* ]] && pick_openblas_core
else
  echo "# PyTorch not found for $PYTHON: torch_ms=NA"
fi
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "rounds=$ROUNDS reps=$REPS"

minimum() { tr ',' '\n' | awk 'NF' | sort -g | head -1; }
median() { tr ',' '\n' | awk 'NF' | sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "NA"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.4f\n", (v[NR/2]+v[NR/2+1])/2}'; }
flops_of() {
  case "$1" in
    matmul_1024) echo $((2 * 1024 * 1024 * 1024)) ;;
    matmul_256x4096x1024) echo $((2 * 256 * 4096 * 1024)) ;;
    *) echo 0 ;;
  esac
}

declare -A peak wick wick_cpu torch
core_peak=0
for t in "${THREADS[@]}"; do
  line=$("$PEAK" "$t")
  echo "# $line"
  peak[$t]=$(sed -n 's/.* gflops=\([0-9.]*\).*/\1/p' <<<"$line")
  core_peak=$(awk -v a="$core_peak" -v b="$(sed -n 's/.*core_gflops=\([0-9.]*\).*/\1/p' <<<"$line")" 'BEGIN { print (b > a ? b : a) }')
done

# One process per side and round runs every case; its lines are `<case> wick_ms=a,b,... [wick_cpu_ms=...]`.
collect() {  # collect <key prefix> <output>
  local c f
  while read -r c f; do
    for f in $f; do
      case "$f" in
        wick_ms=*) wick[$1:$c]+=",${f#*=}" ;;
        wick_cpu_ms=*) wick_cpu[$1:$c]+=",${f#*=}" ;;
        torch_ms=*) torch[$1:$c]+=",${f#*=}" ;;
      esac
    done
  done <<<"$2"
}

# The suite being run: Wick's program, PyTorch's script, the cases.
SUITE_EXE="" SUITE_TORCH="" SUITE_CASES=()
run_wick() { collect "$1" "$(OMP_NUM_THREADS=$1 "$SUITE_EXE" "$1" "$REPS" "${SUITE_CASES[@]}")"; }
run_torch() {
  [[ $have_torch == 1 ]] || return 0
  collect "$1" "$(OMP_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$1 "$PYTHON" "$SUITE_TORCH" "$1" "$REPS" "${SUITE_CASES[@]}")"
}

run_suite() {  # run_suite <wick program> <torch script> <case>...
  SUITE_EXE=$1 SUITE_TORCH=$2
  shift 2
  SUITE_CASES=("$@")
  ((${#SUITE_CASES[@]})) || return 0
  for t in "${THREADS[@]}"; do
    for ((r = 0; r < ROUNDS; ++r)); do
      # Alternate which side goes first, so a neighbour's load spike hits both alike.
      if ((r % 2 == 0)); then run_wick "$t"; run_torch "$t"; else run_torch "$t"; run_wick "$t"; fi
    done
  done
  report "${SUITE_CASES[@]}"
}

report() {  # one line per case and thread count, from the collected times
  for c in "$@"; do
    for t in "${THREADS[@]}"; do
      wm=$(median <<<"${wick[$t:$c]:-}")
      wb=$(minimum <<<"${wick[$t:$c]:-}")
      wc=$(median <<<"${wick_cpu[$t:$c]:-}")
      pm=NA
      [[ $have_torch == 1 ]] && pm=$(median <<<"${torch[$t:$c]:-}")
      out="$c threads=$t wick_ms=$wm torch_ms=$pm"
      out+=$(awk -v w="$wm" -v p="$pm" 'BEGIN { if (p == "NA") printf " ratio=NA"; else printf " ratio=%.2f", p / w }')
      f=$(flops_of "$c")
      if [[ $f != 0 ]]; then
        # wick_best_peak: the fastest repetition, for a machine whose neighbours steal time slices.
        out+=$(awk -v f="$f" -v w="$wm" -v b="$wb" -v cm="$wc" -v cp="$core_peak" -v p="$pm" -v pk="${peak[$t]}" 'BEGIN {
          wg = f / (w * 1e6); printf " wick_gflops=%.1f wick_peak=%.0f%% wick_best_peak=%.0f%%", wg, 100 * wg / pk, 100 * f / (b * 1e6) / pk
          printf " wick_cpu_peak=%.0f%%", 100 * f / (cm * 1e6) / cp
          if (p != "NA") { pg = f / (p * 1e6); printf " torch_gflops=%.1f torch_peak=%.0f%%", pg, 100 * pg / pk }
          printf " fma_peak_gflops=%s fma_core_gflops=%s", pk, cp }')
      fi
      echo "$out"
    done
  done
}

run_suite "$CORE" tools/bench_torch.py ${CASES[@]+"${CASES[@]}"}

# The matmul cases again against the system BLAS (the library PyTorch calls) in one process, both
# timed back to back each round, so that both see the same neighbours. OpenBLAS's idle threads
# otherwise spin for a while after each call, on the cores Wick's threads need next:
# OPENBLAS_THREAD_TIMEOUT=4 puts them to sleep at once (waking them costs microseconds a call).
VS_BLAS="$BUILD_DIR/bench/matmul_vs_blas"
MATMUL_CASES=()
for c in ${CASES[@]+"${CASES[@]}"}; do [[ $c == matmul_* ]] && MATMUL_CASES+=("$c"); done
if [[ -x "$VS_BLAS" ]] && ((${#MATMUL_CASES[@]})); then
  echo "# matmul against the system BLAS in one process, 20 rounds (ratio: median of blas/wick per round)"
  for t in "${THREADS[@]}"; do
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t OPENBLAS_THREAD_TIMEOUT=4 "$VS_BLAS" "$t" 20 "${MATMUL_CASES[@]}"
  done
fi

run_suite "$NN" tools/bench_torch_nn.py ${NN_CASES[@]+"${NN_CASES[@]}"}

if ((${#ZOO_CASES[@]})); then
  ROUNDS=${WICK_BENCH_ZOO_ROUNDS:-3} REPS=${WICK_BENCH_ZOO_REPS:-3}
  echo "# zoo: one training step (forward, cross entropy, backward, SGD), rounds=$ROUNDS reps=$REPS"
  run_suite "$ZOO" tools/bench_torch_zoo.py "${ZOO_CASES[@]}"
  # Peak memory: the resident set's growth over 3 steps, the median of 3 runs per side.
  wmb=() tmb=()
  for ((r = 0; r < 3; ++r)); do
    wmb+=("$(OMP_NUM_THREADS=1 "$ZOO" --peak-rss resnet18 32 | sed -n 's/peak_rss_mb=//p')")
    [[ $have_torch == 1 ]] && tmb+=("$(OMP_NUM_THREADS=1 "$PYTHON" tools/bench_torch_zoo.py --peak-rss resnet18 32 | sed -n 's/peak_rss_mb=//p')")
  done
  wm=$(IFS=,; median <<<"${wmb[*]}")
  tm=NA
  [[ $have_torch == 1 ]] && tm=$(IFS=,; median <<<"${tmb[*]}")
  echo "peak_rss_resnet18_b32 wick_mb=$wm torch_mb=$tm$(awk -v w="$wm" -v p="$tm" 'BEGIN { if (p == "NA") printf " ratio=NA"; else printf " ratio=%.2f", p / w }')"
fi

if [[ -x "$BUILD_DIR/bench/optim_bench" ]]; then
  echo "# optimizer step over ResNet-18's parameters"
  "$BUILD_DIR/bench/optim_bench" "${THREADS[@]}"
fi

if [[ -x "$BUILD_DIR/bench/data_bench" && -d /usr/share/datasets/fashion-mnist ]]; then
  echo "# DataLoader: Resize(96) + ToTensor, batch 128, shuffled, num_workers 2"
  line=$("$BUILD_DIR/bench/data_bench" 2 3 100 | grep '^fashion_mnist')
  echo "$line"
  loader=$(sed -n 's/.*images_per_s=\([0-9.,]*\).*/\1/p' <<<"$line" | median)
  # ResNet-18's rate from the zoo's batch-32 step at the highest thread count measured.
  t=${THREADS[-1]}
  step_ms=$(median <<<"${wick[$t:train_resnet18_b32]:-}")
  if [[ $step_ms != NA ]]; then
    awk -v l="$loader" -v s="$step_ms" 'BEGIN { tr = 32000 / s; printf "dataloader_vs_resnet18 loader_img_s=%.0f train_img_s=%.1f ratio=%.0f\n", l, tr, l / tr }'
  fi
fi

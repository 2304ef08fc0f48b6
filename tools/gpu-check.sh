#!/usr/bin/env bash
# Builds Wick with the CUDA backend for this machine's GPU, runs every CUDA test suite (Cuda*) and the
# GPU benchmark (bench/cuda_core_bench, and PyTorch's times for the same cases), and prints a summary. Made for the lent GPU machine (the device tool), which has
# nvcc, CMake, ninja and PyTorch (with pip's cuDNN) but no Debian -dev packages: what is missing there
# comes from .deps/, which `tools/gpu-check.sh --pack-deps` fills on a Debian machine beforehand.
#
#   tools/gpu-check.sh --pack-deps   (here) copy Eigen, GoogleTest's sources and zlib's headers to .deps/
#   tools/gpu-check.sh               (on the GPU machine) configure, build, test, bench, summarise
#
# Device tool call: run {command: "tools/gpu-check.sh", carry: [".deps"], timeout_s: 600}.
# Variables: BUILD_DIR (build-gpu), JOBS (nproc), GTEST_FILTER (Cuda*), CUDA_ARCH (native),
# DRY_RUN=1 (print the configure command and stop), OUT (logs are copied there).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DEPS=$ROOT/.deps

if [[ "${1:-}" == --pack-deps ]]; then
  set -e
  rm -rf "$DEPS" && mkdir -p "$DEPS/eigen3/include" "$DEPS/eigen3/cmake" "$DEPS/zlib/include"
  cp -r /usr/include/eigen3 "$DEPS/eigen3/include/"
  # A minimal package file: Eigen3::Eigen pointing at the copied headers, wherever .deps lands.
  cat > "$DEPS/eigen3/cmake/Eigen3Config.cmake" <<'EOF'
if(NOT TARGET Eigen3::Eigen)
  add_library(Eigen3::Eigen INTERFACE IMPORTED)
  set_target_properties(Eigen3::Eigen PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_CURRENT_LIST_DIR}/../include/eigen3")
endif()
set(Eigen3_FOUND TRUE)
EOF
  ver=$(sed -n 's/^#define EIGEN_\(WORLD\|MAJOR\|MINOR\)_VERSION \([0-9]*\)/\2/p' /usr/include/eigen3/Eigen/src/Core/util/Macros.h | paste -sd.)
  cat > "$DEPS/eigen3/cmake/Eigen3ConfigVersion.cmake" <<EOF
set(PACKAGE_VERSION "$ver")
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
EOF
  cp -r /usr/src/googletest "$DEPS/googletest-src"
  cp /usr/include/zlib.h /usr/include/zconf.h "$DEPS/zlib/include/" 2>/dev/null ||
    cp /usr/include/zlib.h /usr/include/x86_64-linux-gnu/zconf.h "$DEPS/zlib/include/"
  grep -qxF '/.deps/' .git/info/exclude 2>/dev/null || echo '/.deps/' >> "$(git rev-parse --git-path info/exclude)"
  du -sh "$DEPS"
  echo "gpu-check: .deps ready; carry it: run {command: \"tools/gpu-check.sh\", carry: [\".deps\"]}"
  exit 0
fi

BUILD_DIR=${BUILD_DIR:-build-gpu}
JOBS=${JOBS:-$(nproc)}
GTEST_FILTER=${GTEST_FILTER:-Cuda*}
LOG=$ROOT/$BUILD_DIR-logs
mkdir -p "$LOG"
start=$(date +%s)
say() { echo "== gpu-check: $*"; }
stage() { echo "$(( $(date +%s) - start )) s: $*" >> "$LOG/stages.txt"; say "$*"; }

say "machine: $(nproc) cores; $(uname -m)"
nvidia-smi -L 2>&1 | head -4 || say "nvidia-smi: not found"
NVCC=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)
[[ -n "$NVCC" ]] || { say "FAIL: no nvcc"; exit 1; }
"$NVCC" --version | tail -1
cmake --version | head -1

args=(-DWICK_CUDA=ON -DWICK_WERROR=OFF -DWICK_BUILD_TESTS=ON -DWICK_BUILD_BENCHMARKS=ON -DWICK_BUILD_EXAMPLES=OFF
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_COMPILER="$NVCC" -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCH:-native}")
command -v ninja >/dev/null && args+=(-G Ninja)
libpath=()

# cuDNN: the toolkit's, else pip's nvidia-cudnn (headers and libcudnn.so.9 inside the wheel).
cuda_root=$(dirname "$(dirname "$(readlink -f "$NVCC")")")
if [[ ! -f "$cuda_root/include/cudnn.h" && ! -f /usr/include/cudnn.h ]]; then
  cudnn_dir=$(python3 -c 'import nvidia.cudnn as m; print(list(m.__path__)[0])' 2>/dev/null || true)
  if [[ -n "$cudnn_dir" && -f "$cudnn_dir/include/cudnn.h" ]]; then
    lib=$(ls "$cudnn_dir"/lib/libcudnn.so* 2>/dev/null | head -1)
    say "cuDNN from pip: $cudnn_dir ($lib)"
    args+=(-DWICK_CUDNN_INCLUDE_DIR="$cudnn_dir/include" -DWICK_CUDNN_LIBRARY="$lib")
    libpath+=("$cudnn_dir/lib")
  else
    say "WARNING: no cudnn.h found (toolkit or pip); configure will fail"
  fi
fi
# cuBLAS: the toolkit's; report where it is (pip's nvidia-cublas is the fallback to try by hand).
ls "$cuda_root"/lib64/libcublas.so* "$cuda_root"/targets/*/lib/libcublas.so* 2>/dev/null | head -2 ||
  say "WARNING: no libcublas in $cuda_root"

# Eigen, GoogleTest, zlib: the system's, else .deps/.
if [[ ! -d /usr/include/eigen3 && ! -d /usr/local/include/eigen3 ]]; then
  [[ -d "$DEPS/eigen3" ]] || { say "FAIL: no Eigen; run tools/gpu-check.sh --pack-deps here first and carry .deps"; exit 1; }
  args+=(-DEigen3_DIR="$DEPS/eigen3/cmake")
fi
have_gtest=0
for f in /usr/lib/*/cmake/GTest/GTestConfig.cmake /usr/lib/cmake/GTest/GTestConfig.cmake \
         /usr/local/lib*/cmake/GTest/GTestConfig.cmake; do
  [[ -f "$f" ]] && have_gtest=1
done
if [[ $have_gtest == 0 ]]; then
  [[ -d "$DEPS/googletest-src" ]] || { say "FAIL: no GoogleTest; carry .deps"; exit 1; }
  stage "building GoogleTest from .deps"
  cmake -S "$DEPS/googletest-src" -B /tmp/gtest-build -DCMAKE_INSTALL_PREFIX=/tmp/gtest -DBUILD_GMOCK=OFF \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_POLICY_VERSION_MINIMUM=3.5 > "$LOG/gtest.txt" 2>&1 &&
    cmake --build /tmp/gtest-build -j"$JOBS" --target install >> "$LOG/gtest.txt" 2>&1 ||
    { say "FAIL: GoogleTest build (see $LOG/gtest.txt)"; tail -20 "$LOG/gtest.txt"; exit 1; }
  args+=(-DGTest_DIR=/tmp/gtest/lib/cmake/GTest)
  [[ -d /tmp/gtest/lib64 ]] && args+=(-DGTest_DIR=/tmp/gtest/lib64/cmake/GTest)
fi
if [[ ! -f /usr/include/zlib.h ]]; then
  zlib_so=$(ldconfig -p 2>/dev/null | awk '/libz\.so\.1 .*x86-64/ {print $NF; exit}')
  [[ -n "$zlib_so" && -d "$DEPS/zlib" ]] || { say "FAIL: no zlib headers/library"; exit 1; }
  args+=(-DZLIB_INCLUDE_DIR="$DEPS/zlib/include" -DZLIB_LIBRARY="$zlib_so")
fi
if ((${#libpath[@]})); then export LD_LIBRARY_PATH="$(IFS=:; echo "${libpath[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; fi

if [[ "${DRY_RUN:-0}" == 1 ]]; then
  echo "cmake -S . -B $BUILD_DIR ${args[*]}"
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  exit 0
fi
stage "configure"
cmake -S . -B "$BUILD_DIR" "${args[@]}" > "$LOG/configure.txt" 2>&1 ||
  { say "FAIL: configure"; tail -40 "$LOG/configure.txt"; exit 1; }
grep "Wick:" "$LOG/configure.txt"
stage "build wick_cuda"
cmake --build "$BUILD_DIR" -j"$JOBS" --target wick_cuda > "$LOG/build_cuda.txt" 2>&1 ||
  { say "FAIL: wick_cuda build"; grep -E "error|Error" "$LOG/build_cuda.txt" | head -40; exit 1; }
stage "build wick_tests"
cmake --build "$BUILD_DIR" -j"$JOBS" --target wick_tests > "$LOG/build_tests.txt" 2>&1 ||
  { say "FAIL: wick_tests build"; grep -E "error|Error" "$LOG/build_tests.txt" | head -40; exit 1; }

stage "tests: $GTEST_FILTER"
timeout "${TEST_TIMEOUT:-300}" "$BUILD_DIR/tests/wick_tests" --gtest_filter="$GTEST_FILTER" --gtest_color=no \
  > "$LOG/tests.txt" 2>&1
test_rc=$?
if ((test_rc > 1)); then  # a crash or the timeout: show where it stopped
  say "wick_tests ended with status $test_rc (124: timeout, >128: signal); its last lines:"
  tail -25 "$LOG/tests.txt"
fi
grep -E "^\[  (FAILED|SKIPPED) |^\[  PASSED|tests ran|Failure|error:|Expected|Which is|element " "$LOG/tests.txt" | head -80

# Benchmarks last: a failure there does not hide the test results above.
stage "benchmarks"
if cmake --build "$BUILD_DIR" -j"$JOBS" --target bench_cuda_core_bench > "$LOG/build_bench.txt" 2>&1; then
  "$BUILD_DIR/bench/cuda_core_bench" 2>&1 | tee "$LOG/bench.txt"
else
  say "bench build failed (see $LOG/build_bench.txt)"
fi
[[ -f tools/bench_torch_cuda_core.py ]] && python3 tools/bench_torch_cuda_core.py 2>&1 | tee -a "$LOG/bench.txt"
# One line per case: ratio = torch_ms / wick_ms (above 1: Wick is faster).
awk '{ split($2, kv, "="); if (kv[1] == "wick_ms") w[$1] = kv[2]; else if (kv[1] == "torch_ms") t[$1] = kv[2] }
     END { for (c in w) if (c in t && w[c] > 0) printf "%s wick_ms=%s torch_ms=%s ratio=%.2f\n", c, w[c], t[c], t[c] / w[c] }' \
  "$LOG/bench.txt" 2>/dev/null | sort | tee "$LOG/bench_ratio.txt"

# The training-step and matmul cases (bench/cuda_bench.cpp against tools/bench_torch_cuda.py).
if cmake --build "$BUILD_DIR" -j"$JOBS" --target bench_cuda_bench > "$LOG/build_bench2.txt" 2>&1; then
  BUILD_DIR="$BUILD_DIR" timeout "${BENCH_TIMEOUT:-240}" tools/run-cuda-bench.sh 2>&1 | tee "$LOG/bench_training.txt"
else
  say "cuda_bench build failed (see $LOG/build_bench2.txt)"
fi

stage "done"
say "summary: tests rc=$test_rc; $(grep -cE '^\[       OK \]' "$LOG/tests.txt") passed," \
    "$(grep -cE '^\[  FAILED  \] [A-Za-z]' "$LOG/tests.txt") failed lines," \
    "$(grep -cE '^\[  SKIPPED \] [A-Za-z]' "$LOG/tests.txt") skipped; logs in $LOG"
cat "$LOG/stages.txt"
if [[ -n "${OUT:-}" ]]; then
  tar czf "$OUT/gpu-check-logs.tgz" -C "$ROOT" "$(basename "$LOG")" 2>/dev/null && say "logs: \$OUT/gpu-check-logs.tgz"
fi
exit $test_rc

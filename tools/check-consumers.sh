#!/usr/bin/env bash
# Consumer check: builds tests/consumer/ against Wick three ways, as a user would:
#   1. cmake --install into a temporary prefix, then find_package(Wick) from there;
#   2. add_subdirectory(<this repository>);
#   3. FetchContent from a tarball of this working tree.
# Each consumer program must build and run. Uses the working tree (tracked and untracked files).
set -euo pipefail

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wick-consumers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
consumer=$repo/tests/consumer
# Wick's own options for every build below: library only.
wick_args=(-DWICK_BUILD_TESTS=OFF -DWICK_BUILD_EXAMPLES=OFF -DWICK_BUILD_BENCHMARKS=OFF)

step() { echo; echo "== check-consumers: $*"; }
fail() { echo "check-consumers: FAIL: $*" >&2; exit 1; }

step "1/3 install into $tmp/prefix, then find_package(Wick)"
cmake -S "$repo" -B "$tmp/wick-build" -DCMAKE_INSTALL_PREFIX="$tmp/prefix" "${wick_args[@]}" \
  >"$tmp/configure.log" || { cat "$tmp/configure.log"; fail "configuring Wick"; }
cmake --build "$tmp/wick-build" -j"$jobs"
cmake --install "$tmp/wick-build" >/dev/null
config=$(find "$tmp/prefix" -name WickConfig.cmake | head -n1)
[[ -n "$config" ]] || fail "no WickConfig.cmake installed"
for f in "$(dirname "$config")"/WickConfigVersion.cmake "$(dirname "$config")"/WickTargets.cmake; do
  [[ -f "$f" ]] || fail "not installed: $f"
done
[[ -f "$tmp/prefix/include/wick/wick.h" ]] || fail "include/wick/wick.h not installed"
find "$tmp/prefix" -name libwick.a | grep -q . || fail "libwick.a not installed"
if grep -rlE 'Eigen3|eigen3' "$(dirname "$config")"; then fail "the installed package needs Eigen"; fi
if grep -rlE '#\s*include\s*[<"]Eigen/' "$tmp/prefix/include"; then
  fail "installed headers include Eigen"
fi
cmake -S "$consumer" -B "$tmp/consumer-package" -DWICK_CONSUMER_MODE=package \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/consumer-package" -j"$jobs"
"$tmp/consumer-package/consumer" || fail "consumer (find_package) did not run"

step "2/3 add_subdirectory($repo)"
cmake -S "$consumer" -B "$tmp/consumer-subdir" -DWICK_CONSUMER_MODE=subdirectory \
  -DWICK_SOURCE_DIR="$repo" >/dev/null
cmake --build "$tmp/consumer-subdir" -j"$jobs"
[[ ! -e "$tmp/consumer-subdir/wick/tests" ]] || fail "add_subdirectory built Wick's tests"
"$tmp/consumer-subdir/consumer" || fail "consumer (add_subdirectory) did not run"

step "3/3 FetchContent from a tarball of the working tree"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
   xargs -0 -I{} sh -c '[ -e "$1" ] && printf "%s\0" "$1"' _ {} |
   tar --null -T - --transform 's,^,wick/,' -czf "$tmp/wick.tar.gz")
cmake -S "$consumer" -B "$tmp/consumer-fetch" -DWICK_CONSUMER_MODE=fetchcontent \
  -DWICK_ARCHIVE="$tmp/wick.tar.gz" >/dev/null
cmake --build "$tmp/consumer-fetch" -j"$jobs"
"$tmp/consumer-fetch/consumer" || fail "consumer (FetchContent) did not run"

echo
echo "check-consumers: PASS (find_package, add_subdirectory, FetchContent)"

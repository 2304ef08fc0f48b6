#!/usr/bin/env bash
# Installs the Debian packages Wick needs to build and test, and only those that are missing.
# Silent when everything is there. It does not touch pip, conda or anything outside apt.
#
#   tools/install-deps.sh            build + test dependencies
#   tools/install-deps.sh --bench    ... plus the PyTorch baseline for benchmarks
#   tools/install-deps.sh --data     ... plus the Fashion-MNIST data set for the demo
#
# WICK_SKIP_DEPS=1 skips the check entirely (for machines where you manage packages yourself).
set -euo pipefail

# The one list of packages.
PACKAGES=(build-essential cmake pkg-config libeigen3-dev libgtest-dev libbenchmark-dev
          zlib1g-dev libstb-dev)
BENCH_PACKAGES=(python3-torch libopenblas0-pthread)
DATA_PACKAGES=(dataset-fashion-mnist)

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }

wanted=("${PACKAGES[@]}")
for arg in "$@"; do
  case "$arg" in
    --bench) wanted+=("${BENCH_PACKAGES[@]}") ;;
    --data) wanted+=("${DATA_PACKAGES[@]}") ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-deps: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ "${WICK_SKIP_DEPS:-0}" == 1 ]]; then
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: not a Debian-based system; install these (or their equivalents) yourself:" >&2
  echo "  ${wanted[*]}" >&2
  exit 0
fi

# A package counts as present only when it is fully installed (not merely unpacked).
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: not root and no sudo; run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
apt_get=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600)
if ! "${apt_get[@]}" update -qq; then
  echo "install-deps: 'apt-get update' failed (network or apt sources?)" >&2
  exit 1
fi
if ! "${apt_get[@]}" install -y --no-install-recommends "${missing[@]}"; then
  echo "install-deps: could not install: ${missing[*]}" >&2
  exit 1
fi

#!/usr/bin/env bash
# Build-time guard: including wick/wick.h must not instantiate ModuleHolder's in-place
# constructor. An inline holder constructor (Linear(in, out, options) { ... } in a header) does,
# with make_shared and the clone() factory, and that cost every file including nn.h about 3 s of
# compile time; such constructors belong in the module's .cpp (see holder.h).
# usage: check_inline_holders.sh <C++ compiler> <include dir>
set -euo pipefail
cxx=$1 inc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include "wick/wick.h"\n' >"$tmp/t.cpp"
# -fkeep-inline-functions emits every inline function, so templates instantiated only from
# inline bodies in headers show up in the object's symbols.
"$cxx" -std=c++20 -O0 -fkeep-inline-functions -I"$inc" -c "$tmp/t.cpp" -o "$tmp/t.o"
found=$(nm -C "$tmp/t.o" | grep -E 'ModuleHolder<[^ ]*>::ModuleHolder<.*std::in_place_t' |
  sed -E 's/.*ModuleHolder<([^ ]*)>::ModuleHolder<.*/\1/' | sort -u || true)
if [[ -n $found ]]; then
  echo "wick/wick.h instantiates these holders' constructors (define them in the module's .cpp):"
  echo "$found"
  exit 1
fi
echo "ok: wick/wick.h instantiates no holder constructor"

#!/usr/bin/env bash
# Fresh-machine check: do the README's two commands work on a bare Debian 12 that has only `make`?
# Builds (once, cached) a minbase bookworm chroot with debootstrap, copies a clean
# `git archive HEAD` of this repository into a throwaway copy of it, and runs `make test` and then
# `make demo` there. Prints PASS or FAIL. Needs root (uses sudo otherwise) and the host's apt mirror.
#
#   tools/check-fresh-debian.sh              test HEAD
#   tools/check-fresh-debian.sh --rev=REV    test another commit (or tree)
#   tools/check-fresh-debian.sh --worktree   test the working tree (tracked + untracked files)
#   tools/check-fresh-debian.sh --prepare    only build the cached base chroot
#   tools/check-fresh-debian.sh --keep       keep the run chroot afterwards (for a look inside)
#   tools/check-fresh-debian.sh --no-demo    run `make test` only (the demo trains for minutes)
#
# WICK_CHROOT_DIR (default /var/tmp/wick-chroot) holds base/ (cached), run/ and apt-archives/
# (downloaded .debs, reused across runs; every run still installs from scratch).
set -euo pipefail

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
top=${WICK_CHROOT_DIR:-/var/tmp/wick-chroot}
base=$top/base
run=$top/run
suite=bookworm
source_mode=rev rev=HEAD prepare_only=0 keep=0 demo=1
for arg in "$@"; do
  case "$arg" in
    --worktree) source_mode=worktree ;;
    --rev=*) source_mode=rev rev=${arg#--rev=} ;;
    --prepare) prepare_only=1 ;;
    --keep) keep=1 ;;
    --no-demo) demo=0 ;;
    -h|--help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "check-fresh-debian: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "check-fresh-debian: needs root (no sudo found)" >&2; exit 1; }
  exec sudo --preserve-env=WICK_CHROOT_DIR "$0" "$@"
fi

log() { echo "check-fresh-debian: $*"; }

# The Debian mirror the host uses (the network may reach only that one).
host_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
        grep -E '/debian/?$' | head -n1 || true)
  if [[ -z "$uri" ]]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
          awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|ftp):/) { print $i; break } }' |
          grep -E '/debian/?$' | head -n1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# Same apt sources and network settings (Acquire::*) as the host.
copy_apt_config() {
  local root=$1 f
  rm -f "$root"/etc/apt/sources.list.d/*
  if [[ -f /etc/apt/sources.list ]]; then cp /etc/apt/sources.list "$root/etc/apt/"; fi
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && cp "$f" "$root/etc/apt/sources.list.d/"
  done
  for f in /etc/apt/apt.conf.d/*; do
    if [[ -f "$f" ]] && grep -q '^Acquire::' "$f" && ! grep -q 'Invoke' "$f"; then
      cp "$f" "$root/etc/apt/apt.conf.d/"
    fi
  done
  cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  # No services start inside the chroot.
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
}

mounted=()
mount_into() {  # mount_into ROOT: /proc, /sys, /dev, /dev/pts and the shared apt archive
  local root=$1
  mkdir -p "$top/apt-archives/partial"
  mount -t proc proc "$root/proc" && mounted+=("$root/proc")
  mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
  mount --bind /dev "$root/dev" && mounted+=("$root/dev")
  mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")
  mount --bind "$top/apt-archives" "$root/var/cache/apt/archives" &&
    mounted+=("$root/var/cache/apt/archives")
}
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  mounted=()
  if [[ $keep -eq 0 && -d "$run" ]]; then rm -rf --one-file-system "$run"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_chroot() {  # in_chroot ROOT COMMAND...: a clean environment, as on a fresh login
  local root=$1; shift
  chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

# 1. The cached base: debootstrap --variant=minbase, then `make` and nothing else.
if [[ ! -f "$base/.wick-base-ready" ]]; then
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap on the host"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
  fi
  mirror=$(host_mirror)
  log "debootstrap --variant=minbase $suite $base $mirror (takes a few minutes)"
  rm -rf --one-file-system "$base"
  mkdir -p "$top"
  debootstrap --variant=minbase "$suite" "$base" "$mirror"
  copy_apt_config "$base"
  mount_into "$base"
  in_chroot "$base" apt-get update -q
  in_chroot "$base" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends make
  cleanup
  touch "$base/.wick-base-ready"
  log "base chroot ready in $base"
fi
[[ $prepare_only -eq 1 ]] && exit 0

# 2. A throwaway copy of the base with the repository in /src.
log "preparing $run"
rm -rf --one-file-system "$run"
cp -a "$base" "$run"
copy_apt_config "$run"
mkdir -p "$run/src"
if [[ $source_mode == rev ]]; then
  log "copying git archive $rev ($(git -C "$repo" rev-parse --short "$rev"))"
  git -C "$repo" archive --format=tar "$rev" | tar -x -C "$run/src"
else
  log "copying the working tree (tracked and untracked, not ignored)"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard |
     xargs -0 -I{} sh -c '[ -e "$1" ] && printf "%s\0" "$1"' _ {} |
     tar --null -T - -cf -) | tar -x -C "$run/src"
fi
mount_into "$run"

# 3. The README's commands, as a new user would run them.
run_step() {  # run_step TARGET
  local start
  log "running 'make $1' in the chroot"
  start=$(date +%s)
  if in_chroot "$run" bash -c "cd /src && make $1"; then
    log "make $1 passed in $(( $(date +%s) - start )) s"
  else
    log "make $1 failed after $(( $(date +%s) - start )) s"
    echo "FAIL"
    exit 1
  fi
}
run_step test
[[ $demo -eq 1 ]] && run_step demo
echo "PASS"

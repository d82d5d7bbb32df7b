#!/bin/bash
# Install every Debian package the harness needs; a no-op when present.
# clang-14 + libclang-rt-14-dev: libFuzzer and the sanitizers (make fuzz);
# llvm-14: llvm-symbolizer for their reports; valgrind: make callgrind;
# git, diffstat, patch: the cover letter and git am checks (make cover-letter,
# make mbox); trinity: the syscall fuzzer of make kasan's trinity plan.
set -euo pipefail
PKGS=(linux-source-6.1 quilt sparse coccinelle qemu-system-x86 busybox-static
      linux-perf gdb gcc make bc flex bison libelf-dev libssl-dev cpio ccache
      python3 python3-docutils spin xz-utils perl libc6-dev
      clang-14 libclang-rt-14-dev llvm-14 valgrind git diffstat patch trinity)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "[hwbp] installing: ${missing[*]}" >&2
[ "$(id -u)" = 0 ] || { echo "[hwbp] error: need root for apt-get" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

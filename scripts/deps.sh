#!/bin/bash
# Install every Debian package the harness needs; a no-op when present.
# clang-14 + libclang-rt-14-dev: libFuzzer and the sanitizers (make fuzz);
# llvm-14: llvm-symbolizer for their reports; valgrind: make callgrind;
# git, diffstat, patch: the cover letter and git am checks (make cover-letter,
# make mbox); trinity: the syscall fuzzer of make kasan's trinity plan.
# gcc-aarch64-linux-gnu, libc6-dev-arm64-cross (only a Recommends of the
# former), qemu-system-arm: the arm64 kernel and guest programs, cross-built,
# and their QEMU (make test boots arm64 too, make test ARCH=arm64 only it).
set -euo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build}
PKGS=(linux-source-6.1 linux-source-6.12 quilt sparse coccinelle qemu-system-x86 busybox-static
      linux-perf gdb gcc make bc flex bison libelf-dev libssl-dev cpio ccache
      python3 python3-docutils spin xz-utils perl libc6-dev
      clang-14 libclang-rt-14-dev llvm-14 valgrind git diffstat patch trinity
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm gdb-multiarch)
need_root() {
	[ "$(id -u)" = 0 ] || { echo "[hwbp] error: need root for apt-get" >&2; exit 1; }
}
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
	echo "[hwbp] installing: ${missing[*]}" >&2
	need_root
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The arm64 guests' busybox: Debian's busybox-static:arm64, unpacked under
# build/arm64/deb, not installed (it would replace the host's amd64
# busybox-static, which the x86 guests use).  apt needs arm64 as a foreign
# architecture (dpkg multiarch) to know the package.
bbdir=$BUILD/arm64/deb/busybox-static
[ -x "$bbdir/bin/busybox" ] && exit 0
need_root
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "[hwbp] adding arm64 as a foreign architecture (dpkg) for busybox-static:arm64" >&2
	dpkg --add-architecture arm64
	apt-get update -qq
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -o APT::Sandbox::User=root: the download lands in a root-only directory.
if ! (cd "$tmp" && apt-get -qq -o APT::Sandbox::User=root download busybox-static:arm64); then
	apt-get update -qq	# lists older than the mirror, or none for arm64 yet
	(cd "$tmp" && apt-get -qq -o APT::Sandbox::User=root download busybox-static:arm64)
fi
rm -rf "$bbdir"
mkdir -p "$(dirname "$bbdir")"
dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$bbdir"
echo "[hwbp] arm64 busybox: $bbdir/bin/busybox" >&2

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

# The arm64 guests' busybox and perf: Debian's busybox-static:arm64, and
# linux-perf:arm64 with the packages of the shared libraries it links,
# unpacked under build/arm64/deb, not installed (busybox-static:arm64 would
# replace the host's amd64 busybox-static, which the x86 guests use, and
# linux-perf:arm64 the host's perf).  apt needs arm64 as a foreign
# architecture (dpkg multiarch) to know the packages.  mkinitramfs.sh
# copies perf and the libraries its NEEDED entries reach into the arm64
# initramfs; that check fails there if a library is missing here.
bbdir=$BUILD/arm64/deb/busybox-static
perfdir=$BUILD/arm64/deb/perf
PERF_ARM64=(linux-perf libbabeltrace1 libc6 libcap2 libdw1 libelf1 liblzma5 libnuma1
	    libopencsd1 libperl5.36 libpython3.11 libslang2 libunwind8 libzstd1 zlib1g
	    libstdc++6 libgcc-s1 libbz2-1.0 libcrypt1 libexpat1 libuuid1 libglib2.0-0
	    libpcre2-8-0)
[ -x "$bbdir/bin/busybox" ] && [ -x "$perfdir/usr/bin/perf" ] && exit 0
need_root
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "[hwbp] adding arm64 as a foreign architecture (dpkg) for the arm64 guests" >&2
	dpkg --add-architecture arm64
	apt-get update -qq
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -o APT::Sandbox::User=root: the download lands in a root-only directory.
download() {
	if ! (cd "$tmp" && apt-get -qq -o APT::Sandbox::User=root download "$@"); then
		apt-get update -qq	# lists older than the mirror, or none for arm64 yet
		(cd "$tmp" && apt-get -qq -o APT::Sandbox::User=root download "$@")
	fi
}
if [ ! -x "$bbdir/bin/busybox" ]; then
	download busybox-static:arm64
	rm -rf "$bbdir"
	mkdir -p "$(dirname "$bbdir")"
	dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$bbdir"
	echo "[hwbp] arm64 busybox: $bbdir/bin/busybox" >&2
fi
if [ ! -x "$perfdir/usr/bin/perf" ]; then
	download "${PERF_ARM64[@]/%/:arm64}"
	rm -rf "$perfdir"
	mkdir -p "$perfdir"
	for deb in "$tmp"/*_arm64.deb; do
		case $deb in */busybox-static_*) continue ;; esac
		dpkg-deb -x "$deb" "$perfdir"
	done
	echo "[hwbp] arm64 perf: $perfdir/usr/bin/perf" >&2
fi

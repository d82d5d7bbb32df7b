#!/bin/bash
# Build the guest initramfs for one kernel kind:
#   busybox-static, /init (tests/guest/init), the plans (tests/plans/),
#   Debian's /usr/bin/perf with the shared libraries it needs, the static
#   programs in tests/guest/*.c, and breakpoint_test and (if the tree has it)
#   hw_breakpoint_sched_test from the kind's tree.
# ARCH=arm64: Debian's busybox-static:arm64, the guest programs whose
# "guest-arch:" line names arm64 (cross-built), breakpoint_test_arm64,
# Debian's arm64 perf (scripts/deps.sh).
# Output: build/KIND/initramfs.cpio.gz, build/arm64/KIND/... for arm64
# (rebuilt only when an input changed).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:?kind}
src=$(src_of "$kind")
out=$ABUILD/$kind/initramfs.cpio.gz
bindir=$ABUILD/guest-bin
mkdir -p "$bindir" "$ABUILD/$kind"
[ -x "$GUEST_BUSYBOX" ] || die "$GUEST_BUSYBOX missing (make deps)"

# A guest program's line "// guest-arch: x86 arm64" says where it builds;
# one without it is x86's (ptrace of the debug registers).
for_arch() {
	local line
	line=$(grep -m1 -o 'guest-arch:.*' "$1" || true)
	if [ -z "$line" ]; then [ "$HWBP_ARCH" = x86 ]; else [[ " ${line#guest-arch:} " == *" $HWBP_ARCH "* ]]; fi
}
# Static guest programs (shared by both kinds).
CFLAGS=(-static -O2 -Wall -Werror -I"$TOP/tests/guest")
for c in "$TOP"/tests/guest/*.c; do
	for_arch "$c" || continue
	exe=$bindir/$(basename "$c" .c)
	# Rebuilt when it, or any shared header, changed.
	if [ ! -x "$exe" ] || [ -n "$(find "$TOP/tests/guest" -newer "$exe" -print -quit)" ]; then
		"$GUEST_CC" "${CFLAGS[@]}" -o "$exe" "$c" -lpthread
	fi
done
# The upstream selftest, from the tree under test (arm64 has its own).
case $HWBP_ARCH in
x86) st=$src/tools/testing/selftests/breakpoints/breakpoint_test.c ;;
*) st=$src/tools/testing/selftests/breakpoints/breakpoint_test_$HWBP_ARCH.c ;;
esac
ste=$ABUILD/$kind/$(basename "$st" .c)
if [ ! -x "$ste" ] || [ "$st" -nt "$ste" ]; then
	"$GUEST_CC" -static -O2 -I"$src/tools/testing/selftests" -o "$ste" "$st"
fi

# The series' own kselftest (tests/plans/kselftest.sh), from the tree under
# test too; a tree without it (pristine, or the patch not in the series
# yet) gets an initramfs without it, and the plan says so.
# x86 only for now: it writes the debug registers through ptrace.
kst=$src/tools/testing/selftests/breakpoints/hw_breakpoint_sched_test.c
kste=$ABUILD/$kind/hw_breakpoint_sched_test
kst_gone=
if [ -f "$kst" ] && [ "$HWBP_ARCH" = x86 ]; then
	if [ ! -x "$kste" ] || [ "$kst" -nt "$kste" ]; then
		gcc -static -O2 -Wall -Werror -I"$src/tools/testing/selftests" -o "$kste" "$kst"
	fi
elif [ -e "$kste" ]; then
	rm -f "$kste"
	kst_gone=1	# the initramfs still has it: rebuild
fi
kst_bin=()
[ -x "$kste" ] && kst_bin=("$kste")

# Debian's trinity (the trinity plan), only in make kasan's initramfs: the
# others stay as they are.  Its shared libraries come in with perf's.
extra_bin=()
case $kind in kasan|kasan-unfix) extra_bin=(/usr/bin/trinity) ;; esac
for b in "${extra_bin[@]}"; do
	[ -x "$b" ] || die "$kind: $b missing (make deps)"
done
# Debian's perf: the host's for x86; for arm64 Debian's arm64 build with
# the libraries it links, unpacked by deps.sh (build/arm64/deb/perf).
perf_bin=() perf_a64=()
perf_root=$TOPBUILD/arm64/deb/perf
case $HWBP_ARCH in
x86) perf_bin=(/usr/bin/perf) ;;
arm64)
	[ -x "$perf_root/usr/bin/perf" ] || die "$perf_root/usr/bin/perf missing (make deps)"
	perf_a64=("$perf_root/usr/bin/perf")
	;;
esac
inputs=("$TOP/tests/guest" "$TOP/tests/plans" "$bindir" "$ste" "${kst_bin[@]}" "${perf_bin[@]}" "${perf_a64[@]}"
	"$GUEST_BUSYBOX" "$TOP/scripts/hwbp-top" "${extra_bin[@]}")
# Kernel modules of a modular build (scripts/torture-module.sh puts the
# torture test's there), in the guest's /lib/modules (plan torture-module).
mods=$ABUILD/$kind/modules
[ -d "$mods" ] && inputs+=("$mods")
# x86: where the kernel writes debug registers on a breakpoint's path, for
# make bench's kprobes (scripts/dr-write-sites.py, /etc/dr-write-sites).
vmlinux=$ABUILD/$kind/vmlinux
[ "$HWBP_ARCH" = x86 ] && [ -f "$vmlinux" ] && inputs+=("$vmlinux" "$TOP/scripts/dr-write-sites.py")
if [ -f "$out" ] && [ -z "$kst_gone" ]; then
	newer=$(find "${inputs[@]}" -newer "$out" -print -quit)
	[ -z "$newer" ] && exit 0
fi

stage=$(mktemp -d "$ABUILD/$kind/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,proc,sys,dev,tmp,etc,plans,root}
# mktemp made it 0700: the guest's / would be closed to users other than
# root (the kselftest plan runs a program as uid 65534).
chmod 755 "$stage"
cp "$GUEST_BUSYBOX" "$stage/bin/busybox"
install -m 755 "$TOP/tests/guest/init" "$stage/init"
cp "$TOP"/tests/plans/*.sh "$stage/plans/"
if [ "$HWBP_ARCH" = x86 ] && [ -f "$vmlinux" ]; then
	python3 "$TOP/scripts/dr-write-sites.py" "$vmlinux" >"$stage/etc/dr-write-sites"
fi
if [ -d "$mods" ]; then
	mkdir -p "$stage/lib/modules"
	cp "$mods"/*.ko "$stage/lib/modules/"
fi
# The guest fuzzer's regression inputs (op logs), replayed by plan fuzz-guest.
[ -d "$TOP/tests/guest/fuzz-regressions" ] && cp -r "$TOP/tests/guest/fuzz-regressions" "$stage/"
cp "$bindir"/* "$ste" "${kst_bin[@]}" "$TOP/scripts/hwbp-top" "$stage/bin/"
# perf (and trinity for make kasan) and every shared library they link.
if [ ${#perf_bin[@]} -gt 0 ] || [ ${#extra_bin[@]} -gt 0 ]; then
	cp "${perf_bin[@]}" "${extra_bin[@]}" "$stage/usr/bin/"
	ldd "${perf_bin[@]}" "${extra_bin[@]}" | awk '/=>/ {print $3} /^\s*\/lib/ {print $1}' | sort -u |
		while read -r lib; do
			[ -f "$lib" ] || continue
			mkdir -p "$stage$(dirname "$lib")"
			cp -L "$lib" "$stage$lib"
		done
	# The dynamic loader must also be at its canonical path.
	mkdir -p "$stage/lib64"
	cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
fi
# arm64's perf, its dynamic loader and every library its NEEDED entries
# reach, at their paths in the unpacked packages (Debian's loader searches
# the multiarch directories without an ld.so.cache).
if [ ${#perf_a64[@]} -gt 0 ]; then
	a64_lib() {
		local d
		for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
			[ -e "$perf_root/$d/$1" ] && { echo "/$d/$1"; return 0; }
		done
		return 1
	}
	queue=(/usr/bin/perf) seen=" "
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]} queue=("${queue[@]:1}")
		mkdir -p "$stage$(dirname "$f")"
		cp -L "$perf_root$f" "$stage$f"
		for so in $(aarch64-linux-gnu-readelf -d "$perf_root$f" |
			    sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $seen in *" $so "*) continue ;; esac
			seen+="$so "
			lib=$(a64_lib "$so") || die "arm64 perf: $so not in $perf_root (scripts/deps.sh)"
			queue+=("$lib")
		done
	done
	interp=$(aarch64-linux-gnu-readelf -l "$perf_root/usr/bin/perf" |
		 sed -n 's/.*interpreter: \(.*\)\]/\1/p')
	mkdir -p "$stage$(dirname "$interp")"
	cp -L "$perf_root$interp" "$stage$interp"
fi
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
say "$kind: initramfs $(du -h "$out" | cut -f1)"

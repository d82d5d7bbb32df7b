#!/bin/bash
# Build the guest initramfs for one kernel kind:
#   busybox-static, /init (tests/guest/init), the plans (tests/plans/),
#   Debian's /usr/bin/perf with the shared libraries it needs, the static
#   programs in tests/guest/*.c, and breakpoint_test and (if the tree has it)
#   hw_breakpoint_sched_test from the kind's tree.
# Output: build/KIND/initramfs.cpio.gz (rebuilt only when an input changed).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:?kind}
src=$(src_of "$kind")
out=$BUILD/$kind/initramfs.cpio.gz
bindir=$BUILD/guest-bin
mkdir -p "$bindir" "$BUILD/$kind"

# Static guest programs (shared by both kinds).
CFLAGS=(-static -O2 -Wall -Werror -I"$TOP/tests/guest")
for c in "$TOP"/tests/guest/*.c; do
	exe=$bindir/$(basename "$c" .c)
	# Rebuilt when it, or any shared header, changed.
	if [ ! -x "$exe" ] || [ -n "$(find "$TOP/tests/guest" -newer "$exe" -print -quit)" ]; then
		gcc "${CFLAGS[@]}" -o "$exe" "$c" -lpthread
	fi
done
# The upstream selftest, from the tree under test.
st=$src/tools/testing/selftests/breakpoints/breakpoint_test.c
ste=$BUILD/$kind/breakpoint_test
if [ ! -x "$ste" ] || [ "$st" -nt "$ste" ]; then
	gcc -static -O2 -I"$src/tools/testing/selftests" -o "$ste" "$st"
fi

# The series' own kselftest (tests/plans/kselftest.sh), from the tree under
# test too; a tree without it (pristine, or the patch not in the series
# yet) gets an initramfs without it, and the plan says so.
kst=$src/tools/testing/selftests/breakpoints/hw_breakpoint_sched_test.c
kste=$BUILD/$kind/hw_breakpoint_sched_test
kst_gone=
if [ -f "$kst" ]; then
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
inputs=("$TOP/tests/guest" "$TOP/tests/plans" "$bindir" "$ste" "${kst_bin[@]}" /usr/bin/perf
	/bin/busybox "$TOP/scripts/hwbp-top" "${extra_bin[@]}")
# Kernel modules of a modular build (scripts/torture-module.sh puts the
# torture test's there), in the guest's /lib/modules (plan torture-module).
mods=$BUILD/$kind/modules
[ -d "$mods" ] && inputs+=("$mods")
if [ -f "$out" ] && [ -z "$kst_gone" ]; then
	newer=$(find "${inputs[@]}" -newer "$out" -print -quit)
	[ -z "$newer" ] && exit 0
fi

stage=$(mktemp -d "$BUILD/$kind/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,proc,sys,dev,tmp,etc,plans,root}
# mktemp made it 0700: the guest's / would be closed to users other than
# root (the kselftest plan runs a program as uid 65534).
chmod 755 "$stage"
cp /bin/busybox "$stage/bin/busybox"
install -m 755 "$TOP/tests/guest/init" "$stage/init"
cp "$TOP"/tests/plans/*.sh "$stage/plans/"
if [ -d "$mods" ]; then
	mkdir -p "$stage/lib/modules"
	cp "$mods"/*.ko "$stage/lib/modules/"
fi
# The guest fuzzer's regression inputs (op logs), replayed by plan fuzz-guest.
[ -d "$TOP/tests/guest/fuzz-regressions" ] && cp -r "$TOP/tests/guest/fuzz-regressions" "$stage/"
cp "$bindir"/* "$ste" "${kst_bin[@]}" "$TOP/scripts/hwbp-top" "$stage/bin/"
# perf (and trinity for make kasan) and every shared library they link.
cp /usr/bin/perf "${extra_bin[@]}" "$stage/usr/bin/"
ldd /usr/bin/perf "${extra_bin[@]}" | awk '/=>/ {print $3} /^\s*\/lib/ {print $1}' | sort -u |
	while read -r lib; do
		[ -f "$lib" ] || continue
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
# The dynamic loader must also be at its canonical path.
mkdir -p "$stage/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
say "$kind: initramfs $(du -h "$out" | cut -f1)"

#!/bin/bash
# DR7 consistency of the real x86 debug-register code, in user space
# (tests/x86-dr7): arch_install/uninstall_hw_breakpoint(), encode_dr7(),
# local_db_save/restore() and the helpers they call are copied verbatim out
# of the tree at run time, compiled against shims, and driven with NMIs
# injected at every debug-register write.  Writes
# build/results/patched/x86-dr7.ktap.
#   X86_DR7_SRC=/path  test that tree's two files instead (default: the
#                      patched tree), e.g. a private copy with a fix.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=${X86_DR7_SRC:-$SRC_PATCHED}
res=$RESULTS/patched/x86-dr7.ktap
out=$BUILD/x86-dr7
dir=$TOP/tests/x86-dr7
mkdir -p "$out" "$(dirname "$res")"
echo "KTAP version 1" >"$res"
echo "# x86-dr7: $src" >>"$res"
trap 'grep -E "^(not )?ok" "$res" >&2' EXIT

# Copy once, so that one run tests one version of files being edited.
for f in kernel/hw_breakpoint.c include/asm/debugreg.h include/uapi/asm/debugreg.h; do
	[ -f "$src/arch/x86/$f" ] || {
		ktap_line "$res" fail x86-dr7.extract "no $src/arch/x86/$f"; exit 0; }
done
cp "$src/arch/x86/include/uapi/asm/debugreg.h" "$out/uapi-debugreg.h"
# set_dr_addr_mask: the shim's records the mask (the tree's is AMD's or a stub).
if ! python3 "$dir/extract.py" "$out/x86-dr7-extracted.c" -x set_dr_addr_mask \
	"$src/arch/x86/include/asm/debugreg.h:local_db_save,local_db_restore" \
	"$src/arch/x86/kernel/hw_breakpoint.c:arch_install_hw_breakpoint,arch_uninstall_hw_breakpoint,__encode_dr7,encode_dr7,dr_owner_changed?" \
	2>"$out/extract.log"; then
	ktap_line "$res" fail x86-dr7.extract "$(tail -1 "$out/extract.log")"
	exit 0
fi
if ! gcc -O2 -g -Wall -Werror -I"$dir" -I"$out" -o "$out/x86-dr7" "$dir/dr7.c" \
	2>"$out/build.log"; then
	ktap_line "$res" fail x86-dr7.build \
		"$(grep -m1 -E 'error|undefined' "$out/build.log" | sed "s|$TOP/||g")"
	exit 0
fi

# run_case NAME ARGS...: one KTAP result; the program's "# " lines go in as they are.
run_case() {
	local name=$1 log=$out/$1.log rc=0
	shift
	"$out/x86-dr7" "$@" >"$log" 2>&1 || rc=$?
	grep '^#' "$log" >>"$res" || true
	ktap_line "$res" "$([ $rc = 0 ] && echo ok || echo fail)" "x86-dr7.$name" \
		"$(grep -v '^#' "$log" | tail -1)"
}
run_case nmi-during-uninstall nmi-during-uninstall
run_case uninstall-after-type-change uninstall-after-type-change
run_case nested-handlers nested-handlers
run_case nmi-at-handler-exit nmi-at-handler-exit
# SEEDS OPS: well under a second each.
run_case random-bare-metal random 0 500 2000
run_case random-hypervisor random 1 500 2000

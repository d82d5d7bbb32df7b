#!/bin/bash
# Build and run the user-space harness of the scheduler core
# (tests/sched-harness) against kernel/events/hw_breakpoint_sched.c of the
# patched tree: x86's single pool of 4 slots, and split instruction/data
# pools as on other architectures.  Writes build/results/patched/sched-harness.ktap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

core=$SRC_PATCHED/kernel/events/hw_breakpoint_sched.c
res=$RESULTS/patched/sched-harness.ktap
out=$BUILD/sched-harness
mkdir -p "$out" "$(dirname "$res")"
echo "KTAP version 1" >"$res"
[ -f "$core" ] || { ktap_line "$res" fail sched-harness.core "no $core: series not applied?"; exit 0; }

dir=$TOP/tests/sched-harness
CFLAGS=(-O2 -g -Wall -Werror -I"$dir/shim" -I"$(dirname "$core")")
gcc "${CFLAGS[@]}" -o "$out/harness-x86" "$dir/harness.c" "$core"
gcc "${CFLAGS[@]}" -DSHIM_SPLIT_TYPES -o "$out/harness-split" "$dir/harness.c" "$core"
# SLOTS_INST SLOTS_DATA SEEDS OPS: about a second in all.
"$out/harness-x86" 4 4 500 4000 >>"$res" || true
"$out/harness-split" 2 4 500 4000 >>"$res" || true
grep -E '^(not )?ok' "$res" | tail -2 >&2

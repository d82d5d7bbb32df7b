#!/bin/bash
# Build and run the user-space harness of the scheduler core
# (tests/sched-harness) against kernel/events/hw_breakpoint_sched.c of the
# patched tree: x86's single pool of 4 slots, and split instruction/data
# pools as on other architectures; then replay the fuzzer's regression
# inputs.  Writes build/results/patched/sched-harness.ktap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

core=$SRC_PATCHED/kernel/events/hw_breakpoint_sched.c
res=$RESULTS/patched/sched-harness.ktap
out=$BUILD/sched-harness
mkdir -p "$out" "$(dirname "$res")"
echo "KTAP version 1" >"$res"
[ -f "$core" ] || { ktap_line "$res" fail sched-harness.core "no $core: series not applied?"; exit 0; }

dir=$TOP/tests/sched-harness
mapfile -t feat < <(sched_core_features "${core%.c}.h")
CFLAGS=(-O2 -g -Wall -Werror -DSHIM_SEQ_HOOKS "${feat[@]}" -I"$dir/shim" -I"$(dirname "$core")")
for v in x86 split; do
	f=()
	[ $v = split ] && f=(-DSHIM_SPLIT_TYPES)
	gcc "${CFLAGS[@]}" "${f[@]}" -o "$out/harness-$v" "$dir/harness.c" "$dir/model.c" "$core"
	gcc "${CFLAGS[@]}" "${f[@]}" -DFUZZ_REPLAY -o "$out/replay-$v" \
		"$dir/fuzz.c" "$dir/model.c" "$core"
done
# SLOTS_INST SLOTS_DATA SEEDS OPS: a few seconds in all.
"$out/harness-x86" 4 4 500 4000 >>"$res" || true
"$out/harness-split" 2 4 500 4000 >>"$res" || true
# Inputs that once made the fuzzer fail (tests/sched-harness/regressions).
for v in x86 split; do
	n=types1
	[ $v = split ] && n=types2
	inputs=()
	[ -d "$dir/regressions/$v" ] && mapfile -t inputs < <(find "$dir/regressions/$v" -type f | sort)
	if "$out/replay-$v" "${inputs[@]}" 2>"$out/replay-$v.log"; then
		ktap_line "$res" ok "sched-harness.$n.regressions" "${#inputs[@]} fuzz inputs replayed"
	else
		ktap_line "$res" fail "sched-harness.$n.regressions" \
			"$(grep -E '^(replay|MISMATCH)' "$out/replay-$v.log" | tail -2 | tr '\n' ' ' |
				sed "s|$TOP/||g")"
	fi
done
grep -E '^(not )?ok' "$res" >&2

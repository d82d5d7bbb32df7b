#!/bin/bash
# Instruction budget of the scheduler core: tests/sched-harness/cost.c
# (hw_breakpoint_sched.c of the patched tree, gcc -O2) under callgrind,
# instructions per install, uninstall, evict, restore, debugger add/del and
# snapshot (a CPU copying its own table, as for debugfs), each against
# tests/sched-harness/callgrind-budget.txt.
# Deterministic for a given gcc and valgrind.  Writes
# build/results/patched/callgrind.ktap and callgrind.md (the table, for docs).
#   CALLGRIND_BUDGET=FILE callgrind.sh   (another budget file, e.g. to see it fail)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

core=$SRC_PATCHED/kernel/events/hw_breakpoint_sched.c
dir=$TOP/tests/sched-harness
budget=${CALLGRIND_BUDGET:-$dir/callgrind-budget.txt}
out=$BUILD/callgrind
res=$RESULTS/patched/callgrind.ktap
md=$RESULTS/patched/callgrind.md
n=1000
mkdir -p "$out" "$(dirname "$res")"
echo "KTAP version 1" >"$res"
rm -f "$md"	# never an earlier run's table (make bench tabulates it)
[ -f "$core" ] || { ktap_line "$res" fail callgrind "no $core: series not applied?"; exit 0; }

mapfile -t feat < <(sched_core_features "${core%.c}.h")
# Two builds: the scheduler's key (patch 0031) on, and off (only perf ever
# registered: mainline's path), each testing it as the kernel does (a jmp
# or a nop at the site).  -z now: no lazy binding in a measured call.
rm -f "$out"/callgrind.out*
for key in 1 0; do
	bin=$out/cost-key$key
	if ! gcc -O2 -g -Wall -Werror -DSHIM_COST -DSHIM_STATIC_KEY=$key -DSHIM_SLOTS_MAX=4 \
		"${feat[@]}" -I"$dir/shim" -I"$(dirname "$core")" -Wl,-z,now \
		-o "$bin" "$dir/cost.c" "$core" 2>"$out/build.log"; then
		cat "$out/build.log" >&2
		ktap_line "$res" fail callgrind.build "$(head -1 "$out/build.log")"
		exit 0
	fi
	# The two runs' dumps differ in scenario names: one prefix for both.
	if ! valgrind --tool=callgrind --collect-atstart=no \
		--callgrind-out-file="$out/callgrind.out.key$key" \
		"$bin" "$n" >"$out/valgrind.log" 2>&1; then
		tail -5 "$out/valgrind.log" >&2
		ktap_line "$res" fail callgrind.run "cost driver failed under valgrind (build/callgrind/valgrind.log)"
		exit 0
	fi
done
python3 "$TOP/scripts/callgrind.py" "$out/callgrind.out.key" "$n" "$budget" "$res" "$md" >&2 || true
# callgrind.py fails its cases itself (exit 1); one that crashed wrote none.
grep -qE '^(not )?ok ' "$res" || ktap_line "$res" fail callgrind.report "scripts/callgrind.py wrote no result"

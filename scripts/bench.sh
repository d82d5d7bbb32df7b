#!/bin/bash
# make bench: pristine vs patched, and the switch (hw_breakpoint.preempt)
# off vs on, as medians, spread and ratios over alternating boots; also the
# debugger's path from inside the patched kernel, the scheduler core's
# instruction counts and the x86 arch code's debug-register writes per
# switch (make x86-dr7, both trees); and, from an untimed pass in each bench boot, the
# kernel's count of breakpoint-PMU adds/dels per operation of every
# context-switch figure, checked against the count the figure is meant to
# exercise.  Writes build/results/bench.md, the generated part of
# docs/performance.md (everything after its "<!-- table -->" line) and the
# count checks as KTAP (build/results/bench/bench.ktap); exits 1 when a
# count check fails.
#
# Each round boots, with the same QEMU settings (scripts/run-qemu.sh):
#   pristine and patched, tests/plans/bench.sh (odd rounds pristine first,
#     even rounds patched first); in the patched boot every figure is taken
#     twice, switch on and off, off first in odd rounds
#     (hwbp_bench_order=offfirst|onfirst on the kernel command line);
#   patched, tests/plans/bench-debugger.sh (the debugger benchmark, hw_breakpoint_bench).
#
#   ROUNDS=N        rounds (default 10)
#   BENCH_QUICK=1   fewer loops in the guest: a smoke test of the harness,
#                   its figures are not measurements
#   BENCH_BUILD=0   do not extract, patch or build: boot the kernels already
#                   in build/{pristine,patched} as they are
#   BENCH_EXCLUSIVE=0  do not hold the kernel-build lock over each boot
#                   (default: each boot takes it, as build-kernel.sh does,
#                   so that no kernel build of this or another clone that
#                   shares HWBP_KBUILD_LOCK runs beside a timed boot; a
#                   build in progress delays the boot, a boot delays a
#                   build by at most one boot)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rounds=${ROUNDS:-10}
quick=${BENCH_QUICK:-0}
t_start=$(date +%s)
if [ "${BENCH_BUILD:-1}" != 0 ]; then
	bash "$TOP/scripts/tree.sh"
	bash "$TOP/scripts/quilt.sh" push
	for kind in pristine patched; do
		bash "$TOP/scripts/build-kernel.sh" "$kind"
	done
fi
for kind in pristine patched; do
	bash "$TOP/scripts/mkinitramfs.sh" "$kind"
done
# The scheduler core's instruction counts (deterministic, seconds) and the
# debug-register writes of one context switch in the real x86 arch code of
# both trees (make x86-dr7, seconds): redone every run, so that the tables
# are never those of an earlier driver, budget or experiment.
cg=$RESULTS/patched/callgrind.md
dr7=$RESULTS/patched/x86-dr7.ktap
rm -f "$cg"	# not an earlier run's table if this one fails
bash "$TOP/scripts/callgrind.sh" || true
bash "$TOP/scripts/x86-dr7.sh" 2>/dev/null || true
t_built=$(date +%s)

out=$RESULTS/bench
rm -rf "$out"; mkdir -p "$out"
raw=$out/raw.txt boots=$out/boots.txt nboot=0
: >"$raw"; : >"$boots"

# host_busy: percent of the host's CPU time busy over one second (before a
# boot: another job on the host slows TCG by far more than any difference
# measured here).
host_busy() {
	local a b
	read -r -a a < <(head -1 /proc/stat)
	sleep 1
	read -r -a b < <(head -1 /proc/stat)
	awk -v u="$(( b[1] + b[2] + b[3] + b[6] + b[7] - a[1] - a[2] - a[3] - a[6] - a[7] ))" \
	    -v i="$(( b[4] + b[5] - a[4] - a[5] ))" \
	    'BEGIN { printf "%.0f", (u + i) ? 100 * u / (u + i) : 0 }'
}

# cpu_ticks: "BUSY TOTAL" jiffies of the host so far; own_ticks: CPU time
# of this script's finished children (QEMU among them), same unit.
cpu_ticks() { head -1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }'; }
own_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }

# boot KIND PLAN ROUND ORDER: one boot; its "bench" lines go to raw.txt as
# "KIND ROUND bench NAME VALUE UNIT ORDER BOOT" and its "count" lines as
# "KIND ROUND count NAME OPS ADDS DELS ORDER BOOT" (and "dregs ... OPS
# INSTALLS UNINSTALLS ...", "drw ... OPS DR7 ADDRESS ..." alike), its log
# is kept beside, and
# boots.txt gets "BOOT KIND PLAN ROUND ORDER SECONDS BUSY_BEFORE OTHERS FIGURES":
# the host's busy percent in the second before, and the percent of the
# host's CPU time that went to anything but this boot while it ran.
boot() {
	local kind=$1 plan=$2 r=$3 order=$4 busy t0 n log others c0 c1 append=""
	local -a s0 s1
	local tw
	if [ "${BENCH_EXCLUSIVE:-1}" != 0 ]; then
		tw=$(date +%s)
		exec 8>"${HWBP_KBUILD_LOCK:-$TOP/build/.kbuild.lock}"
		flock 8
		[ $(( $(date +%s) - tw )) -lt 5 ] ||
			say "$kind $plan round $r: waited $(( $(date +%s) - tw )) s for a kernel build to end"
	fi
	busy=$(host_busy)
	if [ "$plan" = bench ]; then
		append="hwbp_bench_order=$order"
		[ "$quick" = 1 ] && append+=" hwbp_bench_quick=1"
	fi
	t0=$(date +%s)
	rm -f "$LOGS/$kind/$plan.log"
	read -r -a s0 < <(cpu_ticks); c0=$(own_ticks)
	HWBP_APPEND="$append" bash "$TOP/scripts/run-plan.sh" "$kind" "$plan" ||
		say "warning: $kind $plan round $r: run-plan failed"
	read -r -a s1 < <(cpu_ticks); c1=$(own_ticks)
	[ "${BENCH_EXCLUSIVE:-1}" = 0 ] || exec 8>&-
	others=$(( 100 * (s1[0] - s0[0] - (c1 - c0)) / (s1[1] - s0[1] > 0 ? s1[1] - s0[1] : 1) ))
	[ "$others" -ge 0 ] || others=0
	nboot=$((nboot + 1))
	log=$out/$(printf %02d "$nboot")-$kind-$plan-r$r.log
	cp "$LOGS/$kind/$plan.log" "$log"
	grep -a -E '^(bench|count|dregs|drw|sched) ' "$log" | tr -d '\r' |
		sed "s/^/$kind $r /; s/\$/ $order $nboot/" >"$out/last.txt" || true
	cat "$out/last.txt" >>"$raw"
	n=$(grep -c '^[^ ]* [^ ]* bench ' "$out/last.txt" || true)
	echo "$nboot $kind $plan $r $order $(( $(date +%s) - t0 )) $busy $others $n" >>"$boots"
	[ "$n" -gt 0 ] || say "warning: $kind $plan round $r gave no figures (log ${log#"$TOP"/})"
	[ "$busy" -le 25 ] && [ "$others" -le 10 ] ||
		say "warning: host busy with other work around $kind $plan round $r" \
			"(${busy}% before, ${others}% during): figures skewed"
}

for r in $(seq "$rounds"); do
	say "round $r of $rounds"
	if [ $((r % 2)) = 1 ]; then
		boot pristine bench "$r" -
		boot patched bench "$r" offfirst
	else
		boot patched bench "$r" onfirst
		boot pristine bench "$r" -
	fi
	# Two of these (seconds each): the kernel's figure is one median per
	# boot and varies from boot to boot more than the benches' do.
	boot patched bench-debugger "$r" -
	boot patched bench-debugger "$r" -
done
t_end=$(date +%s)

{
	echo "Run of $(date -u +%F), Linux $(cat "$BUILD/src/VERSION" 2>/dev/null || echo '?'), $rounds round(s)$([ "$quick" = 1 ] && echo ', BENCH_QUICK=1'); took $(( (t_end - t_start + 30) / 60 )) min (kernels, initramfs and callgrind $(( (t_built - t_start + 30) / 60 )) min, $(wc -l <"$boots") boots $(( (t_end - t_built + 30) / 60 )) min)."
	echo
	python3 "$TOP/scripts/bench-table.py" --quick "$quick" --ktap "$out/bench.ktap" \
		--dr7 "$dr7" "$raw" "$boots" "$cg"
} >"$RESULTS/bench.md"
cat "$RESULTS/bench.md"

# docs/performance.md: the method (kept), then this run's tables.
{
	sed -n '1,/^<!-- table -->$/p' "$TOP/docs/performance.md"
	echo
	cat "$RESULTS/bench.md"
} >"$out/performance.md"
mv "$out/performance.md" "$TOP/docs/performance.md"
say "docs/performance.md updated ($(( (t_end - t_start + 30) / 60 )) min)"
# The count checks: a context-switch figure that does not exercise the pmu
# adds/dels it claims fails make bench.
say "pmu adds/dels per operation (${out#"$TOP"/}/bench.ktap):"
python3 "$TOP/scripts/summary.py" --results "$out"

#!/bin/bash
# make kasan: the patched kernel (the whole series) with the kernel address
# sanitizer, built from a tree of its own (build/src/kasan: Debian's tarball
# with the series applied by patch(1), lib.sh series_tree) with
# configs/base.config + configs/kasan.config (SLUB, KASAN generic inline,
# SLUB_DEBUG; base.config's lockdep and DEBUG_ATOMIC_SLEEP), booted with
# slub_debug=FZPU kasan_multi_shot, running the plans $KASAN_PLANS.  Any
# KASAN or SLUB report fails the plan it came in (scripts/ktap.py); each
# plan also asserts that lockdep was on when it began (PLAN.lockdep-on).
# build/results/kasan/kasan.ktap: the options that make it a KASAN kernel
# stuck after olddefconfig, KASAN and the slab checks were on in every boot,
# and the count of reports (reports.txt: each in full).
#
# make kasan-proof (kasan.sh proof): the same kernel minus the fix of
# kgdb's unregister (tests/kasan/unfix-kgdboc-unregister.diff, a tree of
# its own: build/src/kasan-unfix), running the gdb-unregister plan; passes
# when KASAN reports the use-after-free there (kasan-report.txt).
#
#   kasan.sh [proof]
# Not part of make test.  Plans run with HWBP_TIMEOUT_SCALE=3 (KASAN under
# TCG is slower).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-all}
case $mode in
all)
	kind=kasan
	diffs=()
	read -r -a plans <<<"${KASAN_PLANS:-kgdb gdb badinput record torture fuzz-guest trinity}" ;;
proof)
	kind=kasan-unfix
	diffs=("$TOP/tests/kasan/unfix-kgdboc-unregister.diff")
	plans=(gdb-unregister) ;;
*) die "kasan.sh: unknown mode '$mode' (all | proof)" ;;
esac
name=$([ "$mode" = proof ] && echo kasan-proof || echo kasan)
start=$(date +%s)
series_tree "$(src_of "$kind")" "${diffs[@]}"
CONFIG_EXTRA=kasan bash "$TOP/scripts/build-kernel.sh" "$kind"
built=$(date +%s)

res=$RESULTS/$kind
mkdir -p "$res"
rm -f "$res"/*.ktap
ktap=$res/$kind.ktap
: >"$ktap"
# What makes it a KASAN kernel, as olddefconfig left it (tinyconfig picks
# SLOB, which KASAN does not support: KASAN would silently drop out).
cfg=$BUILD/$kind/.config
for opt in SLUB KASAN KASAN_GENERIC KASAN_INLINE KASAN_STACK SLUB_DEBUG STACKTRACE \
	PROVE_LOCKING DEBUG_ATOMIC_SLEEP PID_NS; do
	if grep -qx "CONFIG_$opt=y" "$cfg"; then
		ktap_line "$ktap" ok "$name.config.$opt"
	else
		ktap_line "$ktap" fail "$name.config.$opt" "not set in build/$kind/.config"
	fi
done
grep -q '^CONFIG_SLOB=y' "$cfg" && ktap_line "$ktap" fail $name.config.no-SLOB "CONFIG_SLOB=y"

bash "$TOP/scripts/mkinitramfs.sh" "$kind"
append="slub_debug=FZPU kasan_multi_shot hwbp_lockdep=1"
for plan in "${plans[@]}"; do
	HWBP_APPEND="$append" HWBP_TIMEOUT_SCALE=${KASAN_TIMEOUT_SCALE:-3} \
		bash "$TOP/scripts/run-plan.sh" "$kind" "$plan" || true
done

# Every boot: KASAN initialized, the slab checks on (SLUB's sysfs flags,
# printed by /init under hwbp_lockdep=1).
booted=0 kasan_on=0 slub_on=0
for plan in "${plans[@]}"; do
	log=$LOGS/$kind/$plan.log
	[ -s "$log" ] || continue
	booted=$((booted + 1))
	grep -aq 'KernelAddressSanitizer initialized' "$log" && kasan_on=$((kasan_on + 1))
	grep -aq '# hwbp: slab kmalloc-64 sanity_checks=1 red_zone=1 poison=1 store_user=1' "$log" &&
		slub_on=$((slub_on + 1))
done
[ "$kasan_on" = "${#plans[@]}" ] && ktap_line "$ktap" ok $name.kasan-initialized "$kasan_on boots" ||
	ktap_line "$ktap" fail $name.kasan-initialized "$kasan_on of ${#plans[@]} boots"
[ "$slub_on" = "${#plans[@]}" ] && ktap_line "$ktap" ok $name.slub-debug-FZPU "$slub_on boots" ||
	ktap_line "$ktap" fail $name.slub-debug-FZPU "$slub_on of ${#plans[@]} boots"

# Each KASAN or SLUB report in full: from its header to the closing rule
# of "=" (at most 200 lines).
reports=$res/reports.txt
: >"$reports"
for plan in "${plans[@]}"; do
	log=$LOGS/$kind/$plan.log
	[ -s "$log" ] || continue
	sed 's/\r$//' "$log" | awk -v plan="$plan" '
		/BUG: KASAN:|BUG [^ ]+ \((Not tainted|Tainted)/ {
			if (n) print "";
			print "=== " plan ": " $0; n++; left = 200; next }
		left > 0 { print; left--; if ($0 ~ /^(\[ *[0-9.]+\] )?=+$/) left = 0 }
		' >>"$reports"
done
nrep=$(grep -c '^=== ' "$reports" || true)
secs=$(( $(date +%s) - start ))

if [ "$mode" = proof ]; then
	# The use-after-free, read in the freed event (a kgdb breakpoint).
	if grep -q '^=== .*BUG: KASAN: .*use-after-free' "$reports"; then
		cp "$reports" "$res/kasan-report.txt"
		ktap_line "$ktap" ok $name.use-after-free-reported \
			"$(grep -m1 '^=== .*BUG: KASAN' "$reports" | sed 's/^=== [^:]*: //; s/^\[[^]]*\] //')"
	else
		ktap_line "$ktap" fail $name.use-after-free-reported "no KASAN use-after-free report in gdb-unregister's log"
	fi
	say "kasan-proof: $nrep reports in $secs s (build/results/$kind/kasan-report.txt)"
	exit 0
fi

[ "$nrep" = 0 ] && ktap_line "$ktap" ok $name.reports-zero "no KASAN or SLUB report in ${#plans[@]} plans" ||
	ktap_line "$ktap" fail $name.reports-zero "$nrep KASAN or SLUB reports (build/results/kasan/reports.txt)"
# Figures: plans that passed every case, trinity's syscalls, minutes.
passed=0
for plan in "${plans[@]}"; do
	f=$res/plan-$plan.ktap
	[ -f "$f" ] && ! grep -q '^not ok' "$f" && passed=$((passed + 1))
done
calls=$(sed -n 's/^# trinity: \([0-9]*\) syscalls in all.*/\1/p' "$LOGS/$kind/trinity.log" 2>/dev/null | tail -1)
say "kasan: $passed of ${#plans[@]} plans passed, trinity ${calls:-no} syscalls, $nrep KASAN/SLUB reports," \
	"build $((built - start)) s, all $((secs / 60)) min $((secs % 60)) s"

# make bench, patched only: the debugger's path timed from inside the
# kernel by the debugger benchmark (CONFIG_HW_BREAKPOINT_BENCH, module
# hw_breakpoint_bench, built in and run at boot by hw_breakpoint_bench.run=1;
# a series before it had the torture test's bench mode,
# hw_breakpoint_torture.bench=1, also understood here).  Perf breakpoints
# fill every slot of every CPU; the debugger class claims all 4 slots on
# every CPU from NMI and releases them, 101 rounds, while 0, 16, 64 and 256
# sleeping tasks each hold a registered ptrace-class breakpoint.
# Printed as "bench dbg-WHAT-tasksN VALUE ns" (WHAT: claim, release = median
# wall time of a round; cpu-claim, cpu-release = median of the slowest CPU's
# time in its NMI handler).  Pristine has no such path (kgdb cannot get a
# slot while perf holds them all): scripts/bench.sh boots it on patched only.
# qemu-timeout: 300
# append: hw_breakpoint_bench.run=1 hw_breakpoint_torture.bench=1 hw_breakpoint_torture.duration=0 initramfs_async=0

if [ -r /sys/module/hw_breakpoint_bench/parameters/run ]; then
	mod=hw_breakpoint_bench
elif [ -r /sys/module/hw_breakpoint_torture/parameters/bench ]; then
	mod=hw_breakpoint_torture
else
	result fail built-in "no /sys/module/hw_breakpoint_bench/parameters/run"
	return 0 2>/dev/null || exit 0
fi
# It ran at boot; wait for its summary.
i=0
while ! dmesg | grep -q "$mod: End of test"; do
	i=$((i + 1))
	[ $i -gt 240 ] && break
	sleep 1
done
line=$(dmesg | sed -n "s/.*$mod: End of test: //p" | tail -1)
echo "# $mod: $line"
dmesg | grep "$mod: ERROR" | head -10 | sed 's/^/# /'
[ -n "$line" ] && result ok finished || result fail finished "no summary after $i s"
case "$line" in SUCCESS:*) result ok success ;; *) result fail success ;; esac
dmesg | grep -E 'hw_breakpoint_(bench|torture: bench): tasks=' | sed 's/.* tasks=/tasks=/' >/tmp/bench
sed 's/^/# /' /tmp/bench
awk '{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	printf "bench dbg-claim-tasks%d %d ns\n", f["tasks"], f["claim_ns"]
	printf "bench dbg-release-tasks%d %d ns\n", f["tasks"], f["release_ns"]
	printf "bench dbg-cpu-claim-tasks%d %d ns\n", f["tasks"], f["cpu_claim_ns"]
	printf "bench dbg-cpu-release-tasks%d %d ns\n", f["tasks"], f["cpu_release_ns"]
}' /tmp/bench
n=$(wc -l </tmp/bench)
[ "$n" -ge 4 ] && result ok sweep-points || result fail sweep-points "$n of 4"

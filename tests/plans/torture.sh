# The torture test (CONFIG_HW_BREAKPOINT_TORTURE_TEST, on the torture
# framework of kernel/torture.c; built in here, started by
# hw_breakpoint_torture.duration=; plan torture-module runs it as a module):
# perf and ptrace-class breakpoints churn while the debugger class claims
# and releases slots from NMI and torture_onoff() takes CPUs offline and
# online; checkpoints verify every CPU's slot table, the copy debugfs gets,
# the debugger's counts and the debug registers.
# The first 20 s only perf breakpoints churn, through mainline's path
# (patch 0031: the scheduler's key is off); then the debugger registers
# mid-churn, which turns the key on.  `make torture DURATION=N` runs it
# longer (HWBP_APPEND overrides the duration).
# qemu-timeout: 300
# append: hw_breakpoint_torture.duration=60 hw_breakpoint_torture.perf_first=20 hw_breakpoint_torture.verbose=1 hw_breakpoint_torture.stat_interval=20

param=/sys/module/hw_breakpoint_torture/parameters/duration
if [ ! -r "$param" ]; then
	result fail built-in "no $param"
	return 0 2>/dev/null || exit 0
fi
dur=$(cat "$param")
echo "# torture: $dur s"
# It started at boot; wait for its summary (with room for the final checks).
torture_summary "$dur"
line=$torture_line
echo "# $line"
[ -n "$line" ] && result ok finished || result fail finished "no summary after $torture_waited s"
# field NAME: the value of NAME=... in the summary
field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p" | tr -d 's'; }
case "$line" in SUCCESS:*) result ok success ;; *) result fail success ;; esac
[ "$(field errors)" = 0 ] && result ok errors-zero || result fail errors-zero "errors=$(field errors)"
[ "$(field misattributed)" = 0 ] && result ok no-misattributed-hits ||
	result fail no-misattributed-hits "$(field misattributed)"
# The key came on mid-churn, after the perf-only phase (a summary without
# the field: a kernel before patch 0031, nothing to check).
sw=$(field scheduler_from_ms)
if [ -n "$sw" ]; then
	[ "$sw" -ge 1000 ] 2>/dev/null && result ok scheduler-switched-mid-churn "at $sw ms" ||
		result fail scheduler-switched-mid-churn "scheduler_from_ms=$sw"
fi
for f in ops evictions restores debugger_nmis checks hits notifications; do
	[ "$(field $f)" -gt 0 ] 2>/dev/null && result ok "$f-nonzero" ||
		result fail "$f-nonzero" "$f=$(field $f)"
done
# Only the CPU hotplug count may be 0, and only on a single-CPU guest.
if [ "$(nproc)" -gt 1 ]; then
	[ "$(field cpu_onoff)" -gt 0 ] 2>/dev/null && result ok cpu_onoff-nonzero ||
		result fail cpu_onoff-nonzero "cpu_onoff=$(field cpu_onoff)"
fi
# On the torture framework (a series before it had its own hotplug loop and
# no such parameters): its CPU hotplug thread ran, and the statistics lines
# came every stat_interval seconds.
if [ -r /sys/module/hw_breakpoint_torture/parameters/onoff_interval ]; then
	if [ "$(nproc)" -gt 1 ]; then
		dmesg | grep -q 'hw_breakpoint-torture: torture_onoff task started' &&
			result ok torture-onoff || result fail torture-onoff "no torture_onoff task"
	fi
	n=$(dmesg | grep -c 'hw_breakpoint_torture: Statistics:')
	[ "$n" -ge 1 ] && result ok stat-interval "$n lines" || result fail stat-interval "none"
fi

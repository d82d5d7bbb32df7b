# The torture test and the debugger benchmark as modules: a kernel built
# with CONFIG_HW_BREAKPOINT_TORTURE_TEST=m and CONFIG_HW_BREAKPOINT_BENCH=m
# (scripts/torture-module.sh), whose .ko files mkinitramfs.sh puts in
# /lib/modules.  insmod with duration= runs for that long and prints the
# summary; without it the test runs until rmmod, which prints it; the
# bench runs at insmod.  Each module unloads.  Skips on a kernel with them
# built in.
# qemu-timeout: 400

m=/lib/modules
if [ ! -f "$m/hw_breakpoint_torture.ko" ]; then
	result skip modules "no $m/hw_breakpoint_torture.ko (built in)"
	return 0 2>/dev/null || exit 0
fi
# torture.ko first, when the framework is a module too (no modprobe here).
[ -f "$m/torture.ko" ] && insmod "$m/torture.ko"
ends() { dmesg | grep -c 'hw_breakpoint_torture: End of test'; }
# wait_end N SECONDS: until there are N summaries, at most SECONDS.
wait_end() {
	i=0
	while [ "$(ends)" -lt "$1" ] && [ $i -lt "$2" ]; do
		i=$((i + 1))
		sleep 1
	done
}
last_end() { dmesg | sed -n 's/.*hw_breakpoint_torture: End of test: //p' | tail -1; }

# 1. duration=: the summary comes by itself; then rmmod.
n=$(ends)
insmod "$m/hw_breakpoint_torture.ko" duration=20 perf_first=5 verbose=1 stat_interval=5 &&
	result ok insmod-duration || result fail insmod-duration
wait_end $((n + 1)) 140
line=$(last_end)
echo "# $line"
dmesg | grep 'hw_breakpoint_torture: ERROR' | head -10 | sed 's/^/# /'
case "$line" in SUCCESS:*) result ok duration-success ;; *) result fail duration-success "${line:-no summary}" ;; esac
dmesg | grep -q 'hw_breakpoint_torture: Statistics:' && result ok stat-interval ||
	result fail stat-interval "no Statistics line"
# The torture framework's own threads (verbose=1), with 2 CPUs its hotplug.
if [ "$(nproc)" -gt 1 ] || [ -d /sys/devices/system/cpu/cpu1 ]; then
	dmesg | grep -q 'hw_breakpoint-torture: torture_onoff task started' &&
		result ok torture-onoff || result fail torture-onoff "no torture_onoff"
fi
rmmod hw_breakpoint_torture && result ok rmmod-after-end || result fail rmmod-after-end

# 2. No duration: it runs until rmmod, which prints the summary.
n=$(ends)
insmod "$m/hw_breakpoint_torture.ko" stat_interval=0 && result ok insmod-until-rmmod ||
	result fail insmod-until-rmmod
sleep 15
[ "$(ends)" -eq "$n" ] && [ -d /sys/module/hw_breakpoint_torture ] && result ok still-running ||
	result fail still-running "ended by itself, or not loaded"
rmmod hw_breakpoint_torture && result ok rmmod-running || result fail rmmod-running
# rmmod returns after the test ended: its summary is there already.
if [ "$(ends)" -gt "$n" ]; then
	line=$(last_end)
	echo "# $line"
	case "$line" in SUCCESS:*) result ok rmmod-success ;; *) result fail rmmod-success "$line" ;; esac
else
	result fail rmmod-success "no summary at rmmod"
fi

# 3. The debugger benchmark at insmod.
if [ -f "$m/hw_breakpoint_bench.ko" ]; then
	insmod "$m/hw_breakpoint_bench.ko" && result ok bench-insmod || result fail bench-insmod
	dmesg | sed -n 's/.*hw_breakpoint_bench: \(tasks=\)/\1/p' | sed 's/^/# /'
	n=$(dmesg | grep -c 'hw_breakpoint_bench: tasks=')
	[ "$n" -ge 4 ] && result ok bench-sweep || result fail bench-sweep "$n of 4"
	line=$(dmesg | sed -n 's/.*hw_breakpoint_bench: End of test: //p' | tail -1)
	case "$line" in SUCCESS:*) result ok bench-success ;; *) result fail bench-success "${line:-none}" ;; esac
	rmmod hw_breakpoint_bench && result ok bench-rmmod || result fail bench-rmmod
else
	result skip bench "no $m/hw_breakpoint_bench.ko"
fi
show_slots "after both modules"

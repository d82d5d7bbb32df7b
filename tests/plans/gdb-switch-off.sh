# The switch off (hw_breakpoint.preempt=0) with a real gdb
# (gdb-switch-off.host): the debugger gets only what is free, as in
# mainline.  perf holds every slot of every CPU (hwbp-perf-hold), so gdb's
# `hbreak __x64_sys_getppid` must be refused: gdb prints "Cannot insert
# hardware breakpoint" when it resumes, then detaches.  A kernel that
# accepts the breakpoint and parks it never stops there: gdb stays
# attached, continuing, until the plan stops in kgdb again (sysrq-g).
# perf counts exactly before and after.
# qemu-timeout: 180
# append: kgdboc=ttyS1,115200 nmi_watchdog=0 hw_breakpoint.preempt=0

if [ -n "${session_steps:-}" ]; then
	# Run by hwbp-perf-hold below, while perf holds every slot.
	gdb_enter session
	if gdb_attached; then
		result fail gdb-refused-hbreak-and-detached "gdb resumed the guest with its hbreak set"
	else
		result ok gdb-refused-hbreak-and-detached
	fi
	show_slots "perf on every slot, after gdb's hbreak"
	check_no_debugger no-debugger-slot-with-switch-off
	stops=0
	for cpu in 0 1; do
		getppid_on $cpu
		stops=$((stops + gdb_stops))
	done
	echo "# gdb stopped $stops times at getppid"
	gdb_release session
	check_no_debugger no-debugger-slot-after-detach
	return 0
fi

if [ "$(cat /sys/module/hw_breakpoint/parameters/preempt 2>/dev/null)" = N ]; then
	result ok switch-off
else
	result fail switch-off "preempt=$(cat /sys/module/hw_breakpoint/parameters/preempt 2>&1)"
fi
/bin/hwbp-perf-hold held ". /plans/lib.sh >/dev/null; session_steps=1; . /plans/gdb-switch-off.sh"

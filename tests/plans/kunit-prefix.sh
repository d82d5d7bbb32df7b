# The KUnit suites at one prefix of the series (check.sh prefix boots every
# prefix with this plan): the stock hw_breakpoint suite always, the
# series' hw_breakpoint_sched from the patch that adds it on (the gate
# passes hwbp_expect_sched=1 then).  Their KTAP is on the console before
# init; a failing case fails the prefix.  hwbp_expect_preempt=N (from
# check.sh prefix): perf, ptrace or kgdb is not ready for eviction yet,
# so nothing may offer to turn it on.
# qemu-timeout: 300
# append: kunit.filter_glob=hw_breakpoint*
expect_sched=0
grep -q 'hwbp_expect_sched=1' /proc/cmdline && expect_sched=1
dmesg | grep -q "# Subtest: hw_breakpoint\$" && result ok ran.hw_breakpoint ||
	result fail ran.hw_breakpoint
if [ "$expect_sched" = 1 ]; then
	dmesg | grep -q "# Subtest: hw_breakpoint_sched\$" && result ok ran.hw_breakpoint_sched ||
		result fail ran.hw_breakpoint_sched
fi
# Eviction off by default until perf, ptrace and kgdb are ready for it,
# and no parameter to turn it on before then (check.sh prefix checks the
# boot value in vmlinux).
sw=/sys/module/hw_breakpoint/parameters/preempt
if grep -q 'hwbp_expect_preempt=N' /proc/cmdline; then
	[ ! -e $sw ] && result ok preempt-not-settable-yet ||
		result fail preempt-not-settable-yet "hw_breakpoint.preempt=$(cat $sw) exists before perf, ptrace and kgdb are ready for eviction"
fi

# The KUnit suites at one prefix of the series (check.sh prefix boots every
# prefix with this plan): the stock hw_breakpoint suite always, the
# series' hw_breakpoint_sched from the patch that adds it on (the gate
# passes hwbp_expect_sched=1 then).  Their KTAP is on the console before
# init; a failing case fails the prefix.
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

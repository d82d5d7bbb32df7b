# KUnit suites ran built-in before init (kunit.filter_glob selects ours);
# their KTAP is already on the console.  Nothing left to do here.
# qemu-timeout: 300
# append: kunit.filter_glob=hw_breakpoint*
echo "# kunit: results are in the kernel's KTAP above"
# A suite that silently did not run (config lost, filter typo) must fail.
for suite in hw_breakpoint hw_breakpoint_sched; do
	dmesg | grep -q "# Subtest: $suite\$" && result ok "ran.$suite" || result fail "ran.$suite"
done
# Patch 0031's take-over runs only if nothing turned the scheduler on
# before it: a skip here means the test tested nothing.  arm64 cannot say
# which register holds a breakpoint (no HAVE_HW_BREAKPOINT_SLOT_OWNER), so
# the scheduler runs from boot and there is no take-over to test: a skip.
if dmesg | grep -q "# Subtest: hw_breakpoint_sched_take_over\$"; then
	if dmesg | grep -q "ok 1 test_perf_only_then_take_over\$"; then
		result ok ran.hw_breakpoint_sched_take_over
	elif [ "$(uname -m)" = aarch64 ] && dmesg | grep -q "ok 1 test_perf_only_then_take_over # SKIP"; then
		result skip ran.hw_breakpoint_sched_take_over \
			"arm64: no HAVE_HW_BREAKPOINT_SLOT_OWNER, the scheduler runs from boot"
	else
		result fail ran.hw_breakpoint_sched_take_over \
			"$(dmesg | grep -m1 'test_perf_only_then_take_over' | sed 's/.*\] *//')"
	fi
fi

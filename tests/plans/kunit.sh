# KUnit suites ran built-in before init (kunit.filter_glob selects ours);
# their KTAP is already on the console.  Nothing left to do here.
# qemu-timeout: 300
# append: kunit.filter_glob=hw_breakpoint*
echo "# kunit: results are in the kernel's KTAP above"
# A suite that silently did not run (config lost, filter typo) must fail.
for suite in hw_breakpoint hw_breakpoint_sched; do
	dmesg | grep -q "# Subtest: $suite\$" && result ok "ran.$suite" || result fail "ran.$suite"
done

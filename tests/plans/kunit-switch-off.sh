# The scheduler's KUnit suite on a kernel booted with the switch off
# (hw_breakpoint.preempt=0): each case turns the switch on for itself, and
# the suite must leave it as the boot said (its exit forced it on before).
# qemu-timeout: 300
# append: kunit.filter_glob=hw_breakpoint_sched hw_breakpoint.preempt=0
echo "# kunit: results are in the kernel's KTAP above"
dmesg | grep -q "# Subtest: hw_breakpoint_sched\$" && result ok ran.hw_breakpoint_sched ||
	result fail ran.hw_breakpoint_sched
sw=$(cat /sys/module/hw_breakpoint/parameters/preempt 2>/dev/null)
[ "$sw" = N ] && result ok switch-still-off-after-suite ||
	result fail switch-still-off-after-suite "preempt=${sw:-unreadable} after the suite, booted with 0"

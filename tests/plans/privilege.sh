# The privilege rule: a tracer without CAP_PERFMON gets mainline's ENOSPC
# against root's CPU-wide perf breakpoints and may only evict perf
# breakpoints on its own tracee; root's tracer evicts CPU-wide ones; a
# breakpoint left by root's tracer to one that became nobody: gdb's DR7 = 0
# then DR7 = 1 gets ENOSPC, a failed DR7 write puts the old one back
# exactly, with no WARN (tests/guest/hwbp-privilege.c).
# qemu-timeout: 240
# arm64: the same rule through NT_ARM_HW_WATCH (tests/guest/hwbp-arm64.c);
# the left-behind cases are gdb's disable-then-enable and a move of the
# enabled entry (arm64 has no DR7 to put back).
if [ "$(uname -m)" = aarch64 ]; then
	/bin/hwbp-arm64 privilege
	rc=$?
	[ $rc = 0 ] && result ok privilege-program || result fail privilege-program "exit $rc"
	return 0
fi
/bin/hwbp-privilege
rc=$?
[ $rc = 0 ] && result ok privilege-program || result fail privilege-program "exit $rc"

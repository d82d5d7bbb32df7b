# The privilege rule: a tracer without CAP_PERFMON gets mainline's ENOSPC
# against root's CPU-wide perf breakpoints and may only evict perf
# breakpoints on its own tracee; root's tracer evicts CPU-wide ones; a
# breakpoint left by root's tracer to one that became nobody: gdb's DR7 = 0
# then DR7 = 1 gets ENOSPC, a failed DR7 write puts the old one back
# exactly, with no WARN (tests/guest/hwbp-privilege.c).
# qemu-timeout: 240
/bin/hwbp-privilege
rc=$?
[ $rc = 0 ] && result ok privilege-program || result fail privilege-program "exit $rc"

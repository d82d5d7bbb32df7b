# The privilege rule: a tracer without CAP_PERFMON gets mainline's ENOSPC
# against root's CPU-wide perf breakpoints and may only evict perf
# breakpoints on its own tracee; root's tracer evicts CPU-wide ones
# (tests/guest/hwbp-privilege.c).
# qemu-timeout: 240
/bin/hwbp-privilege
rc=$?
[ $rc = 0 ] && result ok privilege-program || result fail privilege-program "exit $rc"

# Real GDB end to end: the host's gdb attaches to kgdboc (ttyS1, a QEMU
# serial TCP socket) while perf holds every slot of every CPU and counts.
# gdb sets `hbreak __x64_sys_getppid` and a `watch` on
# sysctl_perf_event_paranoid, continues, checks each stop, deletes both and
# detaches (tests/plans/gdb.host).  Here: enter the debugger (sysrq-g), call
# getppid, write the sysctl, then check that perf counts exactly again.
# Pristine: gdb cannot insert the breakpoints ("Cannot insert hardware
# breakpoint"), so it never stops.
# qemu-timeout: 240
# append: kgdboc=ttyS1,115200 nmi_watchdog=0

before=$(perf_evictions)
old=$(cat /proc/sys/kernel/perf_event_paranoid)
new=$((old == 1 ? 2 : 1))

HWBP_HOLD_TIMES=1 /bin/hwbp-perf-hold held "echo g >/proc/sysrq-trigger; /bin/hwbp-getppid 5; echo $new >/proc/sys/kernel/perf_event_paranoid; echo $old >/proc/sys/kernel/perf_event_paranoid"

check_evictions held 1 "$before"

# The gdb plan on arm64 (make test-gdb-arm64 ARCH=arm64): the host's
# gdb-multiarch attaches to kgdboc (ttyS0, a PCI 16550 on a QEMU serial TCP
# socket: virt's one PL011 is the console) while perf holds all 6
# breakpoint and 4 watchpoint registers of every CPU and counts.  gdb sets
# `hbreak __arm64_sys_getppid` and a `watch` on sysctl_perf_event_paranoid,
# continues, checks each stop, deletes both and detaches
# (tests/plans/gdb-arm64.host, which is gdb.host).  Here as in gdb.sh.
# Pristine: arm64's kgdb has no hardware breakpoints ("Cannot insert
# hardware breakpoint"), so it never stops.
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

before=$(perf_evictions)
old=$(cat /proc/sys/kernel/perf_event_paranoid)
new=$((old == 1 ? 2 : 1))

HWBP_HOLD_TIMES=1 /bin/hwbp-perf-hold held "echo g >/proc/sysrq-trigger; /bin/hwbp-getppid 5; echo $new >/proc/sys/kernel/perf_event_paranoid; echo $old >/proc/sys/kernel/perf_event_paranoid"

check_evictions held 1 "$before"

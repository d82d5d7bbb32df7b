# The kdb plan (make kdb ARCH=arm64): kdb, kgdb's own shell, on kgdboc
# (ttyS0, a PCI 16550 on a QEMU serial TCP socket) while perf holds all 6
# breakpoint and 4 watchpoint registers of every CPU and counts.  The
# host (kdb.host: tests/plans/kdb-drive.py) answers kdb's prompt: bph on
# getppid's entry, bph dataw on sysctl_perf_event_paranoid, go; a stop at
# each of five getppid calls (each go steps over the breakpoint at pc),
# one ss from the first; the go from the fifth stops on the write (not
# at getppid again); ss steps the store; bc *, go.
# Pristine: arm64's kdb has no bph (no KGDB_HW_BREAKPOINT).
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

before=$(perf_evictions)
old=$(cat /proc/sys/kernel/perf_event_paranoid)
new=$((old == 1 ? 2 : 1))

HWBP_HOLD_TIMES=1 /bin/hwbp-perf-hold held "echo g >/proc/sysrq-trigger; /bin/hwbp-getppid 5; echo $new >/proc/sys/kernel/perf_event_paranoid; echo $old >/proc/sys/kernel/perf_event_paranoid"

check_evictions held 1 "$before"

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

stats=/sys/kernel/debug/hw_breakpoint/stats
perf_stats() { awk -v c="$1" '$2 == "perf" { s += $(c + 1) } END { print s + 0 }' "$stats" 2>/dev/null || echo 0; }
ev0=$(perf_stats 2); re0=$(perf_stats 4)
old=$(cat /proc/sys/kernel/perf_event_paranoid)
new=$((old == 1 ? 2 : 1))

/bin/hwbp-perf-hold held "echo g >/proc/sysrq-trigger; /bin/hwbp-getppid 5; echo $new >/proc/sys/kernel/perf_event_paranoid; echo $old >/proc/sys/kernel/perf_event_paranoid"

ev1=$(perf_stats 2); re1=$(perf_stats 4)
echo "# gdb session: perf breakpoints evicted $((ev1 - ev0)) times, restored $((re1 - re0)) times"
[ "$((ev1 - ev0))" -ge 1 ] && result ok held.debugger-evicted-perf ||
	result fail held.debugger-evicted-perf "$((ev1 - ev0)) evictions"
[ "$((ev1 - ev0))" = "$((re1 - re0))" ] && result ok held.every-eviction-restored ||
	result fail held.every-eviction-restored "evicted $((ev1 - ev0)), restored $((re1 - re0))"

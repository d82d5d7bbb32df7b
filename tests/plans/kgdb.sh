# kgdb against full slots: perf CPU-wide breakpoints hold every slot of
# every CPU while kgdbts V1 plants hardware breakpoints and watchpoints.
# Pristine kgdb gets no slot (its hardware tests fail); the debugger class
# evicts perf for each session and perf counts exactly again afterwards.
# qemu-timeout: 300
# append: nmi_watchdog=0

stats=/sys/kernel/debug/hw_breakpoint/stats
# perf_stats COLUMN: total for the perf class over CPUs (2 evictions, 4 restores)
perf_stats() { awk -v c="$1" '$2 == "perf" { s += $(c + 1) } END { print s + 0 }' "$stats" 2>/dev/null || echo 0; }
ev0=$(perf_stats 2); re0=$(perf_stats 4)

/bin/hwbp-perf-hold full "echo V1 >/sys/module/kgdbts/parameters/kgdbts"
kgdbts_v1_cases >/tmp/v1
while read -r verdict name; do
	case "$name" in hw_*) result "$verdict" "full.$name" ;; esac
done </tmp/v1

ev1=$(perf_stats 2); re1=$(perf_stats 4)
echo "# perf breakpoints evicted $((ev1 - ev0)) times, restored $((re1 - re0)) times"
[ "$((ev1 - ev0))" -ge 3 ] && result ok full.debugger-evicted-perf ||
	result fail full.debugger-evicted-perf "$((ev1 - ev0)) evictions"
[ "$((ev1 - ev0))" = "$((re1 - re0))" ] && result ok full.every-eviction-restored ||
	result fail full.every-eviction-restored "evicted $((ev1 - ev0)), restored $((re1 - re0))"

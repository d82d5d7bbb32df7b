# The scheduler in a guest: perf CPU-wide breakpoints fill every slot,
# ptrace takes one (pristine: ENOSPC), the evicted perf breakpoint stops
# counting and counts again afterwards; the tracepoints fire and the
# debugfs counters match them.
# qemu-timeout: 240

stats=/sys/kernel/debug/hw_breakpoint/stats
# sum_stats COLUMN: total over CPUs and classes (2 evictions, 3 parks, 4 restores)
sum_stats() { awk -v c="$1" '!/^#/ { s += $(c + 1) } END { print s + 0 }' "$stats"; }

if [ -r "$stats" ]; then
	result ok debugfs-present
else
	result fail debugfs-present "no $stats"
fi
ev0=$(sum_stats 2 2>/dev/null || echo 0); re0=$(sum_stats 4 2>/dev/null || echo 0)

# The test program under perf stat, counting the tracepoints system-wide.
# Pinned (:D): evictions happen while a task's pinned events are scheduled
# in, when CPU-wide flexible events are scheduled out and count nothing.
# Without the tracepoints (pristine) the program runs on its own.
: >/tmp/stat
if [ -d /sys/kernel/tracing/events/hw_breakpoint ]; then
	perf stat -a -x, -o /tmp/stat -e hw_breakpoint:hw_bp_evict:D,hw_breakpoint:hw_bp_restore:D \
		/bin/hwbp-ptrace-evict
else
	/bin/hwbp-ptrace-evict
fi
rc=$?
sed 's/^/# perf stat: /' /tmp/stat
[ $rc = 0 ] && result ok ptrace-evict-program || result fail ptrace-evict-program "exit $rc"

ev1=$(sum_stats 2 2>/dev/null || echo 0); re1=$(sum_stats 4 2>/dev/null || echo 0)
tp_ev=$(awk -F, '/hw_bp_evict/ { print $1 }' /tmp/stat)
tp_re=$(awk -F, '/hw_bp_restore/ { print $1 }' /tmp/stat)
echo "# debugfs: evictions $ev0 -> $ev1, restores $re0 -> $re1; tracepoints: evict $tp_ev restore $tp_re"
[ "$((ev1 - ev0))" -ge 1 ] 2>/dev/null && result ok debugfs-counted-evictions ||
	result fail debugfs-counted-evictions "$ev0 -> $ev1"
[ "$tp_ev" = "$((ev1 - ev0))" ] && result ok tracepoint-evict-matches-debugfs ||
	result fail tracepoint-evict-matches-debugfs "tracepoint $tp_ev, debugfs $((ev1 - ev0))"
[ "$tp_re" = "$((re1 - re0))" ] && result ok tracepoint-restore-matches-debugfs ||
	result fail tracepoint-restore-matches-debugfs "tracepoint $tp_re, debugfs $((re1 - re0))"
[ "$tp_ev" = "$tp_re" ] && result ok every-eviction-restored ||
	result fail every-eviction-restored "evict $tp_ev, restore $tp_re"

# The switch: with preemption off, the same program gets mainline's ENOSPC.
knob=/sys/module/hw_breakpoint/parameters/preempt
if [ -w "$knob" ]; then
	echo 0 >"$knob"
	out=$(/bin/hwbp-ptrace-evict 2>&1)
	echo 1 >"$knob"
	echo "$out" | sed 's/^/# switch off: /'
	case "$out" in
	*"not ok 3 ptrace-set-dr0 # No space left on device"*) result ok switch-off-gives-enospc ;;
	*) result fail switch-off-gives-enospc ;;
	esac
else
	result fail switch-off-gives-enospc "no $knob"
fi

# The slot viewer (scripts/hwbp-top), one snapshot with perf on every slot.
/bin/hwbp-perf-hold top "/bin/hwbp-top -n 1 >/tmp/top" >/dev/null
sed 's/^/# /' /tmp/top
if [ "$(grep -c 'perf *installed' /tmp/top)" = 8 ] && grep -q '^CPU 1' /tmp/top; then
	result ok hwbp-top-shows-every-slot
else
	result fail hwbp-top-shows-every-slot "$(grep -c 'perf *installed' /tmp/top) perf rows"
fi

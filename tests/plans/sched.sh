# The scheduler in a guest: perf CPU-wide breakpoints fill every slot,
# ptrace takes one (pristine: ENOSPC), the evicted perf breakpoint stops
# counting and counts again afterwards; the tracepoints fire and the
# debugfs counters match them.
# qemu-timeout: 240

# arm64: the tracer's NT_ARM_HW_WATCH/NT_ARM_HW_BREAK entry over perf on
# every WRP/BRP (tests/guest/hwbp-arm64.c); no perf tool in the guest (the
# host's is amd64), so the tracepoints are counted through tracefs.
if [ "$(uname -m)" = aarch64 ]; then
	stats=/sys/kernel/debug/hw_breakpoint/stats
	sum_stats() { awk -v c="$1" '!/^#/ { s += $(c + 1) } END { print s + 0 }' "$stats"; }
	ev=/sys/kernel/tracing/events/hw_breakpoint
	[ -r "$stats" ] && result ok debugfs-present || result fail debugfs-present "no $stats"
	ev0=$(sum_stats 2 2>/dev/null || echo 0); re0=$(sum_stats 4 2>/dev/null || echo 0)
	if [ -d $ev ]; then
		: >/sys/kernel/tracing/trace
		echo 1 >$ev/enable
	fi
	for mode in evict-watch evict-break; do
		/bin/hwbp-arm64 $mode "$mode."
		rc=$?
		[ $rc = 0 ] && result ok "$mode.program" || result fail "$mode.program" "exit $rc"
	done
	[ -d $ev ] && echo 0 >$ev/enable
	ev1=$(sum_stats 2 2>/dev/null || echo 0); re1=$(sum_stats 4 2>/dev/null || echo 0)
	# No tracepoints (pristine): empty counts, which match nothing.
	tp_ev='' tp_re=''
	if [ -d $ev ]; then
		tp_ev=$(grep -c 'hw_bp_evict:' /sys/kernel/tracing/trace)
		tp_re=$(grep -c 'hw_bp_restore:' /sys/kernel/tracing/trace)
	fi
	grep 'hw_bp_' /sys/kernel/tracing/trace 2>/dev/null | head -8 | sed 's/^/# trace: /'
	echo "# debugfs: evictions $ev0 -> $ev1, restores $re0 -> $re1; tracepoints: evict $tp_ev restore $tp_re"
	[ "$((ev1 - ev0))" -ge 2 ] 2>/dev/null && result ok debugfs-counted-evictions ||
		result fail debugfs-counted-evictions "$ev0 -> $ev1"
	[ "$tp_ev" = "$((ev1 - ev0))" ] && result ok tracepoint-evict-matches-debugfs ||
		result fail tracepoint-evict-matches-debugfs "tracepoint $tp_ev, debugfs $((ev1 - ev0))"
	[ "$tp_re" = "$((re1 - re0))" ] && result ok tracepoint-restore-matches-debugfs ||
		result fail tracepoint-restore-matches-debugfs "tracepoint $tp_re, debugfs $((re1 - re0))"
	[ -n "$tp_ev" ] && [ "$tp_ev" = "$tp_re" ] && result ok every-eviction-restored ||
		result fail every-eviction-restored "evict $tp_ev, restore $tp_re"
	# The switch off: mainline's ENOSPC for both regsets.
	knob=/sys/module/hw_breakpoint/parameters/preempt
	if [ -w "$knob" ]; then
		echo 0 >"$knob"
		for mode in evict-watch evict-break; do
			out=$(/bin/hwbp-arm64 $mode 2>&1)
			echo "$out" | sed "s/^/# switch off, $mode: /"
			case "$out" in
			*"not ok "*" ptrace-set-${mode#evict-} # No space left on device"*)
				result ok "switch-off-$mode-gives-enospc" ;;
			*) result fail "switch-off-$mode-gives-enospc" ;;
			esac
		done
		echo 1 >"$knob"
	else
		result fail switch-off-gives-enospc "no $knob"
	fi
	return 0
fi

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

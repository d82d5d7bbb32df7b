# perf record / perf report / perf stat over evictions: a perf session
# records hw_breakpoint:hw_bp_evict and hw_bp_restore system-wide while a
# tracer (ptrace) and then kgdb (kgdbts V1) take slots that perf
# breakpoints hold.  perf script must show both kinds of eviction with
# their cpu, slot and classes; its counts, perf report --stats and perf
# stat must all match the debugfs counters.
# qemu-timeout: 300
# append: nmi_watchdog=0

workload='/bin/hwbp-ptrace-evict >/tmp/ptrace.out; /bin/hwbp-perf-hold rec "echo V1 >/sys/module/kgdbts/parameters/kgdbts" >/tmp/hold.out'
# arm64 (Debian's arm64 perf): the tracer's NT_ARM_HW_WATCH entry over perf
# on every WRP (hwbp-arm64, as the sched plan) instead of x86's DR0.
[ "$(uname -m)" = aarch64 ] &&
	workload='/bin/hwbp-arm64 evict-watch >/tmp/ptrace.out; /bin/hwbp-perf-hold rec "echo V1 >/sys/module/kgdbts/parameters/kgdbts" >/tmp/hold.out'
events=hw_breakpoint:hw_bp_evict:D,hw_breakpoint:hw_bp_restore:D
set -- $(perf_evictions)
ev0=$1 re0=$2
perf record -q -a -o /tmp/perf.data -e "$events" -- sh -c "$workload"
set -- $(perf_evictions)
ev1=$1 re1=$2
perf script -i /tmp/perf.data >/tmp/script.txt 2>/dev/null
perf report -i /tmp/perf.data --stats >/tmp/stats.txt 2>/dev/null
grep -m4 hw_bp_ /tmp/script.txt | sed 's/^/# perf script: /'
grep -i "sample" /tmp/stats.txt | sed 's/^/# perf report --stats: /'

n_ev=$(grep -c 'hw_breakpoint:hw_bp_evict' /tmp/script.txt || true)
n_re=$(grep -c 'hw_breakpoint:hw_bp_restore' /tmp/script.txt || true)
echo "# recorded $n_ev evictions, $n_re restores; debugfs $((ev1 - ev0)) and $((re1 - re0))"
n=$(grep -c 'victim=perf evictor=ptrace' /tmp/script.txt || true)
[ "$n" -ge 1 ] && result ok record.shows-ptrace-evicting-perf "$n" ||
	result fail record.shows-ptrace-evicting-perf
n=$(grep 'victim=perf evictor=debugger' /tmp/script.txt | grep -c 'cpu=1 ' || true)
[ "$n" -ge 1 ] && result ok record.shows-debugger-evicting-perf-on-every-cpu ||
	result fail record.shows-debugger-evicting-perf-on-every-cpu "none on cpu 1"
# arm64 has no arch_hw_breakpoint_slot(): the register is unknown (-1).
if [ "$(uname -m)" = aarch64 ]; then
	result skip record.shows-slot "arm64: slot=-1 (no arch_hw_breakpoint_slot())"
else
	grep 'hw_bp_' /tmp/script.txt | grep -q 'slot=[0-3] ' && result ok record.shows-slot ||
		result fail record.shows-slot
fi
[ "$n_ev" = "$((ev1 - ev0))" ] && result ok record.evictions-match-debugfs ||
	result fail record.evictions-match-debugfs "recorded $n_ev, debugfs $((ev1 - ev0))"
[ "$n_re" = "$((re1 - re0))" ] && result ok record.restores-match-debugfs ||
	result fail record.restores-match-debugfs "recorded $n_re, debugfs $((re1 - re0))"
samples=$(awk '/SAMPLE events:/ { print $3; exit }' /tmp/stats.txt)
[ "$samples" = "$((n_ev + n_re))" ] && result ok record.report-stats-counts-them ||
	result fail record.report-stats-counts-them "SAMPLE events '$samples', script $((n_ev + n_re))"

# perf stat over the same workload counts the same as debugfs.
set -- $(perf_evictions)
ev0=$1 re0=$2
perf stat -a -x, -o /tmp/stat -e "$events" -- sh -c "$workload"
set -- $(perf_evictions)
s_ev=$(awk -F, '/hw_bp_evict/ { print $1 }' /tmp/stat)
s_re=$(awk -F, '/hw_bp_restore/ { print $1 }' /tmp/stat)
[ "$s_ev" = "$(($1 - ev0))" ] && [ "$s_re" = "$(($2 - re0))" ] &&
	result ok stat.counts-match-debugfs "evict $s_ev, restore $s_re" ||
	result fail stat.counts-match-debugfs "stat $s_ev/$s_re, debugfs $(($1 - ev0))/$(($2 - re0))"

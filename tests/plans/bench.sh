# make bench: one boot's measurements, printed as "bench NAME VALUE UNIT",
# and, from a separate untimed pass, the kernel's count of breakpoint-PMU
# adds and dels over each context-switch figure's workload, printed as
# "count NAME OPS ADDS DELS" (nan nan when the kernel cannot count them).
# scripts/bench.sh boots pristine and patched in turn and compares.
# Kernel command-line words read here (scripts/bench.sh passes them):
#   hwbp_bench_order=onfirst|offfirst  patched: which pass of the switch
#                                      (hw_breakpoint.preempt) runs first
#   hwbp_bench_quick=1                 fewer loops (a smoke test, not a figure)
# qemu-timeout: 900
knob=/sys/module/hw_breakpoint/parameters/preempt

# cmdline_word NAME: the value of NAME=... on the kernel command line.
cmdline_word() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -1; }
order=$(cmdline_word hwbp_bench_order)
quick=$(cmdline_word hwbp_bench_quick)
# Loops sized so that each figure takes about a second under TCG on a quiet
# host (a whole patched boot about 25 s): threads_total threads are created
# per breakpoint-thread run whatever its -t, so every sweep point weighs the
# same.
# The counting pass is exact whatever its length: count_loops only has to
# dwarf the few adds/dels of each workload's start and end.
# hwbp-switch's round trip on one CPU takes ~200 us: switch_loops of them
# about a second.
if [ "$quick" = 1 ]; then
	pipe_loops=1000 switch_loops=500 threads_total=80 enable_repeat=200 count_loops=500
else
	pipe_loops=10000 switch_loops=5000 threads_total=800 enable_repeat=2000 count_loops=2000
fi
echo "# bench: order=${order:-onfirst} quick=${quick:-0} pipe_loops=$pipe_loops" \
	"switch_loops=$switch_loops threads_total=$threads_total enable_repeat=$enable_repeat" \
	"count_loops=$count_loops"

# now: seconds since boot (centiseconds), for the per-pass timing comments.
now() { cut -d' ' -f1 /proc/uptime; }

# bench_perf NAME -- perf bench ARGS: the usecs/op figure.
bench_perf() {
	_name=$1; shift 2
	_v=$(perf bench "$@" 2>&1 | awk '/usecs\/op/ { print $1; exit }')
	echo "bench $_name ${_v:-nan} usecs/op"
}

# bp_thread B P T SUFFIX: perf bench -r R breakpoint thread -b B -p P -t T,
# R = threads_total / T batches (at least P), shared by the P parallel
# threads.  usecs/op = the time to create and join one thread that inherits
# B breakpoints (registration and release of B breakpoints, plus the thread).
bp_thread() {
	_r=$((threads_total / $3)); [ "$_r" -ge "$2" ] || _r=$2
	bench_perf "bp-thread-b$1-p$2-t$3$4" -- -r "$_r" breakpoint thread -b "$1" -p "$2" -t "$3"
}

# bench_switch MODE SUFFIX: hwbp-switch's usecs per round trip, two tasks
# on CPU 0 (tests/guest/hwbp-switch.c); its errors as comments.
bench_switch() {
	_out=$(hwbp-switch "$1" "$switch_loops" 2>&1)
	_v=$(echo "$_out" | awk '/usecs\/op/ { print $1; exit }')
	if [ -z "$_v" ]; then
		echo "$_out" | sed 's/^/# switch-1cpu-'"$1$2"': /'
		result fail "switch-1cpu-$1$2" "$(echo "$_out" | tail -1)"
	fi
	echo "bench switch-1cpu-$1$2 ${_v:-nan} usecs/op"
}

# ctx_figures SUFFIX MODES: the context switches.  Two tasks passing a
# token, with and without a perf breakpoint inherited by both (on 2 CPUs:
# uninstalled/installed as each CPU goes idle and back); then the same on
# one CPU, each task with a breakpoint of its own (no cloned contexts to
# swap), so that every switch dels and adds: hwbp-switch in each of MODES.
ctx_figures() {
	bench_perf "sched-pipe-nobp$1" -- sched pipe -l "$pipe_loops"
	_v=$(perf stat -e mem:0x1000:w -o /dev/null -- perf bench sched pipe -l "$pipe_loops" 2>&1 |
		awk '/usecs\/op/ { print $1; exit }')
	echo "bench sched-pipe-bp$1 ${_v:-nan} usecs/op"
	for _m in $2; do bench_switch "$_m" "$1"; done
}

run_all() { # run_all SUFFIX
	_t0=$(now)
	ctx_figures "$1" "nobp perf ptrace-perf perf4 perf4-same"
	# Registration (Marco Elver's 2022 measurements, scaled to 2 vCPUs).
	bp_thread 4 4 4 "$1"
	bp_thread 1 16 4 "$1"
	bench_perf "bp-enable-a4-p16$1" -- -r "$enable_repeat" breakpoint enable -a 4 -p 16
	# The sweeps (curves): threads created per batch at 1 breakpoint, and
	# breakpoints per thread at 4 threads (b4-p4-t4 above is its last point).
	for _t in 1 2 4 8 16; do bp_thread 1 4 "$_t" "$1"; done
	for _b in 2 3; do bp_thread "$_b" 4 4 "$1"; done
	echo "# bench: pass '${1:-on}' took $(echo "$(now) $_t0" | awk '{ printf "%.1f", $1 - $2 }') s"
}

# --- The counting passes (untimed, each after the timed figures it counts) ---
# How many times the kernel ran the breakpoint PMU's add and del
# (hw_breakpoint_add/del in kernel/events/hw_breakpoint.c, pristine and
# patched alike) over each context-switch workload, from the function
# profiler: the hit counts of just these two functions, summed over CPUs.
# scripts/bench-table.py divides by the operations and checks the result
# against what the figure claims to measure.
# And x86's arch_install/uninstall_hw_breakpoint(), the calls that write the
# debug registers (each install its address register and DR7, each
# uninstall DR7: the x86-dr7 harness counts them per call), printed as
# "dregs NAME OPS INSTALLS UNINSTALLS".
# And the debug-register writes themselves: a kprobe on every instruction
# of the breakpoint path that writes one (scripts/dr-write-sites.py lists
# them from the kernel's vmlinux into /etc/dr-write-sites), their hits
# printed as "drw NAME OPS DR7 ADDRESS" (DR7, and DR0-3; nan when this
# kernel cannot place them).  Counted, not derived: a kernel that batches
# DR7 (6.12's patch 0046) writes fewer than its installs and uninstalls.
# And, on a kernel with the series, which path pmu->add/del took: the
# scheduler's entries hw_bp_sched_add/del() (none while only perf ever
# registered: mainline's path behind the static key), and its long way
# __hw_bp_sched_add() (none when every add found a free slot: the fast
# path), printed as "sched NAME OPS ADDS DELS SLOW" (nan: not traceable).
tracing=/sys/kernel/tracing
count_funcs="hw_breakpoint_add hw_breakpoint_del arch_install_hw_breakpoint arch_uninstall_hw_breakpoint"
sched_funcs="hw_bp_sched_add hw_bp_sched_del __hw_bp_sched_add"
count_why=""	# why the kernel cannot count, if it cannot
# drw_setup: one kprobe event per site (group hwbpdrw, event hwbp_drw_N),
# armed only while a workload is counted; /tmp/drw-regs maps N to dbN.
drw_why=""
drw_setup() {
	_sites=/etc/dr-write-sites
	[ -s "$_sites" ] || { drw_why="no $_sites (not x86, or no vmlinux)"; return; }
	[ -w "$tracing/kprobe_events" ] || { drw_why="no $tracing/kprobe_events"; return; }
	_n=0
	: >/tmp/drw-regs
	while read -r _site _reg; do
		if echo "p:hwbpdrw/hwbp_drw_$_n $_site" >>"$tracing/kprobe_events" 2>/dev/null; then
			echo "hwbp_drw_$_n $_reg" >>/tmp/drw-regs
		else
			# One that cannot be probed is not counted: say so, and
			# count nothing rather than part.
			drw_why="cannot place a kprobe at $_site ($_reg)"
		fi
		_n=$((_n + 1))
	done <"$_sites"
	[ -n "$drw_why" ] || [ -s /tmp/drw-regs ] || drw_why="no site in $_sites"
	echo "# bench: debug-register write sites: $(wc -l </tmp/drw-regs) of $_n" \
		"($(tr '\n' ' ' <"$_sites"))"
}

# drw_hits: "DR7 ADDRESS" hits so far, summed over the sites.
drw_hits() {
	awk 'NR == FNR { reg[$1] = $2; next }
		($1 in reg) { if (reg[$1] == "db7") d += $2; else if (reg[$1] ~ /^db[0-3]$/) a += $2 }
		END { print d + 0, a + 0 }' /tmp/drw-regs "$tracing/kprobe_profile"
}

count_setup() {
	drw_setup
	# The scheduler's functions where this kernel has them (pristine: none).
	for _f in $sched_funcs; do
		grep -qx "$_f" "$tracing/available_filter_functions" 2>/dev/null &&
			count_funcs="$count_funcs $_f"
	done
	if [ ! -w "$tracing/function_profile_enabled" ]; then
		count_why="no $tracing/function_profile_enabled (CONFIG_FUNCTION_PROFILER)"
		return
	fi
	for _f in $count_funcs; do
		grep -qx "$_f" "$tracing/available_filter_functions" || {
			count_why="$_f not in available_filter_functions"; return; }
	done
	# Only these: the profiler then patches nothing else.
	: >"$tracing/set_ftrace_filter"
	for _f in $count_funcs; do
		echo "$_f" >>"$tracing/set_ftrace_filter" ||
			{ count_why="cannot write set_ftrace_filter"; return; }
	done
	_set=$(sort "$tracing/set_ftrace_filter" | tr '\n' ' ')
	[ "$_set" = "$(echo $count_funcs | tr ' ' '\n' | sort | tr '\n' ' ')" ] ||
		count_why="set_ftrace_filter holds '$_set'"
}

# count NAME OPS CMD...: run CMD with the profiler on (enabling it resets
# its counts) and print "count NAME OPS ADDS DELS".
count() {
	_name=$1 _ops=$2; shift 2
	if [ -n "$count_why" ]; then
		echo "count $_name $_ops nan nan"
		echo "dregs $_name $_ops nan nan"
		echo "drw $_name $_ops nan nan"
		echo "sched $_name $_ops nan nan nan"
		return
	fi
	_drw="nan nan"
	if [ -z "$drw_why" ]; then
		_drw0=$(drw_hits)
		echo 1 >"$tracing/events/hwbpdrw/enable"
	fi
	echo 1 >"$tracing/function_profile_enabled"
	"$@" >/tmp/count.out 2>&1
	_rc=$?
	echo 0 >"$tracing/function_profile_enabled"
	if [ -z "$drw_why" ]; then
		echo 0 >"$tracing/events/hwbpdrw/enable"
		_drw=$(echo "$_drw0 $(drw_hits)" | awk '{ print $3 - $1, $4 - $2 }')
	fi
	set -- $(cat "$tracing"/trace_stat/function* | awk '
		$1 == "hw_breakpoint_add" { a += $2 } $1 == "hw_breakpoint_del" { d += $2 }
		$1 == "arch_install_hw_breakpoint" { i += $2 }
		$1 == "arch_uninstall_hw_breakpoint" { u += $2 }
		$1 == "hw_bp_sched_add" { sa += $2 } $1 == "hw_bp_sched_del" { sd += $2 }
		$1 == "__hw_bp_sched_add" { sl += $2 }
		END { print a + 0, d + 0, i + 0, u + 0, sa + 0, sd + 0, sl + 0 }')
	if [ "$_rc" != 0 ]; then
		sed "s/^/# count $_name: /" /tmp/count.out
		result fail "count-$_name" "workload exit $_rc"
		echo "count $_name $_ops nan nan"
		echo "dregs $_name $_ops nan nan"
		echo "drw $_name $_ops nan nan"
		echo "sched $_name $_ops nan nan nan"
		return
	fi
	echo "count $_name $_ops $1 $2"
	echo "dregs $_name $_ops $3 $4"
	echo "drw $_name $_ops $_drw"
	# nan for what this kernel cannot trace (a name inlined, or pristine).
	_sa=$5 _sd=$6 _sl=$7
	case " $count_funcs " in *" hw_bp_sched_add "*) ;; *) _sa=nan _sd=nan ;; esac
	case " $count_funcs " in *" __hw_bp_sched_add "*) ;; *) _sl=nan ;; esac
	echo "sched $_name $_ops $_sa $_sd $_sl"
}

count_all() { # count_all SUFFIX MODES: ctx_figures' workloads
	_t0=$(now)
	count "sched-pipe-nobp$1" "$count_loops" perf bench sched pipe -l "$count_loops"
	count "sched-pipe-bp$1" "$count_loops" perf stat -e mem:0x1000:w -o /dev/null -- \
		perf bench sched pipe -l "$count_loops"
	for _m in $2; do
		count "switch-1cpu-$_m$1" "$count_loops" hwbp-switch "$_m" "$count_loops"
	done
	echo "# bench: counting pass '${1:-on}' took $(echo "$(now) $_t0" | awk '{ printf "%.1f", $1 - $2 }') s"
}

count_setup
if [ -n "$count_why" ]; then
	echo "# bench: pmu adds/dels not countable: $count_why"
	result fail countable "$count_why"
else
	result ok countable
fi
if [ -n "$drw_why" ]; then
	echo "# bench: debug-register writes not countable: $drw_why"
	result fail dr-writes-countable "$drw_why"
else
	result ok dr-writes-countable
fi

# Only perf has registered breakpoints so far.  From patch 0031 the patched
# kernel then runs mainline's pmu->add/del, the scheduler behind a static
# key that the first ptrace or debugger breakpoint turns on for good.  The
# perf-only context switches first, timed and counted (-perfonly), on both
# kernels alike; then one ptrace breakpoint (a single round trip of
# hwbp-switch ptrace-perf), so that every figure after it, switch on or
# off, runs the scheduler's path whatever its order.
_t0=$(now)
ctx_figures -perfonly "nobp perf"
count_all -perfonly "nobp perf"
echo "# bench: perf-only pass took $(echo "$(now) $_t0" | awk '{ printf "%.1f", $1 - $2 }') s"
_out=$(hwbp-switch ptrace-perf 1 2>&1) && result ok ptrace-breakpoint-registered ||
	result fail ptrace-breakpoint-registered "$(echo "$_out" | tail -1)"

if [ -w "$knob" ]; then
	# The patched kernel: every figure with the switch on and off, in the
	# order scripts/bench.sh alternates by round (a warm TCG translation
	# cache favours the second pass).
	if [ "$order" = offfirst ]; then
		echo 0 >"$knob"; run_all "-preempt0"
		echo 1 >"$knob"; run_all ""
	else
		echo 1 >"$knob"; run_all ""
		echo 0 >"$knob"; run_all "-preempt0"
		echo 1 >"$knob"
	fi
else
	run_all ""
fi
result ok bench-ran

if [ -w "$knob" ]; then
	echo 0 >"$knob"; count_all "-preempt0" "nobp perf ptrace-perf perf4 perf4-same"
	echo 1 >"$knob"; count_all "" "nobp perf ptrace-perf perf4 perf4-same"
else
	count_all "" "nobp perf ptrace-perf perf4 perf4-same"
fi

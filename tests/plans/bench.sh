# make bench: one boot's measurements, printed as "bench NAME VALUE UNIT".
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
if [ "$quick" = 1 ]; then
	pipe_loops=1000 threads_total=80 enable_repeat=200
else
	pipe_loops=10000 threads_total=800 enable_repeat=2000
fi
echo "# bench: order=${order:-onfirst} quick=${quick:-0} pipe_loops=$pipe_loops" \
	"threads_total=$threads_total enable_repeat=$enable_repeat"

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

run_all() { # run_all SUFFIX
	_t0=$(now)
	# Context switches: two tasks passing a token, with and without a perf
	# breakpoint inherited by both (uninstalled/installed on every switch).
	bench_perf "sched-pipe-nobp$1" -- sched pipe -l "$pipe_loops"
	_v=$(perf stat -e mem:0x1000:w -o /dev/null -- perf bench sched pipe -l "$pipe_loops" 2>&1 |
		awk '/usecs\/op/ { print $1; exit }')
	echo "bench sched-pipe-bp$1 ${_v:-nan} usecs/op"
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

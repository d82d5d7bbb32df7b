# make bench: one boot's measurements, printed as "bench NAME VALUE UNIT".
# scripts/bench.sh boots pristine and patched in turn and compares.
# qemu-timeout: 600
knob=/sys/module/hw_breakpoint/parameters/preempt

# bench_perf NAME -- perf bench ARGS: the usecs/op (or usecs/msg) figure.
bench_perf() {
	_name=$1; shift 2
	_v=$(perf bench "$@" 2>&1 | awk '/usecs\/op|usecs\/loop/ { print $1; exit }')
	echo "bench $_name ${_v:-nan} usecs/op"
}

run_all() { # run_all SUFFIX
	# Registration path (Marco Elver's 2022 measurements, scaled to 2 vCPUs).
	bench_perf "bp-thread-b4-p4-t4$1" -- breakpoint thread -b 4 -p 4 -t 4
	bench_perf "bp-thread-b1-p16-t4$1" -- breakpoint thread -b 1 -p 16 -t 4
	bench_perf "bp-enable-a4-p16$1" -- breakpoint enable -a 4 -p 16
	# Context switches: two tasks passing a token, with and without a perf
	# breakpoint inherited by both (uninstalled/installed on every switch).
	bench_perf "sched-pipe-nobp$1" -- sched pipe -l 5000
	_v=$(perf stat -e mem:0x1000:w -o /dev/null -- perf bench sched pipe -l 5000 2>&1 |
		awk '/usecs\/op/ { print $1; exit }')
	echo "bench sched-pipe-bp$1 ${_v:-nan} usecs/op"
}

run_all ""
if [ -w "$knob" ]; then
	echo 0 >"$knob"
	run_all "-preempt0"
	echo 1 >"$knob"
fi
result ok bench-ran

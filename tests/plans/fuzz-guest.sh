# The breakpoint syscall surface fuzzed from user space (tests/guest/hwbp-fuzz.c):
# seeded random sequences of PTRACE_POKEUSER of DR0-DR7 (root's and nobody's
# tracers), perf_event_open() breakpoint attributes, the perf ioctls, tracees
# forked, exec'd, forking and exiting, CPU 1 offline/online and the
# scheduler's switch, each result checked against the model of the documented
# semantics, no kernel report, nothing left in the slot tables after each
# sequence.  First fuzzing while the built-in torture test claims slots from
# NMI and takes CPUs down, stopping before its end (its end checks want every
# table empty); then, with the model exact (it knows every reservation), the
# regression inputs (tests/guest/fuzz-regressions/) and fuzzing alone,
# asserting the exact errno of each request; last, every table empty and
# every breakpoint registrable again.
# hwbp_fuzz_seed= and hwbp_fuzz_duration= on the command line (make
# fuzz-guest SEED= DURATION=; the kernel passes them to /init) set the first
# seed and the seconds of the lone phase, hwbp_fuzz_seqs= the number of
# sequences of each phase (make test: 60, the same seeds on every machine;
# seeds 64 and 93 of the lone phase and 1000104 beside the torture test,
# once open, were the fuzzer's and its model's, see
# tests/guest/fuzz-regressions/README); hw_breakpoint_torture.duration= the
# concurrent one (its time minus boot, about 30 s under TCG,
# and a margin: about 35 s of 65).  A kernel report stops the fuzzing
# (the kernel's state may be corrupt from then on): the phases after it say
# "not run".
# qemu-timeout: 420
# append: hw_breakpoint_torture.duration=65

seed=${hwbp_fuzz_seed:-1}
solo=${hwbp_fuzz_duration:-30}
seqs=${hwbp_fuzz_seqs:-60}
rm -f /tmp/fuzz-results
kind=pristine
[ -r /sys/kernel/debug/hw_breakpoint/slots ] && kind=patched
echo "# fuzz-guest: $kind kernel, first seed $seed, lone phase $solo s"

# 1. Alongside the torture test, until shortly before its end.
param=/sys/module/hw_breakpoint_torture/parameters/duration
tdur=$(cat "$param" 2>/dev/null || echo 0)
if [ "$tdur" -gt 0 ] 2>/dev/null; then
	up=$(cut -d. -f1 /proc/uptime)
	# It started at late init; its run ends about $tdur s after that.
	tstart=$(dmesg | sed -n 's/^\[ *\([0-9]*\)\..*hw_breakpoint_torture: Start of test.*/\1/p' | head -1)
	# Stop this long before its end (hwbp_fuzz_margin=, default 8 s):
	# its end checks want every table empty, and the last sequence's
	# teardown must be over by then (make kcsan: 40 s, a KCSAN guest is
	# many times slower).
	left=$(( ${tstart:-0} + tdur - up - ${hwbp_fuzz_margin:-8} ))
	if [ "$left" -ge 5 ]; then
		echo "# with the torture test: $left s (it runs $tdur s from $tstart s, now $up s)"
		/bin/hwbp-fuzz fuzz $((seed + 1000000)) "$left" "$seqs" with-torture
	else
		result skip with-torture "the torture test ends in $left s"
	fi
	torture_summary "$tdur"
	line=$torture_line
	echo "# torture: $line"
	case "$line" in
	SUCCESS:*) result ok torture-alongside-success "$(echo "$line" |
		tr ' ' '\n' | grep -E '^(debugger_nmis|aimed_nmis|cpu_onoff|evictions|restores)=' |
		tr '\n' ' ')" ;;
	*) result fail torture-alongside-success "${line:-no summary}" ;;
	esac
else
	result skip with-torture "no $param (pristine kernel: no torture test)"
fi

# 2. The regression inputs, each a recorded op log, before any random
# sequence of the lone phase: with the torture test gone the model knows
# every reservation and asserts each result exactly (alongside the torture
# test its breakpoints would also hide what some inputs catch).
n=0
for f in /fuzz-regressions/*.ops; do
	[ -f "$f" ] || continue
	/bin/hwbp-fuzz replay "$f"
	n=$((n + 1))
done
echo "# $n regression inputs replayed"

# 3. Alone: the model knows every reservation.
/bin/hwbp-fuzz fuzz "$seed" "$solo" "$seqs" alone

# 4. Every table empty, every breakpoint registrable again.
/bin/hwbp-fuzz final

# The program's results as KTAP.
if [ -s /tmp/fuzz-results ]; then
	fuzz_results /tmp/fuzz-results
else
	result fail results "hwbp-fuzz wrote no results"
fi
# Kernel reports: the harness fails fuzz-guest.no-unexpected-splats on any;
# the reproducers above name the sequence that caused one.  KCSAN's (make
# kcsan) are judged on the host, with tests/known-splats.txt: the fuzzer
# printed each ("# KCSAN report:"), and kcsan.fuzz-guest.no-reports and
# fuzz-guest.no-unexpected-splats fail on any not listed there.
reports=$(dmesg | grep -v 'BUG: KCSAN:' |
	grep -cE 'WARNING:|BUG:|Call Trace:|possible recursive locking|inconsistent lock state|general protection')
[ "$reports" = 0 ] && result ok no-kernel-report || result fail no-kernel-report "$reports lines"

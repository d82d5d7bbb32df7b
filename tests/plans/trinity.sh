# trinity (Debian's 1.9+git20230109), a second opinion on the syscalls the
# series changes most, with -c perf_event_open -c ptrace: random arguments
# from a fixed seed, a bounded number of syscalls, first as uid 65534, then
# as root (--dangerous).  This trinity marks ptrace AVOID_SYSCALL and drops
# it even when named: only perf_event_open (breakpoint attributes among
# every other event type) is called, and ptrace-fuzzed says so (skip);
# the guest fuzzer (fuzz-guest) covers ptrace's debug registers.  In make
# kasan only (scripts/kasan.sh puts trinity into that initramfs; elsewhere
# the plan skips).  Checks: each run ends by itself, within its time,
# having made its syscalls (the count per syscall is in the result); the
# kernel reports nothing (the harness' no-unexpected-splats, KASAN and SLUB
# included); afterwards, every fuzzer task gone, no slot table holds a
# breakpoint and every breakpoint can be registered again (hwbp-fuzz final).
# trinity cannot hurt the harness: it runs in a PID namespace of its own
# (its ptrace and kill reach no process outside: not /init, not this
# shell) whose init is a shell running it under timeout -s KILL (when that
# shell ends, the kernel kills whatever trinity left there), with its
# files in a directory of its own.
# hwbp_trinity_syscalls= (per run), hwbp_trinity_seed=,
# hwbp_trinity_timeout= (seconds per run) on the command line override.
# qemu-timeout: 600

n=${hwbp_trinity_syscalls:-3000}
seed=${hwbp_trinity_seed:-1}
tmo=${hwbp_trinity_timeout:-180}
if [ ! -x /usr/bin/trinity ]; then
	result skip trinity "no /usr/bin/trinity in this initramfs (make kasan has it)"
	return 0 2>/dev/null || exit 0
fi
echo "# trinity: $n syscalls per run, seed $seed, at most $tmo s per run"
total=0

# run_trinity NAME [--dangerous]: one bounded run, as NAME (nobody | root).
run_trinity() {
	_who=$1; shift
	_dir=/tmp/trinity-$_who
	mkdir -p "$_dir" && chmod 777 "$_dir"
	_as=
	[ "$_who" = nobody ] && _as=/bin/hwbp-as-nobody
	_t0=$(cut -d. -f1 /proc/uptime)
	# -C 2: two children; -l off: no log files; --stats: errno counts.
	# The namespace's init is a shell, not trinity: signals from inside a
	# PID namespace never reach its init, timeout's SIGKILL would not
	# either.  When that shell ends, the kernel kills what is left there.
	( cd "$_dir" && exec unshare -p -f --mount-proc /bin/sh -c \
		'timeout -s KILL "$0" "$@"; echo "# trinity exit $?"' "$tmo" \
		$_as /usr/bin/trinity -q -l off --stats -a 64 -C 2 -N "$n" -s "$seed" \
		-c perf_event_open -c ptrace --disable-fds=sockets "$@" ) >"$_dir.out" 2>&1 </dev/null
	_rc=$(sed -n 's/^# trinity exit //p' "$_dir.out" | tail -1)
	_t1=$(cut -d. -f1 /proc/uptime)
	tail -n 25 "$_dir.out" | sed 's/^/# trinity-'"$_who"': /'
	# "Ran N syscalls. Successes: S  Failures: F" at the end of a run.
	_ran=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' "$_dir.out" | tail -1)
	_ok=$(sed -n 's/.*Ran [0-9]* syscalls\. Successes: \([0-9]*\).*/\1/p' "$_dir.out" | tail -1)
	if [ "${_rc:-x}" = 137 ] || [ "${_rc:-x}" = 124 ] || [ -z "$_rc" ]; then
		result fail "$_who.ends-in-time" "killed after $tmo s (exit $_rc), ${_ran:-no} syscalls"
	else
		result ok "$_who.ends-in-time" "$((_t1 - _t0)) s, exit $_rc"
	fi
	# --stats: "perf_event_open: (attempted:N. success:S. failures:F."
	_per=$(sed -n 's/^\([a-z_]*\): (attempted:\([0-9]*\)\. success:\([0-9]*\)\..*/\1 \2 tried, \3 succeeded;/p' \
		"$_dir.out" | tr '\n' ' ')
	if [ -n "$_ran" ] && [ "$_ran" -ge "$n" ]; then
		result ok "$_who.syscalls" "$_ran syscalls: $_per"
		total=$((total + _ran))
	else
		result fail "$_who.syscalls" "${_ran:-no} syscalls of $n"
		total=$((total + ${_ran:-0}))
	fi
}

run_trinity nobody
run_trinity root --dangerous
echo "# trinity: $total syscalls in all"
# Debian's trinity (2023.01) marks ptrace AVOID_SYSCALL and drops it even
# when named with -c: say so rather than count it as fuzzed.
if grep -q '^ptrace: (attempted:[1-9]' /tmp/trinity-nobody.out /tmp/trinity-root.out; then
	result ok ptrace-fuzzed
else
	result skip ptrace-fuzzed "trinity never called ptrace (AVOID_SYSCALL in this trinity, -c ptrace ignored); fuzz-guest covers PTRACE_POKEUSER of DR0-DR7"
fi

# Nothing trinity did may outlive it in the slot tables.
rm -f /tmp/fuzz-results
/bin/hwbp-fuzz final
fuzz_results /tmp/fuzz-results

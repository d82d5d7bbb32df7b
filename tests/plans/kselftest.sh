# The series' own kselftest, tools/testing/selftests/breakpoints/
# hw_breakpoint_sched_test.c (the patch "selftests/breakpoints: Test how
# ptrace and perf share the breakpoint slots"), built static from the tree
# under test by scripts/mkinitramfs.sh: ptrace over perf on every slot,
# perf's running share while evicted, the privilege rule, the switch.
#
# Patched kernel (hw_breakpoint.preempt exists): run as root, every case
# must pass and none may skip; then as uid 65534, where the cases that need
# root skip and none may fail (one result for that run).  A kernel without the series (pristine):
# the tree under test has no such test, so the binary is absent and the
# plan reports one skip; a binary built elsewhere skips as a whole there
# (1..0 # SKIP), also reported as one skip.
# Booting with hwbp_ksft_args=-f (HWBP_APPEND) passes -f to the test: it
# runs even without the series, to show mainline's failures.
# qemu-timeout: 300

bin=/bin/hw_breakpoint_sched_test
knob=/sys/module/hw_breakpoint/parameters/preempt
src=tools/testing/selftests/breakpoints/hw_breakpoint_sched_test.c

# ksft_results PREFIX OUT STRICT: one plan result per result line of the
# selftest's TAP in OUT, named PREFIX.CASE (a skip's "ok N # SKIP CASE: why",
# else PREFIX.case-N); each failure's diagnostic is the selftest's last "#"
# line before it.  STRICT=1: a skipped case is a failure.
ksft_results() {
	awk '
	/^# Totals:/ { next }
	/^# / { last = substr($0, 3); next }
	/^ok [0-9]+ # SKIP/ { r = $0; sub(/^ok [0-9]+ # SKIP ?/, "", r); name = "case-" $2
		if (match(r, /^[A-Za-z0-9_]+: /)) { name = substr(r, 1, RLENGTH - 2); r = substr(r, RLENGTH + 1) }
		printf "skip\t%s\t%s\n", name, r; last = ""; next }
	/^ok [0-9]+ / { printf "ok\t%s\t\n", $3; last = ""; next }
	/^not ok [0-9]+ / { printf "fail\t%s\t%s\n", $4, last; last = ""; next }
	' "$2" >/tmp/ksft.cases
	while IFS="$(printf '\t')" read -r _v _case _diag; do
		if [ "$_v" = skip ] && [ "$3" = 1 ]; then
			result fail "$1.$_case" "skipped: $_diag"
		else
			result "$_v" "$1.$_case" "$_diag"
		fi
	done </tmp/ksft.cases
}

# ksft_totals OUT: "PLANNED RESULTS PASS FAIL SKIP" of the selftest's TAP.
ksft_totals() {
	awk '/^1\.\.[0-9]+/ { split($1, p, "\\.\\."); planned = p[2] }
	/^(not )?ok [0-9]+/ { n++ }
	/^ok [0-9]+ # SKIP/ { skip++; next }
	/^ok [0-9]+/ { pass++ }
	/^not ok [0-9]+/ { fail++ }
	END { print planned + 0, n + 0, pass + 0, fail + 0, skip + 0 }' "$1"
}

# run_ksft PREFIX OUT CMD...: run the selftest, its TAP as comments.
run_ksft() {
	_p=$1 _out=$2; shift 2
	"$@" >"$_out" 2>&1
	ksft_rc=$?
	sed "s/^/# $_p: /" "$_out"
}

if [ ! -x "$bin" ]; then
	if [ -e "$knob" ]; then
		result fail kselftest-built "no $bin: the tree under test has no $src (is the patch that adds it in series?)"
	else
		result skip kselftest-built "no $bin: the tree under test has no $src (a kernel without the series)"
	fi
elif [ ! -e "$knob" ]; then
	# No scheduler: the selftest skips as a whole, unless forced (-f).
	run_ksft root /tmp/ksft-root.out "$bin" ${hwbp_ksft_args:-}
	if grep -q '^1\.\.0 # SKIP' /tmp/ksft-root.out; then
		result skip kselftest "$(sed -n 's/^1\.\.0 # SKIP //p' /tmp/ksft-root.out)"
	else
		ksft_results root /tmp/ksft-root.out 0
		set -- $(ksft_totals /tmp/ksft-root.out)
		echo "# without the series: $1 planned, $3 passed, $4 failed, $5 skipped (exit $ksft_rc)"
	fi
else
	before=$(cat "$knob")
	run_ksft root /tmp/ksft-root.out "$bin" ${hwbp_ksft_args:-}
	ksft_results root /tmp/ksft-root.out 1
	set -- $(ksft_totals /tmp/ksft-root.out)
	echo "# as root: $1 planned, $2 reported, $3 passed, $4 failed, $5 skipped (exit $ksft_rc)"
	if [ "$1" -gt 0 ] && [ "$2" = "$1" ] && [ "$3" = "$1" ] && [ "$ksft_rc" = 0 ]; then
		result ok root.every-case-passed "$3 of $1"
	else
		result fail root.every-case-passed "$1 planned, $2 reported, $3 passed, $4 failed, $5 skipped, exit $ksft_rc"
	fi
	after=$(cat "$knob")
	if [ "$after" = "$before" ]; then
		result ok root.switch-restored "preempt=$after"
	else
		result fail root.switch-restored "preempt $before before, $after after"
	fi

	# Unprivileged: the root-only cases skip, nothing fails; one result for
	# the run (its cases are in the comments above it).  The guest's
	# perf_event_paranoid may forbid perf on one's own tasks (Debian's
	# default is 3): 2 for the run.
	paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)
	echo 2 >/proc/sys/kernel/perf_event_paranoid
	run_ksft nobody /tmp/ksft-nobody.out /bin/hwbp-as-nobody "$bin" ${hwbp_ksft_args:-}
	echo "$paranoid" >/proc/sys/kernel/perf_event_paranoid
	set -- $(ksft_totals /tmp/ksft-nobody.out)
	echo "# as uid 65534: $1 planned, $2 reported, $3 passed, $4 failed, $5 skipped (exit $ksft_rc)"
	# With the switch off (hw_breakpoint.preempt=0 at boot) an unprivileged
	# run cannot turn it on and skips every case; else one case runs.
	[ "$(cat "$knob")" = N ] && want=0 || want=1
	if [ "$1" -gt 0 ] && [ "$2" = "$1" ] && [ "$4" = 0 ] && [ "$3" -ge "$want" ] && [ "$ksft_rc" = 0 ]; then
		result ok nobody.no-case-failed "$3 passed, $5 skipped"
	else
		result fail nobody.no-case-failed "$1 planned, $2 reported, $3 passed, $4 failed, $5 skipped, exit $ksft_rc"
	fi
fi

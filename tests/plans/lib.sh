# Helpers for guest plans (sourced by /init before the plan).
# result ok|fail|skip NAME [DIAGNOSTIC]: print one KTAP result line.
_hwbp_n=0
echo "KTAP version 1"
result() {
	_hwbp_n=$((_hwbp_n + 1))
	case "$1" in
	ok) echo "ok $_hwbp_n $2${3:+ # $3}" ;;
	skip) echo "ok $_hwbp_n $2 # SKIP ${3:-}" ;;
	*) echo "not ok $_hwbp_n $2${3:+ # $3}" ;;
	esac
}
# check NAME CMD...: run CMD, result ok if it exits 0.
check() {
	_name=$1; shift
	if "$@"; then result ok "$_name"; else result fail "$_name" "exit $?"; fi
}

# kgdbts_v1_cases: "ok|fail NAME" for each test of the last kgdbts V1 run in
# the kernel log: one per "kgdbts:RUN" section, failed if the section
# printed an error (kgdbts' eprintk) before the next RUN line.
kgdbts_v1_cases() {
	dmesg | sed 's/\r$//' | awk '/kgdbts:RUN hw breakpoint test$/ { buf = "" } { buf = buf $0 "\n" }
		END { printf "%s", buf }' | awk '
	function close_case() {
		if (name != "") printf "%s %s\n", (bad ? "fail" : "ok"), name
	}
	function start(n) { close_case(); name = n; bad = 0; next }
	/kgdbts:RUN hw breakpoint test$/               { start("hw_breakpoint_test") }
	/kgdbts:RUN hw write breakpoint test$/         { start("hw_write_break_test") }
	/kgdbts:RUN access write breakpoint test$/     { start("hw_access_break_test") }
	/kgdbts:RUN perf on every slot$/               { start("perf_on_every_slot") }
	/kgdbts:RUN hw breakpoint test over perf$/     { start("hw_breakpoint_test_over_perf") }
	/kgdbts:RUN hw write breakpoint test over perf$/ { start("hw_write_break_test_over_perf") }
	/kgdbts:RUN access write breakpoint test over perf$/ { start("hw_access_break_test_over_perf") }
	/kgdbts:RUN bad hw breakpoint input test$/     { start("hw_bad_input_test") }
	/kgdbts:RUN hw breakpoint test after bad input$/ { start("hw_breakpoint_test_after_bad_input") }
	/kgdbts:RUN perf counts after kgdb$/           { start("perf_counts_after_kgdb") }
	/kgdbts:RUN plant and detach test$/            { start("plant_and_detach_test") }
	/kgdbts:RUN sw breakpoint test$/               { start("sw_breakpoint_test") }
	/kgdbts:RUN bad memory access test$/           { start("bad_read_test") }
	/kgdbts:RUN singlestep test/                   { start("singlestep_test") }
	/kgdbts:RUN singlestep \[/                     { next }
	/kgdbts:RUN kernel_clone/                      { close_case(); name=""; exit }
	/kgdbts: (ERROR|BP mismatch|SingleStep failed|failed|perf breakpoint .* counted)/ { bad=1 }
	END { close_case() }'
}

# kgdbts_v1 PREFIX [OPTIONS [CASES]]: run kgdbts V1OPTIONS and report its
# tests as PREFIX.NAME; CASES (default 7) of them must have run.
kgdbts_v1() {
	echo "V1${2:-}" >/sys/module/kgdbts/parameters/kgdbts
	_n=0
	kgdbts_v1_cases >/tmp/v1
	while read -r _verdict _name; do
		result "$_verdict" "$1.$_name"; _n=$((_n + 1))
	done </tmp/v1
	[ "$_n" = "${3:-7}" ] && result ok "$1.all-cases-ran" ||
		result fail "$1.all-cases-ran" "$_n of ${3:-7}"
}

# pnmi_in_use: the boot uses pseudo-NMIs (the plans of make pnmi).
pnmi_in_use() {
	if dmesg | grep -q 'Pseudo-NMIs enabled'; then
		result ok pseudo-nmi-in-use "$(dmesg | sed -n 's/.*\(Pseudo-NMIs enabled[^\r]*\).*/\1/p' | head -1)"
	else
		result fail pseudo-nmi-in-use "no 'Pseudo-NMIs enabled' in the kernel log"
	fi
}

# cross_calls WHEN: perf stat -C on each CPU, a cross-call to it (a CPU
# that lost its IPIs hangs it until the plan's timeout).
cross_calls() {
	for _c in 0 1; do
		perf stat -C "$_c" -e cpu-clock -- sleep 0.1 >/dev/null 2>&1
		result ok "cross-call-to-cpu$_c-$1"
	done
}

# perf_evictions: "EVICTIONS RESTORES" of perf-class breakpoints so far, all
# CPUs (debugfs; "0 0" on a kernel without the scheduler).
perf_evictions() {
	awk '$2 == "perf" { e += $3; r += $5 } END { print e + 0, r + 0 }' \
		/sys/kernel/debug/hw_breakpoint/stats 2>/dev/null || echo "0 0"
}

# check_evictions PREFIX MIN "EV0 RE0": since perf_evictions said "EV0 RE0",
# perf breakpoints were evicted at least MIN times, and each was restored.
check_evictions() {
	set -- "$1" "$2" $3 $(perf_evictions)
	echo "# perf breakpoints evicted $(($5 - $3)) times, restored $(($6 - $4)) times"
	[ "$(($5 - $3))" -ge "$2" ] && result ok "$1.debugger-evicted-perf" ||
		result fail "$1.debugger-evicted-perf" "$(($5 - $3)) evictions"
	[ "$(($5 - $3))" = "$(($6 - $4))" ] && result ok "$1.every-eviction-restored" ||
		result fail "$1.every-eviction-restored" "evicted $(($5 - $3)), restored $(($6 - $4))"
}

# --- A real gdb over kgdboc (the host side: tests/plans/gdb-lib.sh) ---
# The host's gdb keeps a count in guest memory, in vm.overcommit_ratio (a
# plain int that nothing here depends on): +1 each time it stops at its
# breakpoint, +1000 each time it detaches.  The guest reads it to learn
# whether a call stopped in gdb and whether gdb let go.
GDB_MARK=/proc/sys/vm/overcommit_ratio
gdb_mark() { cat "$GDB_MARK"; }

# gdb_say TEXT: a line in the kernel log, in order with the kernel's own
# (what the guest prints to the console can come out after them).
gdb_say() { echo "hwbp-gdb: $*" >/dev/kmsg; }

# gdb_enter NAME: stop in kgdb (sysrq-g) for the host's gdb session NAME;
# returns when gdb continues or detaches.
gdb_enter() {
	_gdb_m0=$(gdb_mark)
	gdb_say "enter $1"
	echo g >/proc/sysrq-trigger
	gdb_say "back from $1"
}

# gdb_attached: gdb has not detached since the last gdb_enter.
gdb_attached() { [ $(( $(gdb_mark) / 1000 )) = $(( _gdb_m0 / 1000 )) ]; }

# gdb_release NAME: end the session.  If gdb is still attached, stop in
# kgdb again (sysrq-g): the host's gdb takes any stop other than at its
# breakpoint as the end, deletes its breakpoints and detaches.
# Result NAME.gdb-detached.
gdb_release() {
	if gdb_attached; then
		gdb_say "release $1"
		echo g >/proc/sysrq-trigger
	fi
	if gdb_attached; then
		result fail "$1.gdb-detached" "gdb is still attached"
	else
		result ok "$1.gdb-detached"
	fi
}

# getppid_on CPU: one getppid() pinned to CPU (busybox taskset).  Sets
# gdb_stops to the times the host's gdb stopped at its breakpoint meanwhile.
# A call that stops in kgdb with no gdb attached hangs the guest: the host
# side sees the log stand still, attaches a gdb of its own and counts it.
getppid_on() {
	_m=$(gdb_mark)
	echo "# hwbp-step: getppid on cpu$1"
	taskset -c "$1" /bin/hwbp-getppid 1
	_rc=$?
	echo "# hwbp-step-done: getppid on cpu$1 (exit $_rc)"
	gdb_stops=$(( ($(gdb_mark) - _m) % 1000 ))
	return $_rc
}

# getppid_runs_freely CPU...: once gdb has let go, getppid on each CPU
# neither stops in kgdb nor hangs, and no CPU's table keeps a debugger
# breakpoint.
getppid_runs_freely() {
	for _cpu in "$@"; do
		getppid_on "$_cpu"
		_rc=$?
		[ "$_rc" = 0 ] && [ "$gdb_stops" = 0 ] && result ok "getppid-cpu$_cpu-after-detach" ||
			result fail "getppid-cpu$_cpu-after-detach" "exit $_rc, stopped in kgdb $gdb_stops times"
	done
	show_slots "at the end"
	check_no_debugger no-debugger-slot-at-end
}

# cpu_online CPU 0|1: take a CPU offline or bring it back; 0 if it took.
cpu_online() {
	echo "$2" >"/sys/devices/system/cpu/cpu$1/online" &&
		[ "$(cat "/sys/devices/system/cpu/cpu$1/online")" = "$2" ]
}

# show_slots WHEN: the scheduler's slot table as KTAP comments.
show_slots() {
	echo "# slots $1:"
	sed 's/^/#   /' /sys/kernel/debug/hw_breakpoint/slots 2>/dev/null
}

# check_no_debugger NAME: no debugger-class row in the slot table of any
# online CPU ("cpu slot class state addr type len").
check_no_debugger() {
	_rows=$(awk '$3 == "debugger"' /sys/kernel/debug/hw_breakpoint/slots 2>/dev/null |
		tr '\n' ';')
	if [ ! -r /sys/kernel/debug/hw_breakpoint/slots ]; then
		result fail "$1" "no /sys/kernel/debug/hw_breakpoint/slots"
	elif [ -n "$_rows" ]; then
		result fail "$1" "debugger rows: $_rows"
	else
		result ok "$1"
	fi
}

# torture_summary DURATION: wait (at most DURATION + 120 s) for the built-in
# torture test's summary, print its ERROR lines as comments, and set
# $torture_line to the summary after "End of test: " (empty if none) and
# $torture_waited to the seconds waited.
torture_summary() {
	torture_waited=0
	while ! dmesg | grep -q 'hw_breakpoint_torture: End of test'; do
		torture_waited=$((torture_waited + 1))
		[ $torture_waited -gt $(($1 + 120)) ] && break
		sleep 1
	done
	torture_line=$(dmesg | sed -n 's/.*hw_breakpoint_torture: End of test: //p' | tail -1)
	dmesg | grep 'hw_breakpoint_torture: ERROR' | head -10 | sed 's/^/# /'
}

# fuzz_results FILE: the RESULT lines hwbp-fuzz wrote to FILE, as KTAP
# ("RESULT ok|fail NAME # DIAG"; a DIAG starting with SKIP is a skip).
fuzz_results() {
	while read -r tag verdict name rest; do
		[ "$tag" = RESULT ] || continue
		diag=${rest#\# }
		case "$diag" in
		SKIP*) result skip "$name" "${diag#SKIP }" ;;
		*) result "$verdict" "$name" "$diag" ;;
		esac
	done <"$1"
}

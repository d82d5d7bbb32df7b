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
	dmesg | awk '/kgdbts:RUN hw breakpoint test/ { buf = "" } { buf = buf $0 "\n" }
		END { printf "%s", buf }' | awk '
	function close_case() {
		if (name != "") printf "%s %s\n", (bad ? "fail" : "ok"), name
	}
	/kgdbts:RUN hw breakpoint test/      { close_case(); name="hw_breakpoint_test"; bad=0; next }
	/kgdbts:RUN hw write breakpoint test/ { close_case(); name="hw_write_break_test"; bad=0; next }
	/kgdbts:RUN access write breakpoint test/ { close_case(); name="hw_access_break_test"; bad=0; next }
	/kgdbts:RUN plant and detach test/   { close_case(); name="plant_and_detach_test"; bad=0; next }
	/kgdbts:RUN sw breakpoint test/      { close_case(); name="sw_breakpoint_test"; bad=0; next }
	/kgdbts:RUN bad memory access test/  { close_case(); name="bad_read_test"; bad=0; next }
	/kgdbts:RUN singlestep test/         { close_case(); name="singlestep_test"; bad=0; next }
	/kgdbts:RUN singlestep \[/           { next }
	/kgdbts:RUN kernel_clone/            { close_case(); name=""; exit }
	/kgdbts: (ERROR|BP mismatch|SingleStep failed|failed)/ { bad=1 }
	END { close_case() }'
}

# kgdbts_v1 PREFIX: run kgdbts V1 and report its tests as PREFIX.NAME.
kgdbts_v1() {
	echo V1 >/sys/module/kgdbts/parameters/kgdbts
	_n=0
	kgdbts_v1_cases >/tmp/v1
	while read -r _verdict _name; do
		result "$_verdict" "$1.$_name"; _n=$((_n + 1))
	done </tmp/v1
	[ "$_n" = 7 ] && result ok "$1.all-cases-ran" || result fail "$1.all-cases-ran" "$_n of 7"
}

# What a perf user reads while ptrace takes a breakpoint slot: evicted
# events stop running (time_running < time_enabled) and perf scales them,
# the others count every hit, a group is evicted whole, and pinned events
# wait instead of going to error state (tests/guest/hwbp-perf-honest.c),
# for pinned and flexible events.
# qemu-timeout: 240
# arm64: the same on CPU 0's watchpoint registers through NT_ARM_HW_WATCH
# (tests/guest/hwbp-arm64.c; execute breakpoints have a pool of their own
# there, so every event is a watchpoint); no perf tool in the guest.
if [ "$(uname -m)" = aarch64 ]; then
	for kind in pinned flexible room-left; do
		/bin/hwbp-arm64 "honest-$kind"
		rc=$?
		[ $rc = 0 ] && result ok "perf-honest-$kind-program" || result fail "perf-honest-$kind-program" "exit $rc"
	done
	# Mainline arm64 (pristine too, tests/expected-failures.txt): a tracer's
	# SIGSTOP between a perf watchpoint's trap and the step over the store,
	# then PTRACE_CONT, leaves the tracee's watchpoints off for good while
	# perf reports them running.  The programs above stop the child between
	# its rounds instead; this one stops it where it happens to be.
	/bin/hwbp-arm64 stop-cont "" 300
	# Mainline arm64 (pristine too): a kernel breakpoint installed while
	# the current task steps over its own user breakpoint hit is
	# installed disabled, and the step's end enables EL0's slots only.
	/bin/hwbp-arm64 step-install
	return 0
fi
for kind in pinned flexible room-left; do
	/bin/hwbp-perf-honest "$kind"
	rc=$?
	[ $rc = 0 ] && result ok "perf-honest-$kind-program" || result fail "perf-honest-$kind-program" "exit $rc"
done

# The same through Debian's perf stat: its four events fill CPU 0's slots
# (the execute breakpoint first, the last watchpoint arrives last and is
# evicted); the tracer alone runs the paced child, with a ptrace
# breakpoint for its second half.  perf prints the running share of the
# evicted event and scales its count; the others run 100%.
set -- $(/bin/hwbp-perf-honest addr)
if [ $# = 4 ]; then
	perf stat -C 0 -x, -o /tmp/stat \
		-e "mem:$4:x" -e "mem:$1/8:w" -e "mem:$2/8:w" -e "mem:$3/8:w" -- /bin/hwbp-perf-honest tracer
	perf stat -C 0 -o /tmp/stat.txt \
		-e "mem:$4:x" -e "mem:$1/8:w" -e "mem:$2/8:w" -e "mem:$3/8:w" -- /bin/hwbp-perf-honest tracer
	sed 's/^/# perf stat: /' /tmp/stat.txt
	# CSV: count,unit,event,run time,percentage running,...
	shares=$(awk -F, '/^[0-9]/ { printf "%s ", $5 }' /tmp/stat)
	echo "# running shares: $shares"
	partial=$(awk -F, '/^[0-9]/ && $5 + 0 < 90 { n++ } END { print n + 0 }' /tmp/stat)
	full=$(awk -F, '/^[0-9]/ && $5 + 0 == 100 { n++ } END { print n + 0 }' /tmp/stat)
	[ "$partial" = 1 ] && [ "$full" = 3 ] && result ok perf-stat-shows-evicted-share "$shares" ||
		result fail perf-stat-shows-evicted-share "shares: $shares (want one < 90%, three 100%)"
else
	result fail perf-stat-shows-evicted-share "no addresses"
fi

# What a perf user reads while ptrace takes a breakpoint slot: evicted
# events stop running (time_running < time_enabled) and perf scales them,
# the others count every hit, a group is evicted whole, and pinned events
# wait instead of going to error state (tests/guest/hwbp-perf-honest.c),
# for pinned and flexible events.
# qemu-timeout: 240
for kind in pinned flexible; do
	/bin/hwbp-perf-honest "$kind"
	rc=$?
	[ $rc = 0 ] && result ok "perf-honest-$kind-program" || result fail "perf-honest-$kind-program" "exit $rc"
done

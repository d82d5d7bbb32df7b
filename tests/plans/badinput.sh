# Bad input, each a test: ptrace with bad DR7 bits, lengths, alignments and
# addresses (kernel ones included), perf_event_open and
# PERF_EVENT_IOC_MODIFY_ATTRIBUTES with bad breakpoint attributes, as root
# and as nobody.  Each gets mainline's errno; afterwards the debug
# registers, the reservations, the scheduler's slot table and its counters
# are as before.  Then the same against perf on every slot, where a refused
# request must evict nobody; on the patched kernel once more with the
# switch off (mainline semantics: ENOSPC first).  The program's first run
# also holds the regression case switch-off-modify (patched only, a SKIP on
# pristine): a ptrace breakpoint that evicted perf changes its type through
# DR7 after the switch is turned off; the write must fail with ENOSPC and
# leave the breakpoint working and its reservation held.  Without the fix
# the kernel WARNs, which fails badinput.no-unexpected-splats (scripts/ktap.py).
# qemu-timeout: 300

# arm64: bad NT_ARM_HW_WATCH/NT_ARM_HW_BREAK writes and perf attrs
# (tests/guest/hwbp-arm64.c), alone and with perf on every slot.
if [ "$(uname -m)" = aarch64 ]; then
	/bin/hwbp-arm64 badinput
	rc=$?
	[ $rc = 0 ] && result ok program || result fail program "exit $rc"
	/bin/hwbp-arm64 badinput-full full.
	rc=$?
	[ $rc = 0 ] && result ok full.program || result fail full.program "exit $rc"
	knob=/sys/module/hw_breakpoint/parameters/preempt
	if [ -w "$knob" ]; then
		echo 0 >"$knob"
		/bin/hwbp-arm64 badinput-full preempt-off.full.
		rc=$?
		echo 1 >"$knob"
		[ $rc = 0 ] && result ok preempt-off.program || result fail preempt-off.program "exit $rc"
	else
		result skip preempt-off "no $knob (pristine: the full group above has mainline semantics)"
	fi
	return 0
fi

/bin/hwbp-badinput
rc=$?
[ $rc = 0 ] && result ok program || result fail program "exit $rc"

knob=/sys/module/hw_breakpoint/parameters/preempt
if [ -w "$knob" ]; then
	echo 0 >"$knob"
	/bin/hwbp-badinput full preempt-off.
	rc=$?
	echo 1 >"$knob"
	[ $rc = 0 ] && result ok preempt-off.program || result fail preempt-off.program "exit $rc"
else
	result skip preempt-off "no $knob (pristine: the full group above has mainline semantics)"
fi

# The kdb-unregister plan (make kdb ARCH=arm64): a debugger session while
# kgdboc unregisters, after kgdb's exit began.  arm64 enters the debugger
# from its break and breakpoint handlers, not through a notifier that
# kgdb's exit could unregister first, and sysrq-g is unregistered after
# that exit: such a session must not plant a breakpoint on the events
# being freed.  The host (kdb-unregister.host: kdb-drive.py unregister)
# sets kdb's bp right after kgdb_hw_exit()'s drop IPI, before it hides and
# frees its events, and types bph there: kgdb must refuse it.  Afterwards
# no CPU's slot table may hold a debugger breakpoint (it would point to
# freed memory).  kgdboc comes back, and a bph on getppid must stop it.
# What this cannot show: a session that saw the events while they were
# freed (the RCU grace period kgdb_hw_exit() waits for); no stop point
# makes that deterministic.
# qemu-timeout: 300
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

kgdboc=/sys/module/kgdboc/parameters/kgdboc
echo g >/proc/sysrq-trigger
show_slots "before kgdboc's unregister"
if echo >$kgdboc 2>/tmp/err; then
	result ok unregister
else
	result fail unregister "$(tr -d '\n' </tmp/err)"
fi
dmesg | grep -a "I/O driver" | tail -1 | sed 's/^/# /'
show_slots "kgdboc unregistered"
check_no_debugger no-debugger-slot-after-unregister
if echo ttyS0 >$kgdboc 2>/tmp/err; then
	result ok register-again
else
	result fail register-again "$(tr -d '\n' </tmp/err)"
fi
echo g >/proc/sysrq-trigger
taskset -c 0 /bin/hwbp-getppid 1 && result ok getppid-after-register-again ||
	result fail getppid-after-register-again "exit $?"
check_no_debugger no-debugger-slot-at-end

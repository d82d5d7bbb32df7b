# arm64 (make test-gdb-stepover ARCH=arm64): gdb's step over a watchpoint
# hit taken while the kernel steps over a breakpoint hit.  arm64 steps
# over a kernel breakpoint's hit with a single step of its own, its
# breakpoints off until the step exception; a watchpoint hit by that very
# instruction stops in kgdb meanwhile, and gdb steps over it (z2, s, Z2).
# Both steps must end: kgdb's step has to get the exception, and the
# breakpoint step-over its bookkeeping.  Then the same stop, continued
# ("c") instead of stepped, in raw remote protocol (rsp-continue.py: gdb
# always steps there): the step-over must still end, or every later
# breakpoint hit on that CPU turns its breakpoint off (a perf breakpoint
# on getppid counted 1 of 100 calls without kgdb's continue leaving the
# step armed for it).  The host side
# (gdb-stepover.host): watch sysctl_perf_event_paranoid, learn the
# storing instruction from the first hit (the instruction before the
# stop), hbreak it, stop there on the second write, delete the hbreak,
# continue: the watchpoint must report the second write, and the third
# (breakpoints the step-overs turned off are on again).  Before kgdb told
# the step-over about its step, the step-over took kgdb's step exception,
# the stop never came and the machine stayed held (a timeout).
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

old=$(cat /proc/sys/kernel/perf_event_paranoid)
new=$((old == 1 ? 2 : 1))
echo g >/proc/sysrq-trigger
echo "$new" >/proc/sys/kernel/perf_event_paranoid
echo "$old" >/proc/sys/kernel/perf_event_paranoid
echo "$new" >/proc/sys/kernel/perf_event_paranoid
# gdb has detached: put it back unwatched.
echo "$old" >/proc/sys/kernel/perf_event_paranoid
# The continue half (rsp-continue.py): a stop at the store, one at the
# watchpoint inside the step over it, a continue from there, then a stop
# at the function's entry on each of the next two writes.
# One CPU for the whole half: the step-over's state is per CPU, and a
# write on the other CPU would find its breakpoints on whatever happened.
taskset -p -c 0 $$ >/dev/null
gdb_enter continue-half
echo "$new" >/proc/sys/kernel/perf_event_paranoid
echo "$old" >/proc/sys/kernel/perf_event_paranoid
echo "$new" >/proc/sys/kernel/perf_event_paranoid
echo "$old" >/proc/sys/kernel/perf_event_paranoid
# CPU 0 took that continue: its step-over must have ended, or a perf
# breakpoint there counts one hit and no more.
/bin/hwbp-arm64 kernel-bp-counts continue-half.
if [ "$(cat /proc/sys/kernel/perf_event_paranoid)" = "$old" ]; then
	result ok guest.writes-done
else
	result fail guest.writes-done "perf_event_paranoid is $(cat /proc/sys/kernel/perf_event_paranoid), want $old"
fi

# arm64 (make test-gdb-stepmasked ARCH=arm64; with pseudo-NMIs, plan
# pnmi-stepmasked of make pnmi): gdb steps from a context that has debug
# exceptions masked (PSTATE.D).  kgdb steps with IRQ and FIQ masked in
# the stepped context and gives the context its own bits back at the step
# exception ("arm64: kgdb: Mask interrupts in the stepped context while
# kgdb steps").  A context with PSTATE.D set, perf's handler of a kernel
# breakpoint inside the debug exception, cannot take the step: it comes
# once the exception has returned, in whatever context unmasks debug
# exceptions next, and kgdb must not give that context the debug
# context's bits (all masked).  `hwbp-arm64 masked-step` puts the perf
# breakpoint on __set_task_blocked(), which runs under spin_lock_irq(), so
# that no interrupt comes first and the step lands there, in its own
# context.  Without pseudo-NMIs its I and F bits are set anyway; with them
# (pnmi-stepmasked) they are clear, and the unfixed kgdb set them.  The
# host side (gdb-stepmasked.host): break *perf_bp_event, check PSTATE.D
# there and the bits of the context the exception returns to, stepi,
# check that the step came at __set_task_blocked with those bits, delete,
# detach; the guest checks every call and the count.
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

gdb_enter stepmasked
/bin/hwbp-arm64 masked-step

# arm64 (make test-gdb-stepmasked ARCH=arm64): gdb steps from a context
# that has debug exceptions masked (PSTATE.D).  kgdb steps with IRQ and
# FIQ masked in the stepped context and gives the context its own bits
# back at the step exception ("arm64: kgdb: Mask interrupts in the
# stepped context while kgdb steps").  A context with PSTATE.D set, perf's
# handler of a kernel breakpoint inside the debug exception, cannot take
# the step: it comes once the exception has returned, in the context
# that raised it, and kgdb must not write the first context's bits (all
# masked) into that one, or the syscall goes on with interrupts masked
# and sleeps ("BUG: sleeping function called from invalid context").
# The host side (gdb-stepmasked.host): break perf_bp_event, stop there
# for the first uname() of `hwbp-arm64 masked-step` (a CPU-wide kernel
# breakpoint on newuname), check PSTATE.D, stepi (it ends outside the
# handler: in newuname or an interrupt), delete, detach; the
# guest checks every call and count, the host the log.
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

gdb_enter stepmasked
/bin/hwbp-arm64 masked-step

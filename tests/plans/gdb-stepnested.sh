# arm64 (make test-gdb-stepnested ARCH=arm64): gdb steps a store that
# hits a perf watchpoint, and stops inside that step in perf's handler of
# the hit.  kgdb steps with IRQ and FIQ masked in the stepped context and
# gives the context its bits back at its next entry ("arm64: kgdb: Mask
# interrupts in the stepped context while kgdb steps"); that entry is
# here a debug handler of the stepped instruction's own exception (debug
# exceptions masked, another address), and the bits belong to the
# instruction's frame, which the watchpoint's exception saved where the
# step was armed.  Before, kgdb warned ("anything else is a bug") and
# restored nothing: the sysctl write went on with interrupts masked.
# The host side (gdb-stepnested.host): hbreak do_proc_dointvec_conv for
# a write of sysctl_perf_event_paranoid, break *perf_bp_event, stepi until
# the stop in perf_bp_event, check the frame's interrupt bits (clear, as
# the writer had them), delete, detach; the guest (`hwbp-arm64
# nested-watch`, a CPU-wide perf watchpoint on the variable) checks the
# writes and the count, the log no warning.
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

gdb_enter stepnested
/bin/hwbp-arm64 nested-watch

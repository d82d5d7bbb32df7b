# arm64 (make test-gdb-stepfault ARCH=arm64): gdb steps a kernel load
# that faults.  kgdb steps with IRQ and FIQ masked in the stepped context
# ("arm64: kgdb: Mask interrupts in the stepped context while kgdb
# steps"); when the stepped instruction faults, the fault's handler
# inherits that masking and unmasks debug exceptions, and the step
# exception is taken at its start: kgdb must give the handler, and the
# frame the fault returns to, the context's own bits back, or the page
# fault runs with interrupts masked ("BUG: sleeping function called from
# invalid context") and the context goes on with them masked.  The host
# side (gdb-stepfault.host): hbreak __arch_copy_from_user for the guest's
# 57-byte sethostname() from a file page it never touched (mapped at
# 0x5a5a000000), stepi until the pc leaves the copy (into the fault's
# handler, not back to the caller), delete, continue; the guest checks
# that the name arrived.
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0

gdb_enter stepfault
/bin/hwbp-arm64 fault-copy

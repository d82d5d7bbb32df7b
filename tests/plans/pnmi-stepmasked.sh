# arm64, make pnmi: plan gdb-stepmasked (see there) with pseudo-NMIs.
# Interrupts masked by spin_lock_irq() are masked by the GIC's priority
# mask alone, PSTATE.I and F stay clear: a step from perf's handler
# (PSTATE.D, I, F set) that kgdb wrongly armed with the handler's bits
# would set them in __set_task_blocked()'s context, where gdb reads them
# after the step.  Host side: gdb-stepmasked.host, which asks for clear
# bits there when the kernel booted with pseudo-NMIs.
# machine: virt,gic-version=3
# qemu-timeout: 240
# append: kgdboc=ttyS0,115200 nmi_watchdog=0 irqchip.gicv3_pseudo_nmi=1

pnmi_in_use
gdb_enter stepmasked
/bin/hwbp-arm64 masked-step

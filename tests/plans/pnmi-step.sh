# arm64 only, not in make test: kgdbts V1 (its single-step test: 1000
# steps, each session a roundup) on a GICv3 with pseudo-NMIs.  arm64's
# kgdb keeps the other CPUs in the debugger while it steps
# (kgdb_single_step), and a roundup by pseudo-NMI can stop a CPU that
# holds a spinlock with interrupts masked (a runqueue lock in load
# balancing); an interrupt taken by the stepping CPU must then not run
# its handler before the step ends.  Pristine 6.12 steps into the handler
# (the debugger gets it back at once); with "arm64: entry: Do not step
# into an interrupt taken during a kernel single-step" the handler runs
# (the timer tick takes the runqueue lock) and the two CPUs deadlock,
# unless kgdb steps with IRQ and FIQ masked in the stepped context ("arm64:
# kgdb: Mask interrupts in the stepped context while kgdb steps").
# machine: virt,gic-version=3
# qemu-timeout: 120
# append: nmi_watchdog=0 irqchip.gicv3_pseudo_nmi=1
pnmi_in_use
echo V1 >/sys/module/kgdbts/parameters/kgdbts
result ok kgdbts-v1-returned
cross_calls after-kgdb

# arm64 only: kgdbts V1 with option P (as kgdbts-slots) on a GICv3 with
# pseudo-NMIs (GIC priority masking): there kgdb's roundup of the other
# CPUs is an NMI in 6.12 (IPI_KGDB_ROUNDUP) and an ordinary IPI in 6.1,
# local_irq_restore() writes PMR rather than DAIF, and arm64's
# correct_hw_break() unmasks debug exceptions itself.  Checks that the
# boot uses pseudo-NMIs, then the hardware breakpoint tests over perf on
# every register, the bad requests, and perf's exact counts around them;
# kgdbts' single-step test is left out (I0): plan pnmi-step runs it.
# machine: virt,gic-version=3
# qemu-timeout: 300
# append: nmi_watchdog=0 irqchip.gicv3_pseudo_nmi=1
pnmi_in_use
kgdbts_v1 V1P PI0 14

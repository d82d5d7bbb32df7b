# arm64 only, a diagnostic (not in make test): does a CPU rounded up by
# kgdb (kgdbts V1: software breakpoint tests only, so pristine kernels run
# it too) still take ordinary IPIs afterwards, on a GICv3 with pseudo-NMIs?
# perf stat -C 0 and -C 1 make a cross-call to each CPU; a lost IPI hangs
# it until the plan's timeout.  kgdbts' single-step test is left out (I0):
# plan pnmi-step runs it.
# machine: virt,gic-version=3
# qemu-timeout: 120
# append: nmi_watchdog=0 irqchip.gicv3_pseudo_nmi=1
pnmi_in_use
cross_calls before-kgdb
echo V1I0 >/sys/module/kgdbts/parameters/kgdbts
result ok kgdbts-v1-returned
cross_calls after-kgdb

# kgdbts V1 with our option P: after its usual hardware breakpoint tests,
# kgdbts fills every slot of every CPU with counting perf breakpoints, runs
# the hardware breakpoint tests again over them, sends bad breakpoint
# requests (each must get an error packet; a fifth breakpoint is refused),
# runs a hardware breakpoint test again, and checks that the perf
# breakpoints counted exactly before and after.  Its own boot, so that
# lockdep is still on (plant-and-detach comes after).
# qemu-timeout: 300
# append: nmi_watchdog=0
kgdbts_v1 V1P P 14

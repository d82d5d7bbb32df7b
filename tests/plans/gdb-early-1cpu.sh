# gdb-early with CPU 1 offline while gdb is attached (maxcpus=1): early
# kgdb's breakpoint on CPU 0 alone, then, once gdb has let go, CPU 1 comes
# online.  Same steps and checks as gdb-early (whose 2-CPU boot brings CPU 1
# up while gdb is attached).
# qemu-timeout: 240
# serial-wait: on
# append: earlycon=uart8250,io,0x2f8,115200 kgdboc_earlycon kgdbwait kgdboc=ttyS1,115200 nmi_watchdog=0 maxcpus=1

. /plans/gdb-early.sh

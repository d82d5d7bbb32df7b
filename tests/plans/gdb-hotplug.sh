# kgdb's breakpoints and CPU hotplug, with a real gdb (gdb-hotplug.host).
# gdb sets `hbreak` on getppid's entry and continues; CPU 1 goes offline;
# getppid on CPU 0 must stop in gdb; gdb deletes the breakpoint and
# detaches; CPU 1 comes back and a getppid pinned to it must neither stop
# nor hang (the breakpoint is gone), and no CPU's slot table may keep a
# debugger breakpoint.  A bug here leaves CPU 1 with the breakpoint gdb
# deleted: the getppid stops in kgdb with nobody attached and the guest
# hangs (the host side then attaches a gdb, says where, and lets it go).
# qemu-timeout: 180
# append: kgdboc=ttyS1,115200 nmi_watchdog=0

gdb_enter session
cpu_online 1 0 && result ok cpu1-offline || result fail cpu1-offline
show_slots "CPU 1 offline, gdb's hbreak set"
getppid_on 0
[ "$gdb_stops" = 1 ] && result ok gdb-stops-on-cpu0-with-cpu1-offline ||
	result fail gdb-stops-on-cpu0-with-cpu1-offline "$gdb_stops stops"
gdb_release session
cpu_online 1 1 && result ok cpu1-online || result fail cpu1-online
show_slots "after the detach, CPU 1 back"
check_no_debugger no-debugger-slot-after-detach-and-online
getppid_runs_freely 1 0

# A CPU that comes online only after kgdb registered, with a real gdb
# (gdb-hotplug-late.host).  The kernel boots with CPU 1 offline
# (maxcpus=1), so kgdboc registers kgdb while only CPU 0 runs; then CPU 1
# comes online, gdb sets `hbreak` on getppid's entry and continues, and a
# getppid pinned to CPU 1 must stop in gdb.  Then gdb lets go; getppid on
# either CPU must neither stop nor hang, no slot table may keep a debugger
# breakpoint.  A kgdb with no breakpoint event for CPU 1 crashes or never
# stops there.
# qemu-timeout: 180
# append: kgdboc=ttyS1,115200 nmi_watchdog=0 maxcpus=1

if [ "$(cat /sys/devices/system/cpu/online)" = 0 ]; then
	result ok booted-with-cpu1-offline
else
	result fail booted-with-cpu1-offline "online: $(cat /sys/devices/system/cpu/online)"
fi
dmesg | grep -a "Registered I/O driver kgdboc" | sed 's/^/# /'
cpu_online 1 1 && result ok cpu1-online || result fail cpu1-online
gdb_enter session
show_slots "CPU 1 onlined after kgdb registered, gdb's hbreak set"
getppid_on 1
[ "$gdb_stops" = 1 ] && result ok gdb-stops-on-cpu1 || result fail gdb-stops-on-cpu1 "$gdb_stops stops"
getppid_on 0
[ "$gdb_stops" = 1 ] && result ok gdb-stops-on-cpu0 || result fail gdb-stops-on-cpu0 "$gdb_stops stops"
gdb_release session
getppid_runs_freely 1 0

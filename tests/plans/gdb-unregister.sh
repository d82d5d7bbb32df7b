# kgdboc unregistered and registered again, with a real gdb
# (gdb-unregister.host).  Unregistering kgdb frees its breakpoint events:
# afterwards no CPU's slot table may still hold a debugger breakpoint (it
# would point to freed memory), and perf breakpoints must count exactly on
# every CPU.  Then kgdboc comes back and a full gdb cycle must work.
#
# 1. gdb sets `hbreak` on sethostname's entry and `watch` on panic_on_warn
#    (neither is ever hit here), continues and is killed: no detach.  6.1
#    refuses to unregister while kgdb counts gdb as connected (EBUSY): the
#    breakpoints stay, rightly.
# 2. A second gdb attaches (which clears the first one's breakpoints), sets
#    the same hbreak and continues; CPU 1 goes offline; the plan stops in
#    kgdb again, gdb deletes everything and detaches; kgdboc is
#    unregistered; CPU 1 comes back.  No debugger row may remain.
# 3. kgdboc is registered again; gdb's `hbreak` on getppid's entry stops,
#    gdb deletes it and detaches; getppid then runs on both CPUs freely.
# qemu-timeout: 240
# append: kgdboc=ttyS1,115200 nmi_watchdog=0

kgdboc=/sys/module/kgdboc/parameters/kgdboc
# The port it was booted with (ttyS1; arm64: ttyS0), to register it again.
kgdboc_port=$(cat $kgdboc)
# debugger_rows: the debugger-class rows of the slot table
debugger_rows() { awk '$3 == "debugger"' /sys/kernel/debug/hw_breakpoint/slots | wc -l; }

# 1. gdb vanishes with its breakpoints set (the host kills it as soon as
#    the guest is back; a gdb still alive at the next stop just sits).
gdb_enter armed
sleep 3
show_slots "gdb's hbreak and watchpoint set, gdb killed"
n=$(debugger_rows)
[ "$n" = 4 ] && result ok gdb-breakpoints-armed "$n debugger rows" ||
	result fail gdb-breakpoints-armed "$n debugger rows, want 2 per CPU"
if echo >$kgdboc 2>/tmp/err; then
	result ok unregister-with-gdb-gone "unregistered"
	check_no_debugger no-debugger-slot-after-unregister-with-gdb-gone
	echo "$kgdboc_port" >$kgdboc
else
	result ok unregister-with-gdb-gone "refused ($(tr -d '\n' </tmp/err)): kgdb still counts gdb as connected"
fi
dmesg | grep -a "Cannot reconfigure\|I/O driver" | sed 's/^/# /'

# 2. Unregister after a session that ended with CPU 1 offline.
gdb_enter reattach
cpu_online 1 0 && result ok cpu1-offline || result fail cpu1-offline
gdb_release reattach
if echo >$kgdboc 2>/tmp/err; then
	result ok unregister
else
	result fail unregister "$(tr -d '\n' </tmp/err)"
fi
dmesg | grep -a "I/O driver" | tail -1 | sed 's/^/# /'
check_no_debugger no-debugger-slot-after-unregister
cpu_online 1 1 && result ok cpu1-online || result fail cpu1-online
show_slots "kgdboc unregistered, CPU 1 back"
check_no_debugger no-debugger-slot-after-unregister-and-online
for cpu in 0 1; do
	HWBP_HOLD_CPU=$cpu /bin/hwbp-perf-hold "unregistered.cpu$cpu" true
done

# 3. kgdboc again, and a full cycle.
if echo "$kgdboc_port" >$kgdboc 2>/tmp/err; then
	result ok register-again
else
	result fail register-again "$(tr -d '\n' </tmp/err)"
fi
gdb_enter again
getppid_on 0
[ "$gdb_stops" = 1 ] && result ok gdb-stops-after-register-again ||
	result fail gdb-stops-after-register-again "$gdb_stops stops"
gdb_release again
getppid_runs_freely 1 0

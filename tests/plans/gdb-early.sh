# Early kgdb with a real gdb (gdb-early.host): the kernel waits for gdb
# while it parses its early parameters (kgdbwait, kgdb over the ttyS1
# earlycon), before perf, the breakpoint scheduler, per-CPU areas or CPU 1
# exist.  gdb sets `hbreak __x64_sys_getppid` there and continues.  Once
# booted, the breakpoint must be the debugger's on every CPU: each CPU's
# slot table holds it, getppid on each CPU stops in gdb.  Then gdb deletes
# it and detaches: getppid must run on both CPUs without stopping or
# hanging (no debug register left armed), no slot table keeps a debugger
# breakpoint.
# gdb-early-1cpu runs this plan with CPU 1 offline until gdb has let go.
# qemu-timeout: 240
# serial-wait: on
# append: earlycon=uart8250,io,0x2f8,115200 kgdboc_earlycon kgdbwait kgdboc=ttyS1,115200 nmi_watchdog=0

dmesg | grep -aE "earlycon|kgdb|KGDB|gdb" | sed 's/^/# /'
if dmesg | grep -aq "Waiting for connection from remote gdb"; then
	result ok early-kgdb-waited-for-gdb
else
	result fail early-kgdb-waited-for-gdb "no 'Waiting for connection from remote gdb' in dmesg"
fi
_gdb_m0=$(gdb_mark)	# gdb attached at boot: no gdb_enter
echo "# gdb stopped $((_gdb_m0 % 1000 - 50)) times at getppid before the plan (overcommit_ratio starts at 50)"
cpus=$(cat /sys/devices/system/cpu/online)
case "$cpus" in 0) cpus=0 ;; *) cpus="0 1" ;; esac
echo "# CPUs online: $cpus"
show_slots "gdb's early hbreak set"
n=$(awk '$3 == "debugger" { print $1 }' /sys/kernel/debug/hw_breakpoint/slots | sort -u | wc -l)
[ "$n" = "$(echo $cpus | wc -w)" ] && result ok debugger-slot-on-every-cpu ||
	result fail debugger-slot-on-every-cpu "debugger rows on $n of $(echo $cpus | wc -w) CPUs"
for cpu in $cpus; do
	getppid_on $cpu
	[ "$gdb_stops" = 1 ] && result ok "gdb-stops-on-cpu$cpu" ||
		result fail "gdb-stops-on-cpu$cpu" "$gdb_stops stops"
done
gdb_release early
if [ "$cpus" = 0 ]; then
	cpu_online 1 1 && result ok cpu1-online-after-detach || result fail cpu1-online-after-detach
fi
getppid_runs_freely 0 1

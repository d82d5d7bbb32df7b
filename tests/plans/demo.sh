# make demo: what the series does, step by step, in one boot.
# qemu-timeout: 300
# append: nmi_watchdog=0
say() { printf '\n=== %s\n' "$*"; }
knob=/sys/module/hw_breakpoint/parameters/preempt
# KTAP results as "  PASS name # detail" / "  FAIL ...".  One sed, writing
# straight to the console (line-buffered), no grep between: what a step
# printed is on the console even if the kernel dies during the next one.
# scripts/demo-report.py reads these lines back from the serial log.
# shown [SED_ARGS]: those first (e.g. a filter), then the conversion.
shown() { sed -n -E "$@" -e 's/^ok [0-9]+ /  PASS /p' -e 's/^not ok [0-9]+ /  FAIL /p'; }

say "Kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, 4 debug registers each"
if [ -r /sys/kernel/debug/hw_breakpoint/slots ]; then
	echo "Patched kernel: breakpoint scheduler present, preempt=$(cat $knob)"
	echo "(classes: debugger > ptrace > perf; a higher class evicts a lower one)"
else
	echo "Pristine kernel: first come, first served; no scheduler state to show"
fi

say "Step 1-4: perf fills every slot on every CPU, a tracer sets a ptrace breakpoint"
echo "(the program prints the slot table at each step, then KTAP results)"
/bin/hwbp-ptrace-evict 2>&1 | sed -e 's/^# //' -e 's/^ok [0-9]* /  PASS /' -e 's/^not ok [0-9]* /  FAIL /'

if [ -r /sys/kernel/debug/hw_breakpoint/stats ]; then
	say "The slot viewer now (hwbp-top -n 1)"
	/bin/hwbp-top -n 1
	say "Same steps with the switch off (echo 0 > $knob): mainline semantics"
	echo 0 >"$knob"
	/bin/hwbp-ptrace-evict 2>&1 | shown -e '/ptrace-set-dr0|perf-one-evicted/!d'
	echo 1 >"$knob"
fi
say "Step 5: kgdb (kgdbts V1) sets hardware breakpoints while perf holds every slot"
echo "(pristine: kgdb cannot allocate its breakpoints and disables itself;"
echo " its next breakpoint is an unhandled int3 and the kernel panics here)"
/bin/hwbp-perf-hold demo "echo V1 >/sys/module/kgdbts/parameters/kgdbts" 2>&1 | shown
kgdbts_v1_cases | sed -n -E -e '/ hw_/!d' -e 's/^ok /  PASS kgdbts /p' -e 's/^fail /  FAIL kgdbts /p'
if [ -r /sys/kernel/debug/hw_breakpoint/stats ]; then
	echo "Counters now:"
	awk 'NR == 1 || $3 + $4 + $5 > 0' /sys/kernel/debug/hw_breakpoint/stats
fi
say "Done"

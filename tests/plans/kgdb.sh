# kgdb against full slots: perf CPU-wide breakpoints hold every slot of
# every CPU while kgdbts V1 plants hardware breakpoints and watchpoints.
# Pristine kgdb gets no slot (its hardware tests fail); the debugger class
# evicts perf for each session and perf counts exactly again afterwards.
# qemu-timeout: 300
# append: nmi_watchdog=0

before=$(perf_evictions)

/bin/hwbp-perf-hold full "echo V1 >/sys/module/kgdbts/parameters/kgdbts"
kgdbts_v1_cases >/tmp/v1
while read -r verdict name; do
	case "$name" in hw_*) result "$verdict" "full.$name" ;; esac
done </tmp/v1

check_evictions full 3 "$before"

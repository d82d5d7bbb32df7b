# kgdbts V1 (every built-in kgdb test) then F100 (100 kernel_clone
# breakpoints), armed through the module parameter after boot.
# qemu-timeout: 420
# append: nmi_watchdog=0

# Results of the V1 run: one case per "kgdbts:RUN" section of the log; a
# section fails if it printed an error (eprintk) before the next RUN line.
v1_cases() {
	dmesg | sed -n '/kgdbts:RUN hw breakpoint test/,$p' | awk '
	function close_case() {
		if (name != "") printf "%s %s\n", (bad ? "fail" : "ok"), name
	}
	/kgdbts:RUN hw breakpoint test/      { close_case(); name="hw_breakpoint_test"; bad=0; next }
	/kgdbts:RUN hw write breakpoint test/ { close_case(); name="hw_write_break_test"; bad=0; next }
	/kgdbts:RUN access write breakpoint test/ { close_case(); name="hw_access_break_test"; bad=0; next }
	/kgdbts:RUN plant and detach test/   { close_case(); name="plant_and_detach_test"; bad=0; next }
	/kgdbts:RUN sw breakpoint test/      { close_case(); name="sw_breakpoint_test"; bad=0; next }
	/kgdbts:RUN bad memory access test/  { close_case(); name="bad_read_test"; bad=0; next }
	/kgdbts:RUN singlestep test/         { close_case(); name="singlestep_test"; bad=0; next }
	/kgdbts:RUN singlestep \[/           { next }
	/kgdbts:RUN kernel_clone/            { close_case(); name=""; exit }
	/kgdbts: (ERROR|BP mismatch|SingleStep failed|failed)/ { bad=1 }
	END { close_case() }'
}

echo V1 >/sys/module/kgdbts/parameters/kgdbts
n=0
v1_cases >/tmp/v1
while read -r verdict name; do
	result "$verdict" "V1.$name"; n=$((n + 1))
done </tmp/v1
[ "$n" = 7 ] && result ok V1.all-cases-ran || result fail V1.all-cases-ran "$n of 7 sections"

# F100: the test unregisters kgdbts once it saw 100 kernel_clone breakpoints.
unreg_before=$(dmesg | grep -c 'Unregistered I/O driver kgdbts' || true)
echo F100 >/sys/module/kgdbts/parameters/kgdbts
i=0
while [ $i -lt 60 ]; do
	for _ in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done
	unreg=$(dmesg | grep -c 'Unregistered I/O driver kgdbts' || true)
	[ "$unreg" -gt "$unreg_before" ] && break
	i=$((i + 1))
done
if [ "$unreg" -gt "$unreg_before" ] &&
   ! dmesg | sed -n '/kgdbts:RUN kernel_clone/,$p' | grep -qE 'kgdbts: (ERROR|BP mismatch|SingleStep failed)'; then
	result ok F100.kernel_clone_breakpoints
else
	result fail F100.kernel_clone_breakpoints "not finished after $((i * 10)) forks"
fi

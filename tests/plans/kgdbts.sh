# kgdbts V1 (every built-in kgdb test) then F100 (100 kernel_clone
# breakpoints), armed through the module parameter after boot.
# qemu-timeout: 420
# append: nmi_watchdog=0

kgdbts_v1 V1

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

# The breakpoint cases of Debian's perf test (perf 6.1 in the guest).
# qemu-timeout: 300
# arm64: Debian's arm64 perf (scripts/deps.sh); "x86 bp modify" is x86's.
x86_only="x86 bp modify"
for t in "Breakpoint overflow signal handler" "Breakpoint overflow sampling" \
	 "Breakpoint accounting" "x86 bp modify"; do
	if [ "$t" = "$x86_only" ] && [ "$(uname -m)" = aarch64 ]; then
		result skip "$(echo "$t" | tr ' ' '_')" "x86 only"
		continue
	fi
	out=$(perf test "$t" 2>&1)
	echo "$out" | sed 's/^/# /'
	name=$(echo "$t" | tr ' ' '_')
	case "$out" in
	*": Ok"*) result ok "$name" ;;
	*": Skip"*) result skip "$name" "$(echo "$out" | tail -1)" ;;
	*) result fail "$name" ;;
	esac
done

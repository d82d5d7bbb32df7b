# The breakpoint cases of Debian's perf test (perf 6.1 in the guest).
# qemu-timeout: 300
for t in "Breakpoint overflow signal handler" "Breakpoint overflow sampling" \
	 "Breakpoint accounting" "x86 bp modify"; do
	out=$(perf test "$t" 2>&1)
	echo "$out" | sed 's/^/# /'
	name=$(echo "$t" | tr ' ' '_')
	case "$out" in
	*": Ok"*) result ok "$name" ;;
	*": Skip"*) result skip "$name" "$(echo "$out" | tail -1)" ;;
	*) result fail "$name" ;;
	esac
done

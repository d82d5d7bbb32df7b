# Helpers for guest plans (sourced by /init before the plan).
# result ok|fail|skip NAME [DIAGNOSTIC]: print one KTAP result line.
_hwbp_n=0
echo "KTAP version 1"
result() {
	_hwbp_n=$((_hwbp_n + 1))
	case "$1" in
	ok) echo "ok $_hwbp_n $2${3:+ # $3}" ;;
	skip) echo "ok $_hwbp_n $2 # SKIP ${3:-}" ;;
	*) echo "not ok $_hwbp_n $2${3:+ # $3}" ;;
	esac
}
# check NAME CMD...: run CMD, result ok if it exits 0.
check() {
	_name=$1; shift
	if "$@"; then result ok "$_name"; else result fail "$_name" "exit $?"; fi
}

# shellcheck shell=bash
# Shared by the host sides of the gdb plans (tests/plans/gdb*.host), which
# run next to QEMU (scripts/run-plan.sh) and drive Debian's gdb over
# kgdboc, the guest's ttyS1 (arm64: ttyS0) on a local TCP socket.  Sourced,
# not run:
#
#   . "$(dirname "$0")/gdb-lib.sh" "$@"	# LOG PORT VMLINUX OUT.ktap
#
# (It also lands in the guest's /plans with the plans; nothing runs it there.)
#
# What it gives:
#   res VERDICT NAME [DIAG]     one KTAP result in OUT ("ok" or "not ok")
#   wait_enter NAME [SECONDS]   the guest said "hwbp-gdb: enter NAME" (lib.sh
#                               gdb_enter) and sysrq-g came after that (it says
#                               "Entering KGDB" only if kgdb counts no gdb)
#   wait_log REGEX [SECONDS]    REGEX appeared in the guest's log
#   wait_serial REGEX SECS      read the guest's ttyS1 (the TCP socket) until
#                               REGEX: early kgdb's earlycon output; the reader
#                               then lets go of the socket for gdb
#   gdb_run NAME SECONDS        run gdb on the commands read from stdin, after
#                               a connect; bounded; output in gdb_out NAME
#   gdb_start/gdb_wait/gdb_kill the same in the background; gdb_kill is a gdb
#                               that vanishes (SIGKILL) without a word to kgdb
#   gdb_has NAME REGEX          NAME's output matches REGEX (grep -E)
#   gdb_line NAME REGEX         its first line matching REGEX
#   rescue_loop [STILL]         until the guest ends: when its log stands still
#                               for STILL s (15), a gdb attaches, says where the
#                               guest is stopped, counts it and detaches
#
# gdb commands added (Python, see below), all printing "@@" lines:
#   hw-run SYMBOL MAX    continue until MAX stops at SYMBOL or a stop anywhere
#                        else; "@@hit N pc=ADDR SYMBOL-INFO" per stop at
#                        SYMBOL, "@@other pc=ADDR INFO" for the
#                        other stop, "@@error continue: MESSAGE" if gdb could
#                        not resume (e.g. "Cannot insert hardware breakpoint")
#   hw-where SYMBOL      "@@where pc=ADDR INFO"; a stop at SYMBOL is counted
#   hw-detach            delete every breakpoint, count the detach, detach:
#                        "@@detached"
# Counting is in guest memory, vm.overcommit_ratio (lib.sh gdb_mark): +1 per
# stop at the breakpoint, +1000 per detach, so the guest knows too.
set -euo pipefail
gl_log=$1 gl_port=$2 gl_vmlinux=$3 gl_out=$4
gl_plan=$(basename "$0" .host)
# Debian's gdb knows only the host's architecture: gdb-multiarch for arm64.
# gl_sys: the prefix of the syscall entries the plans break on; gl_at: '*'
# on arm64, where hbreak takes the entry's address itself (gdb's aarch64
# prologue analysis would put it after the frame setup).
gl_gdb=gdb gl_sys=__x64_sys_ gl_at=
if LC_ALL=C readelf -h "$gl_vmlinux" 2>/dev/null | grep -q AArch64; then
	gl_gdb=gdb-multiarch gl_sys=__arm64_sys_ gl_at='*'
fi
gl_tmo=${HWBP_QEMU_TIMEOUT:-$(sed -n 's/^# qemu-timeout: //p' "$(dirname "$0")/$gl_plan.sh" | head -1)}
# As run-plan.sh: HWBP_TIMEOUT_SCALE multiplies the plan's own timeout.
[ -n "${HWBP_QEMU_TIMEOUT:-}" ] || gl_tmo=$(( ${gl_tmo:-300} * ${HWBP_TIMEOUT_SCALE:-1} ))
# Every wait of the host side ends before QEMU's own timeout.
gl_deadline=$(( $(date +%s) + ${gl_tmo:-300} - 10 ))
gl_dir=$(mktemp -d)
trap 'rm -rf "$gl_dir"' EXIT
declare -A gl_pid gl_end
: >"$gl_out"

res() {
	local diag=${3:-}
	diag=$(printf '%s' "$diag" | tr '\n' ' ')
	echo "$1 0 $2${diag:+ # $diag}" >>"$gl_out"
}

gl_left() { echo $(( gl_deadline - $(date +%s) )); }

# gl_grep ARGS...: grep -aE the guest's log (no pipe in front: with
# pipefail, an early-exiting grep must not fail the writer).
gl_grep() { grep -aE "$@" "$gl_log" 2>/dev/null; }

# gl_ended: the guest ran its plan to the end, or died.
gl_ended() {
	gl_grep -q "# hwbp: plan $gl_plan end|Kernel panic|reboot: Restarting|Rebooting in"
}

wait_log() {
	local re=$1 secs=${2:-60} end
	end=$(( $(date +%s) + secs ))
	while [ "$(date +%s)" -lt "$end" ] && [ "$(gl_left)" -gt 0 ]; do
		gl_grep -q "$re" && return 0
		gl_ended && return 1
		sleep 0.5
	done
	gl_grep -q "$re"
}

wait_enter() {
	local name=$1 secs=${2:-60} end
	end=$(( $(date +%s) + secs ))
	while [ "$(date +%s)" -lt "$end" ] && [ "$(gl_left)" -gt 0 ]; do
		awk -v n="hwbp-gdb: enter $name" 'index($0, n) { on = 1 }
			on && /sysrq: DEBUG/ { found = 1 } END { exit !found }' "$gl_log" && return 0
		gl_ended && return 1
		sleep 0.5
	done
	return 1
}

wait_serial() {
	python3 - "$gl_port" "$1" "$2" "$gl_dir/serial.out" <<'PY'
import re, socket, sys, time
port, rx, secs, out = int(sys.argv[1]), re.compile(sys.argv[2].encode()), float(sys.argv[3]), sys.argv[4]
end = time.time() + secs
data = b""
s = None
while time.time() < end and s is None:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
    except OSError:
        time.sleep(0.1)
while s and time.time() < end and not rx.search(data):
    s.settimeout(max(0.1, end - time.time()))
    try:
        chunk = s.recv(4096)
    except socket.timeout:
        break
    if not chunk:
        break
    data += chunk
if s:
    s.close()
open(out, "wb").write(data)
sys.exit(0 if rx.search(data) else 1)
PY
}

# The gdb helpers, loaded by every gdb.
cat >"$gl_dir/hw.py" <<'PY'
import gdb

MARK = "*(int *)&sysctl_overcommit_ratio"


def flat(text):
    return " ".join(str(text).split())


def where():
    pc = int(gdb.parse_and_eval("(unsigned long)$pc")) & (2**64 - 1)
    info = gdb.execute("info symbol 0x%x" % pc, to_string=True).strip()
    return pc, info


def thread():
    t = gdb.selected_thread()
    return "thread %s pid %s" % (t.num, t.ptid[1]) if t else "no thread"


def bump(n):
    try:
        gdb.execute("set var %s = %s + %d" % (MARK, MARK, n))
    except gdb.error as e:
        print("@@error count: %s" % flat(e))


def addr(sym):
    return int(gdb.parse_and_eval("(unsigned long)&%s" % sym)) & (2**64 - 1)


class HwRun(gdb.Command):
    """hw-run SYMBOL MAX: continue until MAX stops at SYMBOL or another stop."""

    def __init__(self):
        super().__init__("hw-run", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        sym, most = arg.split()
        target, hits = addr(sym), 0
        while hits < int(most) or int(most) == 0:
            try:
                gdb.execute("continue")
                pc, info = where()
            except gdb.error as e:
                print("@@error continue: %s" % flat(e))
                return
            if pc == target:
                hits += 1
                bump(1)
                print("@@hit %d pc=0x%x %s, %s" % (hits, pc, info, thread()))
            else:
                print("@@other pc=0x%x %s, %s" % (pc, info, thread()))
                return


class HwWhere(gdb.Command):
    """hw-where SYMBOL: where the target is stopped; a stop at SYMBOL is counted."""

    def __init__(self):
        super().__init__("hw-where", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        try:
            pc, info = where()
        except gdb.error as e:
            print("@@error where: %s" % flat(e))
            return
        if arg and pc == addr(arg.strip()):
            bump(1)
        # No thread: gdb picks one when kgdb's stop reply names none.
        print("@@where pc=0x%x %s" % (pc, info))


class HwDetach(gdb.Command):
    """hw-detach: delete every breakpoint, count the detach, detach."""

    def __init__(self):
        super().__init__("hw-detach", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        try:
            gdb.execute("delete")
            bump(1000)
            gdb.execute("detach")
            print("@@detached")
        except gdb.error as e:
            print("@@error detach: %s" % flat(e))


HwRun()
HwWhere()
HwDetach()
PY

# gdb_start NAME SECONDS: start a gdb in the background on the commands of
# stdin, run after it has connected (@@connected); it is killed after SECONDS.
gdb_start() {
	local name=$1 secs=$2
	[ "$secs" -le "$(gl_left)" ] || secs=$(gl_left)
	[ "$secs" -gt 0 ] || secs=1
	{
		cat <<GDB
set pagination off
set confirm off
set width 0
set remotetimeout 10
source $gl_dir/hw.py
target remote tcp:127.0.0.1:$gl_port
echo @@connected\\n
GDB
		cat
	} >"$gl_dir/$name.gdb"
	"$gl_gdb" -q -batch -nx -x "$gl_dir/$name.gdb" "$gl_vmlinux" >"$gl_dir/$name.out" 2>&1 </dev/null &
	gl_pid[$name]=$!
	gl_end[$name]=$(( $(date +%s) + secs ))
}

# gl_dump NAME: NAME's output into OUT, as comments.
gl_dump() {
	sed "s/^/# gdb $1: /" "$gl_dir/$1.out" >>"$gl_out"
}

# gdb_wait NAME: until NAME's gdb exits, or SIGKILL it when its time is up.
gdb_wait() {
	local name=$1 pid=${gl_pid[$1]}
	while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "${gl_end[$name]}" ]; do
		sleep 0.5
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		echo "@@timeout: gdb killed after its time" >>"$gl_dir/$name.out"
	fi
	wait "$pid" 2>/dev/null || true
	gl_dump "$name"
}

# gdb_kill NAME: SIGKILL NAME's gdb now: no detach, no packet to kgdb.
gdb_kill() {
	kill -KILL "${gl_pid[$1]}" 2>/dev/null || true
	wait "${gl_pid[$1]}" 2>/dev/null || true
	echo "@@killed" >>"$gl_dir/$1.out"
	gl_dump "$1"
}

gdb_run() {
	gdb_start "$1" "$2"
	gdb_wait "$1"
}

gdb_has() { grep -aqE "$2" "$gl_dir/$1.out"; }
gdb_line() { grep -aE -m1 "$2" "$gl_dir/$1.out" || true; }

# check_no_fault: result host.no-kernel-fault: no gdb session saw the kernel
# fault (a SIGSEGV-like stop) or its connection die, and the guest's log
# has no oops; the diagnostic names the faulting RIP.
check_no_fault() {
	local seen rip bug
	seen=$(grep -ahE 'received signal SIG(SEGV|BUS|ILL)|Remote connection closed' \
		"$gl_dir"/*.out 2>/dev/null | sed -n '1,2p' | tr '\n' ';' || true)
	rip=$(gl_grep 'RIP: [0-9]+:' | sed -n '1{s/^\[[^]]*\] //;s/\r//;p}' || true)
	bug=$(gl_grep 'BUG: |Oops: |general protection fault' | sed -n '1{s/^\[[^]]*\] //;s/\r//;p}' || true)
	if [ -n "$bug" ] || [ -n "$seen" ]; then
		res "not ok" host.no-kernel-fault "${bug:-no oops}; ${rip:-no RIP}; gdb: ${seen:-nothing}"
	else
		res ok host.no-kernel-fault
	fi
}

# rescue_loop [STILL]: the guest must end its plan by itself.  While it does
# not, whenever its log stands still for STILL seconds, a gdb attaches: if the
# guest is stopped in kgdb (nobody attached, e.g. a breakpoint that outlived
# its gdb), it records where, counts the stop and detaches so the plan can
# go on.  Result host.never-stuck-in-kgdb: no such rescue was needed.
rescue_loop() {
	local still=${1:-15} size last n=0 stuck=() now
	last=$(date +%s) size=$(stat -c %s "$gl_log")
	while ! gl_ended && [ "$(gl_left)" -gt 0 ] && [ "$n" -lt 3 ]; do
		sleep 1
		now=$(date +%s)
		if [ "$(stat -c %s "$gl_log")" != "$size" ]; then
			size=$(stat -c %s "$gl_log") last=$now
			continue
		fi
		[ $(( now - last )) -ge "$still" ] || continue
		# QEMU gone (no one listens on the port): nothing to rescue.
		(exec 3<>"/dev/tcp/127.0.0.1/$gl_port") 2>/dev/null || break
		n=$((n + 1))
		gdb_run "rescue$n" 40 <<GDB
hw-where ${gl_sys}getppid
hw-detach
GDB
		if gdb_has "rescue$n" '^@@where'; then
			stuck+=("$(gdb_line "rescue$n" '^@@where' | sed 's/^@@where //')")
		fi
		size=$(stat -c %s "$gl_log") last=$(date +%s)
	done
	if [ "${#stuck[@]}" = 0 ]; then
		res ok host.never-stuck-in-kgdb
	else
		res "not ok" host.never-stuck-in-kgdb \
			"stopped in kgdb with no gdb attached ${#stuck[@]} time(s): ${stuck[*]}"
	fi
}

# gdb_field NAME: the value a gdb command file printed as "@@NAME=VALUE"
# (its first), from $out_gdb.
gdb_field() { printf '%s\n' "$out_gdb" | sed -n "s/^@@$1=//p" | head -1; }

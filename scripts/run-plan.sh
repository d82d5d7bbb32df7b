#!/bin/bash
# Run one test plan (one boot) on one kernel kind and record its results.
#   run-plan.sh KIND PLAN [--show]
# Log: build/logs/KIND/PLAN.log; results: build/results/KIND/plan-PLAN.ktap
# (ARCH=arm64: under build/arm64/, cases named arm64.PLAN.*).
# --show prints the guest's output (the demo) instead of staying quiet, and
# the kernel's messages that match the regex $HWBP_SHOW_KERNEL.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=$1 plan=$2 show=${3:-}
[ -f "$TOP/tests/plans/$plan.sh" ] || die "no plan tests/plans/$plan.sh"
# Per-plan boot settings: '# qemu-timeout: N', '# append: ...' in the plan;
# HWBP_QEMU_TIMEOUT and HWBP_APPEND override them from the environment.
meta() { sed -n "s/^# $1: //p" "$TOP/tests/plans/$plan.sh" | head -1; }
tmo=${HWBP_QEMU_TIMEOUT:-$(meta qemu-timeout)}; tmo=${tmo:-300}
# HWBP_TIMEOUT_SCALE=N: N times the plan's own timeout (a slower kernel:
# make kasan); not applied to HWBP_QEMU_TIMEOUT.
[ -n "${HWBP_QEMU_TIMEOUT:-}" ] || tmo=$((tmo * ${HWBP_TIMEOUT_SCALE:-1}))
# HWBP_APPEND (e.g. make torture DURATION=) comes last, so it wins.
append="hwbp_plan=$plan $(meta append) ${HWBP_APPEND:-}"
# kgdboc's port is the guest's ttyS1 on x86 and ttyS0 on arm64 (virt's
# one PL011 is the console; scripts/run-qemu.sh): the x86 plans that name
# ttyS1 run on arm64 as they are.
[ "$HWBP_ARCH" = x86 ] || append=${append//kgdboc=ttyS1,/kgdboc=ttyS0,}
# KUnit suites run at boot only in the kunit plan.
case "$append" in *kunit.filter_glob*) ;; *) append+=" kunit.filter_glob=none" ;; esac

log=$LOGS/$kind/$plan.log
label=$kind
[ "$HWBP_ARCH" = x86 ] || label=$HWBP_ARCH/$kind
res=$RESULTS/$kind/plan-$plan.ktap
mkdir -p "$(dirname "$res")" "$(dirname "$log")"
say "$label: plan $plan (timeout ${tmo}s, log ${log#"$TOP"/})"
start=$(date +%s)
if [ -n "$show" ]; then
	# The guest's own output; kernel messages ("[ time] ...") only those
	# matching the regex HWBP_SHOW_KERNEL (the demo: kgdb giving up, the
	# panic).  tail ends with this script (--pid).  The last run's log is
	# emptied first, or tail would show it before QEMU truncates it.
	: >"$log"
	# sed -u: unbuffered, a line is shown as it comes (mawk, Debian's awk,
	# reads a pipe in blocks).  HWBP_SHOW_KERNEL must not contain '/'.
	tail -n +1 -F --pid=$$ "$log" 2>/dev/null | sed -u -n -E -e 's/\r$//' -e '/^\[/!{p;d}' \
		${HWBP_SHOW_KERNEL:+-e "/${HWBP_SHOW_KERNEL}/p"} &
	tailer=$!
fi
# A plan with a host side (tests/plans/PLAN.host, e.g. gdb over kgdboc)
# gets a second serial port on a local TCP socket, and its host script runs
# next to QEMU, writing KTAP of its own.
qemu_extra=()
host=$TOP/tests/plans/$plan.host
host_res=$RESULTS/$kind/$plan.host.ktap
if [ -x "$host" ]; then
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	# '# serial-wait: on': QEMU starts the guest only once the host side
	# has connected.  The socket drops what the guest writes before that:
	# early kgdb's "Waiting for connection" comes within a second of the
	# start, and a host script started a little late missed it
	# (gdb-early-1cpu, 6.1, a fresh clone: "ttyS1 said:" nothing, 90 s).
	qemu_extra=(-serial "tcp:127.0.0.1:$port,server=on,wait=$( [ "$(meta serial-wait)" = on ] && echo on || echo off)")
	: >"$log"
	bash "$host" "$log" "$port" "$ABUILD/$kind/vmlinux" "$host_res" &
	host_pid=$!
fi
# '# machine: ...' (arm64's -M: a GICv3 for pseudo-NMIs).
machine=${HWBP_QEMU_MACHINE:-$(meta machine)}
set +e
HWBP_QEMU_MACHINE=$machine bash "$TOP/scripts/run-qemu.sh" "$kind" "$log" "$tmo" "$append" "${qemu_extra[@]}"
status=$?
set -e
[ -n "$show" ] && { sleep 1; kill "$tailer" 2>/dev/null || true; }
if [ -x "$host" ]; then
	wait "$host_pid" || true
	python3 "$TOP/scripts/ktap.py" --arch="$HWBP_ARCH" "$plan" "$log" "$status" "$res" "$host_res"
else
	python3 "$TOP/scripts/ktap.py" --arch="$HWBP_ARCH" "$plan" "$log" "$status" "$res"
fi
say "$label: plan $plan done in $(( $(date +%s) - start ))s (qemu status $status)"

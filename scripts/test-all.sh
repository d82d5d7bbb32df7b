#!/bin/bash
# make test: harness self-tests, the gates, the scheduler core in user space
# (models, fuzzer, instruction budget), then every plan on the patched
# kernel.  A stage that breaks is recorded as a failing case and the run goes
# on; the summary's last line is the verdict ("N passed, N failed").
# x86 ends with arm64's KUnit plan, whose results it counts too.
# HWBP_ARCH=arm64 (make test ARCH=arm64): arm64's tree, kernel and plans
# only, under build/arm64/ (the gates and the user-space harnesses do not
# depend on the architecture: x86's make test runs them).
# make test without KVER= (HWBP_ALL_VERSIONS=1) is 6.1's run, then the same
# for each other queue that exists (patches/6.12/: stage 6.12, results
# counted as 6.12.*); make test KVER=X (6.12 the default) runs X alone.
#   test-all.sh [--no-summary] [--beside] PLAN...
# --beside: a version's run inside the default one's, which already ran
# what depends on neither version nor tree: the user-space harnesses of the
# scheduler core (when this version's core is the same file) and arm64.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

summary=1 beside=
[ "${1:-}" = --no-summary ] && { summary=; shift; }
[ "${1:-}" = --beside ] && { beside=1; shift; }
rm -rf "$RESULTS/patched"
mkdir -p "$RESULTS/patched"
errs=$RESULTS/patched/stage-errors.ktap
echo "KTAP version 1" >"$errs"
start=$(date +%s)
# Another architecture's cases are named ARCH.* (scripts/ktap.py --arch).
pfx=
[ "$HWBP_ARCH" = x86 ] || pfx=$HWBP_ARCH.

stage() { # stage NAME CMD...: run one stage, record it if it breaks
	local name=$1; shift
	local t0=$SECONDS
	if "$@"; then
		say "stage $pfx$name: ok ($((SECONDS - t0))s)"
	else
		ktap_line "$errs" fail "${pfx}stage.$name" "exit status $?"
		say "stage $pfx$name: BROKEN ($((SECONDS - t0))s)"
	fi
}

if [ "$HWBP_ARCH" != x86 ]; then
	stage tree bash "$TOP/scripts/tree.sh"
	stage apply bash "$TOP/scripts/quilt.sh" push
	stage build bash "$TOP/scripts/build-kernel.sh" patched
	# The gates on this architecture's build, in make test ARCH=arm64 (and
	# make check ARCH=arm64), not in x86's make test, whose arm64 KUnit
	# stage has to fit CI's 60 minutes: W=1 on the files the series
	# touches (2 minutes on 2 cores), every prefix compiling what it
	# changes (5), and the same files, kgdbts and kdb where there are no
	# hardware breakpoints (two tinyconfig kernels, 8).
	if [ -n "$summary" ]; then
		stage w1 bash "$TOP/scripts/check.sh" w1
		stage prefix-compile bash "$TOP/scripts/check.sh" prefix-compile
		stage nohwbp bash "$TOP/scripts/check.sh" nohwbp
	else
		for g in w1 prefix-compile nohwbp; do
			ktap_line "$RESULTS/patched/check-$g.ktap" skip "$pfx"check.$g \
				"not in make test's arm64 KUnit stage: make test ARCH=arm64 or make check-$g ARCH=arm64"
		done
	fi
	stage initramfs bash "$TOP/scripts/mkinitramfs.sh" patched
	for plan in "$@"; do
		stage "plan-$plan" bash "$TOP/scripts/run-plan.sh" patched "$plan"
	done
	say "make test ARCH=$HWBP_ARCH took $(( $(date +%s) - start ))s"
	[ -z "$summary" ] && exit 0
	exec python3 "$TOP/scripts/summary.py" --kernel patched
fi

stage selftest bash "$TOP/scripts/selftest.sh"
stage model bash "$TOP/scripts/model.sh"
stage tree bash "$TOP/scripts/tree.sh"
stage checkpatch bash "$TOP/scripts/check.sh" checkpatch
# Subjects numbered n/N, cover letter current, git am onto a git tree of the
# pristine source (made once under build/am; then seconds).
stage series bash "$TOP/scripts/check.sh" series
stage am bash "$TOP/scripts/check.sh" am
stage apply bash "$TOP/scripts/quilt.sh" push
stage build bash "$TOP/scripts/build-kernel.sh" patched
# Every prefix compiles what it changes (check.sh prefix-compile, 5
# minutes cold).  Building and booting every prefix (make check-prefix)
# takes 23-33 minutes cold per queue on 2 cores, more than CI's 60 minutes
# leave.  make test of every queue runs it on the default queue's only.
if [ -n "${HWBP_ALL_VERSIONS:-}" ]; then
	echo "KTAP version 1" >"$RESULTS/patched/check-prefix-compile.ktap"
	ktap_line "$RESULTS/patched/check-prefix-compile.ktap" skip check.prefix-compile \
		"make test of every queue compiles the default queue's prefixes: make check-prefix-compile KVER=$HWBP_KVER"
else
	stage prefix-compile bash "$TOP/scripts/check.sh" prefix-compile
fi
# The scheduler core in user space.  Beside the default version's run, only
# if this version's core differs from the one that run tested.
same_core() {
	local f
	for f in kernel/events/hw_breakpoint_sched.c kernel/events/hw_breakpoint_sched.h; do
		cmp -s "$SRC_PATCHED/$f" "$TOPBUILD/src/patched/$f" || return 1
	done
}
if [ -n "$beside" ] && same_core; then
	ktap_line "$RESULTS/patched/core.ktap" ok core-same-as-6.1 \
		"hw_breakpoint_sched.[ch] as in 6.1's queue: its user-space stages cover both"
else
	stage sched-harness bash "$TOP/scripts/sched-harness.sh"
	stage callgrind bash "$TOP/scripts/callgrind.sh"
	# A bounded run (make fuzz runs longer, from a random seed); the corpus
	# carries over in build/fuzz.  20 s in make test of every queue (CI's
	# 60 minutes).  A fixed seed: what a CI run finds can be replayed.
	stage fuzz env HWBP_FUZZ_SEED="${HWBP_FUZZ_SEED:-1}" bash "$TOP/scripts/fuzz.sh" "$([ -n "${HWBP_ALL_VERSIONS:-}" ] && echo 20 || echo 40)"
fi
# x86's own debug-register code (arch/x86), which differs between versions.
stage x86-dr7 bash "$TOP/scripts/x86-dr7.sh"
stage sparse bash "$TOP/scripts/check.sh" sparse
stage w1 bash "$TOP/scripts/check.sh" w1
stage rst bash "$TOP/scripts/check.sh" rst
stage cocci bash "$TOP/scripts/check.sh" cocci
stage initramfs bash "$TOP/scripts/mkinitramfs.sh" patched
for plan in "$@"; do
	# make test of every queue (CI: 60 minutes on 2 cores) runs each
	# queue's torture and fuzzer shorter (make torture or make test
	# KVER=... for the full length).
	short=
	if [ -n "${HWBP_ALL_VERSIONS:-}" ] || [ -n "$beside" ]; then
		case $plan in
		torture) short="hw_breakpoint_torture.duration=30" ;;
		fuzz-guest) short="hw_breakpoint_torture.duration=45 hwbp_fuzz_duration=15" ;;
		esac
	fi
	stage "plan-$plan" env HWBP_APPEND="${HWBP_APPEND:-} $short" \
		bash "$TOP/scripts/run-plan.sh" patched "$plan"
done
# arm64's KUnit plan (issue 17): its own tree and kernel, cross-built, and
# one boot; its results (build/arm64/results/patched) are counted here too.
if [ -z "$beside" ]; then
	stage arm64 env HWBP_ARCH=arm64 bash "$TOP/scripts/test-all.sh" --no-summary kunit
	for f in "$BUILD"/arm64/results/patched/*.ktap; do
		[ -f "$f" ] && cp "$f" "$RESULTS/patched/arm64-$(basename "$f")"
	done
fi
# The other versions' queues (issue 14), each on its own trees under
# build/KVER/; their cases counted here as KVER.* (what summary.py calls
# them in make test KVER=...).
if [ -n "${HWBP_ALL_VERSIONS:-}" ]; then
	for v in 6.12; do
		[ -f "$TOP/patches/$v/series" ] || continue
		stage "$v" env -u HWBP_ALL_VERSIONS HWBP_KVER="$v" BUILD="$TOPBUILD" \
			bash "$TOP/scripts/test-all.sh" \
			--no-summary --beside "$@"
		for f in "$TOPBUILD/$v"/results/patched/*.ktap; do
			[ -f "$f" ] || continue
			sed -E "s/^((not )?ok [0-9]+ )/\1$v./" "$f" >"$RESULTS/patched/$v-$(basename "$f")"
		done
	done
fi
say "make test took $(( $(date +%s) - start ))s"
python3 "$TOP/scripts/summary.py" --kernel patched

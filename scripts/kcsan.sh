#!/bin/bash
# make kcsan: a third tree (build/src/kcsan: Debian's tarball with the
# series applied by patch(1)), built with configs/base.config +
# configs/kcsan.config (KCSAN in strict mode), then two plans on it: the
# torture plan for DURATION seconds, and the guest fuzzer (fuzz-guest)
# beside a torture run of DURATION + 60 seconds (it starts at late init,
# /init comes a few seconds later; the fuzzer stops 40 s before its end,
# a KCSAN guest is slow to tear down a sequence) and alone for
# DURATION/2 seconds, from seed SEED, at most KCSAN_FUZZ_SEQS sequences
# per phase (default 60: make test's seeds, on which the fuzzer's model
# is exact).  Any KCSAN report fails it but the races in upstream code
# that tests/known-splats.txt lists (never one in the series' code):
# scripts/kcsan-verdict.py, build/results/kcsan/kcsan.ktap; kcsan.txt the
# distinct reports, reports.txt the first of each in full.
# KCSAN_APPEND: more kernel parameters for both boots, e.g.
# kcsan.skip_watch=400 (ten times more watchpoints than the default 4000:
# more races caught per minute, a slower guest).
#   kcsan.sh [DURATION [SEED]]
# Not part of make test: a KCSAN kernel is a full cold build (~6 min here).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dur=${1:-60}
seed=${2:-1}
seqs=${KCSAN_FUZZ_SEQS:-60}
# Re-extracted whenever the series changed (lib.sh); configs/kcsan-x86.diff
# has KCSAN instrument arch/x86/kernel/hw_breakpoint.c too (upstream
# leaves all of arch/x86/kernel/ uninstrumented).
# KCSAN_DIFFS: more diffs for this tree only (e.g. annotations not yet
# folded into the series: KCSAN_DIFFS=$PWD/build/new-patches/kcsan/annotations.diff).
# shellcheck disable=SC2086
series_tree "$(src_of kcsan)" "$TOP/configs/kcsan-x86.diff" ${KCSAN_DIFFS:-}
CONFIG_EXTRA=kcsan bash "$TOP/scripts/build-kernel.sh" kcsan
bash "$TOP/scripts/mkinitramfs.sh" kcsan
# The initramfs uncompressed: gunzip under KCSAN and TCG took 100-500 s
# of the boot (the torture test, started at late init, ran mostly before
# /init); uncompressed, /init runs about 15 s after boot.
cpio=$BUILD/kcsan/initramfs.cpio
if [ ! -f "$cpio" ] || [ "$BUILD/kcsan/initramfs.cpio.gz" -nt "$cpio" ]; then
	gunzip -c "$BUILD/kcsan/initramfs.cpio.gz" >"$cpio.tmp"
	mv "$cpio.tmp" "$cpio"
fi
export HWBP_INITRD=$cpio
start=$(date +%s)
HWBP_APPEND="hw_breakpoint_torture.duration=$dur ${KCSAN_APPEND:-}" HWBP_QEMU_TIMEOUT=$((dur + 600)) \
	bash "$TOP/scripts/run-plan.sh" kcsan torture || true
tdur=$((dur + 60)) solo=$((dur / 2))
HWBP_APPEND="hw_breakpoint_torture.duration=$tdur hwbp_fuzz_seed=$seed hwbp_fuzz_duration=$solo hwbp_fuzz_seqs=$seqs hwbp_fuzz_margin=40 ${KCSAN_APPEND:-}" \
	HWBP_QEMU_TIMEOUT=$((tdur + solo + 900)) \
	bash "$TOP/scripts/run-plan.sh" kcsan fuzz-guest || true
say "kcsan: both plans in $(( $(date +%s) - start ))s"
# The figures: the torture runs' summaries, the fuzzer's.
for plan in torture fuzz-guest; do
	grep -a 'hw_breakpoint_torture: End of test' "$LOGS/kcsan/$plan.log" |
		sed "s/^\[[^]]*\] hw_breakpoint_torture: End of test: /[hwbp] kcsan: $plan: torture: /" >&2 || true
done
grep -a '^# figures:' "$LOGS/kcsan/fuzz-guest.log" | sed 's/^# figures: /[hwbp] kcsan: fuzz-guest: /' >&2 || true
# The verdict (its exit status is make kcsan's through summary.py).
python3 "$TOP/scripts/kcsan-verdict.py" --series "$BUILD/kcsan/.config" "$RESULTS/kcsan" \
	torture="$LOGS/kcsan/torture.log" fuzz-guest="$LOGS/kcsan/fuzz-guest.log" >&2 || true

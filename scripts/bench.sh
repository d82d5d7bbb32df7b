#!/bin/bash
# make bench: boot pristine and patched in turn (ROUNDS times each, same
# QEMU settings), run tests/plans/bench.sh in each boot, and print one table
# of medians, spread (min-max) and ratios; also written to
# build/results/bench.md.  In the patched boots, every figure is also taken
# with hw_breakpoint.preempt=0 (the switch), in the same boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rounds=${ROUNDS:-3}
bash "$TOP/scripts/tree.sh"
bash "$TOP/scripts/quilt.sh" push
for kind in pristine patched; do
	bash "$TOP/scripts/build-kernel.sh" "$kind"
	bash "$TOP/scripts/mkinitramfs.sh" "$kind"
done
out=$RESULTS/bench
rm -rf "$out"; mkdir -p "$out"
for r in $(seq "$rounds"); do
	for kind in pristine patched; do
		bash "$TOP/scripts/run-plan.sh" "$kind" bench
		grep -a '^bench ' "$LOGS/$kind/bench.log" | sed "s/^/$kind $r /" >>"$out/raw.txt"
	done
done
python3 "$TOP/scripts/bench-table.py" "$out/raw.txt" | tee "$RESULTS/bench.md"

# docs/performance.md: the method, then this run's table.
{
	sed -n '1,/^<!-- table -->$/p' "$TOP/docs/performance.md"
	echo
	echo "Run of $(date -u +%F), Linux $(cat "$BUILD/src/VERSION"), $rounds rounds:"
	echo
	cat "$RESULTS/bench.md"
} >"$out/performance.md"
mv "$out/performance.md" "$TOP/docs/performance.md"
say "docs/performance.md updated"

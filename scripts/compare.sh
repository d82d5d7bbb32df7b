#!/bin/bash
# make compare: every plan on the pristine and the patched kernel, then one
# table, case by case (also written to build/results/compare.txt).
#   compare.sh PLAN...
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bash "$TOP/scripts/tree.sh"
bash "$TOP/scripts/quilt.sh" push
for kind in pristine patched; do
	bash "$TOP/scripts/build-kernel.sh" "$kind"
	bash "$TOP/scripts/mkinitramfs.sh" "$kind"
	rm -f "$RESULTS/$kind"/plan-*.ktap
done
# One kernel after the other per plan, so both see the same machine load.
for plan in "$@"; do
	for kind in pristine patched; do
		bash "$TOP/scripts/run-plan.sh" "$kind" "$plan"
	done
done
python3 "$TOP/scripts/compare.py" "$@" | tee "$RESULTS/compare.txt"

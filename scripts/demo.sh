#!/bin/bash
# make demo: the demo plan (tests/plans/demo.sh) on the patched kernel, then
# the same steps on the pristine one, then the two side by side.
#   demo.sh
# Kernels are built only if they are not up to date (build-kernel.sh is
# incremental and takes the build lock); HWBP_DEMO_PREBUILT=1 boots the
# kernels in build/{patched,pristine} as they are (no quilt push, no build).  On pristine, kgdb gets no slot at
# step 5 and the kernel panics: its console lines saying so are shown as
# they come, and the step it died in is spelled out after the boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Kernel messages shown live among the guest's output (the rest stay in the
# log): kgdb giving up its breakpoints, the unhandled int3, the panic.
export HWBP_SHOW_KERNEL='kgdb: Could not allocate|Disabling the kernel debugger|\] int3: |Kernel panic - not syncing'

for kind in patched pristine; do
	if [ "${HWBP_DEMO_PREBUILT:-0}" = 1 ]; then
		[ -f "$BUILD/$kind/bzImage" ] || die "no $kind kernel in build/$kind (make build)"
	else
		[ "$kind" = patched ] && bash "$TOP/scripts/quilt.sh" push
		bash "$TOP/scripts/build-kernel.sh" "$kind"
	fi
	bash "$TOP/scripts/mkinitramfs.sh" "$kind"
	printf '\n######## %s kernel ########\n' "$kind"
	bash "$TOP/scripts/run-plan.sh" "$kind" demo --show
	python3 "$TOP/scripts/demo-report.py" stopped "$kind"
done
python3 "$TOP/scripts/demo-report.py" summary

#!/bin/bash
# make pnmi ARCH=arm64: KIND (default patched) built with pseudo-NMIs
# (configs/pnmi.config over arm64.config) into build/arm64/KIND-pnmi/,
# then the plans that boot a GICv3 with irqchip.gicv3_pseudo_nmi=1:
# pnmi-roundup (do CPUs rounded up by kgdb take IPIs afterwards; pristine
# too), on the patched kernel kgdbts-pnmi, and pnmi-step (kgdbts' single-
# step test; a deadlock without 0045's masking) and on the patched kernel
# pnmi-stepmasked (gdb's step from perf's breakpoint handler, a context
# with PSTATE.D set, must leave the stepped-into context's interrupt bits
# alone).  Not part of make test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$HWBP_ARCH" = arm64 ] || die "make pnmi is arm64's (ARCH=arm64)"
kind=${1:-patched}
CONFIG_EXTRA=pnmi bash "$TOP/scripts/build-kernel.sh" "$kind-pnmi"
bash "$TOP/scripts/mkinitramfs.sh" "$kind-pnmi"
bash "$TOP/scripts/run-plan.sh" "$kind-pnmi" pnmi-roundup
[ "$kind" = pristine ] || bash "$TOP/scripts/run-plan.sh" "$kind-pnmi" kgdbts-pnmi
bash "$TOP/scripts/run-plan.sh" "$kind-pnmi" pnmi-step
[ "$kind" = pristine ] || bash "$TOP/scripts/run-plan.sh" "$kind-pnmi" pnmi-stepmasked

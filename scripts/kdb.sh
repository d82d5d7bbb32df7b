#!/bin/bash
# make kdb ARCH=arm64: KIND (default patched) built with kdb
# (configs/kdb.config over arm64.config) into build/arm64/KIND-kdb/, then
# plan kdb: kdb's bph, ss, go and bc on kgdboc while perf holds every
# slot (tests/plans/kdb.sh, kdb.host, kdb-drive.py), and plan
# kdb-unregister: a session inside kgdboc's unregister, as kgdb frees its
# events (kdb-unregister.sh; kdb's bp is what stops it there).  Not
# part of make test (another kernel build).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$HWBP_ARCH" = arm64 ] || die "make kdb is arm64's (ARCH=arm64)"
kind=${1:-patched}
CONFIG_EXTRA=kdb bash "$TOP/scripts/build-kernel.sh" "$kind-kdb"
bash "$TOP/scripts/mkinitramfs.sh" "$kind-kdb"
rc=0
for plan in kdb kdb-unregister; do
	bash "$TOP/scripts/run-plan.sh" "$kind-kdb" "$plan" || rc=1
done
exit $rc

#!/bin/bash
# make torture-module: the torture test and the debugger benchmark built as
# modules (configs/modules.config over base.config), in KIND's tree (default
# patched), into build/KIND-m/ with the .ko files in build/KIND-m/modules/;
# then plan torture-module on it (insmod, run, rmmod of each).
# Not part of make test (base.config builds both in: the other plans use
# them so); the modular build is incremental after KIND's own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:-patched}
CONFIG_EXTRA=modules bash "$TOP/scripts/build-kernel.sh" "$kind-m"
ls "$BUILD/$kind-m/modules/hw_breakpoint_torture.ko" >/dev/null ||
	die "$kind-m: no hw_breakpoint_torture.ko"
bash "$TOP/scripts/mkinitramfs.sh" "$kind-m"
bash "$TOP/scripts/run-plan.sh" "$kind-m" torture-module

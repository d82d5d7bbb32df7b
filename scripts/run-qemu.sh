#!/bin/bash
# The one QEMU runner: boot KIND's kernel and initramfs under TCG, 2 CPUs,
# with a hard timeout; the serial console goes to LOG.
#   run-qemu.sh KIND LOG TIMEOUT_S APPEND [extra qemu args...]
# HWBP_INITRD: another initramfs file (make kcsan: the same, uncompressed).
# Exit status: QEMU's (1 = the guest's /init ended the plan through
# isa-debug-exit), 124 on timeout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=$1 log=$2 tmo=$3 append=$4
shift 4
dir=$BUILD/$kind
[ -f "$dir/bzImage" ] || die "$dir/bzImage missing (make build)"
mkdir -p "$(dirname "$log")"
[ -f "$log" ] || : >"$log"
set +e
timeout --kill-after=5 "$tmo" qemu-system-x86_64 \
	-accel tcg -smp 2 -m 1024 -no-reboot \
	-display none -vga none -monitor none \
	-kernel "$dir/bzImage" -initrd "${HWBP_INITRD:-$dir/initramfs.cpio.gz}" \
	-append "console=ttyS0 panic=-1 $append" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-serial "file:$log" "$@" </dev/null
status=$?
set -e
exit $status

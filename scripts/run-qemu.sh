#!/bin/bash
# The one QEMU runner: boot KIND's kernel and initramfs under TCG, 2 CPUs,
# with a hard timeout; the serial console goes to LOG.
#   run-qemu.sh KIND LOG TIMEOUT_S APPEND [extra qemu args...]
# HWBP_INITRD: another initramfs file (make kcsan: the same, uncompressed).
# Exit status: QEMU's, 124 on timeout.  x86: 1 = the guest's /init ended the
# plan through isa-debug-exit.  arm64 (virt has no such device): 0 = a PSCI
# power-off, which is also what a panic's reboot gives under -no-reboot, so
# there the plan's end marker alone tells (scripts/ktap.py).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kind=$1 log=$2 tmo=$3 append=$4
shift 4
dir=$ABUILD/$kind
image=$dir/$(basename "$KIMAGE")
[ -f "$image" ] || die "$image missing (make build)"
mkdir -p "$(dirname "$log")"
[ -f "$log" ] || : >"$log"
case $HWBP_ARCH in
x86)
	[ -z "${HWBP_QEMU_MACHINE:-}" ] || die "a '# machine:' plan is arm64's (HWBP_QEMU_MACHINE=$HWBP_QEMU_MACHINE)"
	qemu=(qemu-system-x86_64 -accel tcg -vga none
		-device isa-debug-exit,iobase=0xf4,iosize=0x04)
	console=ttyS0 ;;
arm64)
	# HWBP_QEMU_MACHINE: a plan's '# machine:' (virt,gic-version=3).
	qemu=(qemu-system-aarch64 -M "${HWBP_QEMU_MACHINE:-virt}" -cpu cortex-a57 -accel tcg)
	console=ttyAMA0 ;;
esac
# arm64: QEMU 7.2's virt has one PL011, the console.  A second serial port
# (-serial tcp:HOST:PORT,..., a plan's host side: kgdboc) becomes a PCI
# 16550 on virt's PCIe host, the guest's ttyS0 (configs/arm64.config).
if [ "$HWBP_ARCH" = arm64 ]; then
	extra=() n=0
	while [ $# -gt 0 ]; do
		if [ "$1" = -serial ] && [[ ${2:-} == tcp:* ]]; then
			hp=${2#tcp:}
			host=${hp%%:*} rest=${hp#*:}
			extra+=(-chardev "socket,id=pciser$n,host=$host,port=${rest%%,*},${rest#*,}"
				-device "pci-serial,chardev=pciser$n")
			n=$((n + 1))
			shift 2
			continue
		fi
		extra+=("$1")
		shift
	done
	set -- ${extra[@]+"${extra[@]}"}
fi
set +e
timeout --kill-after=5 "$tmo" "${qemu[@]}" \
	-smp 2 -m 1024 -no-reboot -display none -monitor none \
	-kernel "$image" -initrd "${HWBP_INITRD:-$dir/initramfs.cpio.gz}" \
	-append "console=$console panic=-1 $append" \
	-serial "file:$log" "$@" </dev/null
status=$?
set -e
exit $status

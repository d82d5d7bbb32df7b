// SPDX-License-Identifier: GPL-2.0
// guest-arch: x86 arm64
/*
 * qemu-exit STATUS: end the QEMU guest.
 * x86: through isa-debug-exit (iobase 0xf4).  QEMU exits with
 * (STATUS << 1) | 1, so the host can tell a plan that ran to its end
 * (status 0 -> 1) from a panic (0) or a hang (timeout).
 * arm64: QEMU's virt machine has no such device: a PSCI power-off, QEMU
 * exits 0 (STATUS is not passed on; the host reads the plan's end marker).
 */
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#else
#include <sys/reboot.h>
#endif

int main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;

	/*
	 * What /init wrote last (the plan's end marker) may still sit in the
	 * tty's buffer, sent by the UART's interrupt: wait for it, or an exit
	 * now loses it.  Not a tty (a pipe): nothing to wait for.
	 */
	tcdrain(STDOUT_FILENO);
	sync();
#if defined(__x86_64__) || defined(__i386__)
	if (ioperm(0xf4, 4, 1)) {
		perror("ioperm");
		return 1;
	}
	outl(status, 0xf4);
#else
	(void)status;
	reboot(RB_POWER_OFF);
	perror("reboot");
#endif
	return 1;	/* not reached when the device is present */
}

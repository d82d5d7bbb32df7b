// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-exit STATUS: end the QEMU guest through isa-debug-exit (iobase 0xf4).
 * QEMU exits with (STATUS << 1) | 1, so the host can tell a plan that ran to
 * its end (status 0 -> 1) from a panic (0) or a hang (timeout).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;

	sync();
	if (ioperm(0xf4, 4, 1)) {
		perror("ioperm");
		return 1;
	}
	outl(status, 0xf4);
	return 1;	/* not reached when the device is present */
}

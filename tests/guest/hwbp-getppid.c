// SPDX-License-Identifier: GPL-2.0
// guest-arch: x86 arm64
/* hwbp-getppid N: call getppid() N times (what the gdb plan's hbreak stops). */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;

	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

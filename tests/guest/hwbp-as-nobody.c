// SPDX-License-Identifier: GPL-2.0
// guest-arch: x86 arm64
/*
 * hwbp-as-nobody PROG [ARGS...]: run PROG as uid/gid 65534, without
 * supplementary groups or capabilities (busybox's setpriv cannot change
 * the uid).  For the kselftest plan: the unprivileged half of a selftest.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: hwbp-as-nobody PROG [ARGS...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		perror("hwbp-as-nobody: dropping privileges");
		return 2;
	}
	execv(argv[1], argv + 1);
	perror("hwbp-as-nobody: execv");
	return 127;
}

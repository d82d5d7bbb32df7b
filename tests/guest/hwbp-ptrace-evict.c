// SPDX-License-Identifier: GPL-2.0
/*
 * hwbp-ptrace-evict: perf CPU-wide breakpoints fill all 4 slots of every
 * CPU; then a tracer sets a ptrace breakpoint in a child.
 *
 * Pristine 6.1: the ptrace breakpoint is refused with ENOSPC.
 * With the scheduler: ptrace gets a slot by evicting one perf breakpoint
 * on the CPU the child runs on; that perf breakpoint stops counting while
 * the child runs and counts again once the child (and its ptrace
 * breakpoint) is gone.
 *
 * Prints KTAP; every case is asserted on exact counts.
 */
#include "hwbp-perf-fill.h"	/* first: it defines _GNU_SOURCE */

#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

/* Where the tracer's ptrace breakpoint stops the child. */
static __attribute__((noinline)) void child_marker(void)
{
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	long long before[NR_PERF], during[NR_PERF];
	int status, dr0, dr7, hit = 0, lost = -1, ok, filled;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pin_to(0);
	filled = fill_all_slots();	/* sets nr_cpus */
	result(filled, "perf-fills-all-slots", "%d CPUs x %d breakpoints", nr_cpus, NR_PERF);
	show_slots("with perf on every slot");
	counts_exact("perf-counts-before");

	pid = fork();
	if (pid == 0) {
		pin_to(0);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		/* Traced, with a ptrace breakpoint on child_marker(). */
		show_slots("while the traced child runs (read by the child)");
		exercise();
		child_marker();
		_exit(0);
	}
	waitpid(pid, &status, 0);

	/*
	 * An execute breakpoint: with it, three data watchpoints and one
	 * execute breakpoint share the slots, which QEMU TCG counts exactly.
	 */
	dr0 = set_dr(pid, 0, (unsigned long)child_marker);
	result(dr0 == 0, "ptrace-set-dr0", "%s", dr0 ? strerror(errno) : "");
	/* L0, RW0=00 (execute), LEN0=00 */
	dr7 = dr0 ? -1 : set_dr(pid, 7, 1UL);
	result(dr7 == 0, "ptrace-set-dr7", "%s", dr7 ? strerror(errno) : "");

	read_counts(before);
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &status, 0);
	if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP) {
		unsigned long dr6 = ptrace(PTRACE_PEEKUSER, pid,
					   offsetof(struct user, u_debugreg) + 6 * sizeof(long), 0);

		hit = (dr6 & 1) != 0;
		ptrace(PTRACE_CONT, pid, 0, 0);
		waitpid(pid, &status, 0);
	}
	result(hit, "ptrace-breakpoint-hits", NULL);
	read_counts(during);

	/* While the child ran, exactly one perf breakpoint was evicted. */
	ok = 1;
	for (int i = 0; i < NR_PERF; i++) {
		long long d = during[i] - before[i];

		if (d == 0 && lost < 0)
			lost = i;
		else if (d != expected(i))
			ok = 0;
	}
	result(ok && lost >= 0, "perf-one-evicted-while-ptrace",
	       "deltas %lld %lld %lld %lld", during[0] - before[0], during[1] - before[1],
	       during[2] - before[2], during[3] - before[3]);

	/* The child is gone: every perf breakpoint counts again. */
	show_slots("after the traced child exited");
	counts_exact("perf-counts-after-restore");
	return failures ? 1 : 0;
}

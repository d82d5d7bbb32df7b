// SPDX-License-Identifier: GPL-2.0
/*
 * hwbp-privilege: a ptrace breakpoint evicts only what its tracer could
 * have disturbed itself.
 *
 * 1. Root's CPU-wide perf breakpoints fill every slot; a tracer running
 *    as nobody (uid 65534, no capabilities) gets ENOSPC for a ptrace
 *    breakpoint on its own child, as on mainline, and root's breakpoints
 *    go on counting every hit.
 * 2. The same tracer's own perf breakpoints on its child fill every slot:
 *    its ptrace breakpoint takes a slot from them.
 * 3. A root tracer, with root's CPU-wide breakpoints on every slot: its
 *    ptrace breakpoint takes a slot (perfmon_capable()).
 *
 * Prints KTAP.
 */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "hwbp-perf-fill.h"	/* first: it defines _GNU_SOURCE */

#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static __attribute__((noinline)) void never_called(void)
{
	__asm__ volatile("" ::: "memory");
}

static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		_exit(250);
	/*
	 * Changing uid made us undumpable, and so the children we fork: the
	 * perf_event_open() of our own child would fail its ptrace check.
	 */
	prctl(PR_SET_DUMPABLE, 1);
}

/* A stopped, traced child on CPU 0. */
static pid_t traced_child(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		pin_to(0);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		exercise();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return pid;
}

/*
 * Give @pid a ptrace execute breakpoint: 0, or the errno of the write
 * that failed (DR0 registers it, DR7 enables it).
 */
static int ptrace_bp(pid_t pid)
{
	if (set_dr(pid, 0, (unsigned long)never_called) || set_dr(pid, 7, 1UL))
		return errno;
	return 0;
}

/* Perf breakpoints of this (unprivileged) process on @pid, on every slot. */
static int own_perf_on(pid_t pid, int fd[NR_PERF])
{
	for (int i = 0; i < NR_PERF; i++) {
		struct perf_event_attr attr;

		memset(&attr, 0, sizeof(attr));
		attr.type = PERF_TYPE_BREAKPOINT;
		attr.size = sizeof(attr);
		attr.exclude_kernel = 1;
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = (unsigned long)&watched[i % 3].v;
		attr.bp_len = HW_BREAKPOINT_LEN_1 << (i / 3);	/* distinct */
		fd[i] = syscall(__NR_perf_event_open, &attr, pid, -1, -1, 0);
		if (fd[i] < 0)
			return errno;
	}
	return 0;
}

/* Run @fn(@arg) in a child as nobody; its exit status (errno or 0). */
static int as_nobody(int (*fn)(void), const char *what)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		become_nobody();
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) >= 250) {
		printf("# %s: child status %#x\n", what, status);
		return -1;
	}
	return WEXITSTATUS(status);
}

static int nobody_traces(void)
{
	pid_t pid = traced_child();
	int err = ptrace_bp(pid);

	kill(pid, SIGKILL);
	return err;
}

static int nobody_traces_over_own_perf(void)
{
	int fd[NR_PERF], err;
	pid_t pid = traced_child();

	err = own_perf_on(pid, fd);
	if (err) {
		printf("# nobody's perf_event_open on its child: %s\n", strerror(err));
		kill(pid, SIGKILL);
		return 251;
	}
	err = ptrace_bp(pid);
	kill(pid, SIGKILL);
	return err;
}

int main(void)
{
	int err;

	FILE *f;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pin_to(0);
	/* Unprivileged users may open perf events on their own tasks. */
	f = fopen("/proc/sys/kernel/perf_event_paranoid", "w");
	if (f) {
		fputs("2\n", f);
		fclose(f);
	}

	/* 1. Root's CPU-wide breakpoints, nobody's tracer. */
	err = fill_all_slots();
	result(err, "root-perf-fills-all-slots", "%d CPUs", nr_cpus);
	err = as_nobody(nobody_traces, "nobody-traces");
	result(err == ENOSPC, "nobody-ptrace-enospc-over-root-cpu-perf", "%s",
	       err > 0 ? strerror(err) : err ? "no child" : "accepted");
	show_slots("after nobody's attempt");
	counts_exact("root-perf-still-counts-exactly");

	/* 3. Root's tracer over the same. */
	{
		pid_t pid = traced_child();

		err = ptrace_bp(pid);
		result(err == 0, "root-ptrace-over-root-cpu-perf", "%s", err ? strerror(err) : "");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		for (int i = 0; i < NR_PERF; i++)
			close(fds[cpu][i]);

	/* 2. Nobody's own perf breakpoints on its tracee. */
	err = as_nobody(nobody_traces_over_own_perf, "nobody-traces-over-own-perf");
	result(err == 0, "nobody-ptrace-over-own-perf-on-tracee", "%s",
	       err == 251 ? "perf_event_open refused" : err > 0 ? strerror(err) :
	       err ? "no child" : "");
	return failures ? 1 : 0;
}

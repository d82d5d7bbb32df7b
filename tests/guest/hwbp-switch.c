// SPDX-License-Identifier: GPL-2.0
/*
 * hwbp-switch: context switches that go through the breakpoint PMU's
 * del/add on one CPU (make bench, tests/plans/bench.sh).
 *
 *   hwbp-switch nobp|perf|ptrace-perf|perf4|perf4-same ROUNDS
 *
 * Two tasks pinned to CPU 0 pass a one-byte token through two pipes ROUNDS
 * times; the parent prints "USECS usecs/op", the time of one round trip.
 *
 *   nobp         no breakpoint: the baseline.
 *   perf         each task opens a write breakpoint on a variable of its own
 *                (perf_event_open on itself, inherit=0).  The two contexts
 *                are not clones of each other, so perf cannot swap them on a
 *                switch (as it does for perf stat's inherited events): every
 *                switch dels the outgoing task's breakpoint and adds the
 *                incoming one's.  2 adds and 2 dels per round trip.
 *   ptrace-perf  the child is traced by the parent, which sets the child's
 *                DR0/DR7 (a ptrace-class breakpoint); the parent keeps a
 *                perf breakpoint of its own: each switch dels one class and
 *                adds the other.  2 adds and 2 dels per round trip.
 *   perf4        as perf with four breakpoints per task, on four variables
 *                of its own: every slot changes hands on every switch.  8
 *                adds and 8 dels per round trip.
 *   perf4-same   as perf4, but both tasks watch the same four addresses
 *                (each its own copy after the fork): a switch leaves the
 *                debug registers as they were, and only DR7's writes can
 *                tell a kernel that skips them from one that does not.
 *
 * In the other modes the variables differ, so that no switch finds the
 * incoming task's debug registers equal to the outgoing one's.  None is
 * written while timed; afterwards each task writes its own once and checks
 * that its breakpoint saw it (it was really installed), outside the timed
 * loop.  No slot is ever contended, so pristine and patched run alike.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum mode { NOBP, PERF, PTRACE_PERF, PERF4, PERF4_SAME };

#define NVARS 4

/* Each on a cache line of its own: the parent's and the child's watched variables. */
static volatile long vars[2][NVARS][8] __attribute__((aligned(64)));
#define parent_var (vars[0][0][0])
#define child_var (vars[1][0][0])

/* How many breakpoints each task opens in @mode (ptrace-perf: the parent's). */
static int nr_bps(enum mode mode)
{
	return mode == NOBP ? 0 : (mode == PERF4 || mode == PERF4_SAME) ? NVARS : 1;
}

/* The variable task @t (0 parent, 1 child) watches with its breakpoint @i. */
static volatile long *var_of(enum mode mode, int t, int i)
{
	return &vars[mode == PERF4_SAME ? 0 : t][i][0];
}

static const char *who = "parent";

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, "hwbp-switch (%s): ", who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hwbp-switch (%s): ", who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity(CPU 0)");
}

/* A write breakpoint of the calling task only, on @var: counting, not inherited. */
static int open_own_bp(volatile long *var)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = (unsigned long)var;
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	attr.inherit = 0;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0)
		die("perf_event_open(write breakpoint on itself)");
	return fd;
}

/* One write of @var; its breakpoint @fd must count exactly that write. */
static void check_bp_hit(int fd, volatile long *var)
{
	long long before, after;

	if (read(fd, &before, sizeof(before)) != sizeof(before))
		die("read(breakpoint count)");
	(*var)++;
	if (read(fd, &after, sizeof(after)) != sizeof(after))
		die("read(breakpoint count)");
	if (after - before != 1)
		fail("its perf breakpoint counted %lld writes, not 1: not installed?",
		     after - before);
}

static void xwrite(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		die("write(pipe)");
}

static char xread(int fd)
{
	char c;
	ssize_t n = read(fd, &c, 1);

	if (n < 0)
		die("read(pipe)");
	if (n != 1)
		fail("pipe closed early");
	return c;
}

/* PTRACE_POKEUSER of debug register @reg of tracee @pid. */
static void set_dr(pid_t pid, int reg, unsigned long val)
{
	if (ptrace(PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg) + reg * sizeof(long),
		   val))
		die("PTRACE_POKEUSER DR%d = %#lx", reg, val);
}

static unsigned long get_dr(pid_t pid, int reg)
{
	long v;

	errno = 0;
	v = ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg) + reg * sizeof(long), 0);
	if (v == -1 && errno)
		die("PTRACE_PEEKUSER DR%d", reg);
	return v;
}

/* Wait for the traced child to stop with @sig. */
static void wait_stop(pid_t pid, int sig)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid(child)");
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != sig)
		fail("child: status %#x, expected a stop with signal %d", status, sig);
}

static void child(enum mode mode, long rounds, int in, int out)
{
	int fd[NVARS], i;

	who = "child";
	pin_cpu0();
	if (mode == PTRACE_PERF) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			die("PTRACE_TRACEME");
		/* The parent sets DR0/DR7 while we are stopped. */
		if (raise(SIGSTOP))
			die("raise(SIGSTOP)");
	}
	if (mode != PTRACE_PERF)
		for (i = 0; i < nr_bps(mode); i++)
			fd[i] = open_own_bp(var_of(mode, 1, i));
	xwrite(out, 'r');			/* ready */
	for (long r = 0; r < rounds; r++)
		xwrite(out, xread(in));
	if (mode != PTRACE_PERF)
		for (i = 0; i < nr_bps(mode); i++)
			check_bp_hit(fd[i], var_of(mode, 1, i));
	if (mode == PTRACE_PERF)
		child_var++;			/* traps: the parent checks DR6 */
	exit(0);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	int p2c[2], c2p[2], status, fd[NVARS], i;
	enum mode mode;
	long rounds;
	char *end;
	double us;
	pid_t pid;

	if (argc != 3)
		goto usage;
	if (!strcmp(argv[1], "nobp"))
		mode = NOBP;
	else if (!strcmp(argv[1], "perf"))
		mode = PERF;
	else if (!strcmp(argv[1], "ptrace-perf"))
		mode = PTRACE_PERF;
	else if (!strcmp(argv[1], "perf4"))
		mode = PERF4;
	else if (!strcmp(argv[1], "perf4-same"))
		mode = PERF4_SAME;
	else
		goto usage;
	rounds = strtol(argv[2], &end, 10);
	if (*end || rounds <= 0)
		goto usage;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pin_cpu0();
	if (pipe(p2c) || pipe(c2p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		child(mode, rounds, p2c[0], c2p[1]);
	}
	close(p2c[0]);
	close(c2p[1]);

	if (mode == PTRACE_PERF) {
		wait_stop(pid, SIGSTOP);
		set_dr(pid, 0, (unsigned long)&child_var);
		/* L0, write (RW0 = 01), 8 bytes (LEN0 = 10). */
		set_dr(pid, 7, 1UL | 1UL << 16 | 2UL << 18);
		if (ptrace(PTRACE_CONT, pid, 0, 0))
			die("PTRACE_CONT");
	}
	/* Opened after the fork: the child has no copy of it, inherit=0 or not. */
	for (i = 0; i < nr_bps(mode); i++)
		fd[i] = open_own_bp(var_of(mode, 0, i));
	if (xread(c2p[0]) != 'r')
		fail("child not ready");

	if (clock_gettime(CLOCK_MONOTONIC, &t0))
		die("clock_gettime");
	for (long i = 0; i < rounds; i++) {
		xwrite(p2c[1], 't');
		if (xread(c2p[0]) != 't')
			fail("token garbled");
	}
	if (clock_gettime(CLOCK_MONOTONIC, &t1))
		die("clock_gettime");
	us = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;

	for (i = 0; i < nr_bps(mode); i++)
		check_bp_hit(fd[i], var_of(mode, 0, i));
	if (mode == PTRACE_PERF) {
		/* The child's write of child_var trapped: DR6 names DR0 (B0). */
		wait_stop(pid, SIGTRAP);
		if (!(get_dr(pid, 6) & 1))
			fail("child stopped with SIGTRAP but DR6 = %#lx has no B0",
			     get_dr(pid, 6));
		if (ptrace(PTRACE_CONT, pid, 0, 0))
			die("PTRACE_CONT");
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid(child)");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("child ended with status %#x", status);

	printf("# hwbp-switch: mode=%s rounds=%ld cpu=0 %.0f usecs\n", argv[1], rounds, us);
	printf("%.3f usecs/op\n", us / rounds);
	return 0;

usage:
	fprintf(stderr, "usage: hwbp-switch nobp|perf|ptrace-perf|perf4|perf4-same ROUNDS\n");
	return 2;
}

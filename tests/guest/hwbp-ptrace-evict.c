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
 * Three data watchpoints and one execute breakpoint, because QEMU 7.2's TCG
 * miscounts the fourth of four data watchpoints (../shared/notes).
 * Prints KTAP; every case is asserted on exact counts.
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
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_PERF	4		/* slots per CPU on x86 */
#define ROUNDS	100
#define MAX_CPUS 8

struct padded { volatile long v; char pad[56]; };
static struct padded watched[3] __attribute__((aligned(64)));

static int ktap_n;
static int failures;

static void result(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void result(int ok, const char *name, const char *fmt, ...)
{
	char diag[256] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(diag, sizeof(diag), fmt, ap);
		va_end(ap);
	}
	if (!ok)
		failures++;
	printf("%s %d %s%s%s\n", ok ? "ok" : "not ok", ++ktap_n, name,
	       diag[0] ? " # " : "", diag);
	fflush(stdout);
}

/* The scheduler's slot table, as KTAP comments (absent on pristine). */
static void show_slots(const char *when)
{
	char buf[4096];
	FILE *f = fopen("/sys/kernel/debug/hw_breakpoint/slots", "r");

	printf("# slots %s:\n", when);
	if (!f) {
		printf("#   (no /sys/kernel/debug/hw_breakpoint: not a patched kernel)\n");
		return;
	}
	while (fgets(buf, sizeof(buf), f))
		printf("#   %s", buf);
	fclose(f);
	fflush(stdout);
}

static __attribute__((noinline)) void exec_target(void)
{
	__asm__ volatile("" ::: "memory");
}

/* Where the tracer's ptrace breakpoint stops the child. */
static __attribute__((noinline)) void child_marker(void)
{
	__asm__ volatile("" ::: "memory");
}

/* One round of the accesses the perf breakpoints count. */
static void exercise(void)
{
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < 3; i++)
			watched[i].v++;
		exec_target();
	}
}

static int nr_cpus;
static int fds[MAX_CPUS][NR_PERF];

static int open_bp(int cpu, int i)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.pinned = 1;
	attr.exclude_kernel = 1;
	/*
	 * The execute breakpoint first: the one evicted (the newest) is then
	 * a data watchpoint.  QEMU TCG counts data watchpoints exactly only
	 * while an execute breakpoint hits between their traps.
	 */
	if (i > 0) {
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = (unsigned long)&watched[i - 1].v;
		attr.bp_len = HW_BREAKPOINT_LEN_8;
	} else {
		attr.bp_type = HW_BREAKPOINT_X;
		attr.bp_addr = (unsigned long)exec_target;
		attr.bp_len = sizeof(long);
	}
	return syscall(__NR_perf_event_open, &attr, -1, cpu, -1, 0);
}

/* Sum over CPUs of each perf breakpoint's count. */
static void read_counts(long long out[NR_PERF])
{
	for (int i = 0; i < NR_PERF; i++) {
		out[i] = 0;
		for (int cpu = 0; cpu < nr_cpus; cpu++) {
			long long v = 0;

			if (read(fds[cpu][i], &v, sizeof(v)) == sizeof(v))
				out[i] += v;
		}
	}
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int set_dr(pid_t pid, int reg, unsigned long val)
{
	return ptrace(PTRACE_POKEUSER, pid,
		      offsetof(struct user, u_debugreg) + reg * sizeof(long), val);
}

int main(void)
{
	long long before[NR_PERF], during[NR_PERF], after[NR_PERF];
	int status, all_open = 1, dr0, dr7, hit = 0, lost = -1, ok;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (nr_cpus > MAX_CPUS)
		nr_cpus = MAX_CPUS;
	pin_to(0);

	for (int cpu = 0; cpu < nr_cpus; cpu++)
		for (int i = 0; i < NR_PERF; i++)
			if ((fds[cpu][i] = open_bp(cpu, i)) < 0)
				all_open = 0;
	result(all_open, "perf-fills-all-slots", "%d CPUs x %d breakpoints", nr_cpus, NR_PERF);
	show_slots("with perf on every slot");

	read_counts(before);
	exercise();
	read_counts(after);
	ok = 1;
	for (int i = 0; i < NR_PERF; i++)
		ok &= after[i] - before[i] == ROUNDS;
	result(ok, "perf-counts-before", "%lld %lld %lld %lld", after[0] - before[0],
	       after[1] - before[1], after[2] - before[2], after[3] - before[3]);

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
		else if (d != ROUNDS)
			ok = 0;
	}
	result(ok && lost >= 0, "perf-one-evicted-while-ptrace",
	       "deltas %lld %lld %lld %lld", during[0] - before[0], during[1] - before[1],
	       during[2] - before[2], during[3] - before[3]);

	/* The child is gone: every perf breakpoint counts again. */
	show_slots("after the traced child exited");
	read_counts(before);
	exercise();
	read_counts(after);
	ok = 1;
	for (int i = 0; i < NR_PERF; i++)
		ok &= after[i] - before[i] == ROUNDS;
	result(ok, "perf-counts-after-restore", "%lld %lld %lld %lld", after[0] - before[0],
	       after[1] - before[1], after[2] - before[2], after[3] - before[3]);
	return failures ? 1 : 0;
}

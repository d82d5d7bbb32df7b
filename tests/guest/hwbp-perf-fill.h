/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the guest programs: perf CPU-wide breakpoints that fill every
 * slot of every CPU and count exactly, KTAP output, the slot table.
 *
 * Three data watchpoints and one execute breakpoint, because QEMU 7.2's
 * TCG miscounts data watchpoints unless an execute breakpoint hits
 * between their traps (../shared/notes, and exercise()).  On arm64
 * (QEMU's cortex-a57), whose breakpoint and watchpoint registers are
 * apart: all 6 execute breakpoints and all 4 watchpoints.
 */
#ifndef HWBP_PERF_FILL_H
#define HWBP_PERF_FILL_H

#include "hwbp-guest.h"	/* first: it defines _GNU_SOURCE */
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <unistd.h>

#ifdef __aarch64__
#define NR_EXEC	6		/* breakpoint registers of a Cortex-A57 */
#define NR_DATA	4		/* its watchpoint registers */
#else
#define NR_EXEC	1		/* x86: four registers for both kinds */
#define NR_DATA	3
#endif
#define NR_PERF	(NR_EXEC + NR_DATA)	/* slots per CPU */
#define ROUNDS	100
#define MAX_CPUS 8

struct padded { volatile long v; char pad[56]; };
static struct padded watched[NR_DATA] __attribute__((aligned(64)));


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

/*
 * The accesses the perf breakpoints count: ROUNDS writes of each watched
 * variable, each followed by a call of exec_target() (3 * ROUNDS calls).
 * QEMU TCG reports a data watchpoint's stale hit again with the next data
 * watchpoint's trap unless an execute breakpoint traps in between; which
 * debug register a breakpoint gets after a restore varies, so every write
 * is followed by one.
 */
static void exercise(void)
{
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < NR_DATA; i++) {
			watched[i].v++;
			exec_target();
		}
	}
}

/* What breakpoint @i counts in one exercise(). */
static long long expected(int i)
{
	return i < NR_EXEC ? NR_DATA * ROUNDS : ROUNDS;
}

static int nr_cpus;
static int fds[MAX_CPUS][NR_PERF];
/* Read with PERF_FORMAT_TOTAL_TIME_ENABLED|RUNNING (read_times()). */
static int with_times;

static int open_bp(int cpu, int i)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.pinned = 1;
	attr.exclude_kernel = 1;
	if (with_times)
		attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	/*
	 * The execute breakpoint first: the one evicted (the newest) is then
	 * a data watchpoint.  QEMU TCG counts data watchpoints exactly only
	 * while an execute breakpoint hits between their traps.
	 */
	if (i >= NR_EXEC) {
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = (unsigned long)&watched[i - NR_EXEC].v;
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
			long long v[3] = { 0 };
			size_t n = with_times ? sizeof(v) : sizeof(v[0]);

			if (read(fds[cpu][i], v, n) == (ssize_t)n)
				out[i] += v[0];
		}
	}
}

/* Enabled and running time of breakpoint @i on @cpu (with_times). */
static inline void read_times(int cpu, int i, long long *enabled, long long *running)
{
	long long v[3] = { 0 };

	if (read(fds[cpu][i], v, sizeof(v)) != sizeof(v))
		v[1] = v[2] = -1;
	*enabled = v[1];
	*running = v[2];
}

#ifndef __aarch64__
/* PTRACE_POKEUSER of debug register @reg of tracee @pid. */
static inline int set_dr(pid_t pid, int reg, unsigned long val)
{
	return ptrace(PTRACE_POKEUSER, pid,
		      offsetof(struct user, u_debugreg) + reg * sizeof(long), val);
}
#endif



/* Open the NR_PERF breakpoints on every CPU; 1 if all opened. */
static int fill_all_slots(void)
{
	int all_open = 1;

	nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (nr_cpus > MAX_CPUS)
		nr_cpus = MAX_CPUS;
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		for (int i = 0; i < NR_PERF; i++)
			if ((fds[cpu][i] = open_bp(cpu, i)) < 0)
				all_open = 0;
	return all_open;
}

/* One exercise(); 1 if every breakpoint counted exactly what it should. */
static int counts_exact(const char *name)
{
	long long before[NR_PERF], after[NR_PERF];
	char diag[NR_PERF * 12] = "";
	int ok = 1, n = 0;

	read_counts(before);
	exercise();
	read_counts(after);
	for (int i = 0; i < NR_PERF; i++) {
		ok &= after[i] - before[i] == expected(i);
		n += snprintf(diag + n, sizeof(diag) - n, "%s%lld", i ? " " : "",
			      after[i] - before[i]);
	}
	result(ok, name, "%s", diag);
	return ok;
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the guest programs of every architecture: KTAP output, CPU
 * pinning, whether the kernel warned.  Include it first: it defines
 * _GNU_SOURCE.
 */
#ifndef HWBP_GUEST_H
#define HWBP_GUEST_H

#define _GNU_SOURCE
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int ktap_n;
static int failures;
/* Put before every case name (a program's group, e.g. "nobody."). */
static const char *result_prefix = "";

static void result(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void result(int ok, const char *name, const char *fmt, ...)
{
	char diag[512] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(diag, sizeof(diag), fmt, ap);
		va_end(ap);
	}
	if (!ok)
		failures++;
	printf("%s %d %s%s%s%s\n", ok ? "ok" : "not ok", ++ktap_n, result_prefix, name,
	       diag[0] ? " # " : "", diag);
	fflush(stdout);
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* A symbol's address from /proc/kallsyms (root), 0 if not found. */
static __attribute__((unused)) unsigned long ksym(const char *name)
{
	char line[256], sym[200], type;
	unsigned long addr, found = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %199s", &addr, &type, sym) == 3 && !strcmp(sym, name))
			found = addr;
	if (f)
		fclose(f);
	return found;
}

/* TAINT_WARN: a WARN() since boot.  Not every program asks. */
static __attribute__((unused)) int warned(void)
{
	unsigned long t = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");

	if (f) {
		if (fscanf(f, "%lu", &t) != 1)
			t = 0;
		fclose(f);
	}
	return !!(t & (1UL << 9));
}

#endif

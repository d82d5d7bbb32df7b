// SPDX-License-Identifier: GPL-2.0
// guest-arch: x86 arm64
/*
 * hwbp-perf-hold NAME COMMAND: fill every slot of every CPU with perf
 * CPU-wide breakpoints that count exactly, run COMMAND (sh -c) while they
 * hold the slots, then check that every one of them counts exactly again.
 *
 * Used to run kgdbts, or a real gdb session, against full slots: pristine
 * kgdb cannot get a slot then; the debugger class evicts perf for its
 * session and the perf breakpoints are restored when it lets go.
 * Prints KTAP: NAME.perf-fills-all-slots, NAME.perf-counts-before,
 * NAME.command, NAME.perf-counts-after.
 *
 * The counted accesses run on CPU 0, or on CPU $HWBP_HOLD_CPU when set
 * (the command inherits that affinity).  With HWBP_HOLD_TIMES=1 the
 * breakpoints are read with their enabled and running times, as perf stat
 * reads them, and NAME.perf-time-honest checks that, over the command,
 * the debugger's evictions show: some breakpoint ran less than it was
 * enabled, none more.
 */
#include "hwbp-perf-fill.h"

int main(int argc, char **argv)
{
	char name[128];
	int rc, filled;

	if (argc != 3) {
		fprintf(stderr, "usage: %s NAME COMMAND\n", argv[0]);
		return 2;
	}
	long long e0[MAX_CPUS][NR_PERF], r0[MAX_CPUS][NR_PERF];

	setvbuf(stdout, NULL, _IOLBF, 0);
	with_times = getenv("HWBP_HOLD_TIMES") != NULL;
	pin_to(getenv("HWBP_HOLD_CPU") ? atoi(getenv("HWBP_HOLD_CPU")) : 0);
	snprintf(name, sizeof(name), "%s.perf-fills-all-slots", argv[1]);
	filled = fill_all_slots();	/* sets nr_cpus */
	result(filled, name, "%d CPUs x %d breakpoints", nr_cpus, NR_PERF);
	snprintf(name, sizeof(name), "%s.perf-counts-before", argv[1]);
	counts_exact(name);
	show_slots("held by perf, before the command");

	for (int cpu = 0; with_times && cpu < nr_cpus; cpu++)
		for (int i = 0; i < NR_PERF; i++)
			read_times(cpu, i, &e0[cpu][i], &r0[cpu][i]);
	rc = system(argv[2]);
	snprintf(name, sizeof(name), "%s.command", argv[1]);
	result(rc == 0, name, "exit %d", rc);
	if (with_times) {
		int less = 0, more = 0;

		for (int cpu = 0; cpu < nr_cpus; cpu++) {
			for (int i = 0; i < NR_PERF; i++) {
				long long e, r;

				read_times(cpu, i, &e, &r);
				e -= e0[cpu][i];
				r -= r0[cpu][i];
				printf("# cpu%d bp%d over the command: running %lld of %lld ns (%.2f%%)\n",
				       cpu, i, r, e, e > 0 ? 100.0 * r / e : 0.0);
				less += r < e;
				more += r > e;
			}
		}
		snprintf(name, sizeof(name), "%s.perf-time-honest", argv[1]);
		result(less > 0 && !more, name, "%d ran less than enabled, %d more", less, more);
	}

	show_slots("after the command");
	snprintf(name, sizeof(name), "%s.perf-counts-after", argv[1]);
	counts_exact(name);
	return failures ? 1 : 0;
}

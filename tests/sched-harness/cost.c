// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions per operation of the scheduler core, for callgrind
 * (scripts/callgrind.sh).  kernel/events/hw_breakpoint_sched.c is compiled
 * unchanged (-O2, x86's geometry: one pool of 4 slots) against the shims
 * with tracepoints off, as in a kernel where nobody traces; the rest is
 * x86's own code minus the debug register writes: the per-CPU bp_per_reg[]
 * searches of arch/x86/kernel/hw_breakpoint.c and the owner notifications
 * of kernel/events/hw_breakpoint.c (nobody asked for them: perf's own).
 *
 * Each scenario repeats one entry point N times from the same state;
 * collection is on only around that call (CALLGRIND_TOGGLE_COLLECT), and
 * each scenario is dumped on its own (CALLGRIND_DUMP_STATS_AT), so the
 * inclusive cost of the entry point in a dump divided by its calls is the
 * cost of one operation.  "mainline-*" are what mainline's pmu->add/del do
 * on x86 instead: the first-fit slot search and its reverse, alone.
 *
 *   valgrind --tool=callgrind --collect-atstart=no cost N
 */
#include <valgrind/callgrind.h>

#include "hw_breakpoint_sched.h"

#define SLOTS 4			/* HBP_NUM */
#define noinline __attribute__((noinline))
#define MEASURE(call) do {						\
	CALLGRIND_TOGGLE_COLLECT;					\
	call;								\
	CALLGRIND_TOGGLE_COLLECT;					\
} while (0)

int shim_warned;
bool hw_bp_sched_preempt = true;

static struct perf_event *bp_per_reg[SLOTS];	/* this CPU's, as on x86 */
static struct hw_bp_sched_cpu sc;
static struct perf_event perf[SLOTS], ptrace_bp, kgdb_bp;

noinline int hw_bp_sched_nr_slots(int type)
{
	return SLOTS;	/* hw_breakpoint_slots_cached() on x86 */
}

/* arch_install_hw_breakpoint() of x86 without its register writes. */
noinline int arch_install_hw_breakpoint(struct perf_event *bp)
{
	int i;

	for (i = 0; i < SLOTS; i++) {
		if (!bp_per_reg[i]) {
			bp_per_reg[i] = bp;
			break;
		}
	}
	if (i == SLOTS) {
		shim_warned++;
		return -EBUSY;
	}
	return 0;
}

noinline void arch_uninstall_hw_breakpoint(struct perf_event *bp)
{
	int i;

	for (i = 0; i < SLOTS; i++) {
		if (bp_per_reg[i] == bp) {
			bp_per_reg[i] = NULL;
			break;
		}
	}
	if (i == SLOTS)
		shim_warned++;
}

noinline int arch_hw_breakpoint_slot(struct perf_event *bp)
{
	int i;

	for (i = 0; i < SLOTS; i++) {
		if (READ_ONCE(bp_per_reg[i]) == bp)
			return i;
	}
	return -1;
}

/* hw_breakpoint.c's notification queue, for breakpoints without a notifier. */
static struct {
	unsigned int head, tail;
	struct perf_event *q[64];
} nc;

noinline void hw_bp_sched_notify(struct perf_event *bp, int event)
{
	if (!READ_ONCE(bp->notify))
		return;
	shim_warned++;		/* no breakpoint here has one */
}

noinline void hw_bp_sched_notify_forget(struct perf_event *bp)
{
	unsigned int i;

	for (i = READ_ONCE(nc.head); i != nc.tail; i++) {
		if (nc.q[i % 64] == bp)
			WRITE_ONCE(nc.q[i % 64], NULL);
	}
}

static void check(bool ok, const char *what)
{
	if (!ok || shim_warned) {
		fprintf(stderr, "cost: %s: unexpected state\n", what);
		exit(1);
	}
}

static void fill(void)		/* perf on every slot, oldest first */
{
	for (int i = 0; i < SLOTS; i++)
		hw_bp_sched_add(&sc, &perf[i], HW_BP_CLASS_PERF, TYPE_DATA, 1);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	struct perf_event *last = &perf[SLOTS - 1];

	/*
	 * Every scenario runs once outside collection first, so that no lazy
	 * binding or first touch lands in a measured call.
	 */
	for (int warm = 1; warm >= 0; warm--) {
		int reps = warm ? 1 : n;
#define RUN(call) do { if (warm) { call; } else { MEASURE(call); } } while (0)
#define DUMP(name) do { if (!warm) CALLGRIND_DUMP_STATS_AT(name); } while (0)

		memset(&sc, 0, sizeof(sc));
		memset(bp_per_reg, 0, sizeof(bp_per_reg));
		fill();
		check(sc.used[TYPE_DATA] == SLOTS, "fill");

		/* Three slots held, the fourth free (the last perf breakpoint's). */
		hw_bp_sched_del(&sc, last);
		for (int i = 0; i < reps; i++) {
			RUN(hw_bp_sched_add(&sc, last, HW_BP_CLASS_PERF, TYPE_DATA, 1));
			hw_bp_sched_del(&sc, last);
		}
		DUMP("install");
		for (int i = 0; i < reps; i++) {
			hw_bp_sched_add(&sc, last, HW_BP_CLASS_PERF, TYPE_DATA, 1);
			RUN(hw_bp_sched_del(&sc, last));
		}
		DUMP("uninstall");
		check(hw_bp_sched_installed(&sc, &perf[0]) && !hw_bp_sched_installed(&sc, last),
		      "install/uninstall");

		/* The same through the debugger's entry points (NMI, CPU stopped). */
		for (int i = 0; i < reps; i++) {
			RUN(hw_bp_sched_debugger_add(&sc, &kgdb_bp, TYPE_DATA, 1));
			hw_bp_sched_debugger_del(&sc, &kgdb_bp);
		}
		DUMP("dbg-add");
		for (int i = 0; i < reps; i++) {
			hw_bp_sched_debugger_add(&sc, &kgdb_bp, TYPE_DATA, 1);
			RUN(hw_bp_sched_debugger_del(&sc, &kgdb_bp));
		}
		DUMP("dbg-del");

		/* What mainline's pmu->add/del do on x86, from the same slots. */
		for (int i = 0; i < reps; i++) {
			RUN(arch_install_hw_breakpoint(last));
			arch_uninstall_hw_breakpoint(last);
		}
		DUMP("mainline-install");
		for (int i = 0; i < reps; i++) {
			arch_install_hw_breakpoint(last);
			RUN(arch_uninstall_hw_breakpoint(last));
		}
		DUMP("mainline-uninstall");

		/* Every slot held by perf: ptrace evicts the newest, then leaves. */
		hw_bp_sched_add(&sc, last, HW_BP_CLASS_PERF, TYPE_DATA, 1);
		for (int i = 0; i < reps; i++) {
			RUN(hw_bp_sched_add(&sc, &ptrace_bp, HW_BP_CLASS_PTRACE, TYPE_DATA, 1));
			hw_bp_sched_del(&sc, &ptrace_bp);
		}
		DUMP("evict");
		for (int i = 0; i < reps; i++) {
			hw_bp_sched_add(&sc, &ptrace_bp, HW_BP_CLASS_PTRACE, TYPE_DATA, 1);
			RUN(hw_bp_sched_del(&sc, &ptrace_bp));
		}
		DUMP("restore");
		check(hw_bp_sched_installed(&sc, last) &&
		      sc.evictions[HW_BP_CLASS_PERF] == sc.restores[HW_BP_CLASS_PERF] &&
		      sc.evictions[HW_BP_CLASS_PERF] >= (unsigned long)reps, "evict/restore");

		/* kgdb over perf on every slot (the kgdb plan). */
		for (int i = 0; i < reps; i++) {
			RUN(hw_bp_sched_debugger_add(&sc, &kgdb_bp, TYPE_DATA, 1));
			hw_bp_sched_debugger_del(&sc, &kgdb_bp);
		}
		DUMP("dbg-evict");
		for (int i = 0; i < reps; i++) {
			hw_bp_sched_debugger_add(&sc, &kgdb_bp, TYPE_DATA, 1);
			RUN(hw_bp_sched_debugger_del(&sc, &kgdb_bp));
		}
		DUMP("dbg-restore");

		/* One CPU's table, read while ptrace holds a slot: 5 entries. */
		{
			static struct hw_bp_sched_view view;

			hw_bp_sched_add(&sc, &ptrace_bp, HW_BP_CLASS_PTRACE, TYPE_DATA, 1);
			for (int i = 0; i < reps; i++)
				RUN(hw_bp_sched_snapshot(&sc, &view));
			DUMP("snapshot");
			check(view.nr == SLOTS + 1, "snapshot");
			hw_bp_sched_del(&sc, &ptrace_bp);
		}
		check(sc.dbg_req == sc.dbg_done && !(sc.seq.sequence & 1), "end");
	}
	return 0;
}

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
 * An evicted breakpoint comes back only through perf (patch 0015): its
 * irq_work takes it off (pmu->del), and once the slot frees, perf adds it
 * again.  Between measured calls, perf_lost() and perf_sched_in() play that
 * part, unmeasured, so that every repetition starts from the same state.
 *
 *   valgrind --tool=callgrind --collect-atstart=no cost N
 */
#include <valgrind/callgrind.h>

#include "hw_breakpoint_sched.h"

#define SLOTS 4			/* HBP_NUM */
#ifndef noinline
#define noinline __attribute__((noinline))
#endif
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
static struct perf_event other[SLOTS];	/* another task's, for switches() */

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

noinline struct perf_event *arch_hw_breakpoint_slot_owner(int slot)
{
	return slot < SLOTS ? bp_per_reg[slot] : NULL;
}

/* hw_breakpoint.c's: what mainline's path installed is perf's. */
noinline void hw_bp_sched_adopt(struct hw_bp_sched_cpu *cpu)
{
	struct perf_event *bp;

	for (int i = 0; i < SLOTS; i++) {
		bp = arch_hw_breakpoint_slot_owner(i);
		if (bp)
			hw_bp_sched_adopt_one(cpu, bp, HW_BP_CLASS_PERF, TYPE_DATA, 1);
	}
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
	if (!READ_ONCE(bp->hw.bp_notify))
		return;
	shim_warned++;		/* no breakpoint here has one */
}

/* irq_work_queue() of perf's catch-up: claimed once until it runs. */
static bool kicked;

noinline void hw_bp_sched_kick(struct hw_bp_sched_cpu *cpu)
{
	if (!READ_ONCE(kicked))
		WRITE_ONCE(kicked, true);
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

/*
 * hw_breakpoint.c's pmu->add and pmu->del (hw_breakpoint_add()/_del()),
 * for one CPU and perf's class: the same test of the key and of the CPU's
 * flag (hw_bp_sched_active()).  The arguments are constants here; the
 * kernel computes the class, slot type and weight from the event behind
 * that test, a few instructions more on the scheduler's side.
 */
noinline int pmu_add(struct perf_event *bp)
{
	if (hw_bp_sched_active(&sc))
		return hw_bp_sched_add(&sc, bp, HW_BP_CLASS_PERF, TYPE_DATA, 1);
	return arch_install_hw_breakpoint(bp);
}

noinline void pmu_del(struct perf_event *bp)
{
	if (hw_bp_sched_active(&sc))
		hw_bp_sched_del(&sc, bp);
	else
		arch_uninstall_hw_breakpoint(bp);
}

/* Mainline's pmu->add and pmu->del: the architecture's, called directly. */
noinline int mainline_pmu_add(struct perf_event *bp)
{
	return arch_install_hw_breakpoint(bp);
}

noinline void mainline_pmu_del(struct perf_event *bp)
{
	arch_uninstall_hw_breakpoint(bp);
}

/*
 * One context switch of a task with four breakpoints to another with four
 * (switch-1cpu-perf4 in the guest), through @add and @del as perf calls
 * them (pmu->add, pmu->del): it takes the outgoing task's off in the order
 * they went on (its active lists are FIFO: the oldest first, not the
 * newest), then puts the incoming task's on.
 */
noinline void switch4(int (*add)(struct perf_event *), void (*del)(struct perf_event *),
		      struct perf_event *out, struct perf_event *in)
{
	for (int i = 0; i < SLOTS; i++)
		del(&out[i]);
	for (int i = 0; i < SLOTS; i++)
		add(&in[i]);
}

/*
 * @reps switches from perf[] to other[], each measured unless @warm, each
 * followed by the unmeasured switch back: every repetition starts alike.
 */
static void switches(int reps, bool warm, int (*add)(struct perf_event *),
		     void (*del)(struct perf_event *))
{
	for (int i = 0; i < reps; i++) {
		if (warm)
			switch4(add, del, perf, other);
		else
			MEASURE(switch4(add, del, perf, other));
		switch4(add, del, other, perf);
	}
}

#if !SHIM_STATIC_KEY
static void fill(void)		/* perf on every slot, oldest first */
{
	for (int i = 0; i < SLOTS; i++)
		pmu_add(&perf[i]);
}
#endif

/* Perf's irq_work (hw_bp_sched_perf_catch_up()): @bp, evicted, goes off. */
static void perf_lost(struct perf_event *bp)
{
	check(sc.lost && kicked && bp->hw.bp_waiting, "lost");
	sc.lost = kicked = false;
	hw_bp_sched_del(&sc, bp);
}

/*
 * And once its slot freed (a resched was asked for): perf adds @bp again,
 * the one waiting (perf_pmu_sched_in_waiting()).
 */
static void perf_sched_in(struct perf_event *bp)
{
	check(sc.resched && kicked, "resched");
	sc.resched = sc.waiting = kicked = false;
	sc.in_sched_in = true;
	hw_bp_sched_add(&sc, bp, HW_BP_CLASS_PERF, TYPE_DATA, 1);
	sc.in_sched_in = false;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	struct perf_event *last = &perf[SLOTS - 1];

	/*
	 * Each alone, its own group's leader.  Perf's on the tracee, so that
	 * an unprivileged tracer's breakpoint may evict them (patch 0016).
	 */
	for (int i = 0; i < SLOTS; i++) {
		perf[i].group_leader = &perf[i];
		perf[i].hw.bp_shield = HW_BP_SHIELD_TASK;
		other[i].group_leader = &other[i];	/* another task's, alike */
		other[i].hw.bp_shield = HW_BP_SHIELD_TASK;
	}
	ptrace_bp.group_leader = &ptrace_bp;
	ptrace_bp.hw.bp_shield = HW_BP_SHIELD_DEBUGGER;
	ptrace_bp.hw.bp_reach = HW_BP_SHIELD_TASK;
	kgdb_bp.group_leader = &kgdb_bp;
	kgdb_bp.hw.bp_shield = kgdb_bp.hw.bp_reach = HW_BP_SHIELD_DEBUGGER;

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
		for (int i = 0; i < SLOTS; i++)
			perf[i].hw.bp_waiting = false;
		kicked = false;

#if !SHIM_STATIC_KEY
		/*
		 * Built with the key off (patch 0031): only perf's were ever
		 * registered, pmu->add/del are mainline's path, the table
		 * stays empty.  That is all this build measures.
		 */
		fill();
		pmu_del(last);
		for (int i = 0; i < reps; i++) {
			RUN(pmu_add(last));
			pmu_del(last);
		}
		DUMP("perf-only-install");
		for (int i = 0; i < reps; i++) {
			pmu_add(last);
			RUN(pmu_del(last));
		}
		DUMP("perf-only-uninstall");
		check(sc.nr == 0 && !sc.adopted && bp_per_reg[SLOTS - 2] == &perf[SLOTS - 2],
		      "perf-only");
		/* A whole switch of four, through pmu->del/add and as mainline. */
		pmu_add(last);
		switches(reps, warm, pmu_add, pmu_del);
		DUMP("perf-only-switch-4");
		switches(reps, warm, mainline_pmu_add, mainline_pmu_del);
		DUMP("mainline-switch-4");
		check(sc.nr == 0 && bp_per_reg[0] == &perf[0] && bp_per_reg[SLOTS - 1] == last,
		      "perf-only switch");
		continue;
#endif
		/*
		 * What mainline's path installed before the key came on is
		 * taken over (the IPI of hw_bp_sched_enable()): three perf
		 * breakpoints.
		 */
		for (int i = 0; i < SLOTS - 1; i++)
			arch_install_hw_breakpoint(&perf[i]);
		hw_bp_sched_take_over(&sc);
		check(sc.nr == SLOTS - 1 && sc.used[TYPE_DATA] == SLOTS - 1 && sc.adopted, "take-over");
		hw_bp_sched_add(&sc, last, HW_BP_CLASS_PERF, TYPE_DATA, 1);
		check(sc.used[TYPE_DATA] == SLOTS, "fill");

		/*
		 * Three slots held, the fourth free (the last perf breakpoint's):
		 * pmu->add and pmu->del as hw_breakpoint.c calls them, the key's
		 * jmp and this CPU's adopted flag included.
		 */
		hw_bp_sched_del(&sc, last);
		for (int i = 0; i < reps; i++) {
			RUN(pmu_add(last));
			pmu_del(last);
		}
		DUMP("install");
		for (int i = 0; i < reps; i++) {
			pmu_add(last);
			RUN(pmu_del(last));
		}
		DUMP("uninstall");
		check(hw_bp_sched_installed(&sc, &perf[0]) && !hw_bp_sched_installed(&sc, last),
		      "install/uninstall");

		/* A whole switch of four: the table empties and fills again. */
		pmu_add(last);
		switches(reps, warm, pmu_add, pmu_del);
		DUMP("switch-4");
		check(sc.nr == SLOTS && sc.ent[0].bp == &perf[0] && sc.ent[SLOTS - 1].bp == last &&
		      !sc.waiting && !kicked, "switch-4");
		pmu_del(last);

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

		/*
		 * Every slot held by perf: ptrace evicts the newest, perf takes
		 * it off; ptrace leaves, which asks perf to resched; perf adds
		 * the evicted one again, a restore.
		 */
		hw_bp_sched_add(&sc, last, HW_BP_CLASS_PERF, TYPE_DATA, 1);
		for (int i = 0; i < reps; i++) {
			RUN(hw_bp_sched_add(&sc, &ptrace_bp, HW_BP_CLASS_PTRACE, TYPE_DATA, 1));
			perf_lost(last);
			hw_bp_sched_del(&sc, &ptrace_bp);
			perf_sched_in(last);
		}
		DUMP("evict");
		for (int i = 0; i < reps; i++) {
			hw_bp_sched_add(&sc, &ptrace_bp, HW_BP_CLASS_PTRACE, TYPE_DATA, 1);
			perf_lost(last);
			RUN(hw_bp_sched_del(&sc, &ptrace_bp));
			perf_sched_in(last);
		}
		DUMP("restore");
		for (int i = 0; i < reps; i++) {
			hw_bp_sched_add(&sc, &ptrace_bp, HW_BP_CLASS_PTRACE, TYPE_DATA, 1);
			perf_lost(last);
			hw_bp_sched_del(&sc, &ptrace_bp);
			check(sc.resched && kicked, "resched");
			sc.resched = sc.waiting = kicked = false;
			RUN(hw_bp_sched_add(&sc, last, HW_BP_CLASS_PERF, TYPE_DATA, 1));
		}
		DUMP("re-add");
		check(hw_bp_sched_installed(&sc, last) && !last->hw.bp_waiting &&
		      sc.evictions[HW_BP_CLASS_PERF] == sc.restores[HW_BP_CLASS_PERF] &&
		      sc.evictions[HW_BP_CLASS_PERF] >= (unsigned long)reps, "evict/restore");

		/* kgdb over perf on every slot (the kgdb plan), the same way. */
		for (int i = 0; i < reps; i++) {
			RUN(hw_bp_sched_debugger_add(&sc, &kgdb_bp, TYPE_DATA, 1));
			perf_lost(last);
			hw_bp_sched_debugger_del(&sc, &kgdb_bp);
			perf_sched_in(last);
		}
		DUMP("dbg-evict");
		for (int i = 0; i < reps; i++) {
			hw_bp_sched_debugger_add(&sc, &kgdb_bp, TYPE_DATA, 1);
			perf_lost(last);
			RUN(hw_bp_sched_debugger_del(&sc, &kgdb_bp));
			perf_sched_in(last);
		}
		DUMP("dbg-restore");
		check(hw_bp_sched_installed(&sc, last) && !sc.waiting && !kicked, "dbg-evict/restore");

		/*
		 * One CPU's table, copied on that CPU as debugfs's IPI does it
		 * (patch 0029: a write section of its own, the copy, x86 asked
		 * for the slot of each installed entry, writer_end()), while
		 * ptrace holds a slot and perf has not taken the evicted one off
		 * yet: 5 entries, 4 installed.
		 */
		{
			static struct hw_bp_sched_view view;

			hw_bp_sched_add(&sc, &ptrace_bp, HW_BP_CLASS_PTRACE, TYPE_DATA, 1);
			for (int i = 0; i < reps; i++)
				RUN(hw_bp_sched_snapshot(&sc, &view));
			DUMP("snapshot");
			check(view.nr == SLOTS + 1 && !(sc.seq & 1) &&
			      sc.dbg_req == sc.dbg_done, "snapshot");
			perf_lost(last);
			hw_bp_sched_del(&sc, &ptrace_bp);
			perf_sched_in(last);
		}
		check(sc.dbg_req == sc.dbg_done && !(sc.seq & 1) && !sc.waiting &&
		      !sc.lost && !sc.resched && !kicked, "end");
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Random driver of the user-space harness (the models: model.c): seeded
 * random add/del sequences (perf's breakpoints alone or in groups of 2-3,
 * pinned or flexible, on the CPU or the task, or an in-kernel user's on
 * either; ptrace's of a privileged tracer or not), context switches,
 * debugger requests (add, del, a breakpoint planted again with another
 * type and length), kgdb unregistering one of its breakpoints, the CPU
 * going down and up, a reader on another CPU having this one copy its
 * table (hw_bp_sched_snapshot()), and now and then, from inside an update
 * or a copy (at an arch call or the sequence count's points; perf's
 * irq_work after a step included), an NMI in which the debugger makes one
 * of those requests; one seed in four switches hw_breakpoint.preempt off
 * and on.  At every NMI point the model reads what the debugger reads of
 * a CPU it stopped (hw_bp_sched_others()).
 *
 * One seed in five starts with patch 0031's key off (mainline's path):
 * perf's breakpoints only, no debugger, until the key comes on at a random
 * operation among the first 400, as the first ptrace or debugger
 * breakpoint would turn it on; its take-over IPI then comes at once half
 * the time, else up to 40 operations later, perf's alone meanwhile,
 * staying on mainline's path with the key on (this CPU's context switches
 * between the key's update and its IPI).
 *
 * Before the seeds, three fixed cases: an evicted breakpoint gets the slot
 * freed for it before a newer newcomer of its class that perf adds before
 * its irq_work runs (fcfs_case()); a ptrace newcomer does not wait for
 * that irq_work while only perf's breakpoints wait (ptrace_over_perf_case());
 * a debugger breakpoint keeps its slot type and weight (dbg_slot_type_case()),
 * and a writer never reads half of a request (dbg_torn_release_case()).
 *
 *   harness SLOTS_INST SLOTS_DATA SEEDS OPS
 * prints KTAP and exits 1 on the first mismatch (with a trace).
 */
#include "model.h"

static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rng >> 33) % n;
}

static bool nmi_armed;		/* one NMI may hit during this step (its updates) */
static int nmi_fired;
static struct {
	int adds, groups, kernel, priv, enospc, dels, switches, nmis, replants, nmi_replants,
	    drops, downs, ignored, snapshots, snapshot_nmis, preempt_offs, key_off_seeds;
	unsigned long runs, lost_groups, sched_ins;
	struct model_adopt_stats adopt;
} st;

/* The (n mod count)th breakpoint the debugger wants, or NULL. */
static struct model_bp *nth_wanted(unsigned int n)
{
	unsigned int count = 0;

	for (int i = 0; i < NR_DBG_BPS; i++)
		count += DBG_BP(i)->present;
	if (!count)
		return NULL;
	n %= count;
	for (int i = 0; i < NR_DBG_BPS; i++)
		if (DBG_BP(i)->present && !n--)
			return DBG_BP(i);
	return NULL;
}

/*
 * The debugger adds one of its breakpoints (one per slot of a type at
 * most), removes one, or plants one again with another type and length
 * (gdb at a stop: removed first; kgdb: rewritten in place and asked for
 * again), a third of the time each: so perf and ptrace keep some slots.
 */
static bool debugger_op(bool nmi)
{
	struct model_bp *b = DBG_BP(rnd(NR_DBG_BPS));
	int type;

	switch (rnd(3)) {
	case 0:
		type = model_dbg_type(b, rnd(TYPE_MAX));
		if (b->present || count_class(HW_BP_CLASS_DEBUGGER, type) >= nr_slots[type])
			return false;
		model_dbg_add(b, type, rnd(64));
		return true;
	case 1:
		b = nth_wanted(rnd(NR_DBG_BPS));
		if (!b)
			return false;
		model_dbg_del(b);
		return true;
	}
	b = nth_wanted(rnd(NR_DBG_BPS));
	if (!b)
		return false;
	model_dbg_replant(b, rnd(2), rnd(64));
	if (nmi)
		st.nmi_replants++;
	else
		st.replants++;
	return true;
}

/* The first of perf's and ptrace's objects after @b that is free, or NULL. */
static struct model_bp *next_free(struct model_bp *b)
{
	while (++b < &bps[NR_PERF_BPS])
		if (!b->present)
			return b;
	return NULL;
}

/*
 * Perf opens @b, alone or, a third of perf's time, with the next one or
 * two free as its group, on the task or the CPU; a quarter of those alone
 * are an in-kernel user's.  Ptrace's tracer is privileged half the time.
 * False if registration (model_registers()) does not allow it.
 */
static bool perf_open(struct model_bp *b, const char **why)
{
	int cls = rnd(HW_BP_CLASS_DEBUGGER), n = 1, type[MODEL_GROUP_MAX];
	struct model_bp *g[MODEL_GROUP_MAX] = { b };
	unsigned int how = rnd(4);

	/*
	 * With the key off, only perf's class was ever registered; until its
	 * IPI, hw_bp_sched_enable() has not returned to ptrace.
	 */
	if (model_key_off() || model_ipi_pending())
		cls = HW_BP_CLASS_PERF;

	if (cls == HW_BP_CLASS_PERF && !rnd(3))
		n = 2 + rnd(MODEL_GROUP_MAX - 1);
	else if (cls == HW_BP_CLASS_PERF && !rnd(4))
		how = MODEL_KERNEL | (how & MODEL_TASK);
	else if (cls == HW_BP_CLASS_PTRACE && rnd(2))
		how = MODEL_PRIV;
	for (int k = 0; k < n; k++) {
		if (k && !(g[k] = next_free(g[k - 1])))
			return false;
		type[k] = rnd(TYPE_MAX);
	}
	if (!model_registers(n, cls, type, how)) {
		st.enospc += cls == HW_BP_CLASS_PTRACE;
		return false;
	}
	*why = model_add(g, n, cls, type, how);
	st.adds += n;
	st.groups += n > 1;
	st.kernel += !!(how & MODEL_KERNEL);
	st.priv += cls == HW_BP_CLASS_PTRACE && how == MODEL_PRIV;
	return true;
}

/*
 * Called by the fake CPU from inside an update or a copy: an NMI,
 * sometimes; at an arch call (the adoption's register reads included)
 * one time in two, at the sequence count's points (just odd, about to
 * turn even, just even) one in eight.
 */
static void nmi_maybe(enum model_point where)
{
	bool arch = where == MODEL_ARCH || where == MODEL_ARCH_SLOT || where == MODEL_IN_SLOT;

	if (!nmi_armed || rnd(arch ? 2 : 8))
		return;
	nmi_armed = false;
	nmi_fired += debugger_op(true);
}

static int run(unsigned long seed, int ops)
{
	const char *why;
	int key_on_at = -1, ipi_at = -1;

	model_reset();
	model_nmi = nmi_maybe;
	rng = seed;
	/* Seeds 5, 10, ...: none of those the docs name for the mutations found. */
	if (seed % 5 == 0) {
		model_start_mainline();
		key_on_at = rnd(400);
		st.key_off_seeds++;
	}

	for (int op = 0; op < ops; op++) {
		unsigned int r = rnd(40);

		nmi_fired = 0;
		nmi_armed = rnd(3) == 0;
		if (op == key_on_at) {
			/* The first ptrace or debugger breakpoint is registered. */
			bool ipi = rnd(2);

			if (!ipi)
				ipi_at = op + 1 + rnd(40);
			why = model_key_on(ipi);
		} else if (op == ipi_at) {
			why = model_take_over();
		} else if ((model_key_off() && (r < 5 || r == 8)) ||
			   (model_ipi_pending() && (r < 5 || r == 8 || r == 9))) {
			/* No debugger yet; no hotplug while the key's IPIs run. */
			continue;
		} else if (r < 5) {
			/* The debugger, with this CPU's table consistent. */
			nmi_armed = false;
			if (!debugger_op(false))
				continue;
			why = model_check();
		} else if (r == 8) {
			/* kgdb unregisters one of its breakpoints. */
			nmi_armed = false;
			why = model_dbg_drop(DBG_BP(rnd(NR_DBG_BPS)));
			st.drops++;
		} else if (r == 9 && (model_offline || !rnd(8))) {
			/* Offline for ~40 operations, every ~300. */
			st.downs += !model_offline;
			why = model_offline ? model_cpu_up() : model_cpu_down();
		} else if (r == 10) {
			/* The task leaves the CPU and comes back: none while offline. */
			if (model_offline)
				continue;
			why = model_ctx_switch();
			st.switches++;
		} else if (r == 11) {
			/* debugfs: this CPU copies its table for another (an IPI). */
			why = model_snapshot();
		} else if (r == 12 && seed % 4 == 0 && !rnd(4)) {
			/*
			 * A seed in four switches hw_breakpoint.preempt now and then
			 * (every ~160 operations): with it off the debugger parks.
			 */
			model_set_preempt(!hw_bp_sched_preempt);
			st.preempt_offs += !hw_bp_sched_preempt;
			why = model_check();
		} else {
			struct model_bp *b = &bps[rnd(NR_PERF_BPS)];

			if (!b->present) {
				if (!perf_open(b, &why))
					continue;
			} else {
				why = model_del(b);
				st.dels++;
			}
		}
		st.nmis += nmi_fired;
		if (why) {
			printf("# seed %lu op %d: %s\n# trace: %s\n", seed, op, why, model_trace());
			return -1;
		}
	}
	st.ignored += model_dbg_ignored;
	st.adopt.mainline_adds += model_adopt.mainline_adds;
	st.adopt.mainline_dels += model_adopt.mainline_dels;
	st.adopt.mainline_key_on += model_adopt.mainline_key_on;
	st.adopt.mainline_snapshots += model_adopt.mainline_snapshots;
	st.adopt.adopted += model_adopt.adopted;
	for (int i = 0; i < MODEL_BY_NR; i++)
		st.adopt.by[i] += model_adopt.by[i];
	st.snapshots += model_snapshots;
	st.snapshot_nmis += model_snapshots_nmi;
	st.runs += model_perf.runs;
	st.lost_groups += model_perf.lost_groups;
	st.sched_ins += model_perf.sched_ins;
	return 0;
}

/* fcfs_case(): the debugger lets go of a slot from NMI, in the task's first del. */
static struct model_bp *fcfs_release;

static void fcfs_nmi(enum model_point where)
{
	if (!fcfs_release)
		return;
	model_dbg_del(fcfs_release);
	fcfs_release = NULL;
}

/*
 * First come, first served, not first to ask: a slot freed while an
 * evicted breakpoint waits for perf's irq_work goes to perf's try of the
 * waiting, not to a newer newcomer of the same class that perf adds
 * before its irq_work runs (a context switch: the outgoing del and the
 * incoming adds in one IRQs-off region).  Slots of one type, n of them:
 * perf's X (n - 3 of them, on the CPU), T (the task's, pinned), D (the
 * CPU's, pinned), the debugger's K1 in the last free slot, its K2 evicts
 * D (the newest of perf's); B (the task's, flexible) opens and waits.  A
 * context switch: the debugger lets K2 go from an NMI in T's pmu->del,
 * then T and B come in.  D, older than B, must have a slot afterwards,
 * and B wait.  Returns 0, or -1 (printed).
 */
static int fcfs_case(void)
{
	int t = TYPE_MAX - 1, n = nr_slots[t], types[1] = { t }, k = 0;
	struct model_bp *x[SHIM_SLOTS_MAX], *tb, *d, *b, *k1 = DBG_BP(0), *k2 = DBG_BP(1);
	const char *why = NULL;
	bool ok;

	if (n < 3)
		return 0;
	model_reset();
	model_nmi = fcfs_nmi;
	for (int i = 0; i < n - 3; i++)
		x[i] = &bps[k++];
	tb = &bps[k++];
	d = &bps[k++];
	b = &bps[k++];
	for (int i = 0; i < n - 3 && !why; i++)
		why = model_add(&x[i], 1, HW_BP_CLASS_PERF, types, MODEL_PINNED);
	if (!why)
		why = model_add(&tb, 1, HW_BP_CLASS_PERF, types, MODEL_PINNED | MODEL_TASK);
	if (!why)
		why = model_add(&d, 1, HW_BP_CLASS_PERF, types, MODEL_PINNED);
	if (!why) {
		model_dbg_add(k1, model_dbg_type(k1, t), 0);
		why = model_check();
	}
	if (!why) {
		model_dbg_add(k2, model_dbg_type(k2, t), 0);
		why = model_check();
	}
	if (!why && (d->active || !d->ev.hw.bp_waiting))
		why = "the debugger's second breakpoint did not evict D";
	if (!why)
		why = model_add(&b, 1, HW_BP_CLASS_PERF, types, MODEL_TASK);
	if (!why && b->active)
		why = "B got a slot while the debugger holds the last";
	if (!why) {
		fcfs_release = k2;
		why = model_ctx_switch();
		if (!why && fcfs_release)
			why = "no NMI in the context switch";
	}
	fcfs_release = NULL;
	ok = !why && d->active && !b->active;
	if (!why && !ok)
		why = "evicted D waits while B, newer and of its class, holds the slot the "
		      "debugger freed";
	printf("%s %d sched-harness.types%d-slots%d.fcfs-evicted-before-newcomer",
	       ok ? "ok" : "not ok", 1, TYPE_MAX, n);
	if (!ok)
		printf(" # %s\n# trace: %s", why, model_trace());
	printf("\n");
	return ok ? 0 : -1;
}

/* Evictions, restores and parks since model_reset(), of every class. */
static unsigned long counted(const unsigned long *by_cls)
{
	unsigned long n = 0;

	for (int c = 0; c < HW_BP_NR_CLASSES; c++)
		n += by_cls[c];
	return n;
}

/*
 * A ptrace newcomer while only perf's breakpoints wait for perf's try: it
 * is not refused (it would take the slot from the try anyway, or evict
 * what the try installs).  Slots of one type, n of them: perf's X (n - 1,
 * on the CPU, pinned) and D (the CPU's, pinned, the newest); the traced
 * task's ptrace breakpoint P, of a perfmon_capable() tracer, evicts D,
 * which waits.  A context switch of the task: P's del frees its slot
 * (perf is to try D), then P's add, before perf's irq_work runs.  P must
 * get the slot at once, D keep waiting, and nothing be evicted, restored
 * or parked: before the fix P waited for the try, which restored D and
 * then tried P, which evicted D again, at every context switch.
 * Returns 0, or -1 (printed).
 */
static int ptrace_over_perf_case(void)
{
	int t = TYPE_MAX - 1, n = nr_slots[t], types[1] = { t }, k = 0;
	struct model_bp *x[SHIM_SLOTS_MAX], *d, *p;
	unsigned long ev, re, pa;
	const char *why = NULL;
	char msg[256];
	bool ok;

	if (n < 1)
		return 0;
	model_reset();
	for (int i = 0; i < n - 1; i++)
		x[i] = &bps[k++];
	d = &bps[k++];
	p = &bps[k++];
	for (int i = 0; i < n - 1 && !why; i++)
		why = model_add(&x[i], 1, HW_BP_CLASS_PERF, types, MODEL_PINNED);
	if (!why)
		why = model_add(&d, 1, HW_BP_CLASS_PERF, types, MODEL_PINNED);
	if (!why)
		why = model_add(&p, 1, HW_BP_CLASS_PTRACE, types, MODEL_PRIV);
	if (!why && (!p->active || d->active || !d->ev.hw.bp_waiting))
		why = "ptrace's P did not evict D";
	ev = counted(sc.evictions);
	re = counted(sc.restores);
	pa = counted(sc.parks);
	if (!why)
		why = model_ctx_switch();
	ok = !why && p->active && !d->active && counted(sc.evictions) == ev &&
	     counted(sc.restores) == re && counted(sc.parks) == pa;
	if (!why && !ok) {
		snprintf(msg, sizeof(msg), "ptrace's P waited for perf's try of D in a context "
			 "switch (P %s, D %s): %lu evictions, %lu restores, %lu parks in it, "
			 "0 expected", p->active ? "installed" : "waiting",
			 d->active ? "installed" : "waiting", counted(sc.evictions) - ev,
			 counted(sc.restores) - re, counted(sc.parks) - pa);
		why = msg;
	}
	printf("%s %d sched-harness.types%d-slots%d.ptrace-newcomer-while-only-perf-waits",
	       ok ? "ok" : "not ok", 1, TYPE_MAX, n);
	if (!ok)
		printf(" # %s\n# trace: %s", why, model_trace());
	printf("\n");
	return ok ? 0 : -1;
}

/*
 * The debugger's record of a breakpoint keeps its slot type and weight
 * when the debugger lets go: the writer reads @want, then the type and
 * weight (in either order), and a release from NMI in between must not
 * hand it a torn request (dbg_torn_release_case() lands one there).
 * With split pools, a request that changes the slot type breaks the
 * debugger's contract (hw_breakpoint_debugger_install()): the core can
 * only report it, and leaves its table and the record as they were.
 * (Not checked: what a debugger that rewrote the event's fields first,
 * as kgdb would, leaves in the registers; undefined.)  Returns 0, or -1
 * (printed).
 */
static int dbg_slot_type_case(void)
{
	int t = TYPE_MAX - 1, warned;
	struct model_bp *k = DBG_BP(0);
	const struct hw_bp_sched_dbg_want *d = NULL;
	const char *why = NULL;
	unsigned int req, nr;

	model_reset();
	model_dbg_add(k, t, 0);
	why = model_check();
	if (!why) {
		model_dbg_del(k);
		why = model_check();
	}
	for (int i = 0; i < HW_BP_SCHED_DBG_MAX; i++)
		if (sc.dbg[i].bp == &k->ev)
			d = &sc.dbg[i];
	if (!why && !d)
		why = "no record of the debugger's breakpoint after its release";
	if (!why && (d->type != t || d->weight != 1))
		why = "the release changed the record's slot type or weight";
	if (!why && TYPE_MAX > 1) {
		req = sc.dbg_req;
		nr = sc.nr;
		warned = shim_warned;
		shim_irqs_disabled = true;
		hw_bp_sched_debugger_add(&sc, &k->ev, TYPE_INST, 1);
		shim_irqs_disabled = false;
		if (shim_warned == warned)
			why = "a request with another slot type was taken without a warning";
		else if (sc.dbg_req != req || sc.nr != nr || d->type != t || d->want)
			why = "a request with another slot type changed the table or the record";
		shim_warned = warned;
		if (!why)
			why = model_check();
	}
	printf("%s %d sched-harness.types%d.dbg-keeps-slot-type", why ? "not ok" : "ok", 1,
	       TYPE_MAX);
	if (why)
		printf(" # %s\n# trace: %s", why, model_trace());
	printf("\n");
	return why ? -1 : 0;
}

/* dbg_torn_release_case(): the record whose reads the NMI lands between. */
static struct hw_bp_sched_dbg_want *torn_rec;
static int torn_fired;

static void torn_read(const volatile void *p)
{
	struct perf_event *bp;

	if (!torn_rec || shim_in_nmi || (p != &torn_rec->type && p != &torn_rec->weight))
		return;
	bp = torn_rec->bp;
	torn_rec = NULL;
	torn_fired++;
	shim_in_nmi = true;
	hw_bp_sched_debugger_del(&sc, bp);
	shim_in_nmi = false;
}

/*
 * The release a writer must not half-see: the debugger holds every slot
 * of a type, asks for one more breakpoint K from NMI while an update is
 * open (left to the writer), and lets K go from NMI right when the writer
 * reconciling it reads K's type or weight (the first of the two: the
 * compiler picks), after it read @want.  The writer adds K by the request
 * it read, parked as the slots are full, and its next pass takes it off:
 * no entry of weight 0, no more slots used than there are, no arch error.
 * Before patch 0014 kept the type and weight, the release wrote 0 and 0
 * and the writer installed a weight-0 entry ("arch: no free slot").  The
 * model's own checks are off here: its NMIs land at its points only.
 * Returns 0, or -1 (printed).
 */
static int dbg_torn_release_case(void)
{
	int t = TYPE_MAX - 1, n = nr_slots[t], warned;
	struct model_bp *k = DBG_BP(n);
	struct hw_bp_sched_view v;
	const char *why = NULL;
	char msg[128];
	bool k_in = false;

	snprintf(msg, sizeof(msg), "sched-harness.types%d.dbg-torn-release", TYPE_MAX);
	if (n + 1 > NR_DBG_BPS || n + 1 > HW_BP_SCHED_DBG_MAX) {
		printf("ok 1 %s # SKIP %d slots: no record left for one more\n", msg, n);
		return 0;
	}
	model_reset();
	for (int i = 0; i < n && !why; i++) {
		model_dbg_add(DBG_BP(i), t, 0);
		why = model_check();
	}
	if (!why) {
		/*
		 * Parked, then let go: K has its fields and a record.  The
		 * model's checks end here (dbg_slot_type_case() checks the
		 * record itself): what follows is the core's alone.
		 */
		model_dbg_add(k, t, 0);
		model_dbg_del(k);
		warned = shim_warned;
		/* An update open (odd count): the request is left to its writer. */
		sc.seq++;
		shim_in_nmi = true;
		hw_bp_sched_debugger_add(&sc, &k->ev, t, 1);
		shim_in_nmi = false;
		sc.seq++;
		for (int i = 0; i < HW_BP_SCHED_DBG_MAX; i++)
			if (sc.dbg[i].bp == &k->ev)
				torn_rec = &sc.dbg[i];
		torn_fired = 0;
		model_read_hook = torn_read;
		/* The next update, a copy for a reader, reconciles first. */
		shim_irqs_disabled = true;
		hw_bp_sched_snapshot(&sc, &v);
		shim_irqs_disabled = false;
		model_read_hook = NULL;
		for (unsigned int i = 0; i < sc.nr; i++) {
			k_in |= sc.ent[i].bp == &k->ev;
			if (!why && !sc.ent[i].weight)
				why = "the writer added an entry of weight 0";
		}
		if (!why && torn_fired != 1)
			why = "the NMI did not land between the writer's reads";
		else if (!why && shim_warned != warned)
			why = "a warning or an arch error (the slots overcommitted)";
		else if (!why && (sc.used[t] > (unsigned int)n || k_in))
			why = "the table is not the debugger's n breakpoints after the release";
		/* Only once @why is set: the next case starts without this one's. */
		shim_warned = warned;
	}
	printf("%s %d %s", why ? "not ok" : "ok", 1, msg);
	if (why)
		printf(" # %s\n# trace: %s", why, model_trace());
	printf("\n");
	return why ? -1 : 0;
}

int main(int argc, char **argv)
{
	int seeds, ops, failed = 0;
	unsigned long evict = 0, restore = 0, park = 0;
	char name[128];

	if (argc != 5) {
		fprintf(stderr, "usage: %s SLOTS_INST SLOTS_DATA SEEDS OPS\n", argv[0]);
		return 2;
	}
	nr_slots[TYPE_INST] = atoi(argv[1]);
	nr_slots[TYPE_DATA] = atoi(argv[2]);
	seeds = atoi(argv[3]);
	ops = atoi(argv[4]);
	if (TYPE_MAX == 1)
		nr_slots[0] = atoi(argv[2]);

	failed = fcfs_case();
	failed |= ptrace_over_perf_case();
	failed |= dbg_slot_type_case();
	failed |= dbg_torn_release_case();
	for (int s = 1; s <= seeds && !failed; s++) {
		failed = run(s, ops);
		for (int c = 0; c < HW_BP_NR_CLASSES; c++) {
			evict += sc.evictions[c];
			restore += sc.restores[c];
			park += sc.parks[c];
		}
	}
	snprintf(name, sizeof(name), "sched-harness.types%d-slots%d-%d.random", TYPE_MAX,
		 nr_slots[TYPE_INST], nr_slots[TYPE_MAX - 1]);
	printf("%s %d %s # %d seeds x %d ops: %d adds (%d groups, %d in-kernel, %d ptrace of a "
	       "privileged tracer; %d ptrace refused at registration), %d dels, %d context "
	       "switches, %d NMIs with debugger requests (%d plant again), %d planted again with "
	       "the table consistent, %d drops, %d CPU downs (%d debugger requests while offline: "
	       "none taken), %d snapshots (%d with an NMI's request in the copy), %d times "
	       "preempt=0, %lu evictions, %lu parks, %lu restores; perf's irq_work: %lu runs, %lu "
	       "groups taken off, %lu tries of the waiting; %d seeds with the key off first "
	       "(mainline's path: %lu adds and dels, %lu of them with the key on before the "
	       "take-over, %lu snapshots asked for, which hw_breakpoint.c makes from the registers), "
	       "%lu breakpoints adopted by %lu "
	       "take-over IPIs and %lu CPUs coming up; %lu updates left an evicted breakpoint "
	       "in the table that arrived before an installed one of its class (%lu of them "
	       "in a group), as the rules allow\n",
	       failed ? "not ok" : "ok", 1, name, seeds, ops, st.adds, st.groups, st.kernel, st.priv,
	       st.enospc, st.dels, st.switches, st.nmis, st.nmi_replants, st.replants, st.drops,
	       st.downs, st.ignored, st.snapshots, st.snapshot_nmis, st.preempt_offs, evict, park,
	       restore, st.runs, st.lost_groups, st.sched_ins, st.key_off_seeds,
	       st.adopt.mainline_adds + st.adopt.mainline_dels, st.adopt.mainline_key_on,
	       st.adopt.mainline_snapshots, st.adopt.adopted, st.adopt.by[MODEL_BY_IPI],
	       st.adopt.by[MODEL_BY_UP], model_evicted_first[0] + model_evicted_first[1],
	       model_evicted_first[1]);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Random driver of the user-space harness (the models: model.c): seeded
 * random add/del sequences, debugger requests (add, del, a breakpoint
 * planted again with another type and length), kgdb unregistering one of
 * its breakpoints, the CPU going down and up, and now and then, from
 * inside a perf/ptrace/hotplug update (at an arch call), an NMI in which
 * the debugger makes one of those requests.
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

static bool nmi_armed;		/* one NMI may hit during this update */
static int nmi_fired;
static struct {
	int adds, dels, nmis, replants, nmi_replants, drops, downs, ignored;
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

/* Called by the fake arch from inside an update: an NMI, sometimes. */
static void nmi_maybe(enum model_point where)
{
	if (where != MODEL_ARCH || !nmi_armed || rnd(2))
		return;
	nmi_armed = false;
	nmi_fired += debugger_op(true);
}

static int run(unsigned long seed, int ops)
{
	const char *why;

	model_reset();
	model_nmi = nmi_maybe;
	rng = seed;

	for (int op = 0; op < ops; op++) {
		unsigned int r = rnd(40);

		nmi_fired = 0;
		nmi_armed = rnd(3) == 0;
		if (r < 5) {
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
		} else {
			struct model_bp *b = &bps[rnd(NR_PERF_BPS)];

			if (!b->present) {
				/* Registration bounds each class to the slots of a type. */
				int cls = rnd(HW_BP_CLASS_DEBUGGER), type = rnd(TYPE_MAX);

				if (count_class(cls, type) >= nr_slots[type])
					continue;
				why = model_add(b, cls, type);
				st.adds++;
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
	return 0;
}

int main(int argc, char **argv)
{
	int seeds, ops, failed = 0;
	unsigned long evict = 0, restore = 0;
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

	for (int s = 1; s <= seeds && !failed; s++) {
		failed = run(s, ops);
		for (int c = 0; c < HW_BP_NR_CLASSES; c++) {
			evict += sc.evictions[c];
			restore += sc.restores[c];
		}
	}
	snprintf(name, sizeof(name), "sched-harness.types%d-slots%d-%d.random", TYPE_MAX,
		 nr_slots[TYPE_INST], nr_slots[TYPE_MAX - 1]);
	printf("%s %d %s # %d seeds x %d ops: %d adds, %d dels, %d NMIs with debugger requests "
	       "(%d plant again), %d planted again with the table consistent, %d drops, "
	       "%d CPU downs (%d debugger requests while offline: none taken), "
	       "%lu evictions, %lu restores\n",
	       failed ? "not ok" : "ok", 1, name, seeds, ops, st.adds, st.dels, st.nmis,
	       st.nmi_replants, st.replants, st.drops, st.downs, st.ignored, evict, restore);
	return failed ? 1 : 0;
}

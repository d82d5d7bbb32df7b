// SPDX-License-Identifier: GPL-2.0
/*
 * Random driver of the user-space harness (the models: model.c): seeded
 * random add/del sequences, debugger requests, and now and then, from
 * inside a perf/ptrace update (at an arch call), an NMI in which the
 * debugger adds or removes one of its breakpoints.
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
static struct model_bp *dbg_newcomer;	/* added by the last debugger_op() */
static struct model_bp *writer_bp;	/* the one this step is about */
static int nmi_fired;

/* The debugger adds or removes one of its breakpoints on this CPU. */
static bool debugger_op(void)
{
	struct model_bp *b = &bps[rnd(NR_BPS)];
	int type;

	dbg_newcomer = NULL;
	if (b == writer_bp)
		return false;
	if (b->present) {
		if (b->cls != HW_BP_CLASS_DEBUGGER)
			return false;
		model_dbg_del(b);
		return true;
	}
	type = rnd(TYPE_MAX);
	if (count_class(HW_BP_CLASS_DEBUGGER, type) >= nr_slots[type])
		return false;
	dbg_newcomer = b;
	model_dbg_add(b, type);
	return true;
}

/* Called by the fake arch from inside an update: an NMI, sometimes. */
static void nmi_maybe(enum model_point where)
{
	if (where != MODEL_ARCH || !nmi_armed || rnd(2))
		return;
	nmi_armed = false;
	nmi_fired += debugger_op();
}

static int run(unsigned long seed, int ops, int *adds, int *dels, int *nmis)
{
	const char *why;

	model_reset();
	model_nmi = nmi_maybe;
	rng = seed;

	for (int op = 0; op < ops; op++) {
		struct model_bp *b = &bps[rnd(NR_BPS)];

		nmi_fired = 0;
		nmi_armed = rnd(4) == 0;
		writer_bp = b;
		if (rnd(5) == 0) {
			/* The debugger, with this CPU's table consistent. */
			nmi_armed = false;
			if (!debugger_op())
				continue;
			why = model_check(dbg_newcomer, false);
		} else if (!b->present) {
			/* Registration bounds each class to the slots of a type. */
			int cls = rnd(HW_BP_CLASS_DEBUGGER), type = rnd(TYPE_MAX);

			if (count_class(cls, type) >= nr_slots[type])
				continue;
			why = model_add(b, cls, type);
			(*adds)++;
		} else if (b->cls != HW_BP_CLASS_DEBUGGER) {
			why = model_del(b);
			(*dels)++;
		} else {
			continue;
		}
		*nmis += nmi_fired;
		if (why) {
			printf("# seed %lu op %d: %s\n# trace: %s\n", seed, op, why, model_trace());
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int seeds, ops, adds = 0, dels = 0, nmis = 0, failed = 0;
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
		failed = run(s, ops, &adds, &dels, &nmis);
		for (int c = 0; c < HW_BP_NR_CLASSES; c++) {
			evict += sc.evictions[c];
			restore += sc.restores[c];
		}
	}
	snprintf(name, sizeof(name), "sched-harness.types%d-slots%d-%d.random", TYPE_MAX,
		 nr_slots[TYPE_INST], nr_slots[TYPE_MAX - 1]);
	printf("%s %d %s # %d seeds x %d ops: %d adds, %d dels, %d NMI debugger requests, "
	       "%lu evictions, %lu restores\n",
	       failed ? "not ok" : "ok", 1, name, seeds, ops, adds, dels, nmis, evict, restore);
	return failed ? 1 : 0;
}

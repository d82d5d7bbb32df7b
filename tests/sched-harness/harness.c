// SPDX-License-Identifier: GPL-2.0
/*
 * User-space harness for the breakpoint scheduler core, in the spirit of
 * tools/testing/radix-tree: kernel/events/hw_breakpoint_sched.c of the tree
 * under test is compiled here unchanged, against shim headers, and driven
 * by randomized add/del sequences.  After every step the result is checked
 * against a reference model and the fake architecture's slot table.
 *
 * Reference model (weight-1 breakpoints, as on x86): on each CPU, the
 * installed breakpoints of a type are exactly the first min(n, slots) of
 * the present ones ordered by class (highest first), then arrival (oldest
 * first).  Eviction of "the lowest class, newest arrival" and restore of
 * "the highest class, oldest arrival" both keep that true.  Counters:
 * installed -> parked is an eviction, parked -> installed a restore, a
 * newcomer parked on arrival a park.  Every eviction and restore fires its
 * tracepoint once, with the slot the breakpoint held or now holds.
 *
 * Debugger-class breakpoints come and go through the debugger's lock-free
 * entry points.  Now and then the fake architecture, called from inside a
 * perf/ptrace update (sequence count odd), plays an NMI: the debugger adds
 * or removes one of its breakpoints right there.  The request must be
 * queued and carried out, in order, when the interrupted update ends: the
 * model applies it after the update's own operation.
 *
 *   harness SLOTS_INST SLOTS_DATA SEEDS OPS
 * prints KTAP and exits 1 on the first mismatch (with a trace).
 */
#include <stdarg.h>
#include <string.h>

#include "hw_breakpoint_sched.h"

int shim_warned;
bool hw_bp_sched_preempt = true;
unsigned long shim_trace_evict, shim_trace_restore;
static int nr_slots[TYPE_MAX];
static struct perf_event *arch_slot[TYPE_MAX][SHIM_SLOTS_MAX];

int hw_bp_sched_nr_slots(int type)
{
	return nr_slots[type];
}

static void nmi_maybe(void);

int arch_install_hw_breakpoint(struct perf_event *bp)
{
	nmi_maybe();
	for (int i = 0; i < nr_slots[bp->type]; i++) {
		if (!arch_slot[bp->type][i]) {
			arch_slot[bp->type][i] = bp;
			bp->slot = i;
			return 0;
		}
	}
	fprintf(stderr, "arch: no free slot for bp %d\n", bp->id);
	shim_warned++;
	return -EBUSY;
}

int arch_hw_breakpoint_slot(struct perf_event *bp)
{
	return bp->slot;
}

void arch_uninstall_hw_breakpoint(struct perf_event *bp)
{
	nmi_maybe();
	if (bp->slot < 0 || arch_slot[bp->type][bp->slot] != bp) {
		fprintf(stderr, "arch: bp %d is not installed\n", bp->id);
		shim_warned++;
		return;
	}
	arch_slot[bp->type][bp->slot] = NULL;
	bp->slot = -1;
}

#define MAX_BPS (HW_BP_NR_CLASSES * TYPE_MAX * SHIM_SLOTS_MAX)

struct model_bp {
	struct perf_event ev;
	int cls, type;
	unsigned long arrival;
	bool present, was_installed;
};

static struct model_bp bps[MAX_BPS * 2];
static struct hw_bp_sched_cpu sc;
static unsigned long arrival;
static unsigned long exp_evict[HW_BP_NR_CLASSES], exp_restore[HW_BP_NR_CLASSES],
		     exp_park[HW_BP_NR_CLASSES];
static char trace[1 << 16];
static size_t trace_len;

static void note(const char *fmt, ...)
{
	va_list ap;

	if (trace_len > sizeof(trace) - 128)
		trace_len = 0;
	va_start(ap, fmt);
	trace_len += vsnprintf(trace + trace_len, sizeof(trace) - trace_len, fmt, ap);
	va_end(ap);
}

/* Is @b among the first nr_slots of its type by (class desc, arrival asc)? */
static bool expect_installed(struct model_bp *b)
{
	int better = 0;

	for (size_t i = 0; i < sizeof(bps) / sizeof(bps[0]); i++) {
		struct model_bp *o = &bps[i];

		if (!o->present || o == b || o->type != b->type)
			continue;
		if (o->cls > b->cls || (o->cls == b->cls && o->arrival < b->arrival))
			better++;
	}
	return better < nr_slots[b->type];
}

static int count_class(int cls, int type)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(bps) / sizeof(bps[0]); i++)
		n += bps[i].present && bps[i].cls == cls && bps[i].type == type;
	return n;
}

/*
 * @interrupted: an NMI's request was carried out within this step, after
 * the step's own operation: the installed sets must still match, but the
 * counters went through an intermediate state the model does not see, so
 * they are taken over rather than checked.
 */
static const char *check(struct model_bp *newcomer, bool interrupted)
{
	static char why[256];
	unsigned int used[TYPE_MAX] = { 0 };

	if (shim_warned)
		return "a WARN or an arch slot error";
	if (sc.seq.sequence & 1)
		return "sequence count left odd";
	if (sc.dbg_head != sc.dbg_tail)
		return "debugger requests left queued";
	for (size_t i = 0; i < sizeof(bps) / sizeof(bps[0]); i++) {
		struct model_bp *b = &bps[i];
		bool inst, exp;

		if (!b->present)
			continue;
		inst = hw_bp_sched_installed(&sc, &b->ev);
		exp = expect_installed(b);
		if (inst != exp) {
			snprintf(why, sizeof(why), "bp %d (class %d) installed=%d, model says %d",
				 b->ev.id, b->cls, inst, exp);
			return why;
		}
		if (inst != (b->ev.slot >= 0))
			return "scheduler and arch slot table disagree";
		if (interrupted) {
			/* taken over below */
		} else if (b == newcomer) {
			if (!inst)
				exp_park[b->cls]++;
		} else if (b->was_installed && !inst) {
			exp_evict[b->cls]++;
		} else if (!b->was_installed && inst) {
			exp_restore[b->cls]++;
		}
		b->was_installed = inst;
		used[b->type] += inst;
	}
	for (int t = 0; t < TYPE_MAX; t++)
		if (used[t] != sc.used[t] || used[t] > (unsigned int)nr_slots[t])
			return "used[] is wrong";
	if (interrupted) {
		memcpy(exp_evict, sc.evictions, sizeof(exp_evict));
		memcpy(exp_restore, sc.restores, sizeof(exp_restore));
		memcpy(exp_park, sc.parks, sizeof(exp_park));
	}
	{
		unsigned long ev = 0, re = 0;

		for (int c = 0; c < HW_BP_NR_CLASSES; c++) {
			ev += sc.evictions[c];
			re += sc.restores[c];
		}
		if (ev != shim_trace_evict || re != shim_trace_restore)
			return "tracepoints and counters disagree";
	}
	for (int c = 0; c < HW_BP_NR_CLASSES; c++) {
		if (sc.evictions[c] != exp_evict[c])
			return "eviction counter";
		if (sc.restores[c] != exp_restore[c])
			return "restore counter";
		if (sc.parks[c] != exp_park[c])
			return "park counter";
	}
	return NULL;
}

static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rng >> 33) % n;
}

static bool nmi_armed;		/* one NMI may hit during this update */
static struct model_bp *dbg_newcomer;	/* added by the last debugger_op() */
static struct model_bp *writer_bp;	/* the one the interrupted update is about */
static int nmi_fired;

/* The debugger adds or removes one of its breakpoints on this CPU. */
static bool debugger_op(void)
{
	struct model_bp *b = &bps[rnd(sizeof(bps) / sizeof(bps[0]))];

	dbg_newcomer = NULL;
	if (b == writer_bp)
		return false;
	if (b->present) {
		if (b->cls != HW_BP_CLASS_DEBUGGER)
			return false;
		note("dbg-del %d; ", b->ev.id);
		b->present = false;
		hw_bp_sched_debugger_del(&sc, &b->ev);
		return true;
	}
	b->cls = HW_BP_CLASS_DEBUGGER;
	b->type = rnd(TYPE_MAX);
	b->ev.type = b->type;
	if (count_class(b->cls, b->type) >= nr_slots[b->type])
		return false;
	b->present = true;
	b->was_installed = false;
	b->arrival = ++arrival;
	note("dbg-add %d t%d; ", b->ev.id, b->type);
	dbg_newcomer = b;
	hw_bp_sched_debugger_add(&sc, &b->ev, b->type, 1);
	return true;
}

/* Called by the fake arch from inside an update: an NMI, sometimes. */
static void nmi_maybe(void)
{
	if (!nmi_armed || rnd(2))
		return;
	nmi_armed = false;
	if (!(sc.seq.sequence & 1)) {
		note("(NMI outside an update!) ");
		shim_warned++;
	}
	note("NMI: ");
	nmi_fired += debugger_op();
}

static int run(unsigned long seed, int ops, int *adds, int *dels, int *nmis)
{
	const char *why;

	memset(&sc, 0, sizeof(sc));
	memset(bps, 0, sizeof(bps));
	memset(arch_slot, 0, sizeof(arch_slot));
	memset(exp_evict, 0, sizeof(exp_evict));
	memset(exp_restore, 0, sizeof(exp_restore));
	memset(exp_park, 0, sizeof(exp_park));
	trace_len = 0;
	shim_trace_evict = shim_trace_restore = 0;
	rng = seed;
	for (size_t i = 0; i < sizeof(bps) / sizeof(bps[0]); i++) {
		bps[i].ev.id = i;
		bps[i].ev.slot = -1;
	}

	for (int op = 0; op < ops; op++) {
		struct model_bp *b = &bps[rnd(sizeof(bps) / sizeof(bps[0]))];

		nmi_fired = 0;
		nmi_armed = rnd(4) == 0;
		writer_bp = b;
		if (rnd(5) == 0) {
			/* The debugger, with this CPU's table consistent. */
			nmi_armed = false;
			if (!debugger_op())
				continue;
			why = check(dbg_newcomer, false);
		} else if (!b->present) {
			/* Registration bounds each class to the slots of a type. */
			b->cls = rnd(HW_BP_CLASS_DEBUGGER);
			b->type = rnd(TYPE_MAX);
			b->ev.type = b->type;
			if (count_class(b->cls, b->type) >= nr_slots[b->type])
				continue;
			b->present = true;
			b->was_installed = false;
			b->arrival = ++arrival;
			note("add %d c%d t%d; ", b->ev.id, b->cls, b->type);
			if (hw_bp_sched_add(&sc, &b->ev, b->cls, b->type, 1))
				why = "add failed";
			else
				why = check(b, nmi_fired);
			(*adds)++;
		} else if (b->cls != HW_BP_CLASS_DEBUGGER) {
			note("del %d; ", b->ev.id);
			b->present = false;
			hw_bp_sched_del(&sc, &b->ev);
			why = check(NULL, nmi_fired);
			(*dels)++;
		} else {
			continue;
		}
		*nmis += nmi_fired;
		if (why) {
			printf("# seed %lu op %d: %s\n# trace: %s\n", seed, op, why, trace);
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

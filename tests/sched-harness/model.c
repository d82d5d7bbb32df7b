// SPDX-License-Identifier: GPL-2.0
/*
 * Reference models and fake architecture for the breakpoint scheduler core
 * in user space, in the spirit of tools/testing/radix-tree:
 * kernel/events/hw_breakpoint_sched.c of the tree under test is compiled
 * unchanged against shim headers and driven by harness.c (random) or
 * fuzz.c (libFuzzer).  After every step the result is checked against the
 * models below and the fake architecture's slot table and DR7.
 *
 * Reference model (weight-1 breakpoints, as on x86): on each CPU, the
 * installed breakpoints of a type are exactly the first min(n, slots) of
 * the scheduled ones ordered by class (highest first), then arrival (oldest
 * first); none while the CPU is offline.  Eviction of "the lowest class,
 * newest arrival" and restore of "the highest class, oldest arrival" both
 * keep that true.  Counters: installed -> parked is an eviction, parked ->
 * installed a restore, a newcomer parked on arrival a park.  Every
 * eviction and restore fires its tracepoint once, with the slot the
 * breakpoint held or now holds.  This holds while preemption has been on
 * since the CPU was empty; going offline and coming back count nothing.
 *
 * Operational model, always: the documented rules applied one change at a
 * time (with hw_breakpoint.preempt=0 a full type parks the newcomer).  It
 * gives the exact table (entries, class, type, order of arrival, the
 * debugger's records), every counter and the owners' notifications in
 * order.
 *
 * The debugger does not queue requests: it says what it wants of each of
 * its breakpoints (a record per breakpoint, in the order the core
 * allocated them), and whoever holds the CPU's write section makes the
 * table agree (reconcile: the entries it no longer wants or asked for
 * again go, in record order, then those it wants and that are missing
 * come, in record order).  The debugger does so itself when the count is
 * even; when it interrupted the CPU's writer (an NMI), the writer does,
 * before it lets go and again after, until nothing is left.  Where a
 * request lands therefore decides what the writer sees of it: before its
 * reconcile, in the middle of one (seen by the passes still to come), in
 * its publish, or after its count turned even.  So the model does not
 * guess: the fake CPU logs every point of an update where an NMI may land
 * (arch calls, sequence count and latch flips), the requests are tagged
 * with the point they were made at, and when the update is over the
 * model replays it point by point by the rules, each request taking
 * effect at its point.  The core's points must be the model's, in the
 * same order and on the same breakpoints: that also checks the order of
 * every eviction and restore.
 *
 * Between going down and coming up, the CPU takes no request of the
 * debugger: one made then (from NMI or not, also at the point right after
 * the count of the CPU coming up turned odd) is nothing at all, no record
 * and no request count, and the CPU comes back without the debugger's
 * breakpoints (going down forgot them).  The debugger plants them again
 * once the CPU is up (kgdb from its hotplug callback; here: the drivers'
 * later requests).  hw_bp_sched_debugger_settled() is true after every
 * step and false wherever an NMI lands at an odd count; after the
 * debugger's own request at an even count it is true again.
 *
 * The fake architecture keeps x86's DR7 (enable bit and R/W-LEN field per
 * slot), encoded from the breakpoint's fields as they are at the arch
 * call; after every step it must be exactly what the installed entries
 * encode with their current fields.  The debugger rewrites its
 * breakpoints in place (kgdb) and plants them again with another type and
 * length (gdb, at every stop), also from NMI in the middle of an update:
 * a core that carried out a stale request, or an uninstall that cleared
 * only the bits of the current type and length, leaves stale bits there.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "model.h"

/* <uapi/linux/hw_breakpoint.h> */
#define HW_BREAKPOINT_W		2
#define HW_BREAKPOINT_RW	3
#define HW_BREAKPOINT_X		4

int shim_warned;
bool shim_irqs_disabled;
bool shim_in_nmi;
bool hw_bp_sched_preempt = true;
unsigned long shim_trace_evict, shim_trace_restore;
int nr_slots[TYPE_MAX];
static struct perf_event *arch_slot[TYPE_MAX][SHIM_SLOTS_MAX];
static u64 cpu_dr7[TYPE_MAX];

struct model_bp bps[NR_BPS];
struct hw_bp_sched_cpu sc;
void (*model_nmi)(enum model_point where);
bool model_offline;
int model_nmi_requests;

static unsigned long exp_evict[HW_BP_NR_CLASSES], exp_restore[HW_BP_NR_CLASSES],
		     exp_park[HW_BP_NR_CLASSES];
static unsigned long sim_nevict[HW_BP_NR_CLASSES], sim_nrestore[HW_BP_NR_CLASSES],
		     sim_npark[HW_BP_NR_CLASSES];
static bool sim_offline;
static bool pure;		/* preemption on since the CPU was empty */
static bool in_update;		/* a perf/ptrace/hotplug update: NMIs may come */
static bool in_debugger;	/* no NMI within the debugger's own update */
static char trace[1 << 16];
static size_t trace_len;

/* Notifications to owners, and forgets, of one step: made and expected. */
#define NOTE_FORGET HW_BP_NOTIFY_NR
#define NOTE_LOG 1024
struct note_ev {
	struct perf_event *bp;
	int event;
};
static struct note_ev act_log[NOTE_LOG], exp_log[NOTE_LOG];
static int act_n, exp_n;
static bool notes_any_order;	/* this step's order is the table's, no rule's */

/*
 * The points of the update in progress where an NMI may land, as the core
 * reached them, and the debugger's requests made there.
 */
#define MAX_POINTS 4096
#define MAX_NMI_REQS 256
static const char *const point_name[] = {
	[MODEL_ARCH] = "arch", [MODEL_ARCH_SLOT] = "slot", [MODEL_SEQ_BEGIN] = "seq-begin",
	[MODEL_SEQ_END] = "seq-end", [MODEL_LATCH] = "latch",
};
static struct point {
	enum model_point where;
	struct perf_event *bp;
} core_pt[MAX_POINTS];
static unsigned int core_n;
static unsigned int nmi_at;	/* the point an NMI is at */
static bool nmi_even;		/* and whether the count was even there */
static struct nmi_req {
	unsigned int at;
	bool even, want;
	struct model_bp *b;
	int type;
} nmi_req[MAX_NMI_REQS];
static int nr_nmi_req;

int hw_bp_sched_nr_slots(int type)
{
	return nr_slots[type];
}

static bool is_dbg(const struct model_bp *b)
{
	return b >= &bps[NR_PERF_BPS];
}

/* The model breakpoint whose event @ev is, or NULL. */
static struct model_bp *model_of(const struct perf_event *ev)
{
	uintptr_t a = (uintptr_t)ev, base = (uintptr_t)&bps[0].ev;

	if (a < base || (a - base) % sizeof(struct model_bp) ||
	    (a - base) / sizeof(struct model_bp) >= NR_BPS)
		return NULL;
	return &bps[(a - base) / sizeof(struct model_bp)];
}

static void nmi_point(enum model_point where, struct perf_event *bp)
{
	if (!in_update || in_debugger)
		return;
	if (core_n < MAX_POINTS)
		core_pt[core_n] = (struct point) { where, bp };
	nmi_at = core_n++;
	nmi_even = !(sc.seq.sequence & 1);
	/* An NMI that finds the writer halfway must not take its table as done. */
	if (!nmi_even && hw_bp_sched_debugger_settled(&sc)) {
		note("(settled at an odd count, %s point %u) ", point_name[where], nmi_at);
		shim_warned++;
	}
	if (model_nmi) {
		shim_in_nmi = true;
		model_nmi(where);
		shim_in_nmi = false;
	}
}

/* The scheduler touches the architecture only inside its bracket. */
static void arch_call(enum model_point where, struct perf_event *bp)
{
	if (!(sc.seq.sequence & 1)) {
		note("(arch call outside an update!) ");
		shim_warned++;
	}
	nmi_point(where, bp);
}

/*
 * x86's DR7, one per pool (split pools: up to 8 slots, the same layout):
 * the enable bits of slot i at 2i (local) and 2i + 1 (global, the one
 * Linux sets), its R/W and LEN field at 16 + 4i, as __encode_dr7() makes
 * them from the breakpoint's type and length.
 */
static u64 dr7_bits(int slot, const struct perf_event *bp)
{
	u64 rw = 0, len = 0;

	switch (bp->attr.bp_type) {
	case HW_BREAKPOINT_X:	/* X86_BREAKPOINT_EXECUTE, LEN_X: 0 in the field */
		break;
	case HW_BREAKPOINT_W:
		rw = 0x1;
		break;
	case HW_BREAKPOINT_RW:
		rw = 0x3;
		break;
	default:
		note("(fake arch: bp %d of type %u) ", bp->id, bp->attr.bp_type);
		shim_warned++;
	}
	if (bp->attr.bp_type != HW_BREAKPOINT_X) {
		switch (bp->attr.bp_len) {
		case 1:
			len = 0x0;
			break;
		case 2:
			len = 0x4;
			break;
		case 4:
			len = 0xc;
			break;
		case 8:
			len = 0x8;
			break;
		default:
			note("(fake arch: bp %d of length %llu) ", bp->id, bp->attr.bp_len);
			shim_warned++;
		}
	}
	return ((len | rw) << (16 + 4 * slot)) | (2ULL << (2 * slot));
}

/* Every bit of slot @slot: both enables and the whole R/W-LEN field. */
static u64 dr7_slot_bits(int slot)
{
	return (0xfULL << (16 + 4 * slot)) | (3ULL << (2 * slot));
}

/*
 * Like x86, the register is found by its owner, and DR7 is encoded from
 * the breakpoint's fields as they are now (after an NMI at this very call
 * may have rewritten them).
 */
int arch_install_hw_breakpoint(struct perf_event *bp)
{
	arch_call(MODEL_ARCH, bp);
	for (int i = 0; i < nr_slots[bp->type]; i++) {
		if (!arch_slot[bp->type][i]) {
			arch_slot[bp->type][i] = bp;
			bp->slot = i;
			cpu_dr7[bp->type] |= dr7_bits(i, bp);
			return 0;
		}
	}
	fprintf(stderr, "arch: no free slot for bp %d\n", bp->id);
	shim_warned++;
	return -EBUSY;
}

int arch_hw_breakpoint_slot(struct perf_event *bp)
{
	arch_call(MODEL_ARCH_SLOT, bp);
	return bp->slot;
}

void arch_uninstall_hw_breakpoint(struct perf_event *bp)
{
	arch_call(MODEL_ARCH, bp);
	if (bp->slot < 0 || arch_slot[bp->type][bp->slot] != bp) {
		fprintf(stderr, "arch: bp %d is not installed\n", bp->id);
		shim_warned++;
		return;
	}
	/*
	 * The whole field of the slot, whatever the breakpoint's type and
	 * length are now (x86 since patch 0019): the debugger may have
	 * rewritten them since the install.
	 */
	cpu_dr7[bp->type] &= ~dr7_slot_bits(bp->slot);
	arch_slot[bp->type][bp->slot] = NULL;
	bp->slot = -1;
}

/* Types and lengths x86 can do. */
static const struct {
	u32 type;
	u64 len;
} x86_fields[] = {
	{ HW_BREAKPOINT_X, 8 },
	{ HW_BREAKPOINT_W, 1 }, { HW_BREAKPOINT_W, 2 }, { HW_BREAKPOINT_W, 4 }, { HW_BREAKPOINT_W, 8 },
	{ HW_BREAKPOINT_RW, 1 }, { HW_BREAKPOINT_RW, 2 }, { HW_BREAKPOINT_RW, 4 }, { HW_BREAKPOINT_RW, 8 },
};
#define NR_FIELDS (sizeof(x86_fields) / sizeof(x86_fields[0]))

/* @b's type and length by @sel: any of x86's, or one that fits @type's pool. */
static void set_fields(struct model_bp *b, int type, unsigned int sel)
{
	unsigned int i;

	if (TYPE_MAX == 1)
		i = sel % NR_FIELDS;
	else if (type == TYPE_INST)
		i = 0;
	else
		i = 1 + sel % (NR_FIELDS - 1);
	b->ev.attr.bp_type = x86_fields[i].type;
	b->ev.attr.bp_len = x86_fields[i].len;
}

static bool in_table(struct perf_event *bp)
{
	for (unsigned int i = 0; i < sc.nr && i < HW_BP_SCHED_MAX; i++)
		if (sc.ent[i].bp == bp)
			return true;
	return false;
}

static void log_note(struct note_ev *log, int *n, struct perf_event *bp, int event)
{
	if (*n == NOTE_LOG) {
		note("(notification log full) ");
		shim_warned++;
		return;
	}
	log[(*n)++] = (struct note_ev) { bp, event };
}

/* hw_breakpoint.c's side: queue for the owner; here, log it. */
void hw_bp_sched_notify(struct perf_event *bp, int event)
{
	if (!in_table(bp) || event < 0 || event >= HW_BP_NOTIFY_NR) {
		note("(notify %d of a breakpoint not in the table) ", event);
		shim_warned++;
	}
	log_note(act_log, &act_n, bp, event);
}

void hw_bp_sched_notify_forget(struct perf_event *bp)
{
	if (!in_table(bp)) {
		note("(forget of a breakpoint not in the table) ");
		shim_warned++;
	}
	log_note(act_log, &act_n, bp, NOTE_FORGET);
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (trace_len > sizeof(trace) - 128)
		trace_len = 0;
	va_start(ap, fmt);
	trace_len += vsnprintf(trace + trace_len, sizeof(trace) - trace_len, fmt, ap);
	va_end(ap);
}

const char *model_trace(void)
{
	return trace;
}

/*
 * What readers must get: the table as of the last finished update.  It is
 * final from the first latch flip of a publish on (the table does not
 * change between the flips), but an NMI at that flip may rewrite a
 * breakpoint's fields (kgdb plants it again in place) before fill_view()
 * copies them: so the copy readers must get is taken at the second flip,
 * from which on they get it.
 */
static struct hw_bp_sched_view view_cur, view_read;

static void view_of_table(struct hw_bp_sched_view *v)
{
	memset(v, 0, sizeof(*v));
	v->nr = sc.nr;
	for (unsigned int i = 0; i < sc.nr && i < HW_BP_SCHED_MAX; i++) {
		struct perf_event *bp = sc.ent[i].bp;

		v->ent[i] = (struct hw_bp_sched_view_ent) {
			.addr = bp->attr.bp_addr, .len = bp->attr.bp_len,
			.type = bp->attr.bp_type, .cls = sc.ent[i].cls,
			.installed = sc.ent[i].installed,
			.slot = sc.ent[i].installed ? bp->slot : -1,
		};
	}
}

void shim_latch_hook(unsigned int seq)
{
	if (!(seq & 1))
		view_of_table(&view_cur);
	nmi_point(MODEL_LATCH, NULL);
}

static bool same_view(const struct hw_bp_sched_view *a, const struct hw_bp_sched_view *b)
{
	if (a->nr != b->nr || a->nr > HW_BP_SCHED_MAX)
		return false;
	for (unsigned int i = 0; i < a->nr; i++) {
		const struct hw_bp_sched_view_ent *x = &a->ent[i], *y = &b->ent[i];

		if (x->addr != y->addr || x->len != y->len || x->type != y->type ||
		    x->slot != y->slot || x->cls != y->cls || x->installed != y->installed)
			return false;
	}
	return true;
}

void model_snapshot_read(void)
{
	memset(&view_read, 0xa5, sizeof(view_read));	/* no help from old contents */
	hw_bp_sched_snapshot(&sc, &view_read);
	if (!same_view(&view_read, &view_cur)) {
		note("(snapshot: not the table of the last finished update) ");
		shim_warned++;
	}
}

/* The published table is the model's, whatever order the entries are in. */
static const char *check_view(void)
{
	unsigned int present = 0;

	model_snapshot_read();
	if (shim_warned)
		return "snapshot read";
	for (unsigned int i = 0; i < view_cur.nr; i++) {
		const struct hw_bp_sched_view_ent *x = &view_cur.ent[i];
		u64 k = (x->addr - 0x10000) / 0x40;	/* see model_reset() */
		struct model_bp *b = k < NR_BPS ? &bps[k] : NULL;

		if (!b || b->ev.attr.bp_addr != x->addr || !b->sim.present || x->cls != b->sim.cls ||
		    x->installed != b->sim.installed ||
		    x->slot != (b->sim.installed ? b->ev.slot : -1) ||
		    x->len != b->ev.attr.bp_len || x->type != b->ev.attr.bp_type)
			return "published table differs from the model";
	}
	for (size_t k = 0; k < NR_BPS; k++)
		present += bps[k].sim.present;
	if (view_cur.nr != present)
		return "published table has not every breakpoint";
	return NULL;
}

void shim_seq_hook(seqcount_t *s, int begin)
{
	nmi_point(begin ? MODEL_SEQ_BEGIN : MODEL_SEQ_END, NULL);
}

/*
 * The operational model.  Its state: each breakpoint's entry (sim in
 * struct model_bp), the debugger's records in the core's order, the
 * request counts, the counters.
 */
static struct sim_rec {
	struct model_bp *b;		/* NULL: free */
	unsigned int req;
	int type, weight;
	bool want;
} rec[HW_BP_SCHED_DBG_MAX];
static unsigned int sim_dbg_req, sim_dbg_done;
int model_dbg_ignored;
static unsigned long sim_gen;
/* Replaying an update: points reached so far; in the debugger's section. */
static bool replaying;
static int quiet;
static unsigned int sim_n;
static const char *sim_bad;
/* Of the step: adds and dels, whether it is more than one of them. */
static int sim_ops;
static bool sim_hotplug;
static struct model_bp *sim_newcomer;

static void sim_request(const struct nmi_req *r);

/*
 * The model reaches the update's next point: it must be the one the core
 * reached, and requests made there take effect now.  @dbg < 0: at @b
 * (NULL: no breakpoint); else at any breakpoint of the debugger (1) or of
 * the others (0), where the table's order decides, not a rule.
 */
static void sim_point_of(enum model_point where, struct model_bp *b, int dbg)
{
	static char why[256];
	unsigned int at;

	if (!replaying || quiet)
		return;
	at = sim_n++;
	if (sim_bad) {
		/* the replay is off course: only the first difference counts */
	} else if (at >= MAX_POINTS) {
		sim_bad = "update too long for the model's log of points";
	} else if (at >= core_n) {
		snprintf(why, sizeof(why), "the core's update ended after %u points; "
			 "the model goes on (%s of bp %d)", core_n, point_name[where],
			 b ? b->ev.id : -1);
		sim_bad = why;
	} else {
		struct point *p = &core_pt[at];
		struct model_bp *pb = p->bp ? model_of(p->bp) : NULL;
		bool same = p->where == where &&
			    (dbg < 0 ? p->bp == (b ? &b->ev : NULL) : pb && is_dbg(pb) == dbg);

		if (!same) {
			snprintf(why, sizeof(why), "point %u of the update: core %s of bp %d, "
				 "model %s of bp %d%s", at, point_name[p->where],
				 p->bp ? p->bp->id : -1, point_name[where], b ? b->ev.id : -1,
				 dbg < 0 ? "" : dbg ? " (any debugger's)" : " (any other's)");
			sim_bad = why;
		}
	}
	for (int i = 0; i < nr_nmi_req; i++)
		if (nmi_req[i].at == at)
			sim_request(&nmi_req[i]);
}
#define sim_point(where, b) sim_point_of(where, b, -1)

static void expect_note(struct model_bp *b, int event)
{
	log_note(exp_log, &exp_n, &b->ev, event);
}

static int sim_used(int type)
{
	int n = 0;

	for (size_t i = 0; i < NR_BPS; i++)
		n += bps[i].sim.present && bps[i].sim.installed && bps[i].sim.type == type;
	return n;
}

static void sim_install(struct model_bp *b)
{
	sim_point(MODEL_ARCH, b);
	b->sim.installed = true;
	sim_point(MODEL_ARCH_SLOT, b);		/* the slot it got, kept in the entry */
}

static void sim_add(struct model_bp *b, int cls, int type)
{
	int slots = nr_slots[type], lower = 0;

	sim_ops++;
	sim_newcomer = b;
	b->sim.present = true;
	b->sim.installed = false;
	b->sim.cls = cls;
	b->sim.type = type;
	b->sim.gen = ++sim_gen;
	b->sim.dbg_req = 0;
	if (sim_offline)
		goto park;
	for (size_t i = 0; i < NR_BPS; i++)
		lower += bps[i].sim.present && bps[i].sim.installed && bps[i].sim.type == type &&
			 bps[i].sim.cls < cls;
	if (sim_used(type) + 1 > slots) {
		/* Evict only if that makes room; never evict in vain. */
		if (!hw_bp_sched_preempt || slots - sim_used(type) + lower < 1)
			goto park;
		while (sim_used(type) + 1 > slots) {
			struct model_bp *victim = NULL;

			for (size_t i = 0; i < NR_BPS; i++) {
				struct model_bp *o = &bps[i];

				if (!o->sim.present || !o->sim.installed || o->sim.type != type ||
				    o->sim.cls >= cls)
					continue;
				if (!victim || o->sim.cls < victim->sim.cls ||
				    (o->sim.cls == victim->sim.cls && o->sim.gen > victim->sim.gen))
					victim = o;
			}
			sim_point(MODEL_ARCH_SLOT, victim);	/* the tracepoint's slot */
			sim_point(MODEL_ARCH, victim);
			victim->sim.installed = false;
			sim_nevict[victim->sim.cls]++;
			expect_note(victim, HW_BP_NOTIFY_EVICTED);
		}
	}
	sim_install(b);
	return;
park:
	sim_npark[cls]++;
	expect_note(b, HW_BP_NOTIFY_PARKED);
}

/* Highest class first, then oldest, while there is room; @tell: count it. */
static void sim_restore_type(int type, bool tell)
{
	while (!sim_offline && sim_used(type) < nr_slots[type]) {
		struct model_bp *best = NULL;

		for (size_t i = 0; i < NR_BPS; i++) {
			struct model_bp *o = &bps[i];

			if (!o->sim.present || o->sim.installed || o->sim.type != type)
				continue;
			if (!best || o->sim.cls > best->sim.cls ||
			    (o->sim.cls == best->sim.cls && o->sim.gen < best->sim.gen))
				best = o;
		}
		if (!best)
			break;
		sim_install(best);
		if (!tell)
			continue;
		sim_nrestore[best->sim.cls]++;
		sim_point(MODEL_ARCH_SLOT, best);	/* the tracepoint's slot */
		expect_note(best, HW_BP_NOTIFY_RESTORED);
	}
}

static void sim_del(struct model_bp *b)
{
	bool was_installed = b->sim.installed;

	sim_ops++;
	if (was_installed) {
		sim_point(MODEL_ARCH, b);
		b->sim.installed = false;
	}
	expect_note(b, NOTE_FORGET);
	b->sim.present = false;
	if (was_installed)
		sim_restore_type(b->sim.type, true);
}

/* The debugger's record of @b, a free one (the first) if @alloc. */
static struct sim_rec *sim_rec_of(struct model_bp *b, bool alloc)
{
	struct sim_rec *d, *free = NULL;

	for (d = rec; d < rec + HW_BP_SCHED_DBG_MAX; d++) {
		if (d->b == b)
			return d;
		if (!d->b && !free)
			free = d;
	}
	if (!alloc || !free)
		return NULL;
	free->want = false;
	free->b = b;
	return free;
}

/*
 * What the debugger says; a del of a breakpoint without a record here, or
 * any request while the CPU is offline, is nothing at all (false), not
 * even a look at the table.
 */
static bool sim_want(struct model_bp *b, int type, bool want)
{
	struct sim_rec *d;

	if (sim_offline) {
		model_dbg_ignored++;
		return false;
	}
	d = sim_rec_of(b, want);
	if (!d)
		return false;
	d->type = type;
	d->weight = want;
	d->want = want;
	d->req++;
	sim_dbg_req++;
	return true;
}

/*
 * Make the table agree with the records: the entries no longer wanted or
 * asked for again go, then the missing wanted ones come, each pass in
 * record order, each record read when its turn comes (a request made in
 * the meantime is seen by a later pass: its entry keeps the request count
 * of when it was added).  An offline CPU has no records: going down forgot
 * them and it takes no request until it is back.
 */
static void sim_reconcile(void)
{
	struct sim_rec *d;

	for (d = rec; d < rec + HW_BP_SCHED_DBG_MAX; d++) {
		if (d->b && d->b->sim.present && (!d->want || d->b->sim.dbg_req != d->req))
			sim_del(d->b);
	}
	for (d = rec; d < rec + HW_BP_SCHED_DBG_MAX; d++) {
		unsigned int req = d->req;
		struct model_bp *b = d->b;

		if (!b || !d->want || b->sim.present)
			continue;
		sim_add(b, HW_BP_CLASS_DEBUGGER, d->type);
		b->sim.dbg_req = req;
	}
}

/*
 * The end of a write section: reconcile while requests are outstanding,
 * publish, let go, and look again (a request made at the publish was left
 * to us).
 */
static void sim_writer_end(void)
{
	for (;;) {
		unsigned int req = sim_dbg_req;

		if (req != sim_dbg_done) {
			sim_reconcile();
			sim_dbg_done = req;
			continue;
		}
		sim_point(MODEL_LATCH, NULL);
		sim_point(MODEL_LATCH, NULL);
		sim_point(MODEL_SEQ_END, NULL);
		if (sim_dbg_req == sim_dbg_done)
			return;
		sim_point(MODEL_SEQ_BEGIN, NULL);
	}
}

/*
 * A request from an NMI takes effect; with the count even there, the
 * debugger makes the table agree at once, in a section of its own.
 */
static void sim_request(const struct nmi_req *r)
{
	if (sim_want(r->b, r->type, r->want) && r->even) {
		quiet++;
		sim_writer_end();
		quiet--;
	}
}

static void sim_cpu_down(void)
{
	sim_hotplug = true;
	sim_offline = true;
	/*
	 * The debugger's entries go first, in the table's order, which no
	 * rule fixes: their points match any of the debugger's, their
	 * forgets are compared in any order.
	 */
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *b = &bps[i];

		if (!b->sim.present || b->sim.cls != HW_BP_CLASS_DEBUGGER)
			continue;
		if (b->sim.installed)
			sim_point_of(MODEL_ARCH, NULL, 1);
		b->sim.present = b->sim.installed = false;
		expect_note(b, NOTE_FORGET);
	}
	/* What it wanted is forgotten too, requests made so far included. */
	for (struct sim_rec *d = rec; d < rec + HW_BP_SCHED_DBG_MAX; d++) {
		d->want = false;
		d->b = NULL;
	}
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *b = &bps[i];

		if (b->sim.present && b->sim.installed) {
			sim_point_of(MODEL_ARCH, NULL, 0);
			b->sim.installed = false;
		}
	}
}

static void sim_cpu_up(void)
{
	sim_hotplug = true;
	sim_offline = false;
	for (int t = 0; t < TYPE_MAX; t++)
		sim_restore_type(t, false);
	/* Nothing of the debugger's: it asked for nothing while offline. */
}

enum step { STEP_ADD, STEP_DEL, STEP_DOWN, STEP_UP };

static void update_begin(void)
{
	core_n = 0;
	nr_nmi_req = 0;
	model_nmi_requests = 0;
	shim_irqs_disabled = true;
	in_update = true;
}

/* The debugger's breakpoints are wanted as its records say. */
static void sync_wanted(void)
{
	for (int i = 0; i < NR_DBG_BPS; i++) {
		struct model_bp *b = DBG_BP(i);
		struct sim_rec *d = sim_rec_of(b, false);

		b->present = d && d->want;
	}
}

/* The update is over: the operational model replays it, point by point. */
static void update_end(enum step kind, struct model_bp *b, int cls, int type)
{
	static char why[128];

	in_update = false;
	shim_irqs_disabled = false;
	replaying = true;
	sim_n = 0;
	sim_point(MODEL_SEQ_BEGIN, NULL);
	switch (kind) {
	case STEP_ADD:
		sim_add(b, cls, type);
		break;
	case STEP_DEL:
		sim_del(b);
		break;
	case STEP_DOWN:
		sim_cpu_down();
		break;
	case STEP_UP:
		sim_cpu_up();
		break;
	}
	sim_writer_end();
	replaying = false;
	if (!sim_bad && sim_n != core_n) {
		snprintf(why, sizeof(why), "the core's update has %u points, the model's %u",
			 core_n, sim_n);
		sim_bad = why;
	}
	sync_wanted();
}

void model_reset(void)
{
	memset(&sc, 0, sizeof(sc));
	memset(bps, 0, sizeof(bps));
	memset(arch_slot, 0, sizeof(arch_slot));
	memset(cpu_dr7, 0, sizeof(cpu_dr7));
	memset(exp_evict, 0, sizeof(exp_evict));
	memset(exp_restore, 0, sizeof(exp_restore));
	memset(exp_park, 0, sizeof(exp_park));
	memset(sim_nevict, 0, sizeof(sim_nevict));
	memset(sim_nrestore, 0, sizeof(sim_nrestore));
	memset(sim_npark, 0, sizeof(sim_npark));
	memset(rec, 0, sizeof(rec));
	memset(&view_cur, 0, sizeof(view_cur));
	sim_dbg_req = sim_dbg_done = 0;
	model_dbg_ignored = 0;
	sim_gen = 0;
	sim_ops = 0;
	sim_hotplug = false;
	sim_newcomer = NULL;
	sim_bad = NULL;
	replaying = false;
	quiet = 0;
	trace_len = 0;
	trace[0] = '\0';
	shim_warned = 0;
	shim_irqs_disabled = shim_in_nmi = false;
	shim_trace_evict = shim_trace_restore = 0;
	hw_bp_sched_preempt = true;
	pure = true;
	model_offline = sim_offline = false;
	in_update = in_debugger = false;
	nr_nmi_req = act_n = exp_n = 0;
	notes_any_order = false;
	for (size_t i = 0; i < NR_BPS; i++) {
		bps[i].ev.id = i;
		bps[i].ev.slot = -1;
		/* Distinct per breakpoint, so a published entry names its owner. */
		bps[i].ev.attr.bp_addr = 0x10000 + 0x40 * i;
		set_fields(&bps[i], 0, i);
	}
}

void model_set_preempt(bool on)
{
	note("preempt=%d; ", on);
	hw_bp_sched_preempt = on;
	if (!on)
		pure = false;
}

int count_class(int cls, int type)
{
	int n = 0;

	for (size_t i = 0; i < NR_BPS; i++)
		n += bps[i].present && bps[i].cls == cls && bps[i].type == type;
	return n;
}

const char *model_add(struct model_bp *b, int cls, int type)
{
	int ret;

	b->cls = cls;
	b->type = type;
	b->ev.type = type;
	set_fields(b, type, b->ev.id);
	b->present = true;
	note("add %d c%d t%d; ", b->ev.id, b->cls, b->type);
	update_begin();
	ret = hw_bp_sched_add(&sc, &b->ev, b->cls, b->type, 1);
	update_end(STEP_ADD, b, cls, type);
	if (ret)
		return "add failed";
	return model_check();
}

const char *model_del(struct model_bp *b)
{
	note("del %d; ", b->ev.id);
	b->present = false;
	update_begin();
	hw_bp_sched_del(&sc, &b->ev);
	update_end(STEP_DEL, b, 0, 0);
	return model_check();
}

/* Neither counts an eviction or a restore: counters are taken over. */
const char *model_cpu_down(void)
{
	note("cpu-down; ");
	model_offline = true;
	notes_any_order = true;
	update_begin();
	hw_bp_sched_cpu_down(&sc);
	update_end(STEP_DOWN, NULL, 0, 0);
	return model_check();
}

const char *model_cpu_up(void)
{
	note("cpu-up; ");
	model_offline = false;
	update_begin();
	hw_bp_sched_cpu_up(&sc);
	update_end(STEP_UP, NULL, 0, 0);
	return model_check();
}

static void dbg_request(struct model_bp *b, int type, bool want)
{
	unsigned int req;

	if (in_update) {
		if (nr_nmi_req == MAX_NMI_REQS) {
			note("(driver: too many NMI requests in one update) ");
			shim_warned++;
			return;
		}
		nmi_req[nr_nmi_req++] = (struct nmi_req) {
			.at = nmi_at, .even = nmi_even, .want = want, .b = b, .type = type,
		};
		model_nmi_requests++;
		note("NMI at %s %u: ", point_name[core_pt[nmi_at % MAX_POINTS].where], nmi_at);
	}
	if (want)
		note("dbg-add %d t%d %u/%llu; ", b->ev.id, type, b->ev.attr.bp_type,
		     b->ev.attr.bp_len);
	else
		note("dbg-del %d; ", b->ev.id);
	in_debugger = true;
	/* Outside NMI the debugger runs with interrupts off (the CPU stopped). */
	if (!in_update)
		shim_irqs_disabled = true;
	req = sc.dbg_req;
	if (want)
		hw_bp_sched_debugger_add(&sc, &b->ev, type, 1);
	else
		hw_bp_sched_debugger_del(&sc, &b->ev);
	if (!in_update)
		shim_irqs_disabled = false;
	in_debugger = false;
	/* A request taken at an even count is carried out at once, all others too. */
	if (sc.dbg_req != req && (!in_update || nmi_even) &&
	    !hw_bp_sched_debugger_settled(&sc)) {
		note("(not settled after the debugger's request at an even count) ");
		shim_warned++;
	}
	if (in_update)
		return;
	if (sim_want(b, type, want))
		sim_writer_end();
	/* A request the CPU did not take (offline) leaves nothing wanted. */
	sync_wanted();
}

int model_dbg_type(struct model_bp *b, int type)
{
	return TYPE_MAX > 1 && in_table(&b->ev) ? b->ev.type : type;
}

void model_dbg_add(struct model_bp *b, int type, unsigned int fields)
{
	if (!is_dbg(b) || model_dbg_type(b, type) != type) {
		note("(driver: debugger add of bp %d as t%d) ", b->ev.id, type);
		shim_warned++;
		return;
	}
	b->cls = HW_BP_CLASS_DEBUGGER;
	b->type = type;
	b->ev.type = type;
	set_fields(b, type, fields);
	b->present = true;
	dbg_request(b, type, true);
}

void model_dbg_del(struct model_bp *b)
{
	b->present = false;
	dbg_request(b, 0, false);
}

void model_dbg_replant(struct model_bp *b, bool del_first, unsigned int fields)
{
	note("replant %d%s: ", b->ev.id, del_first ? "" : " in place");
	if (del_first)
		model_dbg_del(b);
	model_dbg_add(b, b->type, fields);
}

const char *model_dbg_drop(struct model_bp *b)
{
	struct sim_rec *d = sim_rec_of(b, false);
	const char *bad;

	note("dbg-drop %d; ", b->ev.id);
	shim_irqs_disabled = true;
	hw_bp_sched_debugger_drop(&sc, &b->ev);
	shim_irqs_disabled = false;
	if (b->sim.present)
		sim_del(b);
	if (d) {
		d->want = false;
		d->b = NULL;
	}
	sim_writer_end();
	b->present = false;
	bad = model_check();
	if (bad)
		return bad;
	/* kgdb may free it now: nothing of this CPU may point to it. */
	if (in_table(&b->ev))
		return "a dropped breakpoint is still in the table";
	for (int i = 0; i < HW_BP_SCHED_DBG_MAX; i++)
		if (sc.dbg[i].bp == &b->ev)
			return "a dropped breakpoint still has a debugger record";
	return NULL;
}

/*
 * Is @b among the first nr_slots of its type by (class desc, arrival asc)
 * of the scheduled ones?
 */
static bool expect_installed(struct model_bp *b)
{
	int better = 0;

	if (model_offline)
		return false;
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *o = &bps[i];

		if (o == b || !o->sim.present || o->sim.type != b->sim.type)
			continue;
		if (o->sim.cls > b->sim.cls || (o->sim.cls == b->sim.cls && o->sim.gen < b->sim.gen))
			better++;
	}
	return better < nr_slots[b->sim.type];
}

/* The table's entries are exactly the operational model's. */
static const char *check_table(void)
{
	static char why[256];
	bool seen[NR_BPS] = { false };
	unsigned int present = 0;

	if (sc.nr > HW_BP_SCHED_MAX)
		return "table count beyond the table";
	for (unsigned int i = 0; i < sc.nr; i++) {
		struct hw_bp_sched_ent *e = &sc.ent[i];
		struct model_bp *b = model_of(e->bp);
		size_t k;

		if (!b)
			return "table entry for an unknown breakpoint";
		k = b - bps;
		if (seen[k])
			return "breakpoint twice in the table";
		seen[k] = true;
		if (!b->sim.present) {
			snprintf(why, sizeof(why), "bp %d is in the table, model says deleted",
				 b->ev.id);
			return why;
		}
		if (e->cls != b->sim.cls || e->type != b->sim.type || e->weight != 1)
			return "table entry's class, type or weight";
		if (e->installed != b->sim.installed) {
			snprintf(why, sizeof(why),
				 "bp %d (class %d) installed=%d, operational model says %d",
				 b->ev.id, e->cls, e->installed, b->sim.installed);
			return why;
		}
		if (e->gen != b->sim.gen) {
			snprintf(why, sizeof(why), "bp %d arrived %lu-th, model says %lu-th",
				 b->ev.id, e->gen, b->sim.gen);
			return why;
		}
		if (e->cls == HW_BP_CLASS_DEBUGGER && e->dbg_req != b->sim.dbg_req) {
			snprintf(why, sizeof(why), "bp %d is for the debugger's request %u, "
				 "model says %u", b->ev.id, e->dbg_req, b->sim.dbg_req);
			return why;
		}
	}
	for (size_t i = 0; i < NR_BPS; i++)
		present += bps[i].sim.present;
	if (sc.nr != present)
		return "table holds a breakpoint the model deleted, or misses one";
	return NULL;
}

/* The debugger's records are the model's, record by record. */
static const char *check_records(void)
{
	static char why[256];

	if (sc.dbg_req != sim_dbg_req)
		return "count of debugger requests differs from the model's";
	for (int i = 0; i < HW_BP_SCHED_DBG_MAX; i++) {
		const struct hw_bp_sched_dbg_want *d = &sc.dbg[i];
		const struct sim_rec *r = &rec[i];

		if (sc.offline && d->bp)
			return "a debugger record on an offline CPU";

		if (d->bp == (r->b ? &r->b->ev : NULL) && d->req == r->req && d->want == r->want &&
		    (!r->b || (d->type == r->type && d->weight == r->weight)))
			continue;
		snprintf(why, sizeof(why), "debugger record %d: bp %d want %d req %u type %d, "
			 "model says bp %d want %d req %u type %d", i, d->bp ? d->bp->id : -1,
			 d->want, d->req, d->type, r->b ? r->b->ev.id : -1, r->want, r->req, r->type);
		return why;
	}
	return NULL;
}

/*
 * From the core's own state: the table is what the debugger wants, each
 * entry of its last request (a type, length or address changed since is
 * installed anew), nothing of it while the CPU is offline.
 */
static const char *check_desired(void)
{
	for (int i = 0; i < HW_BP_SCHED_DBG_MAX; i++) {
		const struct hw_bp_sched_dbg_want *d = &sc.dbg[i];
		const struct hw_bp_sched_ent *e = NULL;

		if (!d->bp)
			continue;
		for (unsigned int j = 0; j < sc.nr; j++)
			if (sc.ent[j].bp == d->bp)
				e = &sc.ent[j];
		if (!d->want || sc.offline) {
			if (e)
				return "a breakpoint the debugger let go, or of an offline CPU, is scheduled";
			continue;
		}
		if (!e)
			return "a breakpoint the debugger wants is not scheduled";
		if (e->dbg_req != d->req || e->type != d->type)
			return "a debugger entry is not of the debugger's last request";
	}
	for (unsigned int j = 0; j < sc.nr; j++) {
		int i;

		if (sc.ent[j].cls != HW_BP_CLASS_DEBUGGER)
			continue;
		for (i = 0; i < HW_BP_SCHED_DBG_MAX && sc.dbg[i].bp != sc.ent[j].bp; i++)
			;
		if (i == HW_BP_SCHED_DBG_MAX)
			return "a debugger entry without the debugger's record";
	}
	for (size_t i = 0; i < NR_PERF_BPS; i++)
		if (bps[i].present != bps[i].sim.present)
			return "a perf/ptrace breakpoint is not where its add or del put it";
	return NULL;
}

/* DR7 holds exactly what the installed entries encode with their fields of now. */
static const char *check_dr7(void)
{
	static char why[128];
	u64 want[TYPE_MAX] = { 0 };

	for (unsigned int i = 0; i < sc.nr; i++) {
		struct perf_event *bp = sc.ent[i].bp;

		if (sc.ent[i].installed && bp->slot >= 0)
			want[bp->type] |= dr7_bits(bp->slot, bp);
	}
	for (int t = 0; t < TYPE_MAX; t++) {
		if (cpu_dr7[t] == want[t])
			continue;
		snprintf(why, sizeof(why), "cpu_dr7%s %#llx, the installed breakpoints encode %#llx",
			 TYPE_MAX > 1 ? (t ? "(data)" : "(inst)") : "", cpu_dr7[t], want[t]);
		return why;
	}
	return NULL;
}

static int cmp_note(const void *a, const void *b)
{
	const struct note_ev *x = a, *y = b;

	if (x->bp->id != y->bp->id)
		return x->bp->id - y->bp->id;
	return x->event - y->event;
}

/* The owners were told what the operational model did, in its order. */
static const char *check_notes(void)
{
	static char why[256];

	if (notes_any_order) {
		qsort(act_log, act_n, sizeof(act_log[0]), cmp_note);
		qsort(exp_log, exp_n, sizeof(exp_log[0]), cmp_note);
	}
	for (int i = 0; i < act_n || i < exp_n; i++) {
		if (i < act_n && i < exp_n && act_log[i].bp == exp_log[i].bp &&
		    act_log[i].event == exp_log[i].event)
			continue;
		snprintf(why, sizeof(why),
			 "notification %d of the step: bp %d event %d, model says bp %d event %d",
			 i, i < act_n ? act_log[i].bp->id : -1, i < act_n ? act_log[i].event : -1,
			 i < exp_n ? exp_log[i].bp->id : -1, i < exp_n ? exp_log[i].event : -1);
		return why;
	}
	return NULL;
}

/*
 * The reference model's counters follow a step that is a single add or
 * del; anything more (requests coalesced into an update, a breakpoint
 * planted again, the CPU going down or up) goes through states it does
 * not see, so its counters are taken over (the operational model, which
 * saw every change, checks them exactly).
 */
static const char *check_step(void)
{
	static char why[256];
	static struct perf_event never;	/* a breakpoint never scheduled */
	unsigned int used[TYPE_MAX] = { 0 }, in_arch[TYPE_MAX] = { 0 };
	bool simple = sim_ops <= 1 && !sim_hotplug;
	const char *bad;

	if (shim_warned)
		return "a WARN or an arch slot error";
	if (sc.seq.sequence & 1)
		return "sequence count left odd";
	if (sc.dbg_req != sc.dbg_done)
		return "debugger requests left unreconciled";
	if (!hw_bp_sched_debugger_settled(&sc))
		return "hw_bp_sched_debugger_settled() false after the step";
	/* First what the hardware holds: it needs no model to be wrong. */
	bad = check_dr7();
	if (!bad)
		bad = sim_bad;
	if (!bad)
		bad = check_records();
	if (!bad)
		bad = check_table();
	if (!bad)
		bad = check_desired();
	if (!bad)
		bad = check_notes();
	if (!bad)
		bad = check_view();
	if (bad)
		return bad;
	/* check_table() saw the deleted ones gone from the table. */
	if (hw_bp_sched_installed(&sc, &never))
		return "a breakpoint never added is installed";
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *b = &bps[i];
		bool inst, exp;

		if (!b->sim.present) {
			if (b->ev.slot >= 0)
				return "a deleted breakpoint still holds an arch slot";
			b->was_installed = false;
			continue;
		}
		inst = hw_bp_sched_installed(&sc, &b->ev);
		exp = pure ? expect_installed(b) : b->sim.installed;
		if (inst != exp) {
			snprintf(why, sizeof(why), "bp %d (class %d) installed=%d, model says %d",
				 b->ev.id, b->sim.cls, inst, exp);
			return why;
		}
		if (inst != (b->ev.slot >= 0))
			return "scheduler and arch slot table disagree";
		if (!simple || !pure) {
			/* taken over below */
		} else if (b == sim_newcomer) {
			if (!inst)
				exp_park[b->sim.cls]++;
		} else if (b->was_installed && !inst) {
			exp_evict[b->sim.cls]++;
		} else if (!b->was_installed && inst) {
			exp_restore[b->sim.cls]++;
		}
		b->was_installed = inst;
		used[b->sim.type] += inst;
	}
	for (int t = 0; t < TYPE_MAX; t++) {
		for (int s = 0; s < SHIM_SLOTS_MAX; s++)
			in_arch[t] += arch_slot[t][s] != NULL;
		if (used[t] != sc.used[t] || used[t] > (unsigned int)nr_slots[t] ||
		    in_arch[t] != used[t])
			return "used[] is wrong";
	}
	if (!simple || !pure) {
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
		if (sc.evictions[c] != exp_evict[c] || sc.evictions[c] != sim_nevict[c])
			return "eviction counter";
		if (sc.restores[c] != exp_restore[c] || sc.restores[c] != sim_nrestore[c])
			return "restore counter";
		if (sc.parks[c] != exp_park[c] || sc.parks[c] != sim_npark[c])
			return "park counter";
	}
	return NULL;
}

const char *model_check(void)
{
	const char *bad = check_step();

	/* The next step starts here. */
	act_n = exp_n = 0;
	notes_any_order = false;
	sim_ops = 0;
	sim_hotplug = false;
	sim_newcomer = NULL;
	sim_bad = NULL;
	return bad;
}

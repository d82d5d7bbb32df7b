// SPDX-License-Identifier: GPL-2.0
/*
 * Reference models and fake architecture for the breakpoint scheduler core
 * in user space, in the spirit of tools/testing/radix-tree:
 * kernel/events/hw_breakpoint_sched.c of the tree under test is compiled
 * unchanged against shim headers and driven by harness.c (random) or
 * fuzz.c (libFuzzer).  After every step the result is checked against the
 * models below and the fake architecture's slot table.
 *
 * Reference model (weight-1 breakpoints, as on x86): on each CPU, the
 * installed breakpoints of a type are exactly the first min(n, slots) of
 * the present ones ordered by class (highest first), then arrival (oldest
 * first); none while the CPU is offline.  Eviction of "the lowest class,
 * newest arrival" and restore of "the highest class, oldest arrival" both
 * keep that true.  Counters: installed -> parked is an eviction, parked ->
 * installed a restore, a newcomer parked on arrival a park.  Every
 * eviction and restore fires its tracepoint once, with the slot the
 * breakpoint held or now holds.  This holds while preemption has been on
 * since the CPU was empty; going offline and coming back count nothing.
 *
 * Operational model, always: the documented rules applied one request at
 * a time, in the order requested (with hw_breakpoint.preempt=0 a full type
 * parks the newcomer).  It gives the exact installed set, the table's
 * entries (class, type, order of arrival), every counter and the owners'
 * notifications in order, also when an NMI's requests were carried out
 * within a step.
 *
 * Debugger-class breakpoints come and go through the debugger's lock-free
 * entry points.  The driver may play NMIs from inside a perf/ptrace update
 * (sequence count odd, or just turned even): the debugger adds or removes
 * one of its breakpoints right there, or reads the published table.  A
 * request must be carried out, in order, when the interrupted update
 * ends: the models apply it after the update's own operation.  A reader
 * must always get the table as of the last finished update, complete.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "model.h"

int shim_warned;
bool hw_bp_sched_preempt = true;
unsigned long shim_trace_evict, shim_trace_restore;
int nr_slots[TYPE_MAX];
static struct perf_event *arch_slot[TYPE_MAX][SHIM_SLOTS_MAX];

struct model_bp bps[NR_BPS];
struct hw_bp_sched_cpu sc;
void (*model_nmi)(enum model_point where);
struct model_bp *model_writer;
bool model_offline;
int model_nmi_requests;

static unsigned long arrival;
static unsigned long exp_evict[HW_BP_NR_CLASSES], exp_restore[HW_BP_NR_CLASSES],
		     exp_park[HW_BP_NR_CLASSES];
static unsigned long sim_evict[HW_BP_NR_CLASSES], sim_restore[HW_BP_NR_CLASSES],
		     sim_park[HW_BP_NR_CLASSES];
static bool sim_offline;
static bool pure;		/* preemption on since the CPU was empty */
static bool in_update;		/* a perf/ptrace/hotplug update: NMIs may come */
static bool in_debugger;	/* no NMI within the debugger's own update */
static char trace[1 << 16];
static size_t trace_len;

/* Requests of the current step, applied to the operational model at its end. */
enum { REQ_ADD, REQ_DEL, REQ_DOWN, REQ_UP };
struct sim_req {
	struct model_bp *b;
	int kind;
	int cls, type;
	unsigned long arrival;
};
static struct sim_req pending[HW_BP_SCHED_DBG_OPS + 1];
static int nr_pending;

/* Notifications to owners, and forgets, of one step: made and expected. */
#define NOTE_FORGET HW_BP_NOTIFY_NR
#define NOTE_LOG 1024
struct note_ev {
	struct perf_event *bp;
	int event;
};
static struct note_ev act_log[NOTE_LOG], exp_log[NOTE_LOG];
static int act_n, exp_n;

int hw_bp_sched_nr_slots(int type)
{
	return nr_slots[type];
}

static void nmi_point(enum model_point where)
{
	if (model_nmi && in_update && !in_debugger)
		model_nmi(where);
}

/* The scheduler touches the architecture only inside its bracket. */
static void arch_call(enum model_point where)
{
	if (!(sc.seq.sequence & 1)) {
		note("(arch call outside an update!) ");
		shim_warned++;
	}
	nmi_point(where);
}

int arch_install_hw_breakpoint(struct perf_event *bp)
{
	arch_call(MODEL_ARCH);
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
	arch_call(MODEL_ARCH_SLOT);
	return bp->slot;
}

void arch_uninstall_hw_breakpoint(struct perf_event *bp)
{
	arch_call(MODEL_ARCH);
	if (bp->slot < 0 || arch_slot[bp->type][bp->slot] != bp) {
		fprintf(stderr, "arch: bp %d is not installed\n", bp->id);
		shim_warned++;
		return;
	}
	arch_slot[bp->type][bp->slot] = NULL;
	bp->slot = -1;
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

#ifdef HAVE_SNAPSHOT
/*
 * What readers must get: the table as of the last finished update.  The
 * first latch flip of a publish comes after the update, so the table is
 * final; readers get the new copy from the second flip on.
 */
static struct hw_bp_sched_view view_next, view_cur, view_read;

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
	if (seq & 1)
		view_of_table(&view_next);
	else
		view_cur = view_next;
	nmi_point(MODEL_LATCH);
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
#else
void model_snapshot_read(void)
{
}

static const char *check_view(void)
{
	return NULL;
}
#endif

#ifdef SHIM_SEQ_HOOKS
void shim_seq_hook(seqcount_t *s, int begin)
{
	nmi_point(begin ? MODEL_SEQ_BEGIN : MODEL_SEQ_END);
}
#endif

void model_reset(void)
{
	memset(&sc, 0, sizeof(sc));
	memset(bps, 0, sizeof(bps));
	memset(arch_slot, 0, sizeof(arch_slot));
	memset(exp_evict, 0, sizeof(exp_evict));
	memset(exp_restore, 0, sizeof(exp_restore));
	memset(exp_park, 0, sizeof(exp_park));
	memset(sim_evict, 0, sizeof(sim_evict));
	memset(sim_restore, 0, sizeof(sim_restore));
	memset(sim_park, 0, sizeof(sim_park));
#ifdef HAVE_SNAPSHOT
	memset(&view_next, 0, sizeof(view_next));
	memset(&view_cur, 0, sizeof(view_cur));
#endif
	trace_len = 0;
	trace[0] = '\0';
	shim_warned = 0;
	shim_trace_evict = shim_trace_restore = 0;
	arrival = 0;
	hw_bp_sched_preempt = true;
	pure = true;
	model_offline = sim_offline = false;
	in_update = in_debugger = false;
	model_writer = NULL;
	nr_pending = act_n = exp_n = 0;
	for (size_t i = 0; i < NR_BPS; i++) {
		bps[i].ev.id = i;
		bps[i].ev.slot = -1;
		/* Distinct per breakpoint, so a published entry names its owner. */
		bps[i].ev.attr.bp_addr = 0x10000 + 0x40 * i;
		bps[i].ev.attr.bp_len = 1 << (i % 4);
		bps[i].ev.attr.bp_type = 1 + i % 3;
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

/* The operational model: one request, by the documented rules. */
static void expect_note(struct model_bp *b, int event)
{
#ifdef HAVE_NOTIFY
	log_note(exp_log, &exp_n, &b->ev, event);
#endif
}

static int sim_used(int type)
{
	int n = 0;

	for (size_t i = 0; i < NR_BPS; i++)
		n += bps[i].sim.present && bps[i].sim.installed && bps[i].sim.type == type;
	return n;
}

static void sim_add(struct sim_req *r)
{
	struct model_bp *b = r->b, *victim = NULL;

	b->sim.present = true;
	b->sim.installed = false;
	b->sim.cls = r->cls;
	b->sim.type = r->type;
	b->sim.arrival = r->arrival;
	if (!sim_offline && sim_used(r->type) < nr_slots[r->type]) {
		b->sim.installed = true;
		return;
	}
	for (size_t i = 0; !sim_offline && hw_bp_sched_preempt && i < NR_BPS; i++) {
		struct model_bp *o = &bps[i];

		if (!o->sim.present || !o->sim.installed || o->sim.type != r->type ||
		    o->sim.cls >= r->cls)
			continue;
		if (!victim || o->sim.cls < victim->sim.cls ||
		    (o->sim.cls == victim->sim.cls && o->sim.arrival > victim->sim.arrival))
			victim = o;
	}
	if (!victim) {
		sim_park[r->cls]++;
		expect_note(b, HW_BP_NOTIFY_PARKED);
		return;
	}
	victim->sim.installed = false;
	sim_evict[victim->sim.cls]++;
	expect_note(victim, HW_BP_NOTIFY_EVICTED);
	b->sim.installed = true;
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
			    (o->sim.cls == best->sim.cls && o->sim.arrival < best->sim.arrival))
				best = o;
		}
		if (!best)
			break;
		best->sim.installed = true;
		if (tell) {
			sim_restore[best->sim.cls]++;
			expect_note(best, HW_BP_NOTIFY_RESTORED);
		}
	}
}

static void sim_del(struct sim_req *r)
{
	struct model_bp *b = r->b;
	bool was_installed = b->sim.installed;

	b->sim.present = false;
	b->sim.installed = false;
	expect_note(b, NOTE_FORGET);
	if (was_installed)
		sim_restore_type(b->sim.type, true);
}

static void sim_apply(struct sim_req *r)
{
	switch (r->kind) {
	case REQ_ADD:
		sim_add(r);
		break;
	case REQ_DEL:
		sim_del(r);
		break;
	case REQ_DOWN:
		sim_offline = true;
		for (size_t i = 0; i < NR_BPS; i++)
			bps[i].sim.installed = false;
		break;
	case REQ_UP:
		sim_offline = false;
		for (int t = 0; t < TYPE_MAX; t++)
			sim_restore_type(t, false);
		break;
	}
}

static void request(struct model_bp *b, int kind)
{
	if (nr_pending == sizeof(pending) / sizeof(pending[0])) {
		note("(driver: too many requests in one step) ");
		shim_warned++;
		return;
	}
	pending[nr_pending++] = (struct sim_req) {
		.b = b, .kind = kind,
		.cls = b ? b->cls : 0, .type = b ? b->type : 0, .arrival = b ? b->arrival : 0,
	};
}

bool model_settled(struct model_bp *b)
{
	for (int i = 0; i < nr_pending; i++)
		if (pending[i].b == b)
			return false;
	return b->sim.present == b->present;
}

static void sim_flush(void)
{
	for (int i = 0; i < nr_pending; i++)
		sim_apply(&pending[i]);
	nr_pending = 0;
}

static void step_begin(void)
{
	nr_pending = act_n = exp_n = 0;
}

static void writer_begin(struct model_bp *b, int kind)
{
	step_begin();
	model_writer = b;
	model_nmi_requests = 0;
	request(b, kind);
	in_update = true;
}

static void writer_end(void)
{
	in_update = false;
	model_writer = NULL;
	sim_flush();
}

const char *model_add(struct model_bp *b, int cls, int type)
{
	int ret;

	b->cls = cls;
	b->type = type;
	b->ev.type = type;
	b->present = true;
	b->was_installed = false;
	b->arrival = ++arrival;
	note("add %d c%d t%d; ", b->ev.id, b->cls, b->type);
	writer_begin(b, REQ_ADD);
	ret = hw_bp_sched_add(&sc, &b->ev, b->cls, b->type, 1);
	writer_end();
	if (ret)
		return "add failed";
	return model_check(b, model_nmi_requests);
}

const char *model_del(struct model_bp *b)
{
	note("del %d; ", b->ev.id);
	b->present = false;
	writer_begin(b, REQ_DEL);
	hw_bp_sched_del(&sc, &b->ev);
	writer_end();
	return model_check(NULL, model_nmi_requests);
}

#ifdef HAVE_CPU_DOWN
/* Neither counts an eviction or a restore: counters are taken over. */
const char *model_cpu_down(void)
{
	note("cpu-down; ");
	model_offline = true;
	writer_begin(NULL, REQ_DOWN);
	hw_bp_sched_cpu_down(&sc);
	writer_end();
	return model_check(NULL, true);
}

const char *model_cpu_up(void)
{
	note("cpu-up; ");
	model_offline = false;
	writer_begin(NULL, REQ_UP);
	hw_bp_sched_cpu_up(&sc);
	writer_end();
	return model_check(NULL, true);
}
#endif

static void dbg_begin(struct model_bp *b, int kind)
{
	if (in_update) {
		note("NMI: ");
		model_nmi_requests++;
	} else {
		step_begin();
	}
	request(b, kind);
	in_debugger = true;
}

static void dbg_end(void)
{
	in_debugger = false;
	if (!in_update)
		sim_flush();
}

void model_dbg_add(struct model_bp *b, int type)
{
	b->cls = HW_BP_CLASS_DEBUGGER;
	b->type = type;
	b->ev.type = type;
	b->present = true;
	b->was_installed = false;
	b->arrival = ++arrival;
	dbg_begin(b, REQ_ADD);
	note("dbg-add %d t%d; ", b->ev.id, b->type);
	hw_bp_sched_debugger_add(&sc, &b->ev, type, 1);
	dbg_end();
}

void model_dbg_del(struct model_bp *b)
{
	dbg_begin(b, REQ_DEL);
	note("dbg-del %d; ", b->ev.id);
	b->present = false;
	hw_bp_sched_debugger_del(&sc, &b->ev);
	dbg_end();
}

/*
 * Is @b among the first nr_slots of its type by (class desc, arrival asc)
 * of the @n present ones?
 */
static bool expect_installed(struct model_bp *b, struct model_bp **present, int n)
{
	int better = 0;

	if (model_offline)
		return false;
	for (int i = 0; i < n; i++) {
		struct model_bp *o = present[i];

		if (o == b || o->type != b->type)
			continue;
		if (o->cls > b->cls || (o->cls == b->cls && o->arrival < b->arrival))
			better++;
	}
	return better < nr_slots[b->type];
}

/* The model breakpoint whose event @ev is, or NULL. */
static struct model_bp *model_of(struct perf_event *ev)
{
	uintptr_t a = (uintptr_t)ev, base = (uintptr_t)&bps[0].ev;

	if (a < base || (a - base) % sizeof(struct model_bp) ||
	    (a - base) / sizeof(struct model_bp) >= NR_BPS)
		return NULL;
	return &bps[(a - base) / sizeof(struct model_bp)];
}

/* The table's entries are exactly the present breakpoints of the model. */
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
		for (unsigned int j = 0; j < i; j++) {
			struct hw_bp_sched_ent *o = &sc.ent[j];
			struct model_bp *ob = model_of(o->bp);

			if ((o->gen < e->gen) != (ob->sim.arrival < b->sim.arrival))
				return "order of arrival (gen) differs from the model's";
		}
	}
	for (size_t i = 0; i < NR_BPS; i++)
		present += bps[i].sim.present;
	if (sc.nr != present)
		return "table holds a breakpoint the model deleted, or misses one";
	return NULL;
}

/* The owners were told what the operational model did, in its order. */
static const char *check_notes(void)
{
	static char why[256];

#ifndef HAVE_NOTIFY
	exp_n = act_n;		/* the core has no notifications */
	memcpy(exp_log, act_log, act_n * sizeof(act_log[0]));
#endif
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
 * @interrupted: an NMI's request was carried out within this step, after
 * the step's own operation, or the CPU went down or came up: the installed
 * sets must still match, but the counters went through a state the
 * reference model does not see, so they are taken over rather than
 * checked (the operational model, which saw every request, checks them
 * exactly).
 */
const char *model_check(struct model_bp *newcomer, bool interrupted)
{
	static char why[256];
	static struct perf_event never;	/* a breakpoint never scheduled */
	unsigned int used[TYPE_MAX] = { 0 }, in_arch[TYPE_MAX] = { 0 };
	struct model_bp *present[NR_BPS];
	const char *bad;
	int n = 0;

	if (shim_warned)
		return "a WARN or an arch slot error";
	if (sc.seq.sequence & 1)
		return "sequence count left odd";
	if (sc.dbg_head != sc.dbg_tail)
		return "debugger requests left queued";
	bad = check_table();
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
		if (bps[i].present)
			present[n++] = &bps[i];
		else if (bps[i].ev.slot >= 0)
			return "a deleted breakpoint still holds an arch slot";
	}
	for (int i = 0; i < n; i++) {
		struct model_bp *b = present[i];
		bool inst, exp;

		inst = hw_bp_sched_installed(&sc, &b->ev);
		exp = pure ? expect_installed(b, present, n) : b->sim.installed;
		if (inst != exp) {
			snprintf(why, sizeof(why), "bp %d (class %d) installed=%d, model says %d",
				 b->ev.id, b->cls, inst, exp);
			return why;
		}
		if (inst != (b->ev.slot >= 0))
			return "scheduler and arch slot table disagree";
		if (interrupted || !pure) {
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
	for (int t = 0; t < TYPE_MAX; t++) {
		for (int s = 0; s < SHIM_SLOTS_MAX; s++)
			in_arch[t] += arch_slot[t][s] != NULL;
		if (used[t] != sc.used[t] || used[t] > (unsigned int)nr_slots[t] ||
		    in_arch[t] != used[t])
			return "used[] is wrong";
	}
	if (interrupted || !pure) {
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
		if (sc.evictions[c] != exp_evict[c] || sc.evictions[c] != sim_evict[c])
			return "eviction counter";
		if (sc.restores[c] != exp_restore[c] || sc.restores[c] != sim_restore[c])
			return "restore counter";
		if (sc.parks[c] != exp_park[c] || sc.parks[c] != sim_park[c])
			return "park counter";
	}
	return NULL;
}

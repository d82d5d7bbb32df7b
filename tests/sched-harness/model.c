// SPDX-License-Identifier: GPL-2.0
/*
 * Reference models and fake architecture for the breakpoint scheduler core
 * in user space, in the spirit of tools/testing/radix-tree:
 * kernel/events/hw_breakpoint_sched.c of the tree under test is compiled
 * unchanged against shim headers and driven by harness.c (random) or
 * fuzz.c (libFuzzer).  After every update (each call into the core, perf's
 * own included) the result is checked against the models below and the
 * fake architecture's slot table and DR7.
 *
 * Reference model (weight-1 breakpoints, as on x86), from the core's own
 * table around each update, not from the rules: perf's and ptrace's
 * pmu->add fails (-EAGAIN) exactly when there is no room to take (the CPU
 * offline; perf to try the waiting (sc->resched) and this add not that
 * try: the freed slot is theirs first; or the slots of its type full and,
 * with preemption on, none held by a lower class shielded no more than
 * the newcomer reaches), and then leaves nothing in the table.  Each entry keeps its breakpoint's
 * shield.  In an update that is a single add, whatever went out of the
 * debug registers is of a lower class than the newcomer and shielded no
 * more than it reaches (the debugger reaches everything): ptrace's
 * privilege rule of patch 0016.  One of perf's or ptrace's in the table
 * but out of the debug registers was evicted (bp->hw.bp_waiting) and perf
 * has not taken it off yet, or the CPU went offline.  Counters, for an
 * update that is a single add or del: installed -> evicted is an
 * eviction; a refusal of a breakpoint not waiting yet, or the debugger's
 * newcomer parked, a park; an install of one that was waiting, or of the
 * debugger's parked one, a restore.  Every eviction and restore fires its
 * tracepoint once, with the slot the breakpoint held or now holds.  Once
 * perf's irq_work is done: nothing evicted is left in the table, a group
 * is installed whole or not in the table at all, no flag for perf is left
 * set, sc->waiting is set while a group perf tried waits, and, while the
 * CPU is online, no wakeup was lost (check_wakeup()): no group perf tried
 * waits while its breakpoints fit the free slots, no ptrace breakpoint
 * waits while one of perf's it may evict holds a slot of its type
 * (preemption on since the CPU was empty), and no debugger breakpoint is
 * parked while a slot of its type is free (or at all, preemption on since
 * the CPU was empty).
 *
 * Operational model, always: the documented rules applied one change at a
 * time (with hw_breakpoint.preempt=0 a full type refuses perf's and
 * ptrace's newcomer and parks the debugger's; a newcomer evicts only a
 * lower class shielded no more than it reaches).  It gives the exact table
 * (entries, class, type, order of arrival, the debugger's records), every
 * counter, the flags for perf (waiting, lost, resched, each breakpoint's
 * bp_waiting), the kicks of perf's irq_work and the owners' notifications,
 * in order.
 *
 * Perf is the model's own, driving the core as kernel/events/core.c does:
 * a group goes on whole or not at all (group_sched_in(): a member refused,
 * those added go off again, the siblings in order, then the leader); the
 * core's kick runs perf's irq_work once the step is over (interrupts on
 * again), as hw_bp_sched_perf_catch_up() does: the ACTIVE groups with a
 * breakpoint evicted go off (perf_pmu_sched_out_lost()), then, if asked to
 * resched, the INACTIVE groups go on, nothing ACTIVE going off first, with
 * sc->in_sched_in set (perf_pmu_sched_in_waiting(): the CPU's context,
 * then the task's, each its pinned groups, then its flexible ones).  Each
 * pmu->add and pmu->del is an update of its own, checked like any other,
 * NMIs included.
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
 * reconcile, in the middle of one (seen by the passes still to come),
 * after its last look but before its count turned even (left to its look
 * after), or after its count turned even (the debugger's own).  So the
 * model does not guess: the fake CPU logs every point of an update where
 * an NMI may land (arch calls; the sequence count just turned odd, about
 * to turn even, just turned even), the requests are tagged with the point
 * they were made at, and when the update is over the model replays it
 * point by point by the rules, each request taking effect at its point.
 * The core's points must be the model's, in the same order and on the
 * same breakpoints: that also checks the order of every eviction and
 * restore.
 *
 * What the debugger reads of a CPU it may have stopped anywhere (patch
 * 0029): hw_bp_sched_others(), the weight per type of perf's and
 * ptrace's entries in the table, installed or not, one word each.  At
 * every NMI point of every update the model reads them all, and the
 * debugger does too from model_nmi (before each of its requests, and as
 * a step of its own): each value must be the one of the table before the
 * update or the one of the table after it (known once the update is
 * over); anything else fails the update.  After every update, others[]
 * is exactly the weight of those entries and nr_parked the number of the
 * debugger's entries not installed.
 *
 * The copy a reader on another CPU gets (hw_bp_sched_snapshot(), on this
 * CPU, interrupts off, inside a write section of its own): after every
 * update, with no NMI, it must be exactly the table (entries in the
 * table's order: address, length, type, class, installed, the slot the
 * fake architecture says or -1) and leave the CPU exactly as it was but
 * for the sequence count, two increments on, even.  As a step of its own
 * (model_snapshot()) NMIs land in it too, at its points like an update's:
 * their requests are carried out before it returns (the replay checks
 * the table after), and the copy is still the table of before them.
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
 * Patch 0031's static key (hw_bp_sched_on): model_reset() runs the
 * scheduler from boot (key on, the table adopted, nothing to take over);
 * model_start_mainline() starts with it off.  Until this CPU takes over
 * its registers (key off, or on before its take-over) perf's pmu->add and
 * pmu->del (hw_bp_sched_active() false) are mainline's path: one install
 * or uninstall each, first-fit, outside any write section, the
 * scheduler's state untouched byte for byte (a snapshot is
 * hw_breakpoint.c's, from the registers, not the core's); with the key
 * off only perf's class exists; no NMI comes.
 * model_key_on() turns it on (the first ptrace or debugger breakpoint),
 * its take-over IPI at once or later (hw_bp_sched_enable() waits for it
 * before that breakpoint exists, with the hotplug lock held: before any
 * ptrace, debugger or hotplug step); a CPU down then takes over as it
 * comes up.  The take-over adopts the registers as they are then
 * (hw_bp_sched_adopt() below, hw_breakpoint.c's, over the fake
 * arch_hw_breakpoint_slot_owner(), each read an NMI point): checked right
 * after the walk (the table is exactly the registers' breakpoints in
 * their order, perf's, installed, arriving in register order, used[]
 * counting them, nothing else changed), sc->adopted at every NMI point
 * (clear until the walk ends, set after), others[] at every NMI point (0
 * or all of the weight taken over: the debugger reads it), and the
 * operational model adopts at the same point, so that among perf's equals
 * the one in the highest register is the newest, the first evicted.  No
 * NMI makes a debugger request before the walk ends (none exists yet).  A
 * CPU that went down with the key off runs nothing until it is up again:
 * perf adds nothing there, the debugger makes no request, no IPI reaches
 * it; coming up, perf schedules its CPU context's breakpoints in on
 * mainline's path before hw_bp_sched_cpu_up() takes them over, the
 * task's after (the kernel's hotplug order: no task runs there before
 * CPUHP_AP_ACTIVE).
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

/*
 * The checks run after every update and pass until they fail: libFuzzer's
 * coverage of them is no feedback worth having, and its compare tracing
 * in their loops cost ten times their own time.  Only clang instruments.
 */
#ifdef __clang__
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

/* <uapi/linux/hw_breakpoint.h> */
#define HW_BREAKPOINT_W		2
#define HW_BREAKPOINT_RW	3
#define HW_BREAKPOINT_X		4

int shim_warned;
bool shim_irqs_disabled;
bool shim_in_nmi;
bool hw_bp_sched_preempt = true;
/*
 * Patch 0031's static key, read at run time (shim/linux/jump_label.h
 * without SHIM_STATIC_KEY): on from model_reset(), off from
 * model_start_mainline() until model_key_on().
 */
struct static_key_false hw_bp_sched_on = { true };
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
struct model_perf_stats model_perf;
/* Perf's irq_work queued (hw_bp_sched_kick()); kicks of this update, made and expected. */
static bool kick_pending;
static int act_kicks, exp_kicks;
/* Perf: perf_pmu_sched_in_waiting() running; order of opening and of going ACTIVE. */
static bool perf_in_sched_in;
static unsigned long perf_grp_gen, perf_act_gen;
/* The first check of this step that failed (the step drives no further). */
static const char *step_bad;
static char step_why[256];
static unsigned long sim_nevict[HW_BP_NR_CLASSES], sim_nrestore[HW_BP_NR_CLASSES],
		     sim_npark[HW_BP_NR_CLASSES];
static bool sim_offline;
static bool pure;		/* preemption on since the CPU was empty */
static bool in_update;		/* a perf/ptrace/hotplug update: NMIs may come */
static bool in_debugger;	/* no NMI within the debugger's own update */

/*
 * Patch 0031: the key off (mainline's path), then on, and the take-over.
 * Whether this CPU's table took over its registers (sim_adopted, the
 * model's sc->adopted: from model_reset() the scheduler ran from boot;
 * from model_start_mainline() not until hw_bp_sched_take_over(), the
 * IPI, or hw_bp_sched_cpu_up() since model_key_on(); until then perf's
 * pmu->add and pmu->del stay on mainline's path, key on or off); the
 * registers as the take-over began, in arch_hw_breakpoint_slot_owner()'s
 * order, are what it adopts.  The core's side: in hw_bp_sched_adopt()'s
 * walk, done with it, how often it was called.
 */
static bool sim_adopted;
static struct perf_event *adopt_reg[TYPE_MAX * SHIM_SLOTS_MAX];
static int adopted_at[NR_BPS];	/* the register an entry was adopted from, or -1 */
static bool adopting, adopt_returned;
static int adopt_calls;
static bool started_key_off;	/* model_start_mainline() */
static bool adopted_idle;	/* not up as the key came on: nothing to adopt */
static bool ipi_pending;	/* the key came on, its take-over IPI not yet here */
/* The first failed check of the adoption in this update, reported before anything else. */
static char adopt_why[320];
static bool model_dead;		/* the CPU went down with the key off, not up yet */
/* Key off: the scheduler's state as mainline's path must leave it; first-fit's registers. */
static struct hw_bp_sched_cpu sc_mainline;
static struct perf_event *exp_reg[TYPE_MAX][SHIM_SLOTS_MAX];
/* Key off: the arch calls of one pmu->add or pmu->del (or a snapshot). */
static struct {
	struct perf_event *bp;
	bool install;
} mainline_call[4];
static int mainline_calls;
struct model_adopt_stats model_adopt;

static bool key_on(void)
{
	return READ_ONCE(hw_bp_sched_on.enabled);
}
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
	[MODEL_SEQ_CLOSE] = "seq-close", [MODEL_SEQ_END] = "seq-end", [MODEL_IN_SLOT] = "in-slot",
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
NO_COVERAGE static struct model_bp *model_of(const struct perf_event *ev)
{
	uintptr_t a = (uintptr_t)ev, base = (uintptr_t)&bps[0].ev;

	if (a < base || (a - base) % sizeof(struct model_bp) ||
	    (a - base) / sizeof(struct model_bp) >= NR_BPS)
		return NULL;
	return &bps[(a - base) / sizeof(struct model_bp)];
}

static void others_nmi_read(bool tell);

/*
 * A failed check of the adoption: a WARN, its reason kept (the first of
 * the update) and reported before anything that follows from it.
 */
static bool adopt_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool adopt_bad(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	note("[adopt: %s] ", buf);
	if (!adopt_why[0])
		snprintf(adopt_why, sizeof(adopt_why), "adopt: %s", buf);
	shim_warned++;
	return true;
}

static void nmi_point(enum model_point where, struct perf_event *bp)
{
	if (!in_update || in_debugger)
		return;
	if (core_n < MAX_POINTS)
		core_pt[core_n] = (struct point) { where, bp };
	nmi_at = core_n++;
	nmi_even = !(sc.seq & 1);
	/*
	 * sc->adopted says the table holds what the registers held: clear
	 * until hw_bp_sched_adopt() has walked them all, set from then on.
	 * An NMI reading it in the walk must not find a half-built table
	 * taken for the whole.
	 */
	if (READ_ONCE(sc.adopted) != (sim_adopted || adopt_returned))
		adopt_bad("sc->adopted %s at %s point %u of the update, %s", sc.adopted ? "set" :
			  "clear", point_name[where], nmi_at, adopting ?
			  "inside hw_bp_sched_adopt()'s walk: an NMI there takes the table for "
			  "one holding the registers' breakpoints" : adopt_returned ?
			  "after hw_bp_sched_adopt() returned" : "before hw_bp_sched_adopt() was called");
	/* An NMI that finds the writer halfway must not take its table as done. */
	if (!nmi_even && hw_bp_sched_debugger_settled(&sc)) {
		note("(settled at an odd count, %s point %u) ", point_name[where], nmi_at);
		shim_warned++;
	}
	/* Wherever the CPU stops, what the debugger reads is before or after. */
	others_nmi_read(false);
	/*
	 * No debugger request before the table took over (in the take-over's
	 * walk, or before it): hw_bp_sched_enable() takes every online CPU
	 * over before the first debugger breakpoint exists, and a CPU coming
	 * up does so before the debugger's hotplug callback plants its
	 * breakpoints there.
	 */
	if (model_nmi && (sim_adopted || adopt_returned)) {
		shim_in_nmi = true;
		model_nmi(where);
		shim_in_nmi = false;
	}
}

static void mainline_log(struct perf_event *bp, bool install)
{
	if (mainline_calls < (int)(sizeof(mainline_call) / sizeof(mainline_call[0])))
		mainline_call[mainline_calls] = (typeof(mainline_call[0])) { bp, install };
	mainline_calls++;
}

/*
 * The scheduler touches the architecture only inside its bracket.  Until
 * this CPU took over its registers (the key off, or on and its take-over
 * not yet run) mainline's path calls it with no bracket at all, and no
 * NMI comes: no debugger exists yet.  The take-over's own reads of the
 * registers are in its bracket.
 */
static void arch_call(enum model_point where, struct perf_event *bp)
{
	if (!(where == MODEL_IN_SLOT && adopting) && !sim_adopted && !adopt_returned) {
		if (sc.seq & 1)
			adopt_bad("arch_%s of bp %d inside a write section before this CPU took "
				  "over its registers", where == MODEL_ARCH ? "install/uninstall" :
				  where == MODEL_ARCH_SLOT ? "hw_breakpoint_slot()" :
				  "hw_breakpoint_in_slot()", bp ? bp->id : -1);
		return;
	}
	if (!(sc.seq & 1)) {
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
	if (!sim_adopted && !adopt_returned)
		mainline_log(bp, true);
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
	if (!sim_adopted && !adopt_returned)
		mainline_log(bp, false);
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

/*
 * The registers as arch_hw_breakpoint_slot_owner() numbers them: x86's
 * single pool; with split pools, the instruction pool's, then the data
 * pool's.  NULL past the last.
 */
static struct perf_event **reg(int slot)
{
	for (int t = 0; t < TYPE_MAX && slot >= 0; t++) {
		if (slot < nr_slots[t])
			return &arch_slot[t][slot];
		slot -= nr_slots[t];
	}
	return NULL;
}

static int nr_regs(void)
{
	int n = 0;

	for (int t = 0; t < TYPE_MAX; t++)
		n += nr_slots[t];
	return n;
}

/* The registers as a take-over begins: what it adopts. */
static void adopt_begin(void)
{
	for (int i = 0; i < nr_regs(); i++)
		adopt_reg[i] = *reg(i);
}

/*
 * x86's bp_per_reg[] per slot (patch 0031), per pool: only
 * hw_bp_sched_adopt() reads it (an NMI point like any arch call); the
 * core never does (the snapshot of a CPU that has not taken over is
 * hw_breakpoint.c's).
 */
struct perf_event *arch_hw_breakpoint_slot_owner(int slot)
{
	struct perf_event **r = reg(slot);

	if (!adopting)
		adopt_bad("a debug register read outside hw_bp_sched_adopt()'s walk");
	if (!r)
		adopt_bad("register %d of %d read", slot, nr_regs());
	arch_call(MODEL_IN_SLOT, r ? *r : NULL);
	return r ? *r : NULL;
}

/* Whether the registers still hold what they held as the key came on. */
static int regs_changed(void)
{
	for (int i = 0; i < nr_regs(); i++)
		if (*reg(i) != adopt_reg[i])
			return i;
	return -1;
}

/* Before the walk: this CPU's take-over since the key came on, nothing taken yet. */
static bool adopt_enter_bad(struct hw_bp_sched_cpu *cpu)
{
	int i;

	if (cpu != &sc)
		return adopt_bad("of another CPU's table");
	if (!key_on())
		return adopt_bad("called with the key off: a write section on mainline's path");
	if (!(sc.seq & 1))
		return adopt_bad("outside a write section");
	if (adopt_calls > 1)
		return adopt_bad("called again (call %d): the first adoption left sc->adopted "
				 "clear", adopt_calls);
	if (sim_adopted)
		return adopt_bad("called with the scheduler running from boot");
	if (sc.adopted)
		return adopt_bad("sc->adopted already set as the walk begins: the table says "
				 "it holds the registers' breakpoints, it holds none");
	if (sc.nr)
		return adopt_bad("the table holds %u entries before the walk", sc.nr);
	i = regs_changed();
	if (i >= 0)
		return adopt_bad("register %d holds bp %d, bp %d as the take-over began",
				 i, *reg(i) ? (*reg(i))->id : -1, adopt_reg[i] ? adopt_reg[i]->id : -1);
	return false;
}

/*
 * After the walk, before anything else of the update: the table is
 * exactly the registers' breakpoints, in the order of their registers
 * (their order of arrival: ent[] is in that order), each
 * perf's, installed, of its type and weight 1; used[]
 * counts them; nothing else changed (no counter, flag, kick, notification
 * or register).  others[] is checked at every NMI point (the debugger
 * reads it: 0 or all of them, never a part) and after the update.
 */
static void adopt_check(void)
{
	unsigned int used[TYPE_MAX] = { 0 }, k = 0;
	int i;

	for (i = 0; i < nr_regs(); i++) {
		struct perf_event *bp = adopt_reg[i];
		const struct hw_bp_sched_ent *e = &sc.ent[k];

		if (!bp)
			continue;
		if (k >= sc.nr) {
			adopt_bad("%u entries, the registers hold more (register %d: bp %d)",
				  sc.nr, i, bp->id);
			return;
		}
		if (e->bp != bp) {
			adopt_bad("entry %u is bp %d, register %d holds bp %d: the table takes "
				  "the registers in their order", k, e->bp ? e->bp->id : -1, i,
				  bp->id);
			return;
		}
		if (!e->installed || e->cls != HW_BP_CLASS_PERF || e->type != bp->type ||
		    e->weight != 1) {
			adopt_bad("bp %d's entry: installed %d class %d type %d weight %d; it is "
				  "perf's, installed, type %d weight 1", bp->id, e->installed,
				  e->cls, e->type, e->weight, bp->type);
			return;
		}
		used[bp->type]++;
		k++;
	}
	if (sc.nr != k) {
		adopt_bad("%u entries, the registers hold %u breakpoints", sc.nr, k);
		return;
	}
	for (int t = 0; t < TYPE_MAX; t++) {
		if (sc.used[t] != used[t]) {
			adopt_bad("used[%d] = %u after taking over %u installed breakpoints of "
				  "that type", t, sc.used[t], used[t]);
			return;
		}
	}
	for (int c = 0; c < HW_BP_NR_CLASSES; c++) {
		if (sc.evictions[c] || sc.restores[c] || sc.parks[c]) {
			adopt_bad("a counter moved (class %d: %lu evictions, %lu restores, %lu "
				  "parks)", c, sc.evictions[c], sc.restores[c], sc.parks[c]);
			return;
		}
	}
	if (sc.nr_parked || sc.waiting || sc.lost || sc.resched || act_kicks || act_n ||
	    shim_trace_evict || shim_trace_restore) {
		adopt_bad("not a take-over alone: nr_parked %u, waiting %d lost %d resched %d, "
			  "%d kicks, %d notifications, %lu + %lu tracepoints", sc.nr_parked,
			  sc.waiting, sc.lost, sc.resched, act_kicks, act_n, shim_trace_evict,
			  shim_trace_restore);
		return;
	}
	i = regs_changed();
	if (i >= 0)
		adopt_bad("the walk changed register %d", i);
}

/*
 * hw_breakpoint.c's hw_bp_sched_adopt() (patch 0031), as in the kernel:
 * each register's breakpoint in order, with its class, slot type and
 * weight; then the checks above, while the update is still at its start.
 */
void hw_bp_sched_adopt(struct hw_bp_sched_cpu *cpu)
{
	struct perf_event *bp;
	int slot;

	adopt_calls++;
	adopt_enter_bad(cpu);
	adopting = true;
	note("adopt");
	for (slot = 0; slot < nr_regs(); slot++) {
		bp = arch_hw_breakpoint_slot_owner(slot);
		if (bp) {
			note(" %d", bp->id);
			hw_bp_sched_adopt_one(cpu, bp, hw_breakpoint_class(bp), bp->type, 1);
		}
	}
	note("; ");
	adopting = false;
	adopt_returned = true;
	adopt_check();
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

NO_COVERAGE static bool in_table(struct perf_event *bp)
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

/*
 * hw_breakpoint.c's side: queue for the owner; here, log it.  Of a
 * breakpoint in the table, but for perf's and ptrace's refused at
 * pmu->add: those are told they are parked and never get in.
 */
void hw_bp_sched_notify(struct perf_event *bp, int event)
{
	struct model_bp *b = model_of(bp);
	bool refused = b && !is_dbg(b) && event == HW_BP_NOTIFY_PARKED;

	if (in_table(bp) == refused || event < 0 || event >= HW_BP_NOTIFY_NR) {
		note("(notify %d of bp %d %s the table) ", event, bp->id, refused ? "in" : "not in");
		shim_warned++;
	}
	log_note(act_log, &act_n, bp, event);
}

/*
 * hw_breakpoint.c's side: queue perf's irq_work; here, count the kick, and
 * run the work when the step is over (perf_irq_work()).  The core kicks
 * from inside its write section, where it set what perf is to act on.
 */
void hw_bp_sched_kick(struct hw_bp_sched_cpu *cpu)
{
	if (cpu != &sc || !(sc.seq & 1)) {
		note("(kick outside an update) ");
		shim_warned++;
	}
	act_kicks++;
	kick_pending = true;
}

/*
 * Inside the update that takes @bp off (before or after its entry goes:
 * the fast del drops the entry first); which breakpoint, and that it is
 * the one leaving, the log of notes checks against the model's.
 */
void hw_bp_sched_notify_forget(struct perf_event *bp)
{
	if (!(sc.seq & 1)) {
		note("(forget of bp %d outside an update) ", bp->id);
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

/* @what, with the trace's last note in parentheses (a WARN's reason), if any. */
NO_COVERAGE static const char *warned(const char *what)
{
	static char why[256];
	const char *open = strrchr(trace, '(');
	const char *close = open ? strchr(open, ')') : NULL;

	if (!close)
		return what;
	snprintf(why, sizeof(why), "%s: %.*s", what, (int)(close - open + 1), open);
	return why;
}

/*
 * hw_bp_sched_others() as the debugger reads it from NMI, on a CPU it may
 * have stopped anywhere: each value must be the one of the table before
 * the update (the operational model's, taken when it starts) or the one
 * of the table after it (the model's once it has replayed the update).
 * A value read that is not the one before is kept until then, with where
 * it was read; two such values that differ cannot both be the one after.
 * The debugger's own requests change no value: its entries do not count.
 */
static unsigned int others_before[TYPE_MAX];
static struct {
	bool seen;
	unsigned int value, at;
	enum model_point where;
} others_new[TYPE_MAX];
static const char *others_bad;
static char others_why[256];

/* What the operational model's table weighs per type, perf's and ptrace's. */
NO_COVERAGE static void sim_others(unsigned int *w)
{
	memset(w, 0, TYPE_MAX * sizeof(*w));
	for (size_t i = 0; i < NR_BPS; i++)
		if (bps[i].sim.present && bps[i].sim.cls != HW_BP_CLASS_DEBUGGER)
			w[bps[i].sim.type]++;	/* the model's are all of weight 1 */
}

static void others_begin(void)
{
	sim_others(others_before);
	memset(others_new, 0, sizeof(others_new));
}

/* A read from NMI at the update's point nmi_at. */
NO_COVERAGE static void others_nmi_read(bool tell)
{
	enum model_point where = core_pt[nmi_at % MAX_POINTS].where;

	for (int t = 0; t < TYPE_MAX; t++) {
		unsigned int v = hw_bp_sched_others(&sc, t);

		if (tell)
			note("%s %u%s", t ? "" : "read others[]", v, t < TYPE_MAX - 1 ? "" : "; ");
		if (v == others_before[t] || others_bad)
			continue;
		if (!others_new[t].seen) {
			others_new[t].seen = true;
			others_new[t].value = v;
			others_new[t].at = nmi_at;
			others_new[t].where = where;
			continue;
		}
		if (v == others_new[t].value)
			continue;
		snprintf(others_why, sizeof(others_why), "NMI at %s point %u of the update: "
			 "hw_bp_sched_others(type %d) = %u, at %s point %u it was %u, and %u "
			 "before the update: not both can be the value after it",
			 point_name[where], nmi_at, t, v, point_name[others_new[t].where],
			 others_new[t].at, others_new[t].value, others_before[t]);
		others_bad = others_why;
	}
}

/* The update is over and replayed: what the NMIs read was before or after it. */
NO_COVERAGE static void others_end(void)
{
	unsigned int after[TYPE_MAX];

	sim_others(after);
	for (int t = 0; t < TYPE_MAX && !others_bad; t++) {
		if (!others_new[t].seen || others_new[t].value == after[t])
			continue;
		snprintf(others_why, sizeof(others_why), "NMI at %s point %u of the update: "
			 "hw_bp_sched_others(type %d) = %u, neither %u before the update nor %u "
			 "after it", point_name[others_new[t].where], others_new[t].at, t,
			 others_new[t].value, others_before[t], after[t]);
		others_bad = others_why;
	}
}

void model_others_read(void)
{
	unsigned int w[TYPE_MAX];

	if (in_update) {
		note("NMI at %s %u: ", point_name[core_pt[nmi_at % MAX_POINTS].where], nmi_at);
		others_nmi_read(true);
		return;
	}
	sim_others(w);
	for (int t = 0; t < TYPE_MAX; t++) {
		if (hw_bp_sched_others(&sc, t) == w[t])
			continue;
		note("(hw_bp_sched_others(type %d) = %u between steps, the model's table "
		     "weighs %u) ", t, hw_bp_sched_others(&sc, t), w[t]);
		shim_warned++;
	}
}

/*
 * What a reader must get of the table (hw_bp_sched_snapshot()): its
 * entries in its order, each with its breakpoint's fields and the slot
 * the fake architecture gave it.
 */
NO_COVERAGE static void view_of_table(struct hw_bp_sched_view *v)
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

/*
 * A snapshot in progress (model_snapshot()): the installed entries in the
 * table's order (its points), and the type and length an NMI gave the
 * debugger's breakpoints meanwhile (kgdb rewrites them in place: the copy
 * of such an entry may have its fields of before or of after, each
 * entry's read as a whole, all else of before).
 */
#define MAX_REFIELDS 64
static bool in_snapshot;
static struct perf_event *snap_bp[HW_BP_SCHED_MAX];
static bool snap_installed[HW_BP_SCHED_MAX];
static unsigned int snap_n;
static struct {
	const struct perf_event *bp;
	u64 len;
	u32 type;
} refields[MAX_REFIELDS];
static int nr_refields;
int model_snapshots, model_snapshots_nmi;

static void snapshot_refields(const struct model_bp *b)
{
	if (!in_snapshot)
		return;
	if (nr_refields == MAX_REFIELDS) {
		note("(driver: too many breakpoints planted again in one snapshot) ");
		shim_warned++;
		return;
	}
	refields[nr_refields].bp = &b->ev;
	refields[nr_refields].len = b->ev.attr.bp_len;
	refields[nr_refields].type = b->ev.attr.bp_type;
	nr_refields++;
}

NO_COVERAGE static bool refielded(const struct hw_bp_sched_view_ent *x, const struct perf_event *bp)
{
	for (int i = 0; i < nr_refields; i++)
		if (refields[i].bp == bp && refields[i].len == x->len &&
		    refields[i].type == x->type)
			return true;
	return false;
}

/*
 * The copy @got against @want, the table when the snapshot began; @bp[]
 * its entries' breakpoints.  Every field exactly, but the type and length
 * of a breakpoint an NMI planted again meanwhile.
 */
NO_COVERAGE static const char *check_copy(const struct hw_bp_sched_view *got,
					  const struct hw_bp_sched_view *want,
					  struct perf_event *const *bp, const char *of)
{
	static char why[384];

	if (got->nr != want->nr) {
		snprintf(why, sizeof(why), "snapshot: %u entries, %s %u", got->nr, of, want->nr);
		return why;
	}
	for (unsigned int i = 0; i < want->nr; i++) {
		const struct hw_bp_sched_view_ent *x = &got->ent[i], *y = &want->ent[i];

		if (x->addr == y->addr && x->cls == y->cls && x->installed == y->installed &&
		    x->slot == y->slot &&
		    ((x->len == y->len && x->type == y->type) || refielded(x, bp[i])))
			continue;
		snprintf(why, sizeof(why), "snapshot entry %u: addr %#llx class %u %s slot %d "
			 "type %u len %llu, %s addr %#llx (bp %d) class %u %s slot %d "
			 "type %u len %llu", i, x->addr, x->cls,
			 x->installed ? "installed" : "parked", x->slot, x->type, x->len, of, y->addr,
			 bp[i]->id, y->cls, y->installed ? "installed" : "parked", y->slot, y->type,
			 y->len);
		return why;
	}
	return NULL;
}

/* The table's breakpoints in its order, as a snapshot begins. */
static void snapshot_begin(void)
{
	snap_n = sc.nr < HW_BP_SCHED_MAX ? sc.nr : HW_BP_SCHED_MAX;
	for (unsigned int i = 0; i < snap_n; i++) {
		snap_bp[i] = sc.ent[i].bp;
		snap_installed[i] = sc.ent[i].installed;
	}
	nr_refields = 0;
}

/* The CPU as a snapshot without requests must leave it. */
static struct hw_bp_sched_cpu sc_before;
static struct perf_event *arch_slot_before[TYPE_MAX][SHIM_SLOTS_MAX];
static u64 cpu_dr7_before[TYPE_MAX];

static void save_cpu(void)
{
	memcpy(&sc_before, &sc, sizeof(sc));
	memcpy(arch_slot_before, arch_slot, sizeof(arch_slot));
	memcpy(cpu_dr7_before, cpu_dr7, sizeof(cpu_dr7));
}

NO_COVERAGE static const char *check_untouched(void)
{
	static char why[128];
	unsigned int seq = sc_before.seq + 2;

	if (sc.seq != seq) {
		snprintf(why, sizeof(why), "snapshot: sequence count %u after, %u before: "
			 "not one write section", sc.seq, sc_before.seq);
		return why;
	}
	sc_before.seq = seq;
	if (memcmp(&sc_before, &sc, sizeof(sc)))
		return "snapshot: the CPU's scheduler state changed (no request was made)";
	if (memcmp(arch_slot_before, arch_slot, sizeof(arch_slot)) ||
	    memcmp(cpu_dr7_before, cpu_dr7, sizeof(cpu_dr7)))
		return "snapshot: the debug registers changed (no request was made)";
	return NULL;
}

/* The table readers get is the model's, whatever order the entries are in. */
NO_COVERAGE static const char *check_view_model(const struct hw_bp_sched_view *v)
{
	static char why[256];
	unsigned int present = 0;

	for (unsigned int i = 0; i < v->nr; i++) {
		const struct hw_bp_sched_view_ent *x = &v->ent[i];
		u64 k = (x->addr - 0x10000) / 0x40;	/* see model_reset() */
		struct model_bp *b = k < NR_BPS ? &bps[k] : NULL;

		if (!b || b->ev.attr.bp_addr != x->addr || !b->sim.present || x->cls != b->sim.cls ||
		    x->installed != b->sim.installed ||
		    x->slot != (b->sim.installed ? b->ev.slot : -1) ||
		    x->len != b->ev.attr.bp_len || x->type != b->ev.attr.bp_type) {
			snprintf(why, sizeof(why), "snapshot entry %u (addr %#llx) differs "
				 "from the model's table", i, x->addr);
			return why;
		}
	}
	for (size_t k = 0; k < NR_BPS; k++)
		present += bps[k].sim.present;
	if (v->nr != present)
		return "snapshot has not every breakpoint of the model's table";
	return NULL;
}

/*
 * After every update, between steps (interrupts off, as an IPI runs it),
 * no NMI: the copy is exactly the table, which is the model's, and the
 * CPU is left as it was.
 */
NO_COVERAGE static const char *check_view(void)
{
	static struct hw_bp_sched_view want, got;
	const char *bad;

	view_of_table(&want);
	snapshot_begin();
	save_cpu();
	memset(&got, 0xa5, sizeof(got));	/* no help from old contents */
	shim_irqs_disabled = true;
	hw_bp_sched_snapshot(&sc, &got);
	shim_irqs_disabled = false;
	if (shim_warned)
		return warned("a WARN in hw_bp_sched_snapshot()");
	bad = check_copy(&got, &want, snap_bp, "the table had");
	if (!bad)
		bad = check_untouched();
	if (!bad)
		bad = check_view_model(&want);
	return bad;
}

/*
 * Every WRITE_ONCE() (shim/linux/hw_breakpoint.h): those of sc.seq are
 * the update's points where an NMI may land, right after the count
 * turned odd (seq-begin), right before it turns even (seq-close) and
 * right after it did (seq-end).
 */
void (*model_read_hook)(const volatile void *p);

void shim_read_hook(const volatile void *p)
{
	if (model_read_hook)
		model_read_hook(p);
}

void shim_write_hook(const volatile void *p, unsigned long v, bool before)
{
	if (p != &sc.seq)
		return;
	if (before) {
		if (!(v & 1))
			nmi_point(MODEL_SEQ_CLOSE, NULL);
	} else {
		nmi_point((v & 1) ? MODEL_SEQ_BEGIN : MODEL_SEQ_END, NULL);
	}
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
/* Of the update: adds and dels, whether it is more than one of them. */
static int sim_ops;
static bool sim_hotplug;
static struct model_bp *sim_newcomer;
/* The flags for perf. */
static bool sim_waiting, sim_lost, sim_resched;
/*
 * The highest class waiting since perf last tried (sc->waiting_cls);
 * HW_BP_CLASS_PERF when none.  A core without it (before the fix of
 * issue 13's second review) refuses every perf and ptrace newcomer while
 * perf is to try the waiting: the model follows the core it is built
 * against (HAVE_WAITING_CLS, scripts/lib.sh sched_core_features).
 */
static int sim_waiting_cls;

static void sim_mark_waiting(int cls)
{
	if (cls > sim_waiting_cls)
		sim_waiting_cls = cls;
	sim_waiting = true;
}

/* Whether a newcomer of class @cls waits for perf's try (sc->resched). */
static bool waits_for_try(int cls, int waiting_cls)
{
#ifdef HAVE_WAITING_CLS
	return cls <= waiting_cls;
#else
	return cls != HW_BP_CLASS_DEBUGGER;
#endif
}

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

NO_COVERAGE static int sim_used(int type)
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
}

/* The core's kick of perf's irq_work. */
static void sim_kick(void)
{
	exp_kicks++;
}

/*
 * resched_waiting(): a slot freed while breakpoints wait; not when perf's
 * own pmu->del (@by_perf) frees it while perf tries the waiting: a group
 * rolled back because it did not fit, which would ask for ever.  The
 * debugger's dels and every eviction always ask, in perf's try or not.
 */
static void sim_resched_waiting(bool by_perf)
{
	if (!sim_waiting || (by_perf && perf_in_sched_in))
		return;
	sim_resched = true;
	sim_kick();
}

/*
 * The next breakpoint of @leader's group to go with an eviction: any that
 * is installed.  Which first is the table's order, which no rule fixes:
 * the one the core's next point names, if it is one of them.
 */
static struct model_bp *sim_next_of_group(struct perf_event *leader)
{
	if (replaying && !quiet && sim_n < core_n && sim_n < MAX_POINTS && core_pt[sim_n].bp) {
		struct model_bp *p = model_of(core_pt[sim_n].bp);

		if (p && p->sim.present && p->sim.installed && p->ev.group_leader == leader)
			return p;
	}
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *o = &bps[i];

		if (o->sim.present && o->sim.installed && o->ev.group_leader == leader)
			return o;
	}
	return NULL;
}

/* @victim goes, and its whole group with it. */
static void sim_evict(struct model_bp *victim)
{
	struct perf_event *leader = victim->ev.group_leader;
	struct model_bp *m;

	while ((m = sim_next_of_group(leader))) {
		sim_point(MODEL_ARCH_SLOT, m);	/* the tracepoint's slot */
		sim_point(MODEL_ARCH, m);
		m->sim.installed = false;
		m->sim.waiting = true;
		sim_mark_waiting(m->sim.cls);
		sim_nevict[m->sim.cls]++;
		expect_note(m, HW_BP_NOTIFY_EVICTED);
	}
	sim_lost = true;
	sim_kick();
}

static void sim_enter(struct model_bp *b, int cls, int type)
{
	b->sim.present = true;
	b->sim.installed = false;
	b->sim.cls = cls;
	b->sim.type = type;
	b->sim.shield = b->ev.hw.bp_shield;
	b->sim.gen = ++sim_gen;
	b->sim.dbg_req = 0;
	adopted_at[b - bps] = -1;
}

/*
 * The take-over (the IPI, or the CPU coming up) adopts the registers as
 * they were when it began: each breakpoint, perf's, installed, arriving
 * in the order of its register (so among equals the one in the highest
 * register is the newest, the first evicted); a point for each register
 * read.
 */
static void sim_adopt(int by)
{
	sim_adopted = true;
	model_adopt.by[by]++;
	for (int i = 0; i < nr_regs(); i++) {
		struct model_bp *b = adopt_reg[i] ? model_of(adopt_reg[i]) : NULL;

		sim_point(MODEL_IN_SLOT, b);
		if (!b)
			continue;
		sim_enter(b, HW_BP_CLASS_PERF, b->type);
		b->sim.installed = true;
		adopted_at[b - bps] = i;
		model_adopt.adopted++;
	}
}

static void sim_adopt_maybe(int by)
{
	if (key_on() && !sim_adopted)
		sim_adopt(by);
}

/* What a newcomer of class @cls reaches: the debugger everything, ptrace its tracer's. */
static int reach_of(const struct model_bp *b, int cls)
{
	return cls == HW_BP_CLASS_DEBUGGER ? HW_BP_SHIELD_DEBUGGER : b->ev.hw.bp_reach;
}

/* Whether a newcomer of class @cls and reach @reach may evict @o, of @type. */
static bool sim_evictable(const struct model_bp *o, int type, int cls, int reach)
{
	return o->sim.present && o->sim.installed && o->sim.type == type && o->sim.cls < cls &&
	       o->sim.shield <= reach;
}

static void sim_restore_type(int type);

static void sim_add(struct model_bp *b, int cls, int type)
{
	int slots = nr_slots[type], lower = 0, reach = reach_of(b, cls), t;
	bool evicted = false;

	sim_ops++;
	sim_newcomer = b;
	if (sim_offline)
		goto refuse;
	/*
	 * A slot freed while some wait and perf has not tried them yet: its
	 * try decides, in its order; the newcomer waits with them, if none
	 * that waits is of a lower class than it (the debugger never).  The
	 * core kicks perf's irq_work again (queued already).
	 */
	if (waits_for_try(cls, sim_waiting_cls) && sim_resched && !perf_in_sched_in) {
#ifdef HAVE_WAITING_CLS
		sim_kick();
#endif
		goto refuse;
	}
	for (size_t i = 0; i < NR_BPS; i++)
		lower += sim_evictable(&bps[i], type, cls, reach);
	if (sim_used(type) + 1 > slots) {
		/* Evict only if that makes room; never evict in vain. */
		if (!hw_bp_sched_preempt || slots - sim_used(type) + lower < 1)
			goto refuse;
		while (sim_used(type) + 1 > slots) {
			struct model_bp *victim = NULL;

			for (size_t i = 0; i < NR_BPS; i++) {
				struct model_bp *o = &bps[i];

				if (!sim_evictable(o, type, cls, reach))
					continue;
				if (!victim || o->sim.cls < victim->sim.cls ||
				    (o->sim.cls == victim->sim.cls && o->sim.gen > victim->sim.gen))
					victim = o;
			}
			sim_evict(victim);
		}
		evicted = true;
	}
	sim_enter(b, cls, type);
	sim_install(b);
	if (b->sim.waiting) {
		b->sim.waiting = false;
		sim_nrestore[cls]++;
		sim_point(MODEL_ARCH_SLOT, b);	/* the tracepoint's slot */
		expect_note(b, HW_BP_NOTIFY_RESTORED);
	}
	/*
	 * The victims' groups may have left slots the newcomer did not take:
	 * the debugger's parked breakpoints first, then ask perf, also in
	 * perf's try of the waiting (it takes nothing off, so the next try
	 * evicts nothing again).
	 */
	if (evicted) {
		for (t = 0; t < TYPE_MAX; t++)
			sim_restore_type(t);
	}
	for (t = 0; t < TYPE_MAX && sim_used(t) >= nr_slots[t]; t++)
		;
	if (evicted && t < TYPE_MAX)
		sim_resched_waiting(false);
	return;
refuse:
	if (cls != HW_BP_CLASS_DEBUGGER) {
		/* Perf keeps it INACTIVE, out of the table; counted once, not told. */
		sim_mark_waiting(cls);
		if (b->sim.waiting)
			return;
		b->sim.waiting = true;
		sim_npark[cls]++;
		return;
	}
	sim_enter(b, cls, type);
	sim_npark[cls]++;
	expect_note(b, HW_BP_NOTIFY_PARKED);
}

/* The debugger's parked ones, oldest first, while there is room. */
static void sim_restore_type(int type)
{
	while (!sim_offline && sim_used(type) < nr_slots[type]) {
		struct model_bp *best = NULL;

		for (size_t i = 0; i < NR_BPS; i++) {
			struct model_bp *o = &bps[i];

			if (!o->sim.present || o->sim.installed || o->sim.type != type ||
			    o->sim.cls != HW_BP_CLASS_DEBUGGER)
				continue;
			if (!best || o->sim.gen < best->sim.gen)
				best = o;
		}
		if (!best)
			break;
		sim_install(best);
		sim_nrestore[best->sim.cls]++;
		sim_point(MODEL_ARCH_SLOT, best);	/* the tracepoint's slot */
		expect_note(best, HW_BP_NOTIFY_RESTORED);
	}
}

/* @by_perf: perf's pmu->del, not the debugger's request (see sim_resched_waiting()). */
static void sim_del(struct model_bp *b, bool by_perf)
{
	bool was_installed = b->sim.installed;

	sim_ops++;
	if (was_installed) {
		sim_point(MODEL_ARCH, b);
		b->sim.installed = false;
	}
	expect_note(b, NOTE_FORGET);
	b->sim.present = false;
	if (was_installed) {
		sim_restore_type(b->sim.type);
		sim_resched_waiting(by_perf);
	}
}

/* A record let go: it wants nothing and has no slot type (free_dbg()). */
static void sim_rec_free(struct sim_rec *d)
{
	d->want = false;
	d->type = 0;
	d->weight = 0;
	d->b = NULL;
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
	/*
	 * A release keeps the slot type and weight of the breakpoint's first
	 * request; the driver never changes them (model_dbg_type()), so the
	 * core's refusal of a change is not modelled (harness.c's
	 * dbg_slot_type_case() checks it).
	 */
	if (want) {
		d->type = type;
		d->weight = 1;
	}
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
			sim_del(d->b, false);
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
 * The end of a write section with a request outstanding (the debugger's
 * own section, or the writer's after its look): reconcile while requests
 * are outstanding, let go, and look again (writer_end_slow(): a request
 * made after the last look, before the count turned even, was left to us).
 */
static void sim_writer_end_slow(void)
{
	for (;;) {
		unsigned int req = sim_dbg_req;

		if (req != sim_dbg_done) {
			sim_reconcile();
			sim_dbg_done = req;
			continue;
		}
		sim_point(MODEL_SEQ_CLOSE, NULL);
		sim_point(MODEL_SEQ_END, NULL);
		if (sim_dbg_req == sim_dbg_done)
			return;
		sim_point(MODEL_SEQ_BEGIN, NULL);
	}
}

/*
 * The end of the writer's own section: let go and look (writer_end());
 * only if a request is outstanding, take the section again and go
 * writer_end_slow()'s way.
 */
static void sim_writer_end(void)
{
	sim_point(MODEL_SEQ_CLOSE, NULL);
	sim_point(MODEL_SEQ_END, NULL);
	if (sim_dbg_req == sim_dbg_done)
		return;
	sim_point(MODEL_SEQ_BEGIN, NULL);
	sim_writer_end_slow();
}

/*
 * A request from an NMI takes effect; with the count even there, the
 * debugger makes the table agree at once, in a section of its own.
 */
static void sim_request(const struct nmi_req *r)
{
	if (sim_want(r->b, r->type, r->want) && r->even) {
		quiet++;
		sim_writer_end_slow();
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
		bool was_installed = b->sim.installed;

		if (!b->sim.present || b->sim.cls != HW_BP_CLASS_DEBUGGER)
			continue;
		if (was_installed)
			sim_point_of(MODEL_ARCH, NULL, 1);
		b->sim.present = b->sim.installed = false;
		expect_note(b, NOTE_FORGET);
		/* Its slot freed (no restore while offline): perf may be asked to resched. */
		if (was_installed)
			sim_resched_waiting(false);
	}
	/* What it wanted is forgotten too, requests made so far included. */
	for (struct sim_rec *d = rec; d < rec + HW_BP_SCHED_DBG_MAX; d++)
		sim_rec_free(d);
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *b = &bps[i];

		if (b->sim.present && b->sim.installed) {
			sim_point_of(MODEL_ARCH, NULL, 0);
			b->sim.installed = false;
		}
	}
}

/*
 * Nothing to restore: going down forgot the debugger's, perf took its own
 * off, and the CPU took nothing while offline (the core's reinstall of
 * what perf kept, for an offline rolled back, finds nothing here).  Perf
 * adds its own again, and is asked to try what it was refused meanwhile.
 */
static void sim_cpu_up(void)
{
	sim_hotplug = true;
	sim_offline = false;
	sim_resched_waiting(false);
}

enum step { STEP_ADD, STEP_DEL, STEP_DOWN, STEP_UP, STEP_SNAPSHOT, STEP_TAKE_OVER };

static void update_begin(void)
{
	core_n = 0;
	nr_nmi_req = 0;
	model_nmi_requests = 0;
	others_begin();
	shim_irqs_disabled = true;
	in_update = true;
}

/* The debugger's breakpoints are wanted as its records say. */
NO_COVERAGE static void sync_wanted(void)
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
	/* Only these take over; pmu->add and pmu->del stay on mainline's path till then. */
	if (kind == STEP_TAKE_OVER)
		sim_adopt_maybe(MODEL_BY_IPI);
	else if (kind == STEP_UP)
		sim_adopt_maybe(MODEL_BY_UP);
	switch (kind) {
	case STEP_ADD:
		sim_add(b, cls, type);
		break;
	case STEP_DEL:
		sim_del(b, true);
		break;
	case STEP_DOWN:
		sim_cpu_down();
		break;
	case STEP_UP:
		sim_cpu_up();
		break;
	case STEP_SNAPSHOT:
		/* The copy asks the architecture for the slot of each installed entry. */
		for (unsigned int i = 0; i < snap_n; i++)
			if (snap_installed[i])
				sim_point(MODEL_ARCH_SLOT, model_of(snap_bp[i]));
		break;
	case STEP_TAKE_OVER:
		/* An empty section: the adoption, if it is the first, and the debugger's requests. */
		break;
	}
	sim_writer_end();
	replaying = false;
	if (!sim_bad && sim_n != core_n) {
		snprintf(why, sizeof(why), "the core's update has %u points, the model's %u",
			 core_n, sim_n);
		sim_bad = why;
	}
	others_end();
	sync_wanted();
}

void model_reset(void)
{
	model_read_hook = NULL;
	memset(&sc, 0, sizeof(sc));
	/*
	 * The scheduler ran from boot (patch 0031's key on, nothing that
	 * mainline's path installed to take over): its first update adopted
	 * nothing.  hw_bp_sched_adopt() above warns if it is called.
	 * model_start_mainline() starts with the key off instead.
	 */
	WRITE_ONCE(hw_bp_sched_on.enabled, true);
	sc.adopted = true;
	sim_adopted = true;
	adopting = adopt_returned = false;
	adopt_calls = 0;
	ipi_pending = model_dead = started_key_off = false;
	adopted_idle = false;
	adopt_why[0] = '\0';
	memset(adopt_reg, 0, sizeof(adopt_reg));
	memset(exp_reg, 0, sizeof(exp_reg));
	memset(&model_adopt, 0, sizeof(model_adopt));
	for (size_t i = 0; i < NR_BPS; i++)
		adopted_at[i] = -1;
	mainline_calls = 0;
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
	memset(others_new, 0, sizeof(others_new));
	others_bad = NULL;
	in_snapshot = false;
	nr_refields = 0;
	model_snapshots = model_snapshots_nmi = 0;
	sim_dbg_req = sim_dbg_done = 0;
	sim_waiting = sim_lost = sim_resched = false;
	sim_waiting_cls = HW_BP_CLASS_PERF;
	kick_pending = perf_in_sched_in = false;
	act_kicks = exp_kicks = 0;
	perf_grp_gen = perf_act_gen = 0;
	step_bad = NULL;
	memset(&model_perf, 0, sizeof(model_perf));
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
		bps[i].ev.group_leader = &bps[i].ev;
		/* Distinct per breakpoint, so a published entry names its owner. */
		bps[i].ev.attr.bp_addr = 0x10000 + 0x40 * i;
		set_fields(&bps[i], 0, i);
		/* The debugger's: shielded from all but itself (perf's: at open). */
		if (is_dbg(&bps[i]))
			bps[i].ev.hw.bp_shield = bps[i].ev.hw.bp_reach = HW_BP_SHIELD_DEBUGGER;
	}
}

void model_start_mainline(void)
{
	bool fresh = !sc.seq && !model_perf.runs;

	for (size_t i = 0; i < NR_BPS; i++)
		fresh &= !bps[i].present;
	if (!fresh || !key_on()) {
		note("(driver: the key off after the start) ");
		shim_warned++;
		return;
	}
	note("key off; ");
	started_key_off = true;
	WRITE_ONCE(hw_bp_sched_on.enabled, false);
	sc.adopted = false;
	sim_adopted = false;
	memcpy(&sc_mainline, &sc, sizeof(sc));
}

bool model_key_off(void)
{
	return !key_on();
}

bool model_ipi_pending(void)
{
	return ipi_pending;
}

void model_set_preempt(bool on)
{
	note("preempt=%d; ", on);
	hw_bp_sched_preempt = on;
	if (!on)
		pure = false;
}

NO_COVERAGE int count_class(int cls, int type)
{
	int n = 0;

	for (size_t i = 0; i < NR_BPS; i++)
		n += bps[i].present && bps[i].cls == cls && bps[i].type == type;
	return n;
}

/*
 * A breakpoint of the group counts against the slots of its type with
 * those of the group of that type and what is open that it may not evict
 * (see model.h).  One CPU: the kernel takes the most over the CPUs the
 * breakpoint may run on.
 */
NO_COVERAGE bool model_registers(int n, int cls, const int *type, unsigned int how)
{
	int reach = how & MODEL_PRIV ? HW_BP_SHIELD_CPU : HW_BP_SHIELD_TASK;

	for (int k = 0; k < n; k++) {
		int held = 0;

		for (int j = 0; j < n; j++)
			held += type[j] == type[k];
		for (size_t i = 0; i < NR_PERF_BPS; i++) {
			const struct model_bp *o = &bps[i];

			if (!o->present || o->type != type[k])
				continue;
			held += o->cls == cls ||
				(cls == HW_BP_CLASS_PTRACE &&
				 (!hw_bp_sched_preempt || o->ev.hw.bp_shield > reach));
		}
		if (held > nr_slots[type[k]])
			return false;
	}
	return true;
}

static const char *check_update(void);
static const char *enable_wait(void);

static void step_fail(const char *why)
{
	if (why && !step_bad) {
		snprintf(step_why, sizeof(step_why), "%s", why);
		step_bad = step_why;
	}
}

/* Whether @b, a newcomer of class @cls, may evict entry @e: patch 0016's rule. */
NO_COVERAGE static bool may_evict(const struct model_bp *b, int cls,
				  const struct hw_bp_sched_ent *e)
{
	struct model_bp *o = model_of(e->bp);

	return o && e->cls < cls && o->ev.hw.bp_shield <= reach_of(b, cls);
}

/*
 * The reference model's pmu->add of @b (perf's or ptrace's), from the
 * table as it is: room to take is a free slot of its type, or, with
 * preemption on, one held by a lower class that @b reaches; none while
 * the CPU is offline.
 */
static bool has_room(const struct model_bp *b)
{
	int used = 0;
	bool lower = false;

	if (model_offline)
		return false;
	/*
	 * A slot freed while some wait: perf's try hands it out, not a
	 * newcomer of no higher class than the highest waiting.
	 */
#ifdef HAVE_WAITING_CLS
	if (waits_for_try(b->cls, sc.waiting_cls) && sc.resched && !sc.in_sched_in)
#else
	if (waits_for_try(b->cls, 0) && sc.resched && !sc.in_sched_in)
#endif
		return false;
	for (int s = 0; s < nr_slots[b->type]; s++)
		used += arch_slot[b->type][s] != NULL;
	if (used < nr_slots[b->type])
		return true;
	for (unsigned int i = 0; i < sc.nr; i++)
		lower |= sc.ent[i].installed && sc.ent[i].type == b->type &&
			 may_evict(b, b->cls, &sc.ent[i]);
	return hw_bp_sched_preempt && lower;
}

/* Of mainline's pmu->add or pmu->del of @b: its one arch call, or why not. */
NO_COVERAGE static const char *mainline_calls_bad(struct model_bp *b, bool install)
{
	static char why[192];

	if (mainline_calls == 1 && mainline_call[0].bp == &b->ev &&
	    mainline_call[0].install == install)
		return NULL;
	snprintf(why, sizeof(why), "%s: pmu->%s of bp %d made %d arch calls (the first: "
		 "%s of bp %d), mainline's path one %s", key_on() ? "key on, not taken over" :
		 "key off", install ? "add" : "del", b->ev.id,
		 mainline_calls, mainline_calls ? mainline_call[0].install ? "install" :
		 "uninstall" : "none", mainline_calls ? mainline_call[0].bp->id : -1,
		 install ? "install" : "uninstall");
	return why;
}

/*
 * pmu->add on mainline's path (hw_bp_sched_active() false: the key off, or on
 * and this CPU not taken over yet): one install, in the first free slot
 * of its type, never refused (perf's registration gives every perf
 * breakpoint a slot); the table untouched (check_mainline()).
 */
/* hw_breakpoint.c's hw_breakpoint_add() and _del() around the core, weight 1. */
static int pmu_add(struct perf_event *bp, int cls, int type)
{
	if (hw_bp_sched_active(&sc))
		return hw_bp_sched_add(&sc, bp, cls, type, 1);
	return arch_install_hw_breakpoint(bp);
}

static void pmu_del(struct perf_event *bp)
{
	if (hw_bp_sched_active(&sc))
		hw_bp_sched_del(&sc, bp);
	else
		arch_uninstall_hw_breakpoint(bp);
}

static int mainline_add(struct model_bp *b)
{
	int ret, s;

	note("add %d c%d t%d (%s); ", b->ev.id, b->cls, b->type,
	     key_on() ? "mainline's path, not taken over" : "key off");
	model_adopt.mainline_adds++;
	model_adopt.mainline_key_on += key_on();
	mainline_calls = 0;
	shim_irqs_disabled = true;
	ret = pmu_add(&b->ev, b->cls, b->type);
	shim_irqs_disabled = false;
	for (s = 0; s < nr_slots[b->type] && exp_reg[b->type][s]; s++)
		;
	if (s < nr_slots[b->type])
		exp_reg[b->type][s] = &b->ev;
	if (ret)
		step_fail("mainline's path: pmu->add failed, though registration gives every perf "
			  "breakpoint a slot");
	step_fail(mainline_calls_bad(b, true));
	b->active = !ret;
	step_fail(check_update());
	return ret;
}

/* pmu->del on mainline's path: one uninstall. */
static void mainline_del(struct model_bp *b)
{
	note("del %d (%s); ", b->ev.id, key_on() ? "mainline's path, not taken over" : "key off");
	model_adopt.mainline_dels++;
	model_adopt.mainline_key_on += key_on();
	mainline_calls = 0;
	shim_irqs_disabled = true;
	pmu_del(&b->ev);
	shim_irqs_disabled = false;
	for (int s = 0; s < nr_slots[b->type]; s++)
		if (exp_reg[b->type][s] == &b->ev)
			exp_reg[b->type][s] = NULL;
	step_fail(mainline_calls_bad(b, false));
	b->active = false;
	step_fail(check_update());
}

/* One pmu->add (hw_breakpoint_add()): an update of its own, checked. */
static int perf_add(struct model_bp *b)
{
	bool room = has_room(b);
	int ret;

	if (step_bad)
		return -EAGAIN;		/* the step failed: drive no further */
	if (model_dead) {
		/* Nothing runs on it: perf schedules nothing there. */
		note("add %d: the CPU is down (it went with the key off); ", b->ev.id);
		b->active = false;
		return -EAGAIN;
	}
	if (!sim_adopted)
		return mainline_add(b);
	note("add %d c%d t%d; ", b->ev.id, b->cls, b->type);
	update_begin();
	ret = pmu_add(&b->ev, b->cls, b->type);
	update_end(STEP_ADD, b, b->cls, b->type);
	if (ret)
		note("-EAGAIN; ");
	if (ret && ret != -EAGAIN)
		step_fail("add failed");
	else if (!ret != room)
		step_fail(room ? "-EAGAIN with room to take" : "added without room to take");
	b->active = !ret;
	step_fail(check_update());
	return ret;
}

/* One pmu->del (hw_breakpoint_del()) of an ACTIVE one. */
static void perf_del(struct model_bp *b)
{
	if (step_bad)
		return;
	if (!sim_adopted) {
		mainline_del(b);
		return;
	}
	note("del %d; ", b->ev.id);
	update_begin();
	pmu_del(&b->ev);
	update_end(STEP_DEL, b, 0, 0);
	b->active = false;
	step_fail(check_update());
}

/*
 * Perf's lists of groups, in the order perf_event_sched_in() takes them:
 * a group's leader is on one, by its context and whether it is pinned.
 */
enum { LIST_CPU_PINNED, LIST_TASK_PINNED, LIST_CPU_FLEXIBLE, LIST_TASK_FLEXIBLE, NR_LISTS };

static int list_of(const struct model_bp *l)
{
	return (l->pinned ? LIST_CPU_PINNED : LIST_CPU_FLEXIBLE) + l->task;
}

NO_COVERAGE static bool is_leader(const struct model_bp *b)
{
	return b->present && !is_dbg(b) && b->ev.group_leader == &b->ev;
}

/* @l's breakpoints in perf's order: the leader, then its siblings. */
static int members(struct model_bp *l, struct model_bp **m)
{
	m[0] = l;
	for (int i = 0; i < l->nr_sib; i++)
		m[1 + i] = l->sib[i];
	return 1 + l->nr_sib;
}

/*
 * The leaders on @list that are ACTIVE, in the order they went on (the
 * active list), or INACTIVE, in the order they were opened (the groups
 * tree): all taken before any is acted on, as list_for_each_entry_safe().
 */
NO_COVERAGE static int leaders(int list, bool active, struct model_bp **out)
{
	int n = 0;

	for (size_t i = 0; i < NR_PERF_BPS; i++) {
		struct model_bp *l = &bps[i];
		int k;

		if (!is_leader(l) || list_of(l) != list || l->active != active)
			continue;
		for (k = n++; k > 0; k--) {
			if ((active ? out[k - 1]->act_gen : out[k - 1]->grp_gen) <
			    (active ? l->act_gen : l->grp_gen))
				break;
			out[k] = out[k - 1];
		}
		out[k] = l;
	}
	return n;
}

/* group_sched_in(): all of @l's breakpoints, or none (a refused one undoes the others). */
static void group_sched_in(struct model_bp *l)
{
	struct model_bp *m[MODEL_GROUP_MAX];
	int n = members(l, m), i;

	for (i = 0; i < n; i++)
		if (perf_add(m[i]))
			break;
	if (i == n) {
		l->act_gen = ++perf_act_gen;
		l->refused = false;
		return;
	}
	for (int k = 1; k < i; k++)
		perf_del(m[k]);
	if (i)
		perf_del(m[0]);
	l->refused = true;
}

static void group_sched_out(struct model_bp *l)
{
	struct model_bp *m[MODEL_GROUP_MAX];
	int n = members(l, m);

	if (!l->active)
		return;
	for (int i = 0; i < n; i++)
		if (m[i]->active)
			perf_del(m[i]);
}

static void sched_out_list(int list)
{
	struct model_bp *l[NR_PERF_BPS];
	int n = leaders(list, true, l);

	for (int i = 0; i < n; i++)
		group_sched_out(l[i]);
}

static void sched_in_list(int list)
{
	struct model_bp *l[NR_PERF_BPS];
	int n = leaders(list, false, l);

	for (int i = 0; i < n; i++)
		group_sched_in(l[i]);
}

/* perf_event_sched_in(): what is INACTIVE goes on, by priority. */
static void perf_sched_in(void)
{
	for (int list = 0; list < NR_LISTS; list++)
		sched_in_list(list);
}

/*
 * perf_pmu_sched_out_lost(): the ACTIVE groups of the CPU's context, then
 * the task's, with a breakpoint that lost its slot (hw_breakpoint_lost():
 * bp_waiting) go off, whole.
 */
static void perf_sched_out_lost(void)
{
	static const int order[NR_LISTS] = {
		LIST_CPU_PINNED, LIST_CPU_FLEXIBLE, LIST_TASK_PINNED, LIST_TASK_FLEXIBLE,
	};

	for (int o = 0; o < NR_LISTS; o++) {
		struct model_bp *l[NR_PERF_BPS];
		int n = leaders(order[o], true, l);

		for (int i = 0; i < n; i++) {
			struct model_bp *m[MODEL_GROUP_MAX];
			int k, nm = members(l[i], m);

			for (k = 0; k < nm; k++)
				if (m[k]->active && READ_ONCE(m[k]->ev.hw.bp_waiting))
					break;
			if (k == nm)
				continue;
			group_sched_out(l[i]);
			l[i]->refused = true;
			model_perf.lost_groups++;
		}
	}
}

/*
 * perf_pmu_sched_in_waiting(): only the INACTIVE groups go on, nothing
 * goes off first (an ACTIVE one keeps its slots, also one that was
 * evicted and not taken off yet), in perf_event_sched_in()'s order: the
 * CPU's pinned, the task's pinned, the CPU's flexible, the task's.
 */
static void perf_sched_in_waiting(void)
{
	perf_sched_in();
}

/*
 * hw_bp_sched_perf_catch_up(), from perf's irq_work, while the core kicked
 * it: each flag cleared before it is acted on.  A core that kicks for
 * ever (perf's own dels asking again) fails the step.
 */
static void perf_irq_work(void)
{
	bool resched;
	int runs = 0;

	while (kick_pending && !step_bad) {
		if (++runs > 64) {
			step_fail("perf's irq_work kicked for ever");
			break;
		}
		kick_pending = false;
		model_perf.runs++;
		note("irq_work%s%s; ", sc.lost ? " lost" : "", sc.resched ? " resched" : "");
		/* @waiting cleared before the lost pass, as the kernel does. */
		resched = READ_ONCE(sc.resched);
		if (resched) {
			WRITE_ONCE(sc.resched, false);
#ifdef HAVE_WAITING_CLS
			WRITE_ONCE(sc.waiting_cls, HW_BP_CLASS_PERF);
#endif
			WRITE_ONCE(sc.waiting, false);
			sim_resched = sim_waiting = false;
			sim_waiting_cls = HW_BP_CLASS_PERF;
		}
		if (READ_ONCE(sc.lost)) {
			WRITE_ONCE(sc.lost, false);
			sim_lost = false;
			perf_sched_out_lost();
		}
		if (resched) {
			model_perf.sched_ins++;
			sc.in_sched_in = perf_in_sched_in = true;
			perf_sched_in_waiting();
			sc.in_sched_in = perf_in_sched_in = false;
		}
	}
}

const char *model_add(struct model_bp **b, int n, int cls, const int *type, unsigned int how)
{
	struct model_bp *l = b[0];

	int shield, reach = HW_BP_SHIELD_TASK;	/* perf evicts nothing anyway */

	if (n < 1 || n > MODEL_GROUP_MAX || (n > 1 && cls != HW_BP_CLASS_PERF) ||
	    cls == HW_BP_CLASS_DEBUGGER || (n > 1 && (how & MODEL_KERNEL)) ||
	    (cls != HW_BP_CLASS_PERF && !key_on())) {
		note("(driver: group of %d of class %d) ", n, cls);
		shim_warned++;
		return model_check();
	}
	/* register_ptrace_hw_breakpoint(): hw_bp_sched_enable() first. */
	if (cls == HW_BP_CLASS_PTRACE) {
		const char *bad = enable_wait();

		if (bad)
			return bad;
	}
	/*
	 * hw_breakpoint_origin_shield().  Ptrace's and an in-kernel user's are
	 * pinned (hw_breakpoint_init()), ptrace's on the task, the other's on
	 * the CPU (register_wide_hw_breakpoint()) or on a task
	 * (register_user_hw_breakpoint(), perf's class since patch 0017).
	 */
	if (cls == HW_BP_CLASS_PTRACE) {
		shield = HW_BP_SHIELD_DEBUGGER;
		reach = how & MODEL_PRIV ? HW_BP_SHIELD_CPU : HW_BP_SHIELD_TASK;
		how = MODEL_PINNED | MODEL_TASK;
	} else if (how & MODEL_KERNEL) {
		shield = HW_BP_SHIELD_DEBUGGER;
		how = MODEL_PINNED | (how & MODEL_TASK);
	} else {
		shield = how & MODEL_TASK ? HW_BP_SHIELD_TASK : HW_BP_SHIELD_CPU;
	}
	note("open %d", l->ev.id);
	for (int i = 0; i < n; i++) {
		if (is_dbg(b[i]) || b[i]->present) {
			note("(driver: bp %d opened twice) ", b[i]->ev.id);
			shim_warned++;
		}
		if (i)
			note("+%d", b[i]->ev.id);
		b[i]->cls = cls;
		b[i]->ev.hw.bp_class = cls;
		b[i]->type = type[i];
		b[i]->ev.type = type[i];
		set_fields(b[i], type[i], b[i]->ev.id);
		b[i]->present = true;
		b[i]->active = false;
		/* A new event: never waited for a slot. */
		b[i]->ev.hw.bp_waiting = b[i]->sim.waiting = b[i]->was_waiting = false;
		b[i]->ev.hw.bp_shield = shield;
		b[i]->ev.hw.bp_reach = reach;
		b[i]->ev.group_leader = &l->ev;
		b[i]->nr_sib = 0;
		if (i)
			l->sib[l->nr_sib++] = b[i];
	}
	l->pinned = how & MODEL_PINNED;
	l->task = how & MODEL_TASK;
	l->grp_gen = ++perf_grp_gen;
	l->refused = false;
	note(" c%d %s %s shield %d reach %d; ", cls, l->pinned ? "pinned" : "flexible",
	     l->task ? "task" : "cpu", shield, reach);
	group_sched_in(l);
	return model_check();
}

const char *model_del(struct model_bp *b)
{
	struct model_bp *l = model_of(b->ev.group_leader);

	note("close %d; ", b->ev.id);
	b->present = false;
	if (b->active)
		perf_del(b);
	if (l == b) {
		/* perf_group_detach(): each sibling a group of its own, where it was. */
		for (int i = 0; i < b->nr_sib; i++) {
			struct model_bp *o = b->sib[i];

			o->ev.group_leader = &o->ev;
			o->nr_sib = 0;
			o->pinned = b->pinned;
			o->task = b->task;
			o->grp_gen = ++perf_grp_gen;
			o->act_gen = ++perf_act_gen;
			o->refused = false;
		}
	} else {
		int k = 0;

		for (int i = 0; i < l->nr_sib; i++)
			if (l->sib[i] != b)
				l->sib[k++] = l->sib[i];
		l->nr_sib = k;
		l->refused = false;	/* not tried with its members of now */
	}
	b->nr_sib = 0;
	b->ev.group_leader = &b->ev;
	return model_check();
}

const char *model_ctx_switch(void)
{
	bool task_pinned = false;

	if (model_offline) {
		note("(driver: context switch on an offline CPU) ");
		shim_warned++;
		return model_check();
	}
	note("ctx-switch; ");
	/* perf_event_task_sched_out(), then perf_event_context_sched_in(). */
	sched_out_list(LIST_TASK_PINNED);
	sched_out_list(LIST_TASK_FLEXIBLE);
	for (size_t i = 0; i < NR_PERF_BPS; i++)
		task_pinned |= is_leader(&bps[i]) && list_of(&bps[i]) == LIST_TASK_PINNED;
	if (task_pinned)
		sched_out_list(LIST_CPU_FLEXIBLE);
	sched_in_list(LIST_TASK_PINNED);
	if (task_pinned)
		sched_in_list(LIST_CPU_FLEXIBLE);
	sched_in_list(LIST_TASK_FLEXIBLE);
	return model_check();
}

/* Neither counts an eviction or a restore: counters are taken over. */
const char *model_cpu_down(void)
{
	const char *bad = enable_wait();

	if (bad)
		return bad;
	if (!key_on()) {
		/* hw_bp_sched_cpu_offline() does nothing: perf takes its events off. */
		note("cpu-down (key off); ");
		model_offline = model_dead = true;
		for (int list = 0; list < NR_LISTS; list++)
			sched_out_list(list);
		return model_check();
	}
	note("cpu-down; ");
	model_offline = true;
	notes_any_order = true;
	update_begin();
	hw_bp_sched_cpu_down(&sc);
	update_end(STEP_DOWN, NULL, 0, 0);
	step_fail(check_update());
	/* Perf's own callback, later: every event off the CPU. */
	for (int list = 0; list < NR_LISTS; list++)
		sched_out_list(list);
	return model_check();
}

/* Perf schedules in again what it has for the CPU (the task back on it). */
const char *model_cpu_up(void)
{
	const char *bad = enable_wait();

	if (bad)
		return bad;
	if (model_dead) {
		/*
		 * It went down with the key off: the core's callback did nothing
		 * then.  Perf's CPU context comes up first (CPUHP_AP_PERF_ONLINE):
		 * its groups, perf's class alone, go through mainline's path if
		 * the key is still off, else through the scheduler (the CPU was
		 * made the scheduler's as the key came on); no task runs here
		 * before CPUHP_AP_ACTIVE.  Then hw_bp_sched_cpu_up() (a dynamic
		 * state, after perf's), which adopts nothing; then the task's
		 * groups.
		 */
		note("cpu-up%s; ", key_on() ? " (down with the key off)" : " (key off)");
		model_offline = model_dead = false;
		sched_in_list(LIST_CPU_PINNED);
		sched_in_list(LIST_CPU_FLEXIBLE);
		if (key_on() && !step_bad) {
			adopt_begin();
			update_begin();
			hw_bp_sched_cpu_up(&sc);
			update_end(STEP_UP, NULL, 0, 0);
			step_fail(check_update());
		}
		perf_sched_in();
		return model_check();
	}
	note("cpu-up; ");
	model_offline = false;
	update_begin();
	hw_bp_sched_cpu_up(&sc);
	update_end(STEP_UP, NULL, 0, 0);
	step_fail(check_update());
	perf_sched_in();
	return model_check();
}

static void dbg_request(struct model_bp *b, int type, bool want)
{
	unsigned int req;

	if (!key_on()) {
		note("(driver: a debugger request with the key off) ");
		shim_warned++;
		return;
	}
	if (!in_update && ipi_pending)
		step_fail(enable_wait());
	if (model_dead) {
		/* Nothing runs on a CPU that went down with the key off: no NMI, no request. */
		note("dbg-%s %d: the CPU is down (it went with the key off); ",
		     want ? "add" : "del", b->ev.id);
		model_dbg_ignored++;
		sync_wanted();
		return;
	}
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
		/* What hw_breakpoint_debugger_has_room() reads first (preempt=0). */
		others_nmi_read(false);
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
		sim_writer_end_slow();
	/* A request the CPU did not take (offline) leaves nothing wanted. */
	sync_wanted();
}

/*
 * The slot type a debugger add of @b may ask for: any (@type) for a
 * breakpoint the debugger never asked for or dropped since, else the one
 * it has.  As kgdb's: x86 has one pool, arm64 keeps execute and data
 * breakpoints in separate breakinfo[] entries.  The core ignores a request
 * that changes it (a WARN, harness.c's dbg_slot_type_case()): the
 * architecture picks the pool from the breakpoint's fields, which an NMI
 * may rewrite under a writer that read the type and is about to install.
 */
int model_dbg_type(struct model_bp *b, int type)
{
	return TYPE_MAX > 1 && b->dbg_typed ? b->ev.type : type;
}

void model_dbg_add(struct model_bp *b, int type, unsigned int fields)
{
	if (!is_dbg(b) || model_dbg_type(b, type) != type) {
		note("(driver: debugger add of bp %d as t%d) ", b->ev.id, type);
		shim_warned++;
		return;
	}
	b->cls = HW_BP_CLASS_DEBUGGER;
	b->ev.hw.bp_class = HW_BP_CLASS_DEBUGGER;
	b->type = type;
	b->ev.type = type;
	b->dbg_typed = true;
	set_fields(b, type, fields);
	snapshot_refields(b);
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
	struct sim_rec *d;

	note("dbg-drop %d; ", b->ev.id);
	if (!key_on()) {
		note("(driver: a debugger drop with the key off) ");
		shim_warned++;
		return model_check();
	}
	step_fail(enable_wait());
	/* After the take-over: an NMI in it may have planted @b again. */
	d = sim_rec_of(b, false);
	if (model_dead) {
		/* It took no request since it went down with the key off: nothing refers to @b. */
		b->present = false;
		b->dbg_typed = false;
		return model_check();
	}
	shim_irqs_disabled = true;
	hw_bp_sched_debugger_drop(&sc, &b->ev);
	shim_irqs_disabled = false;
	if (b->sim.present)
		sim_del(b, false);
	if (d)
		sim_rec_free(d);
	sim_writer_end();
	b->present = false;
	b->dbg_typed = false;
	step_fail(check_update());
	/*
	 * kgdb may free it now: nothing of this CPU may point to it.  (Perf's
	 * irq_work comes after; an NMI there may plant the object again, as
	 * a new breakpoint.)
	 */
	if (in_table(&b->ev))
		step_fail("a dropped breakpoint is still in the table");
	for (int i = 0; i < HW_BP_SCHED_DBG_MAX; i++)
		if (sc.dbg[i].bp == &b->ev)
			step_fail("a dropped breakpoint still has a debugger record");
	return model_check();
}

const char *model_snapshot(void)
{
	static struct hw_bp_sched_view want, got;
	const char *bad;

	if (step_bad)
		return model_check();
	if (model_dead) {
		note("snapshot: the CPU is down (it went with the key off), no IPI reaches it; ");
		return model_check();
	}
	if (!sim_adopted) {
		/* From the registers (check_mainline(), after every step, makes it). */
		note("snapshot (mainline's path); ");
		model_adopt.mainline_snapshots++;
		return model_check();
	}
	note("snapshot; ");
	model_snapshots++;
	view_of_table(&want);
	snapshot_begin();
	save_cpu();
	memset(&got, 0xa5, sizeof(got));	/* no help from old contents */
	update_begin();
	in_snapshot = true;
	hw_bp_sched_snapshot(&sc, &got);
	in_snapshot = false;
	update_end(STEP_SNAPSHOT, NULL, 0, 0);
	model_snapshots_nmi += model_nmi_requests > 0;
	/* Made before the NMIs' requests were carried out, the copy is the table of before. */
	bad = check_copy(&got, &want, snap_bp, "the table had");
	if (!bad && !model_nmi_requests)
		bad = check_untouched();
	step_fail(bad);
	/* The requests were carried out: the table is the model's, nothing left to do. */
	step_fail(check_update());
	return model_check();
}

/*
 * hw_bp_sched_enable(): the key comes on, for good, before the first
 * ptrace or debugger breakpoint is created; then the take-over IPI on
 * each online CPU (@ipi: now; else later, model_take_over()).  Till it
 * arrives, the key is on and this CPU still on mainline's path.
 */
const char *model_key_on(bool ipi)
{
	if (key_on()) {
		note("(driver: the key is on already) ");
		shim_warned++;
		return model_check();
	}
	note("key on%s; ", ipi ? "" : ", its IPI later");
	WRITE_ONCE(hw_bp_sched_on.enabled, true);
	ipi_pending = true;
	if (ipi)
		return model_take_over();
	return model_check();
}

/*
 * The take-over IPI (hw_bp_sched_take_over(), interrupts off): a write
 * section that adopts the registers, if this CPU has not yet.  None
 * reaches an offline CPU; none is pending: nothing.
 */
const char *model_take_over(void)
{
	if (!ipi_pending)
		return NULL;
	ipi_pending = false;
	if (model_offline) {
		/*
		 * No IPI reaches it: hw_bp_sched_enable() makes each CPU that
		 * is not up the scheduler's at once (hw_bp_sched_take_over_offline(),
		 * the hotplug lock held).  Perf took everything off it.
		 */
		for (int i = 0; i < nr_regs(); i++)
			if (*reg(i))
				return "take-over of a CPU not up: its registers are not empty";
		note("take-over: the CPU is not up, the scheduler's at once; ");
		hw_bp_sched_take_over_offline(&sc);
		if (!sc.offline)
			return "a CPU not up left online to the scheduler by the take-over";
		/* As if it had gone down with the key on: cpu-up as usual. */
		sim_adopted = adopted_idle = sim_offline = true;
		model_dead = false;
		return model_check();
	}
	note("take-over; ");
	adopt_begin();
	update_begin();
	hw_bp_sched_take_over(&sc);
	update_end(STEP_TAKE_OVER, NULL, 0, 0);
	step_fail(check_update());
	return model_check();
}

/*
 * hw_bp_sched_enable() returns once every online CPU took over (its IPIs
 * wait), before the ptrace or debugger breakpoint it was called for
 * exists, with the CPU hotplug lock held: a pending IPI arrives before
 * such a step, and before the CPU goes down or up.  Its failure, if any.
 */
static const char *enable_wait(void)
{
	return ipi_pending ? model_take_over() : NULL;
}

/* The table's entries are exactly the operational model's. */
NO_COVERAGE static const char *check_table(void)
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
		/* The core reads the shield from the event: it must not change. */
		if (b->ev.hw.bp_shield != b->sim.shield) {
			snprintf(why, sizeof(why), "bp %d's shield is %d, it was %d when added",
				 b->ev.id, b->ev.hw.bp_shield, b->sim.shield);
			return why;
		}
		if (e->installed != b->sim.installed) {
			snprintf(why, sizeof(why),
				 "bp %d (class %d) installed=%d, operational model says %d",
				 b->ev.id, e->cls, e->installed, b->sim.installed);
			return why;
		}
		/* ent[] is in order of arrival: the model's count says which. */
		if (i && b->sim.gen <= model_of(sc.ent[i - 1].bp)->sim.gen) {
			snprintf(why, sizeof(why), "bp %d (arrived %lu-th) is entry %u, after "
				 "bp %d (arrived %lu-th)", b->ev.id, b->sim.gen, i,
				 sc.ent[i - 1].bp->id, model_of(sc.ent[i - 1].bp)->sim.gen);
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

/*
 * The counts the core keeps beside its table: per type, the weight of
 * perf's and ptrace's entries, installed or not (what the debugger reads
 * of a CPU it stopped), and the number of the debugger's entries not
 * installed (parked: going down deletes them, so none while offline).
 */
NO_COVERAGE static const char *check_counts(void)
{
	static char why[256];
	unsigned int others[TYPE_MAX] = { 0 }, model[TYPE_MAX], parked = 0;

	sim_others(model);
	for (unsigned int i = 0; i < sc.nr; i++) {
		const struct hw_bp_sched_ent *e = &sc.ent[i];

		if (e->cls != HW_BP_CLASS_DEBUGGER)
			others[e->type] += e->weight;
		else if (!e->installed)
			parked++;
	}
	for (int t = 0; t < TYPE_MAX; t++) {
		if (sc.others[t] == others[t] && hw_bp_sched_others(&sc, t) == others[t] &&
		    others[t] == model[t])
			continue;
		snprintf(why, sizeof(why), "others[%d] = %u (hw_bp_sched_others() %u), the "
			 "table's perf and ptrace entries of that type weigh %u, the model's %u",
			 t, sc.others[t], hw_bp_sched_others(&sc, t), others[t], model[t]);
		return why;
	}
	if (sc.nr_parked != parked) {
		snprintf(why, sizeof(why), "nr_parked = %u, the table has %u of the debugger's "
			 "entries not installed%s", sc.nr_parked, parked,
			 sc.offline ? " (CPU offline)" : "");
		return why;
	}
	return NULL;
}

/* The debugger's records are the model's, record by record. */
NO_COVERAGE static const char *check_records(void)
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
		snprintf(why, sizeof(why), "debugger record %d: bp %d want %d req %u type %d "
			 "weight %d, model says bp %d want %d req %u type %d weight %d", i,
			 d->bp ? d->bp->id : -1, d->want, d->req, d->type, d->weight,
			 r->b ? r->b->ev.id : -1, r->want, r->req, r->type, r->weight);
		return why;
	}
	return NULL;
}

/*
 * From the core's own state: the table is what the debugger wants, each
 * entry of its last request (a type, length or address changed since is
 * installed anew), nothing of it while the CPU is offline.
 */
NO_COVERAGE static const char *check_desired(void)
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
	/* Perf's ACTIVE ones, and only those, are in the table. */
	for (size_t i = 0; i < NR_PERF_BPS; i++)
		if (bps[i].active != bps[i].sim.present || bps[i].active != in_table(&bps[i].ev) ||
		    (bps[i].active && !bps[i].present))
			return "a perf/ptrace breakpoint is not where its add or del put it";
	return NULL;
}

/* DR7 holds exactly what the installed entries encode with their fields of now. */
NO_COVERAGE static const char *check_dr7(void)
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

NO_COVERAGE static int cmp_note(const void *a, const void *b)
{
	const struct note_ev *x = a, *y = b;

	if (x->bp->id != y->bp->id)
		return x->bp->id - y->bp->id;
	return x->event - y->event;
}

/*
 * An eviction takes a group's breakpoints in the table's order, which no
 * rule fixes (the model follows the core's points where it sees them, not
 * in the debugger's own section from NMI): each run of one group's
 * evictions is compared in any order.
 */
NO_COVERAGE static void sort_group_runs(struct note_ev *log, int n)
{
	for (int i = 0, j; i < n; i = j) {
		for (j = i + 1; log[i].event == HW_BP_NOTIFY_EVICTED && j < n; j++)
			if (log[j].event != HW_BP_NOTIFY_EVICTED ||
			    log[j].bp->group_leader != log[i].bp->group_leader)
				break;
		qsort(log + i, j - i, sizeof(log[0]), cmp_note);
	}
}

/* The owners were told what the operational model did, in its order. */
NO_COVERAGE static const char *check_notes(void)
{
	static char why[256];

	if (notes_any_order) {
		qsort(act_log, act_n, sizeof(act_log[0]), cmp_note);
		qsort(exp_log, exp_n, sizeof(exp_log[0]), cmp_note);
	} else {
		sort_group_runs(act_log, act_n);
		sort_group_runs(exp_log, exp_n);
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
 * The flags for perf, each breakpoint's bp_waiting and the kicks of perf's
 * irq_work are the operational model's.
 */
NO_COVERAGE static const char *check_flags(void)
{
	static char why[256];

	if (sc.waiting != sim_waiting || sc.lost != sim_lost || sc.resched != sim_resched) {
		snprintf(why, sizeof(why), "waiting %d lost %d resched %d, model says %d %d %d",
			 sc.waiting, sc.lost, sc.resched, sim_waiting, sim_lost, sim_resched);
		return why;
	}
	if (sc.in_sched_in != perf_in_sched_in)
		return "in_sched_in is perf's to set";
#ifdef HAVE_WAITING_CLS
	if (sc.waiting && sc.waiting_cls != sim_waiting_cls) {
		snprintf(why, sizeof(why), "waiting_cls %d, model says %d", sc.waiting_cls,
			 sim_waiting_cls);
		return why;
	}
#endif
	if (act_kicks != exp_kicks) {
		snprintf(why, sizeof(why), "%d kicks of perf's irq_work, model says %d",
			 act_kicks, exp_kicks);
		return why;
	}
	for (size_t i = 0; i < NR_BPS; i++) {
		if (bps[i].ev.hw.bp_waiting == bps[i].sim.waiting)
			continue;
		snprintf(why, sizeof(why), "bp %zu bp_waiting=%d, model says %d", i,
			 bps[i].ev.hw.bp_waiting, bps[i].sim.waiting);
		return why;
	}
	return NULL;
}

/*
 * With the key off, or on before this CPU took over: mainline's path.
 * The scheduler's state is exactly as it started (no entry, no count,
 * sc->adopted clear); the registers hold what first-fit gives (exp_reg[])
 * and nothing beyond each pool; each breakpoint's slot is its register;
 * perf's ACTIVE ones, and only those, are in one; DR7 encodes them;
 * nothing waits, nothing was counted, traced, told or kicked; with the
 * key off only perf's class exists.  (A snapshot then reads the
 * registers: hw_breakpoint.c's, not the core's; KUnit's take-over suite
 * checks it.)
 */
NO_COVERAGE static const char *check_mainline(void)
{
	static char why[sizeof(adopt_why) + 64];
	u64 dr7[TYPE_MAX] = { 0 };
	const char *key = key_on() ? "key on, not taken over" : "key off";

	if (shim_warned)
		return warned("a WARN or an arch slot error");
	if (memcmp(&sc, &sc_mainline, sizeof(sc))) {
		snprintf(why, sizeof(why), "%s: the scheduler's state changed (nr %u, adopted %d, "
			 "sequence count %u, used[0] %u, others[0] %u)", key, sc.nr, sc.adopted,
			 sc.seq, sc.used[0], sc.others[0]);
		return why;
	}
	for (int t = 0; t < TYPE_MAX; t++) {
		for (int s = 0; s < SHIM_SLOTS_MAX; s++) {
			struct perf_event *bp = arch_slot[t][s];

			if (bp != (s < nr_slots[t] ? exp_reg[t][s] : NULL)) {
				snprintf(why, sizeof(why), "%s: slot %d of type %d holds bp %d, "
					 "mainline's first-fit gives bp %d", key, s, t, bp ? bp->id : -1,
					 s < nr_slots[t] && exp_reg[t][s] ? exp_reg[t][s]->id : -1);
				return why;
			}
			if (bp)
				dr7[t] |= dr7_bits(s, bp);
		}
		if (cpu_dr7[t] != dr7[t]) {
			snprintf(why, sizeof(why), "%s: cpu_dr7 %#llx, the registers' breakpoints "
				 "encode %#llx", key, cpu_dr7[t], dr7[t]);
			return why;
		}
	}
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *b = &bps[i];
		bool in_reg = b->ev.slot >= 0 && b->ev.slot < nr_slots[b->ev.type] &&
			      arch_slot[b->ev.type][b->ev.slot] == &b->ev;

		if (b->ev.slot >= 0 && !in_reg)
			return "mainline's path: a breakpoint's slot is not its register";
		if (!is_dbg(b) && b->active != in_reg) {
			snprintf(why, sizeof(why), "%s: bp %d is %s, %s a debug register", key, b->ev.id,
				 b->active ? "ACTIVE" : "not ACTIVE", in_reg ? "in" : "in no");
			return why;
		}
		if (b->ev.hw.bp_waiting || b->sim.present || b->sim.waiting)
			return "mainline's path: a breakpoint waits, or is in the model's table";
		if (!key_on() && b->present && b->cls != HW_BP_CLASS_PERF)
			return "key off with a ptrace or debugger breakpoint";
		b->was_installed = in_reg;
		b->was_waiting = false;
	}
	if (shim_trace_evict || shim_trace_restore || act_n || act_kicks || kick_pending)
		return "mainline's path: a tracepoint, a notification or a kick";
	return NULL;
}

/*
 * Adopted entries arrived in the order of their registers, and before
 * anything the scheduler took since: their places in ent[] (its order of
 * arrival) say so as long as they stay in the table.
 */
NO_COVERAGE static const char *check_adoption(void)
{
	static char why[256];

	if (!model_adopt.adopted)
		return NULL;
	for (unsigned int i = 0; i < sc.nr; i++) {
		const struct hw_bp_sched_ent *e = &sc.ent[i];
		struct model_bp *b = model_of(e->bp);
		int at = b ? adopted_at[b - bps] : -1;

		for (unsigned int j = 0; at >= 0 && j < sc.nr; j++) {
			const struct hw_bp_sched_ent *f = &sc.ent[j];
			struct model_bp *c = model_of(f->bp);
			int at2 = c ? adopted_at[c - bps] : -1;

			if (!c || f == e || (at2 >= 0 ? (at < at2) == (i < j) : i < j))
				continue;
			if (at2 >= 0)
				snprintf(why, sizeof(why), "adoption: bp %d (register %d) is entry "
					 "%u, bp %d (register %d) entry %u: the registers' order is "
					 "their order of arrival", b->ev.id, at, i, c->ev.id, at2, j);
			else
				snprintf(why, sizeof(why), "adoption: bp %d (register %d, adopted) "
					 "is entry %u, after bp %d (entry %u), which came since",
					 b->ev.id, at, i, c->ev.id, j);
			return why;
		}
	}
	return NULL;
}

/*
 * One update: the core against both models.  The reference model's
 * counters follow an update that is a single add or del; anything more
 * (requests coalesced into an update, a breakpoint planted again, the CPU
 * going down or up) goes through states it does not see, so its counters
 * are taken over (the operational model, which saw every change, checks
 * them exactly).
 */
NO_COVERAGE static const char *check_step(void)
{
	static char why[256], adopt_ret[sizeof(adopt_why)];
	static struct perf_event never;	/* a breakpoint never scheduled */
	unsigned int used[TYPE_MAX] = { 0 }, in_arch[TYPE_MAX] = { 0 };
	bool simple = sim_ops <= 1 && !sim_hotplug, in[NR_BPS] = { false };
	const char *bad;

	if (adopt_why[0]) {
		/* check_update() clears adopt_why[] for the next update. */
		memcpy(adopt_ret, adopt_why, sizeof(adopt_ret));
		return adopt_ret;
	}
	if (!sim_adopted)
		return check_mainline();
	if (shim_warned)
		return warned("a WARN or an arch slot error");
	if (started_key_off && !adopt_calls && !adopted_idle)
		return "the take-over IPI (hw_bp_sched_take_over()) did not call hw_bp_sched_adopt()";
	if (adopted_idle && adopt_calls)
		return "hw_bp_sched_adopt() called for a CPU that was not up as the key came on";
	if (!sc.adopted)
		return "sc->adopted clear after the table took over the registers";
	if (sc.seq & 1)
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
		bad = others_bad;
	if (!bad)
		bad = check_records();
	if (!bad)
		bad = check_adoption();
	if (!bad)
		bad = check_table();
	if (!bad)
		bad = check_counts();
	if (!bad)
		bad = check_desired();
	if (!bad)
		bad = check_flags();
	if (!bad)
		bad = check_notes();
	if (!bad)
		bad = check_view();
	if (bad)
		return bad;
	/* check_table() saw the deleted ones gone, each entry a known breakpoint. */
	if (hw_bp_sched_installed(&sc, &never))
		return "a breakpoint never added is installed";
	for (unsigned int j = 0; j < sc.nr; j++)
		in[model_of(sc.ent[j].bp) - bps] = true;
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *b = &bps[i];
		bool inst = in[i] && hw_bp_sched_installed(&sc, &b->ev);

		if (!in[i] && b->ev.slot >= 0)
			return "a breakpoint out of the table still holds an arch slot";
		if (inst != b->sim.installed) {
			snprintf(why, sizeof(why), "bp %d (class %d) installed=%d, model says %d",
				 b->ev.id, b->sim.cls, inst, b->sim.installed);
			return why;
		}
		if (inst != (b->ev.slot >= 0))
			return "scheduler and arch slot table disagree";
		if (in[i] && !inst && !is_dbg(b) && !model_offline && !b->ev.hw.bp_waiting) {
			snprintf(why, sizeof(why), "bp %d (class %d) in the table, out of the debug "
				 "registers, neither evicted nor the CPU offline", b->ev.id, b->cls);
			return why;
		}
		if (!simple) {
			/* taken over below */
		} else if (b == sim_newcomer && !is_dbg(b)) {
			/* Refused: a park the first time; installed: a restore if it waited. */
			if (!in[i] && !b->was_waiting)
				exp_park[b->cls]++;
			else if (inst && b->was_waiting)
				exp_restore[b->cls]++;
		} else if (b == sim_newcomer) {
			if (in[i] && !inst)
				exp_park[b->sim.cls]++;
		} else if (b->was_installed && !inst && in[i]) {
			struct hw_bp_sched_ent e = { .bp = &b->ev, .cls = b->sim.cls };

			/* Of a lower class, within the newcomer's reach (its group's too). */
			if (sim_newcomer && !may_evict(sim_newcomer, sim_newcomer->cls, &e)) {
				snprintf(why, sizeof(why), "bp %d (class %d, shield %d) evicted by bp "
					 "%d (class %d, reach %d)", b->ev.id, b->sim.cls,
					 b->ev.hw.bp_shield, sim_newcomer->ev.id, sim_newcomer->cls,
					 reach_of(sim_newcomer, sim_newcomer->cls));
				return why;
			}
			exp_evict[b->sim.cls]++;
		} else if (!b->was_installed && inst) {
			exp_restore[b->sim.cls]++;
		}
		b->was_installed = inst;
		b->was_waiting = b->ev.hw.bp_waiting;
		if (inst)
			used[b->sim.type]++;
	}
	for (int t = 0; t < TYPE_MAX; t++) {
		for (int s = 0; s < SHIM_SLOTS_MAX; s++)
			in_arch[t] += arch_slot[t][s] != NULL;
		if (used[t] != sc.used[t] || used[t] > (unsigned int)nr_slots[t] ||
		    in_arch[t] != used[t])
			return "used[] is wrong";
	}
	if (!simple) {
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

/* After each update; the next one starts afresh. */
NO_COVERAGE static const char *check_update(void)
{
	const char *bad = check_step();

	act_n = exp_n = 0;
	act_kicks = exp_kicks = 0;
	notes_any_order = false;
	sim_ops = 0;
	sim_hotplug = false;
	sim_newcomer = NULL;
	sim_bad = NULL;
	others_bad = NULL;
	adopt_why[0] = '\0';
	return bad;
}

/*
 * A lost wakeup, once perf's irq_work has nothing left to do: a group
 * perf tried with its members of now waits, though they all fit the free
 * slots (or, ptrace's, with preemption on since the CPU was empty, one of
 * perf's it may evict holds a slot of its type); or a parked breakpoint of
 * the debugger's fits a free slot.  Nobody woke them when the slots freed
 * (patch 0015: a slot freed while something waits asks perf to try the
 * waiting again, but for perf's own dels while it does).
 */
NO_COVERAGE static const char *check_wakeup(void)
{
	static char why[256];
	int free[TYPE_MAX];

	if (model_offline)
		return NULL;
	for (int t = 0; t < TYPE_MAX; t++) {
		free[t] = nr_slots[t];
		for (int s = 0; s < SHIM_SLOTS_MAX; s++)
			free[t] -= arch_slot[t][s] != NULL;
	}
	for (unsigned int i = 0; i < sc.nr; i++) {
		struct model_bp *b = model_of(sc.ent[i].bp);

		if (b && !sc.ent[i].installed && is_dbg(b) && free[sc.ent[i].type] > 0) {
			snprintf(why, sizeof(why), "lost wakeup: the debugger's bp %d parked, "
				 "a slot free", b->ev.id);
			return why;
		}
	}
	for (size_t i = 0; i < NR_PERF_BPS; i++) {
		struct model_bp *l = &bps[i], *m[MODEL_GROUP_MAX];
		int need[TYPE_MAX] = { 0 }, n, t;

		if (!is_leader(l) || l->active || !l->refused)
			continue;
		n = members(l, m);
		for (int k = 0; k < n; k++)
			need[m[k]->type]++;
		for (t = 0; t < TYPE_MAX && need[t] <= free[t]; t++)
			;
		if (t == TYPE_MAX) {
			snprintf(why, sizeof(why), "lost wakeup: group %d waits, %d breakpoint(s), "
				 "the slots free", l->ev.id, n);
			return why;
		}
		for (unsigned int j = 0; pure && l->cls == HW_BP_CLASS_PTRACE && j < sc.nr; j++) {
			if (!sc.ent[j].installed || sc.ent[j].type != l->type ||
			    !may_evict(l, l->cls, &sc.ent[j]))
				continue;
			snprintf(why, sizeof(why), "lost wakeup: ptrace's bp %d (reach %d) waits, "
				 "perf's bp %d (shield %d) holds a slot", l->ev.id, l->ev.hw.bp_reach,
				 sc.ent[j].bp->id, sc.ent[j].bp->hw.bp_shield);
			return why;
		}
	}
	return NULL;
}

/* Once perf's irq_work has nothing left to do. */
NO_COVERAGE static const char *check_quiescent(void)
{
	static char why[256];

	if (kick_pending || sc.lost || sc.resched || sc.in_sched_in)
		return "a flag for perf left set, or its irq_work queued, after it ran";
	for (size_t i = 0; i < NR_PERF_BPS; i++) {
		struct model_bp *b = &bps[i], *l = model_of(b->ev.group_leader);
		bool in = in_table(&b->ev);

		if (in && !hw_bp_sched_installed(&sc, &b->ev)) {
			snprintf(why, sizeof(why), "bp %d out of the debug registers, still in the "
				 "table after perf's irq_work", b->ev.id);
			return why;
		}
		if (!b->present)
			continue;
		if (!l || !l->present || in != in_table(&l->ev)) {
			snprintf(why, sizeof(why), "group %d split: bp %d %s the table, its leader %s",
				 l ? l->ev.id : -1, b->ev.id, in ? "in" : "not in",
				 l && in_table(&l->ev) ? "in" : "not");
			return why;
		}
		if (b == l && l->refused && !l->active && !model_offline && !sc.waiting) {
			snprintf(why, sizeof(why), "group %d waits, sc->waiting clear", l->ev.id);
			return why;
		}
	}
	for (unsigned int i = 0; i < sc.nr; i++)
		if (pure && !model_offline && !sc.ent[i].installed)
			return "a breakpoint of the debugger's parked, preemption on all along";
	return check_wakeup();
}

/*
 * The end of a step: its last update checked, then perf's irq_work, each
 * of its updates checked, then the state it leaves.  The next step starts
 * afresh.
 */
/*
 * The torture test's former ordering check (hw_breakpoint_torture.c,
 * check_cpu(), before it left the evicted out): after an update, before
 * perf's irq_work runs, a breakpoint of perf or ptrace evicted and still
 * in the table (bp->hw.bp_waiting) that arrived before an installed one
 * of its class and type.  The rules allow it: a newcomer evicts the
 * newest breakpoint it reaches (its tracer's reach against their
 * shields), which may leave a newer one it does not reach, and a group
 * goes whole, its older members with it.  Counted, never failed (the
 * exact table is checked above); sched-harness prints the counts, by
 * the model's order of arrival, not the table's.
 */
unsigned long model_evicted_first[2];	/* [1]: the evicted one's group is 2+ here */

NO_COVERAGE static void count_evicted_first(void)
{
	for (unsigned int i = 0; i < sc.nr; i++) {
		struct hw_bp_sched_ent *e = &sc.ent[i];
		struct model_bp *me = model_of(e->bp);
		bool group = false;

		if (e->installed || !e->bp->hw.bp_waiting || sc.offline)
			continue;
		for (unsigned int j = 0; j < sc.nr; j++) {
			if (j != i && sc.ent[j].bp->group_leader == e->bp->group_leader)
				group = true;
		}
		for (unsigned int j = 0; j < sc.nr; j++) {
			struct hw_bp_sched_ent *o = &sc.ent[j];

			if (o->installed && o->type == e->type && o->cls == e->cls &&
			    me->sim.gen < model_of(o->bp)->sim.gen) {
				model_evicted_first[group]++;
				break;
			}
		}
	}
}

const char *model_check(void)
{
	const char *bad;

	step_fail(check_update());
	if (!step_bad)
		count_evicted_first();
	perf_irq_work();
	if (!step_bad)
		step_fail(check_quiescent());
	bad = step_bad;
	step_bad = NULL;
	return bad;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference models and the fake architecture of the user-space
 * harness, shared by its two drivers: harness.c (seeded random sequences)
 * and fuzz.c (libFuzzer decodes its input into a sequence).  See model.c.
 *
 * The harness follows the core whose debugger says what it wants
 * (patch 0014: a desired state per breakpoint, reconciled by whoever holds
 * the CPU's write section); the scripts say so with HAVE_DBG_WANT
 * (lib.sh, sched_core_features).  A core with the older request queue
 * needs the harness of its time.
 */
#ifndef SCHED_HARNESS_MODEL_H
#define SCHED_HARNESS_MODEL_H

#ifndef HAVE_DBG_WANT
#error "core without the debugger's desired state (patch 0014): use the harness of its time"
#endif

#include "hw_breakpoint_sched.h"

/*
 * perf's and ptrace's breakpoints come first; the debugger's are objects
 * of their own, as kgdb's are (one per debug register): the core keeps a
 * record per debugger breakpoint until it is dropped, and a record must
 * never name another client's breakpoint.
 */
#define NR_PERF_BPS (2 * (HW_BP_NR_CLASSES - 1) * TYPE_MAX * SHIM_SLOTS_MAX)
#define NR_DBG_BPS HW_BP_SCHED_DBG_MAX
#define NR_BPS (NR_PERF_BPS + NR_DBG_BPS)
#define DBG_BP(n) (&bps[NR_PERF_BPS + (n) % NR_DBG_BPS])

/* The most breakpoints a perf group has here (perf's own: ptrace's are alone). */
#define MODEL_GROUP_MAX 3

struct model_bp {
	struct perf_event ev;
	/*
	 * As asked for, when asked for: perf's and ptrace's by their add and
	 * del, the debugger's as it wants them.
	 */
	int cls, type;
	bool present, was_installed, was_waiting;
	/* A debugger breakpoint's slot type is fixed until it is dropped. */
	bool dbg_typed;
	/*
	 * Perf's side of perf's and ptrace's (model.c, "perf"): whether
	 * pmu->add took it and no pmu->del came since (ACTIVE); for a group's
	 * leader (ev.group_leader), its siblings in order, the list perf keeps
	 * it on, its place there and on the active list, and whether perf
	 * tried it with these members and it waits (refused, or evicted).
	 */
	bool active;
	int nr_sib;
	struct model_bp *sib[MODEL_GROUP_MAX - 1];
	bool pinned, task, refused;
	unsigned long grp_gen, act_gen;
	/* The operational model's entry for it in the CPU's table. */
	struct {
		bool present, installed;
		bool waiting;		/* what bp->hw.bp_waiting must be */
		int cls, type, shield;
		unsigned long gen;
		unsigned int dbg_req;
	} sim;
};

extern struct model_bp bps[NR_BPS];
extern struct hw_bp_sched_cpu sc;
extern int nr_slots[TYPE_MAX];

/* Where the fake CPU is when it offers the driver an NMI. */
enum model_point {
	MODEL_ARCH,		/* arch_install/uninstall_hw_breakpoint() */
	MODEL_ARCH_SLOT,	/* arch_hw_breakpoint_slot(): in a trace, a snapshot */
	MODEL_SEQ_BEGIN,	/* right after the count turned odd */
	MODEL_SEQ_CLOSE,	/* right before it turns even (after the writer's last look) */
	MODEL_SEQ_END,		/* right after it turned even */
	MODEL_IN_SLOT,		/* arch_hw_breakpoint_slot_owner(): the adoption's walk */
};

/*
 * Set by the driver: called from inside a perf/ptrace/hotplug update or a
 * snapshot (model_snapshot(); never from the debugger's own update) at
 * each of the points above, with in_nmi() true.  It may call
 * model_dbg_add(), model_dbg_del(), model_dbg_replant() and
 * model_others_read(), as an NMI would; not model_dbg_drop() nor
 * model_snapshot().
 */
extern void (*model_nmi)(enum model_point where);
extern bool model_offline;

/*
 * Empty CPU, preemption on; the driver sets nr_slots[] first.  The
 * scheduler runs from boot there (patch 0031's key on, the table adopted:
 * nothing was installed before it).
 */
void model_reset(void);
/*
 * Patch 0031's static key, hw_bp_sched_on.  model_start_mainline(), right
 * after model_reset() (before any step): the key starts off, as in a
 * kernel where only perf ever registered breakpoints.  Until this CPU
 * takes over its registers, perf's pmu->add and pmu->del
 * (hw_bp_sched_pmu_add/del()) go straight to the fake architecture,
 * first-fit as mainline; the table stays empty and untouched, the
 * registers hold exactly what first-fit gives, and a snapshot is made from
 * them.  With the key off only perf's class may be opened (it is off only
 * while no ptrace or debugger breakpoint ever existed), and no NMI comes.
 * The CPU may go down and up (the core's callbacks do nothing: perf takes
 * its events off and puts them back); a CPU that went down with the key
 * off runs nothing until it is up again.
 *
 * model_key_on(): a ptrace or debugger breakpoint is about to be
 * registered: the key comes on, for good.  With @ipi, hw_bp_sched_take_over()
 * runs at once (the IPI hw_bp_sched_enable() sends each online CPU), an
 * update checked like any other, NMIs included; else it is pending, perf's
 * steps stay on mainline's path with the key on, and model_take_over()
 * delivers it when the driver says (nothing if none is pending, or if the
 * CPU is offline then).  hw_bp_sched_enable() returns only once every
 * online CPU took over, with the CPU hotplug lock held: the model delivers
 * a pending IPI itself before a ptrace add, a debugger step and the CPU
 * going down or up.  The take-over adopts what the registers hold
 * (hw_bp_sched_adopt(), the model's copy of hw_breakpoint.c's, over
 * arch_hw_breakpoint_slot_owner()); so does hw_bp_sched_cpu_up() of a CPU
 * that was down when the key came on.  See model.c.
 */
void model_start_mainline(void);
bool model_key_off(void);
bool model_ipi_pending(void);
const char *model_key_on(bool ipi);
const char *model_take_over(void);
/*
 * Since model_reset(): perf's adds and dels on mainline's path (those with
 * the key on, before the take-over), its snapshots of the registers;
 * take-overs by the IPI and by the CPU coming up, the breakpoints adopted.
 */
enum { MODEL_BY_IPI, MODEL_BY_UP, MODEL_BY_NR };
extern struct model_adopt_stats {
	unsigned long mainline_adds, mainline_dels, mainline_key_on, mainline_snapshots;
	unsigned long adopted, by[MODEL_BY_NR];
} model_adopt;
/* The switch hw_breakpoint.preempt, between steps. */
void model_set_preempt(bool on);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *model_trace(void);
/* Breakpoints of @cls and @type asked for (the debugger's: wanted). */
int count_class(int cls, int type);

/*
 * One perf/ptrace step on perf's objects, as perf makes it: one or more
 * pmu->add/del (hw_bp_sched_add/del), each an update checked on its own,
 * then perf's irq_work while the core kicks it (model_check()).  The
 * caller checks that registration allows it (model_registers()).  Returns
 * why a check failed, or NULL.  NMI requests made during the step are
 * counted in model_nmi_requests.
 *
 * model_add(): perf opens a group of @n breakpoints @b[] of class @cls
 * (more than one: perf's class only), the leader first, of slot types
 * @type[], on the list @how says (ptrace's: the task's, pinned; an
 * in-kernel user's: pinned, alone), and schedules it in: all or none
 * (group_sched_in()).  Its shield (patch 0016) is its origin's:
 * perf's on the task TASK, on the CPU CPU, an in-kernel user's and
 * ptrace's DEBUGGER; ptrace's reach is its tracer's: CPU if @how has
 * MODEL_PRIV (perfmon_capable()), else TASK.
 */
#define MODEL_PINNED	1	/* else flexible */
#define MODEL_TASK	2	/* the task's context, else the CPU's */
#define MODEL_KERNEL	4	/* perf's: an in-kernel user's, not perf_event_open()'s */
#define MODEL_PRIV	8	/* ptrace's: its tracer is perfmon_capable() */
const char *model_add(struct model_bp **b, int n, int cls, const int *type, unsigned int how);
/*
 * Registration (hw_breakpoint.c, __reserve_bp_slot()) of that group on
 * this CPU: whether, with what is open now, it gets its slots.  Ptrace's
 * counts what it may not evict (ptrace's, and perf's shielded beyond its
 * reach; every perf one with hw_breakpoint.preempt=0): ENOSPC if that and
 * itself exceed the slots of its type.  Perf's counts its class alone,
 * the core's own assumption (the kernel counts every breakpoint, which
 * leaves fewer states to test); the debugger takes no part.
 */
bool model_registers(int n, int cls, const int *type, unsigned int how);
/* Perf closes @b: pmu->del if ACTIVE; a leader's siblings become groups of their own. */
const char *model_del(struct model_bp *b);
/*
 * A context switch to the task again: its groups out, then in by perf's
 * priorities (the CPU's flexible ones too if the task has pinned ones).
 * Not while the CPU is offline: no task runs there.
 */
const char *model_ctx_switch(void);
extern int model_nmi_requests;
/*
 * The CPU goes offline (hw_bp_sched_cpu_down(), then perf takes its events
 * off), or comes back (hw_bp_sched_cpu_up(), then perf schedules them in).
 */
const char *model_cpu_down(void);
const char *model_cpu_up(void);
/*
 * Of perf's irq_work since model_reset(): runs, groups taken off because
 * they lost a breakpoint, tries of the waiting groups
 * (perf_pmu_sched_in_waiting()).  Once it is done, a slot left free that a
 * waiting breakpoint fits fails the step (check_wakeup() in model.c).
 */
extern struct model_perf_stats {
	unsigned long runs, lost_groups, sched_ins;
} model_perf;

/*
 * The debugger (hw_bp_sched_debugger_add/del) on its objects (DBG_BP()):
 * a step of its own when no update is in progress (then model_check()
 * after it; several requests may make one step), or from model_nmi.  The
 * caller keeps the debugger's own bound: one breakpoint per slot of a type.
 *
 * @fields picks the breakpoint's type and length (any number: x86's
 * execute, write and read/write, lengths 1-8; with split pools, those that
 * fit the pool of @type).  Asked for again while scheduled, the breakpoint
 * is rewritten in place first, as kgdb does with its events.  Between
 * hw_bp_sched_cpu_down() and hw_bp_sched_cpu_up() the CPU takes no
 * request: it is nothing (counted in model_dbg_ignored), and the
 * breakpoint is not wanted afterwards (present false once the step or
 * update is over).
 */
void model_dbg_add(struct model_bp *b, int type, unsigned int fields);
extern int model_dbg_ignored;	/* since model_reset() */
void model_dbg_del(struct model_bp *b);
/*
 * Plant one of the debugger's breakpoints again with another type and
 * length, as gdb does at every stop: removed first if @del_first, else
 * rewritten in place and asked for again (kgdb).  Its slot type stays.
 */
void model_dbg_replant(struct model_bp *b, bool del_first, unsigned int fields);
/*
 * The slot type the debugger may give @b now: @type, unless the debugger
 * asked for @b since it was last dropped (split pools; x86 has one).  The
 * debugger's contract (hw_breakpoint_debugger_install()): the core counts
 * an entry by the type it read from the record while the architecture
 * picks the pool from the breakpoint's fields, which an NMI may rewrite
 * in between.  The driver keeps it across a CPU going down too, where the
 * core would allow a new type.
 */
int model_dbg_type(struct model_bp *b, int type);
/* Called at every READ_ONCE() of the core and the model, if set (harness.c). */
extern void (*model_read_hook)(const volatile void *p);
/*
 * kgdb unregistering one of its breakpoints (hw_bp_sched_debugger_drop),
 * between steps: afterwards nothing of the CPU refers to it.
 */
const char *model_dbg_drop(struct model_bp *b);
/*
 * The debugger, which may stop this CPU anywhere, reads what perf and
 * ptrace hold here (hw_bp_sched_others(), every type), as
 * hw_breakpoint_debugger_has_room() does with hw_breakpoint.preempt=0.
 * From model_nmi each value must be the one before the update it
 * interrupted or the one after it (checked once the update is over; the
 * model also reads them at every NMI point of every update); between
 * steps, the table's.  A failure is a WARN: the step fails.
 */
void model_others_read(void);
/*
 * A reader on another CPU (debugfs) has this CPU copy its table
 * (hw_bp_sched_snapshot(), interrupts off: an IPI), between steps.  The
 * copy is made inside a write section, where model_nmi may land: a
 * request made there is carried out before the snapshot returns, and the
 * copy is still the table of before it (a breakpoint the NMI rewrote in
 * place may show its fields of before or of after).  Without requests the
 * table, the debug registers and the sequence count (but for its two
 * increments) are left exactly as they were.  A step of its own: returns
 * why a check failed, or NULL, as model_check() (which it ends with).
 * The model also takes a snapshot without NMIs after every update.
 */
const char *model_snapshot(void);
/* Since model_reset(): model_snapshot()s, and those an NMI made a request in. */
extern int model_snapshots, model_snapshots_nmi;

/*
 * The end of a step: why the scheduler disagrees with the models since the
 * last check, or NULL; then perf's irq_work (its updates checked one by
 * one) and what must hold once it has nothing left to do.
 */
const char *model_check(void);
/* States model_check() saw where an evicted breakpoint arrived first: see model.c. */
extern unsigned long model_evicted_first[2];

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference models and the fake architecture of the user-space
 * harness, shared by its two drivers: harness.c (seeded random sequences)
 * and fuzz.c (libFuzzer decodes its input into a sequence).  See model.c.
 *
 * What the core under test has is told by the scripts (lib.sh,
 * sched_core_features): HAVE_NOTIFY (hw_bp_sched_notify*), HAVE_CPU_DOWN
 * (hw_bp_sched_cpu_down/up), HAVE_SNAPSHOT (hw_bp_sched_snapshot).
 */
#ifndef SCHED_HARNESS_MODEL_H
#define SCHED_HARNESS_MODEL_H

#include "hw_breakpoint_sched.h"

#define MAX_BPS (HW_BP_NR_CLASSES * TYPE_MAX * SHIM_SLOTS_MAX)
#define NR_BPS (MAX_BPS * 2)

struct model_bp {
	struct perf_event ev;
	/* As requested: set when the add or del is asked for. */
	int cls, type;
	unsigned long arrival;
	bool present, was_installed;
	/* The operational model: the rules applied in the order requested. */
	struct {
		bool present, installed;
		int cls, type;
		unsigned long arrival;
	} sim;
};

extern struct model_bp bps[NR_BPS];
extern struct hw_bp_sched_cpu sc;
extern int nr_slots[TYPE_MAX];

/* Where the fake CPU is when it offers the driver an NMI. */
enum model_point {
	MODEL_ARCH,		/* arch_install/uninstall_hw_breakpoint() */
	MODEL_ARCH_SLOT,	/* arch_hw_breakpoint_slot(): in a trace or a publish */
	MODEL_SEQ_BEGIN,	/* right after the count turned odd */
	MODEL_SEQ_END,		/* right after it turned even */
	MODEL_LATCH,		/* right after a latch flip */
};

/*
 * Set by the driver: called from inside a perf/ptrace update (never from
 * the debugger's own) at each of the points above.  It may call
 * model_dbg_add(), model_dbg_del() and model_snapshot_read(), as an NMI
 * would.
 */
extern void (*model_nmi)(enum model_point where);
/* The breakpoint of the perf/ptrace update in progress, or NULL. */
extern struct model_bp *model_writer;
extern bool model_offline;

/* Empty CPU, preemption on; the driver sets nr_slots[] first. */
void model_reset(void);
/* The switch hw_breakpoint.preempt, between steps. */
void model_set_preempt(bool on);
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *model_trace(void);
int count_class(int cls, int type);

/*
 * One perf/ptrace step (hw_bp_sched_add/del); the caller checks that
 * registration allows it.  Returns why the step's check failed, or NULL.
 * NMI requests made during it are counted in model_nmi_requests.
 */
const char *model_add(struct model_bp *b, int cls, int type);
const char *model_del(struct model_bp *b);
extern int model_nmi_requests;
#ifdef HAVE_CPU_DOWN
/* The CPU goes offline, or comes back (hw_bp_sched_cpu_down/up). */
const char *model_cpu_down(void);
const char *model_cpu_up(void);
#endif

/*
 * The debugger (hw_bp_sched_debugger_add/del): a step of its own when no
 * update is in progress (then model_check(b or NULL, false) after it), or
 * from model_nmi.  The caller checks that registration allows it.
 */
void model_dbg_add(struct model_bp *b, int type);
void model_dbg_del(struct model_bp *b);
/*
 * No request for @b waits to be carried out.  A breakpoint with one may be
 * requested again (kgdb removes and sets the same one), but its type must
 * not change meanwhile: the architecture reads it when the request runs.
 */
bool model_settled(struct model_bp *b);
/* A reader (an NMI, another CPU) copies the published table and checks it. */
void model_snapshot_read(void);

/* Why the scheduler disagrees with the model, or NULL. */
const char *model_check(struct model_bp *newcomer, bool interrupted);

#endif

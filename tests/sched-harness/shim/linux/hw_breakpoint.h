/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/hw_breakpoint.h> and what it drags in,
 * just enough to compile kernel/events/hw_breakpoint_sched.c unchanged.
 * The fake architecture keeps a slot table per type and fails loudly if
 * the scheduler ever installs beyond it.
 */
#ifndef SHIM_LINUX_HW_BREAKPOINT_H
#define SHIM_LINUX_HW_BREAKPOINT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef signed char s8;
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;

#define EAGAIN 11
#define EBUSY 16
#ifdef SHIM_SEQ_HOOKS
/*
 * model.c: every READ_ONCE() is a point where harness.c may land an NMI
 * (model_read_hook), for a read the model's NMI points do not cover.
 */
void shim_read_hook(const volatile void *p);
#define READ_ONCE(x) ({ shim_read_hook(&(x)); *(volatile __typeof__(x) *)&(x); })
#else
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#endif
#ifdef SHIM_SEQ_HOOKS
/*
 * model.c: the stores of sc->seq are where an NMI may land: right after
 * the count turned odd, right before it turns even again (the writer has
 * looked for the debugger's requests for the last time: one made now is
 * left to its look after the count turned even) and right after it
 * turned even.  shim_write_hook() picks them out of every WRITE_ONCE().
 * Without it (the cost driver) a store is exactly the kernel's.
 */
void shim_write_hook(const volatile void *p, unsigned long v, bool before);
#define WRITE_ONCE(x, v) do {						\
	__typeof__(x) __w = (v);					\
									\
	shim_write_hook(&(x), (unsigned long)__w, true);		\
	*(volatile __typeof__(x) *)&(x) = __w;				\
	shim_write_hook(&(x), (unsigned long)__w, false);		\
} while (0)
#else
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#endif
#define min_t(t, a, b) ({ t __a = (a), __b = (b); __a < __b ? __a : __b; })
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#ifndef noinline
#define noinline __attribute__((noinline))
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#ifdef SHIM_SPLIT_TYPES		/* separate instruction and data slots */
enum bp_type_idx { TYPE_INST = 0, TYPE_DATA = 1, TYPE_MAX };
#else				/* x86: one pool shared by both */
enum bp_type_idx { TYPE_INST = 0, TYPE_DATA = 0, TYPE_MAX };
#endif

enum hw_bp_class {
	HW_BP_CLASS_PERF,
	HW_BP_CLASS_PTRACE,
	HW_BP_CLASS_DEBUGGER,
	HW_BP_NR_CLASSES,
};

/* Who besides the debugger may evict a breakpoint, and what ptrace's may. */
enum hw_bp_shield {
	HW_BP_SHIELD_TASK,
	HW_BP_SHIELD_CPU,
	HW_BP_SHIELD_DEBUGGER,
};

/* What the scheduler tells a breakpoint's owner (hw_bp_sched_notify()). */
enum {
	HW_BP_NOTIFY_EVICTED,
	HW_BP_NOTIFY_PARKED,
	HW_BP_NOTIFY_RESTORED,
	HW_BP_NOTIFY_NR,	/* shim only */
};

#ifndef SHIM_SLOTS_MAX		/* the cost driver uses x86's 4 */
#define SHIM_SLOTS_MAX 8
#endif
#define hw_breakpoint_slots(type) SHIM_SLOTS_MAX	/* table bound only */

struct perf_event {
	int id;
	int type;
	int slot;		/* fake arch: slot held, -1 if none */
	struct {
		u64 bp_addr, bp_len;
		u32 bp_type;
	} attr;			/* the published view copies it, the fake DR7 encodes it */
	/* Its group's leader, itself if alone: evicted with it. */
	struct perf_event *group_leader;
	struct {
		void *bp_notify;	/* cost driver: owners told of slot changes */
		bool bp_waiting;	/* evicted, or refused at pmu->add, since it last held a slot */
		u8 bp_class;		/* enum hw_bp_class, as hw_breakpoint_class() reads it */
		u8 bp_shield;		/* enum hw_bp_shield: who may evict it */
		u8 bp_reach;		/* ptrace's: what it may evict */
	} hw;
};

extern int shim_warned;
#define WARN_ONCE(cond, ...) ({						\
	int __c = !!(cond);						\
	if (__c) { shim_warned++; fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
	__c;								\
})
#define WARN_ON_ONCE(cond) WARN_ONCE(cond, "WARN_ON_ONCE(%s)", #cond)

/*
 * Where the core's callers must have turned interrupts off (CPU hotplug,
 * the debugger dropping a breakpoint), it says so; the model keeps a fake
 * flag, set around those calls.  The cost driver measures a kernel without
 * lockdep: no code.
 */
#ifdef SHIM_COST
#define lockdep_assert_irqs_disabled() do { } while (0)
#else
extern bool shim_irqs_disabled;
#define lockdep_assert_irqs_disabled() \
	WARN_ONCE(!shim_irqs_disabled, "lockdep: interrupts enabled")
#endif

/*
 * in_nmi(): true while the driver plays an NMI (model.c, around its
 * model_nmi callback), where the core skips the assertion above.  The cost
 * driver has no lockdep, so what it says does not matter there.
 */
#ifdef SHIM_COST
#define in_nmi() false
#else
extern bool shim_in_nmi;
#define in_nmi() READ_ONCE(shim_in_nmi)
#endif

/*
 * cmpxchg_local(): one CPU, so a plain compare-and-swap; it returns what
 * was there.  No hook inside: the kernel's is one instruction, and no NMI
 * can land in the middle of it.
 */
#define cmpxchg_local(ptr, old, new) ({					\
	__typeof__(*(ptr)) __cur = *(ptr);					\
	if (__cur == (old))							\
		*(ptr) = (new);							\
	__cur;									\
})

int arch_install_hw_breakpoint(struct perf_event *bp);
int arch_hw_breakpoint_slot(struct perf_event *bp);
void arch_uninstall_hw_breakpoint(struct perf_event *bp);
/* The harness's architecture says what each register holds, as x86 does. */
#define CONFIG_HAVE_HW_BREAKPOINT_SLOT_OWNER 1
/* What a register holds (NULL: nothing): see hw_bp_sched_adopt(). */
struct perf_event *arch_hw_breakpoint_slot_owner(int slot);

#define MAX_ERRNO 4095
#define IS_ERR(p) ((unsigned long)(p) >= (unsigned long)-MAX_ERRNO)
#define ERR_PTR(e) ((void *)(long)(e))
#define EINVAL 22

static inline enum hw_bp_class hw_breakpoint_class(struct perf_event *bp)
{
	return (enum hw_bp_class)bp->hw.bp_class;
}

#endif

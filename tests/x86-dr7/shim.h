/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the functions copied out of arch/x86/kernel/hw_breakpoint.c and
 * arch/x86/include/asm/debugreg.h (extract.py) need to compile unchanged in
 * user space: one CPU, per-CPU variables as plain globals, the debug
 * registers as an emulated register file (dr7.c), in_nmi() as a depth.
 */
#ifndef X86_DR7_SHIM_H
#define X86_DR7_SHIM_H
#include <stdbool.h>
#include <stdint.h>
#include "uapi-debugreg.h"	/* the tree's uapi/asm/debugreg.h, copied at extraction */

typedef uint8_t u8;
#define EBUSY	16
#define HBP_NUM	4
#define BIT(n)	(1UL << (n))

/* asm/hw_breakpoint.h */
struct arch_hw_breakpoint {
	unsigned long address;
	unsigned long mask;
	u8 len;
	u8 type;
};
#define X86_BREAKPOINT_LEN_X	0x40
#define X86_BREAKPOINT_LEN_1	0x40
#define X86_BREAKPOINT_LEN_2	0x44
#define X86_BREAKPOINT_LEN_4	0x4c
#define X86_BREAKPOINT_LEN_8	0x48
#define X86_BREAKPOINT_EXECUTE	0x80
#define X86_BREAKPOINT_WRITE	0x81
#define X86_BREAKPOINT_RW	0x83

struct perf_event {
	struct { struct arch_hw_breakpoint info; } hw;
};
#define counter_arch_bp(bp)	(&(bp)->hw.info)

/*
 * One CPU.  "unused": a per-CPU variable only uncopied code uses is no
 * error.  DECLARE is a (tentative) definition too: the kernel may define a
 * variable the header names in a file we do not copy.
 */
#define DEFINE_PER_CPU(type, name)	__attribute__((unused)) type name
#define DECLARE_PER_CPU(type, name)	__attribute__((unused)) type name
#define this_cpu_ptr(p)			(p)
#define this_cpu_read(v)		(v)
#define this_cpu_write(v, x)		((v) = (x))
#define __this_cpu_read(v)		(v)
#define __this_cpu_write(v, x)		((v) = (x))
#define __this_cpu_or(v, x)		((v) |= (x))
#define __this_cpu_and(v, x)		((v) &= (x))
#define this_cpu_or(v, x)		((v) |= (x))
#define this_cpu_inc(v)			((v)++)
#define this_cpu_dec(v)			((v)--)
/* One instruction in the kernel: no NMI lands inside it here either. */
#define this_cpu_cmpxchg(v, o, n)	({ __typeof__(v) __old = (v);		\
					   if (__old == (o)) (v) = (n);		\
					   __old; })

#ifndef __always_inline			/* glibc has one */
#define __always_inline			inline __attribute__((always_inline))
#endif
#define barrier()			__asm__ __volatile__("" ::: "memory")
#define lockdep_assert_irqs_disabled()	do { } while (0)

extern int shim_nmi_depth;		/* > 0 inside the NMI handler */
#define in_nmi()			(shim_nmi_depth > 0)
extern bool shim_hypervisor;		/* X86_FEATURE_HYPERVISOR, run both ways */
#define X86_FEATURE_HYPERVISOR		shim_hypervisor
#define static_cpu_has(f)		(f)

void shim_warn(const char *msg);	/* a WARN is a test failure */
#define WARN_ONCE(cond, msg)		({ bool __c = !!(cond); if (__c) shim_warn(msg); __c; })

/* The register file; every write is a point where an NMI may arrive. */
unsigned long shim_get_dr(int reg);
void shim_set_dr(int reg, unsigned long val);
void set_dr_addr_mask(unsigned long mask, int dr);
/* 6.12 (and 6.1.y since the DR7 fix backport) spells DR7's reserved bit
 * 10 and names the AMD mask helper; the extracted code may use either. */
#ifndef DR7_FIXED_1
#define DR7_FIXED_1			0x00000400
#endif
void amd_set_dr_addr_mask(unsigned long mask, unsigned int dr);
#define get_debugreg(var, reg)		((var) = shim_get_dr(reg))
#define set_debugreg(val, reg)		shim_set_dr(reg, val)

/* The torture test's hook: the driver sends an NMI there (not when costing). */
#ifdef X86_DR7_COST
static inline void dr7_window(void) { }
#else
void dr7_window(void);
#endif
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for the tracepoints: the harness counts them. */
#ifndef SHIM_TRACE_EVENTS_HW_BREAKPOINT_H
#define SHIM_TRACE_EVENTS_HW_BREAKPOINT_H

#ifdef SHIM_COST
/* The cost driver measures the kernel's case: tracepoints disabled. */
static inline void trace_hw_bp_evict(struct perf_event *bp, int slot, int cls, int by_cls) { }
static inline void trace_hw_bp_restore(struct perf_event *bp, int slot, int cls) { }
#else
extern unsigned long shim_trace_evict, shim_trace_restore;

static inline void trace_hw_bp_evict(struct perf_event *bp, int slot, int cls, int by_cls)
{
	if (slot < 0 || cls >= by_cls)
		shim_warned++;		/* evicted from no slot, or by an equal */
	shim_trace_evict++;
}

static inline void trace_hw_bp_restore(struct perf_event *bp, int slot, int cls)
{
	if (slot < 0)
		shim_warned++;
	shim_trace_restore++;
}
#endif

#endif

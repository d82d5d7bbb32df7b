// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer driver of the user-space harness (the models: model.c).  The
 * input is decoded into a sequence of steps on one CPU, each checked like
 * harness.c's; a mismatch prints the reason and the trace and aborts.
 *
 * Byte 0: slots per type, 1-4 (bits 0-1: instruction; bits 2-3: data,
 * also x86's single pool); bit 4 starts with hw_breakpoint.preempt=0.  Then
 * one step per byte o, arg = o >> 3:
 *   o & 7 = 0, 1  perf (arg bit 0 = 0) or ptrace add, type arg bit 1; perf's
 *                 pinned if o bit 0, on the task if arg bit 2, and with arg
 *                 bit 4 a group, shaped by the next byte g: 2 + (g & 1)
 *                 breakpoints, the kth (k >= 1) of type g bit k; with arg
 *                 bit 3 an in-kernel user's instead (pinned, alone, on the
 *                 task if arg bit 2: o bit 0 and arg bit 4 ignored, no
 *                 byte g); ptrace's of a privileged tracer if arg bit 3
 *           2     del of the (arg)th present perf/ptrace breakpoint
 *           3     arg bit 0 clear: a context switch (the task out and in
 *                 again); set: a reader on another CPU has this one copy
 *                 its table (hw_bp_sched_snapshot(), an IPI; armed NMIs
 *                 land in its write section: points at its start, at each
 *                 installed entry's slot, at its end)
 *           4     the debugger with the CPU stopped, its table consistent:
 *                 dbg(x) of the next byte x (below)
 *           5     arm an NMI for the next step's updates (perf's irq_work
 *                 after a debugger step's included): it fires at the
 *                 step's (arg)th NMI point and does dbg(a) of the next
 *                 byte a, where a & 3 = 3 (a drop in dbg()) is the
 *                 debugger reading what perf and ptrace hold
 *                 (hw_bp_sched_others(), every type: the value before the
 *                 update it interrupted, or after it)
 *           6     hw_breakpoint.preempt = arg bit 0; with arg bit 2, also
 *                 patch 0031's static key (below)
 *           7     the CPU goes offline, or comes back (in between, the
 *                 debugger's requests are nothing: the CPU takes none)
 * dbg(x), by x & 3:
 *   0  add one of the debugger's breakpoints it does not want yet (the
 *      first from the (x >> 5)th on): slot type x bit 2, type and length
 *      x >> 3
 *   1  del the (x >> 2)th it wants
 *   2  plant the ((x >> 3) & 3)th it wants again, type and length x >> 5:
 *      removed first if x bit 2, else rewritten in place and asked for
 *   3  drop its (x >> 2)th breakpoint (kgdb unregistering it)
 * The static key hw_bp_sched_on, by a step 6 with arg bit 2 (o & 0x27 =
 * 0x26; 0x2e keeps preempt=1):
 *   as the first step (data[1])  the input starts with the key off:
 *      mainline's path (model.h, model_start_mainline())
 *   key off  it comes on (the first ptrace or debugger breakpoint is
 *      about to exist); its take-over IPI at once if arg bit 3 (0x6e),
 *      else pending (0x2e): perf's steps stay on mainline's path, the
 *      key on, until it arrives
 *   key on, its IPI pending  the IPI arrives (nothing if the CPU is down)
 *   key on, none pending  nothing
 * With the key off, a ptrace add or a debugger step (4) turns it on
 * first, with its IPI at once, as register_ptrace_hw_breakpoint() and
 * register_debugger_hw_breakpoint() do; an armed NMI fires in the IPI's
 * update then.  A pending IPI arrives before a ptrace add, a debugger
 * step or the CPU going down or up (hw_bp_sched_enable() waits for it,
 * the CPU hotplug lock held); a debugger step picks its breakpoint only
 * after it, as an NMI in the take-over may have added or removed one.  Before the take-over only perf's class
 * exists and no NMI fires: none of its steps is an update of the
 * scheduler, and in the take-over's own update the NMI points before the
 * end of its walk offer no NMI (no debugger exists yet): an armed NMI's
 * number counts the others.  The inputs before patch 0031 all start with
 * the key on (none has a step 6 at data[1]), where a step 6 with arg bit
 * 2 only sets preempt as before: they decode as they did.  With split
 * pools the take-over reads the instruction pool's registers, then the
 * data pool's.
 *
 * Registration (model_registers()) and the debugger's bound (one
 * breakpoint per slot) are kept: a step that would break one is skipped.
 * The NMI points of an update: each arch call (install, uninstall, the
 * slot asked for a trace or a copy, each register read by the take-over),
 * and the sequence count just turned odd, about to turn even, just turned
 * even (model.h, enum model_point).
 *
 * Built with -DFUZZ_REPLAY (gcc, no libFuzzer) it is a replayer instead:
 * fuzz-replay FILE... runs each input and exits 1 on the first mismatch;
 * with FUZZ_TRACE set in the environment it prints each input's trace.
 */
#include <stdint.h>
#include <string.h>

#include "model.h"

#define MAX_ARMED 16

static struct {
	unsigned int at;
	uint8_t action;
} armed[MAX_ARMED];
static int nr_armed;
static unsigned int nmi_points;	/* NMI points seen in this update */

/* A perf/ptrace breakpoint object to add: any not present, from @from on. */
static struct model_bp *free_bp(struct model_bp *from)
{
	for (size_t i = from ? from - bps + 1 : 0; i < NR_PERF_BPS; i++)
		if (!bps[i].present)
			return &bps[i];
	return NULL;
}

/* The (n mod count)th present breakpoint of the debugger, or of the others. */
static struct model_bp *nth_present(unsigned int n, bool debugger)
{
	unsigned int count = 0;

	for (size_t i = 0; i < NR_BPS; i++)
		count += bps[i].present && (bps[i].cls == HW_BP_CLASS_DEBUGGER) == debugger;
	if (!count)
		return NULL;
	n %= count;
	for (size_t i = 0; i < NR_BPS; i++)
		if (bps[i].present && (bps[i].cls == HW_BP_CLASS_DEBUGGER) == debugger && !n--)
			return &bps[i];
	return NULL;
}

/* dbg(x) above; false if it did nothing. */
static bool debugger_step(unsigned int x)
{
	struct model_bp *b;

	switch (x & 3) {
	case 0:
		for (int i = 0; i < NR_DBG_BPS; i++) {
			int type;

			b = DBG_BP((x >> 5) + i);
			type = model_dbg_type(b, (x >> 2) & 1 ? TYPE_DATA : TYPE_INST);
			if (b->present || count_class(HW_BP_CLASS_DEBUGGER, type) >= nr_slots[type])
				continue;
			model_dbg_add(b, type, x >> 3);
			return true;
		}
		return false;
	case 1:
		b = nth_present(x >> 2, true);
		if (b)
			model_dbg_del(b);
		return b != NULL;
	case 2:
		b = nth_present((x >> 3) & 3, true);
		if (b)
			model_dbg_replant(b, (x >> 2) & 1, x >> 5);
		return b != NULL;
	}
	/* 3: a drop, between steps only (the caller's); from an NMI, a read. */
	model_others_read();
	return false;
}

static void fuzz_nmi(enum model_point where)
{
	unsigned int point = nmi_points++;

	for (int i = 0; i < nr_armed; i++)
		if (armed[i].at == point)
			debugger_step(armed[i].action);
}

static void failed(size_t step, const char *why)
{
	fprintf(stderr, "MISMATCH at step %zu: %s\ntrace: %s\n", step, why, model_trace());
#ifdef FUZZ_REPLAY
	exit(1);
#else
	abort();
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	nr_slots[TYPE_INST] = 1 + (data[0] & 3);
	nr_slots[TYPE_DATA] = 1 + ((data[0] >> 2) & 3);
	model_reset();
	model_nmi = fuzz_nmi;
	nr_armed = 0;
	if (data[0] & 0x10)
		model_set_preempt(false);

	for (size_t i = 1; i < size; i++) {
		unsigned int o = data[i], arg = o >> 3;
		const char *why = NULL;
		struct model_bp *b;
		bool update = false;

		nmi_points = 0;
		note("[%zu] ", i);
		switch (o & 7) {
		case 0:
		case 1: {
			int cls = arg & 1 ? HW_BP_CLASS_PTRACE : HW_BP_CLASS_PERF;
			unsigned int g = 0, n = 1, k;
			unsigned int how = (o & 1 ? MODEL_PINNED : 0) | (arg & 4 ? MODEL_TASK : 0);
			int type[MODEL_GROUP_MAX];
			struct model_bp *m[MODEL_GROUP_MAX];

			if (arg & 8) {
				how = cls == HW_BP_CLASS_PTRACE ? MODEL_PRIV :
				      MODEL_KERNEL | (how & MODEL_TASK);
			} else if (cls == HW_BP_CLASS_PERF && (arg & 0x10)) {
				if (++i == size)
					break;
				g = data[i];
				n = 2 + (g & 1);
			}
			for (k = 0; k < n; k++) {
				type[k] = (k ? g >> k : arg >> 1) % TYPE_MAX;
				m[k] = free_bp(k ? m[k - 1] : NULL);
				if (!m[k])
					break;
			}
			if (k < n)
				break;
			/* register_ptrace_hw_breakpoint(): the key first, then registration. */
			if (cls == HW_BP_CLASS_PTRACE && model_key_off()) {
				update = true;
				why = model_key_on(true);
				if (why)
					break;
			}
			if (!model_registers(n, cls, type, how))
				break;
			update = true;
			why = model_add(m, n, cls, type, how);
			break;
		}
		case 2:
			b = nth_present(arg, false);
			if (!b)
				break;
			update = true;
			why = model_del(b);
			break;
		case 3:
			if (arg & 1) {
				update = true;
				why = model_snapshot();
				break;
			}
			if (model_offline)
				break;
			update = true;
			why = model_ctx_switch();
			break;
		case 4:
			if (++i == size)
				break;
			/* The debugger registered its breakpoints: the key is on. */
			if (model_key_off() || model_ipi_pending()) {
				update = true;
				why = model_key_off() ? model_key_on(true) : model_take_over();
				if (why)
					break;
			}
			if ((data[i] & 3) == 3)
				why = model_dbg_drop(DBG_BP(data[i] >> 2));
			else if (debugger_step(data[i]))
				why = model_check();
			break;
		case 5:
			if (i + 1 < size && nr_armed < MAX_ARMED)
				armed[nr_armed++] = (typeof(armed[0])) { arg, data[i + 1] };
			i++;
			break;
		case 6:
			model_set_preempt(arg & 1);
			if (!(arg & 4))
				break;
			if (i == 1) {
				model_start_mainline();
			} else if (model_key_off()) {
				update = arg & 8;
				why = model_key_on(arg & 8);
			} else if (model_ipi_pending()) {
				update = true;
				why = model_take_over();
			}
			break;
		case 7:
			update = true;
			why = model_offline ? model_cpu_up() : model_cpu_down();
			break;
		}
		/* What did not fire in the step's updates is gone. */
		if (update || nmi_points)
			nr_armed = 0;
		if (why)
			failed(i, why);
	}
	return 0;
}

#ifdef FUZZ_REPLAY
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		fprintf(stderr, "replay %s (%zu bytes)\n", argv[i], n);
		LLVMFuzzerTestOneInput(buf, n);
		if (getenv("FUZZ_TRACE"))
			fprintf(stderr, "trace: %s\n", model_trace());
	}
	return 0;
}
#endif

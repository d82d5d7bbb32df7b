// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer driver of the user-space harness (the models: model.c).  The
 * input is decoded into a sequence of steps on one CPU, each checked like
 * harness.c's; a mismatch prints the reason and the trace and aborts.
 *
 * Byte 0: slots per type, 1-4 (bits 0-1: instruction; bits 2-3: data,
 * also x86's single pool); bit 4 starts with hw_breakpoint.preempt=0.  Then
 * one step per byte o, arg = o >> 3:
 *   o & 7 = 0, 1  perf (arg bit 0 = 0) or ptrace add, type arg bit 1
 *           2, 3  del of the (arg)th present perf/ptrace breakpoint
 *           4     debugger, CPU stopped: arg bit 0 = 0 add of type arg
 *                 bit 1, else del of the (arg >> 1)th debugger breakpoint
 *           5     arm an NMI for the next perf/ptrace/hotplug update: it
 *                 fires at that update's (arg)th NMI point and does what
 *                 the next byte a says: a & 3 = 0, 3 debugger add of type
 *                 a bit 2; 1 debugger del of the (a >> 2)th; 2 snapshot read
 *           6     hw_breakpoint.preempt = arg bit 0
 *           7     the CPU goes offline, or comes back (if the core can)
 * Registration bounds are kept (a step that would break one is skipped),
 * and an update gets at most HW_BP_SCHED_DBG_OPS NMI requests, the queue's
 * design bound.
 *
 * Built with -DFUZZ_REPLAY (gcc, no libFuzzer) it is a replayer instead:
 * fuzz-replay FILE... runs each input and exits 1 on the first mismatch.
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
static int requests;		/* debugger requests from NMI in this update */

/*
 * A breakpoint object to add as @type: not present, not the update's own,
 * and of the same type if a request for it is still queued.
 */
static struct model_bp *free_bp(int type)
{
	for (size_t i = 0; i < NR_BPS; i++) {
		struct model_bp *b = &bps[i];

		if (!b->present && b != model_writer && (b->type == type || model_settled(b)))
			return b;
	}
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

/* Returns the breakpoint added, if any (for the park count). */
static struct model_bp *debugger_step(unsigned int add, unsigned int arg)
{
	struct model_bp *b;

	if (add) {
		int type = arg % TYPE_MAX;

		if (count_class(HW_BP_CLASS_DEBUGGER, type) >= nr_slots[type] || !(b = free_bp(type)))
			return NULL;
		model_dbg_add(b, type);
		return b;
	}
	b = nth_present(arg, true);
	if (b)
		model_dbg_del(b);
	return NULL;
}

static void fuzz_nmi(enum model_point where)
{
	unsigned int point = nmi_points++;

	for (int i = 0; i < nr_armed; i++) {
		uint8_t a = armed[i].action;

		if (armed[i].at != point)
			continue;
		if ((a & 3) == 2) {
			model_snapshot_read();
			continue;
		}
		if (requests >= HW_BP_SCHED_DBG_OPS)
			continue;
		requests++;
		debugger_step((a & 3) != 1, a >> 2);
	}
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
		requests = 0;
		switch (o & 7) {
		case 0:
		case 1: {
			int cls = arg & 1 ? HW_BP_CLASS_PTRACE : HW_BP_CLASS_PERF;
			int type = (arg >> 1) % TYPE_MAX;

			if (count_class(cls, type) >= nr_slots[type] || !(b = free_bp(type)))
				break;
			update = true;
			why = model_add(b, cls, type);
			break;
		}
		case 2:
		case 3:
			b = nth_present(arg, false);
			if (!b)
				break;
			update = true;
			why = model_del(b);
			break;
		case 4:
			b = debugger_step(!(arg & 1), arg >> 1);
			why = model_check(b, false);
			break;
		case 5:
			if (i + 1 < size && nr_armed < MAX_ARMED)
				armed[nr_armed++] = (typeof(armed[0])) { arg, data[i + 1] };
			i++;
			break;
		case 6:
			model_set_preempt(arg & 1);
			break;
		case 7:
#ifdef HAVE_CPU_DOWN
			update = true;
			why = model_offline ? model_cpu_up() : model_cpu_down();
#endif
			break;
		}
		if (update)
			nr_armed = 0;	/* what did not fire is gone */
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
	}
	return 0;
}
#endif

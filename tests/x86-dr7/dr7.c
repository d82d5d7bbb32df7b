// SPDX-License-Identifier: GPL-2.0
/*
 * DR7 consistency of the real x86 debug-register code, with NMIs injected at
 * the debug-register writes.  arch_install/uninstall_hw_breakpoint(),
 * encode_dr7(), local_db_save/restore() and their helpers are copied
 * verbatim out of the tree under test by extract.py (x86-dr7-extracted.c);
 * shim.h and the register file below stand in for the rest of the kernel.
 *
 *   x86-dr7 nmi-during-uninstall | uninstall-after-type-change | nested-handlers |
 *           nmi-at-handler-exit | reuse-other-type | replant-exec
 *   x86-dr7 random HYPERVISOR SEEDS OPS
 *   x86-dr7 switch-writes   (debug-register writes of a context switch)
 *   x86-dr7-cost cost N     (N installs and uninstalls of the fourth slot,
 *                            for callgrind: no NMI, no trace; built with
 *                            -DX86_DR7_COST: no checks, no NMI hook)
 *   x86-dr7-cost switch-cost B SAME N
 *                           (N context switches of B breakpoints out and B
 *                            in, each half in perf's bracket, for callgrind:
 *                            --toggle-collect=cost_switch)
 *
 * Prints "# " detail lines, then one line of diagnostic; exit 0 pass, 1 fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"
#include "x86-dr7-extracted.c"

int shim_nmi_depth;
bool shim_hypervisor;

static unsigned long dr[8];		/* DR0-3, DR6, DR7 (4 and 5 unused) */
static unsigned long dr_mask[HBP_NUM];	/* AMD address masks */

/* The test's breakpoints, and the settings each was installed with. */
#define NR_BPS 8
static struct perf_event bps[NR_BPS];
static struct { bool on; struct arch_hw_breakpoint as; } rec[NR_BPS];

static const char *writer;	/* "install"/"uninstall" while one runs */
static bool in_bracket;		/* between perf_pmu_disable() and _enable() */
static bool nmi_running;	/* NMIs do not nest */
static bool cost_run;		/* cost: the register file only, nothing else */
static int nmi_odds;		/* an NMI after 1 in nmi_odds writes (0: none) */
static bool nmi_at_uninstall_dr7;	/* case (a): one NMI, there */
static bool debugger;		/* the NMI handler may change breakpoints */
static int installs, uninstalls, nmis, dbg_ops, reuses, replants, guests;
/* What the last install into each slot wrote: address and DR7 field. */
static unsigned long slot_addr[HBP_NUM], slot_field[HBP_NUM];
static int dr_writes[8], mask_writes;	/* by register; set_dr_addr_mask() */

static char failure[256];
static char trace[12][128];	/* the last operations, for the report */
static unsigned int ntrace;
static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rng >> 33) % n;
}

#define note(...)	snprintf(trace[ntrace++ % 12], sizeof(trace[0]), __VA_ARGS__)
/* The first failure explains the rest. */
#define fail(...)	(void)(failure[0] || snprintf(failure, sizeof(failure), __VA_ARGS__))

void shim_warn(const char *msg)
{
	fail("WARN: %s", msg);
}

static void toggle(const char *who);

static bool dbg_acting;
static unsigned int dbg_in, dbg_out;
static void dbg_check(const char *who)
{
	unsigned long dr7 = dr[7] & ~0x400UL;

	for (int i = 0; i < HBP_NUM; i++) {
		bool on = dr7 & (3UL << (i * DR_ENABLE_SIZE));

		if ((dbg_in & (1u << i)) && bp_per_reg[i] && !on)
			fail("%s: the debugger installed into slot %d, DR7 %#lx does not arm it", who, i, dr7);
		if ((dbg_out & (1u << i)) && !(dbg_in & (1u << i)) && on)
			fail("%s: the debugger took slot %d out, DR7 %#lx still arms it", who, i, dr7);
	}
	dbg_in = dbg_out = 0;
}


/*
 * The scheduler carries out the debugger's requests (reconcile()) with
 * the bracket's deferral stopped: the tree's hooks, where it has them.
 */
static bool batch_stop(void)
{
#ifdef EXTRACTED_arch_hw_breakpoint_batch_stop
	return arch_hw_breakpoint_batch_stop();
#else
	return false;
#endif
}

static void batch_resume(bool open)
{
#ifdef EXTRACTED_arch_hw_breakpoint_batch_resume
	arch_hw_breakpoint_batch_resume(open);
#else
	(void)open;
#endif
}

static void after_write(const char *what);

#ifndef X86_DR7_COST
/* Between DR7 and cpu_dr7 (the torture test's hook): an NMI may come. */
void dr7_window(void)
{
	after_write("half of DR7/cpu_dr7");
}
#endif

/* What exc_nmi() does around its handler. */
static void nmi(const char *where)
{
	unsigned long saved;

	unsigned int o_in = dbg_in, o_out = dbg_out;

	dbg_in = dbg_out = 0;
	nmi_running = true;
	nmis++;
	saved = local_db_save();
	if (dr[7] & DR_GLOBAL_ENABLE_MASK)
		fail("an NMI handler runs with DR7 %#lx armed (cpu_dr7 %#lx)", dr[7], cpu_dr7);
	shim_nmi_depth++;
	/*
	 * The scheduler never lets the debugger change registers while this
	 * CPU's own writer is mid-update (it queues the request); then the
	 * handler does nothing.
	 */
	if (debugger && !writer && rnd(3)) {
		bool open = batch_stop();	/* reconcile(), from NMI */

		/* Its request may also leave the registers as they are. */
		dbg_acting = true;
		if (rnd(2))
			toggle("  NMI handler, debugger");
		dbg_acting = false;
		batch_resume(open);
		dbg_ops++;
	}
	shim_nmi_depth--;
	local_db_restore(saved);
	if (dbg_in | dbg_out)
		dbg_check("after the NMI");
	dbg_in = o_in;
	dbg_out = o_out;
	note("  NMI %s: DR7 %#lx on entry, %#lx on exit; cpu_dr7 %#lx",
	     where, saved, dr[7], cpu_dr7);
	nmi_running = false;
}

/* A write by this CPU's writer, inside install/uninstall: an NMI may follow. */
static void after_write(const char *what)
{
	char where[64];

	if (nmi_running || !writer)
		return;
	snprintf(where, sizeof(where), "after %s wrote %s", writer, what);
	if (nmi_at_uninstall_dr7 && !strcmp(where, "after uninstall wrote DR7")) {
		nmi_at_uninstall_dr7 = false;
		nmi(where);
	} else if (nmi_odds && !rnd(nmi_odds)) {
		nmi(where);
	}
}

unsigned long shim_get_dr(int reg)
{
	return reg == 7 ? dr[7] | 0x400 : dr[reg];	/* DR7 bit 10 reads as 1 */
}

static int nmi_at_handler_dr7 = -1;	/* case (d): bp that an NMI's debugger installs */
static void nmi_installs(int b);

void shim_set_dr(int reg, unsigned long val)
{
	static const char *const name[] = { "DR0", "DR1", "DR2", "DR3", "", "", "DR6", "DR7" };

	/* Case (d): the NMI lands just before the handler's write of DR7. */
	if (reg == 7 && nmi_at_handler_dr7 >= 0 && !writer && !nmi_running) {
		int b = nmi_at_handler_dr7;

		nmi_at_handler_dr7 = -1;
		nmi_installs(b);
	}
#ifndef X86_DR7_COST
	/* An address changed under an armed slot: two breakpoints' halves in it. */
	if (reg < 4 && val != dr[reg] && (dr[7] & (3UL << (reg * DR_ENABLE_SIZE))))
		fail("DR%d rewritten %#lx -> %#lx while DR7 %#lx arms its slot", reg, dr[reg], val, dr[7]);
#endif
	dr[reg] = val;
	if (cost_run)
		return;
	dr_writes[reg]++;
	after_write(name[reg]);
}

void set_dr_addr_mask(unsigned long mask, int i)
{
	dr_mask[i] = mask;
	if (cost_run)
		return;
	mask_writes++;
	after_write("the mask");
}

/* 6.12's name for it. */
void amd_set_dr_addr_mask(unsigned long mask, unsigned int dr)
{
	set_dr_addr_mask(mask, (int)dr);
}

static int slot_of(struct perf_event *bp)
{
	for (int i = 0; i < HBP_NUM; i++)
		if (bp_per_reg[i] == bp)
			return i;
	return -1;
}

static void install(int b, const char *who)
{
	struct arch_hw_breakpoint *in = counter_arch_bp(&bps[b]);
	const char *outer = writer;	/* the debugger may install from NMI */

	note("%s: install bp%d addr %#lx len %#x type %#x mask %#lx",
	     who, b, in->address, in->len, in->type, in->mask);
	int before = dr_writes[0] + dr_writes[1] + dr_writes[2] + dr_writes[3] + dr_writes[7];

	writer = "install";
	if (!arch_install_hw_breakpoint(&bps[b])) {
		int i = slot_of(&bps[b]);

		rec[b].on = true;
		rec[b].as = *in;
		installs++;
		/* Put back into its stale slot without a write: the reuse path. */
		if (in_bracket && before == dr_writes[0] + dr_writes[1] + dr_writes[2] +
					  dr_writes[3] + dr_writes[7])
			reuses++;
		if (i >= 0 && dbg_acting)
			dbg_in |= 1u << i;
		if (i >= 0) {
			slot_addr[i] = in->address;
			slot_field[i] = encode_dr7(i, in->len, in->type) &
					((3UL << (i * DR_ENABLE_SIZE)) |
					 (0xfUL << (DR_CONTROL_SHIFT + i * DR_CONTROL_SIZE)));
		}
	}
	writer = outer;
}

static void uninstall(int b, const char *who)
{
	const char *outer = writer;

	note("%s: uninstall bp%d", who, b);
	if (dbg_acting && slot_of(&bps[b]) >= 0)
		dbg_out |= 1u << slot_of(&bps[b]);
	writer = "uninstall";
	arch_uninstall_hw_breakpoint(&bps[b]);
	rec[b].on = false;
	uninstalls++;
	writer = outer;
}

static void set_bp(int b, unsigned long addr, u8 len, u8 type)
{
	*counter_arch_bp(&bps[b]) = (struct arch_hw_breakpoint){ addr, 0, len, type };
}

/* Install or uninstall a random breakpoint (perf, ptrace or the debugger). */
static void toggle(const char *who)
{
	static const u8 lens[] = { X86_BREAKPOINT_LEN_1, X86_BREAKPOINT_LEN_2,
				   X86_BREAKPOINT_LEN_4, X86_BREAKPOINT_LEN_8 };
	static const u8 types[] = { X86_BREAKPOINT_EXECUTE, X86_BREAKPOINT_WRITE,
				    X86_BREAKPOINT_RW };
	int b = rnd(NR_BPS);
	u8 type = types[rnd(3)];

	if (rec[b].on) {
		uninstall(b, who);
		return;
	}
	if (slot_of(NULL) < 0)
		return;
	/*
	 * As arch_build_bp_info() allows: execute breakpoints have length 1.
	 * Four addresses, so that a breakpoint often goes back into a stale
	 * slot with the values it holds, or with another type or length.
	 */
	set_bp(b, 0xffffffff81000000UL + rnd(4) * 8,
	       type == X86_BREAKPOINT_EXECUTE ? X86_BREAKPOINT_LEN_X : lens[rnd(4)], type);
	counter_arch_bp(&bps[b])->mask = rnd(8) ? 0 : 0xff;
	install(b, who);
}

/*
 * perf's bracket around a half of a context switch (perf_pmu_disable() to
 * perf_pmu_enable() of the breakpoint PMU): the tree's hooks, where it has
 * them.  The close runs inside the scheduler's update, as
 * hw_bp_sched_pmu_enable() runs it: no debugger from NMI there (the
 * model assumes the scheduler's update section, which tests/model checks).
 */

/* The tree's bracket hooks, or nothing (mainline's, 6.1's queue). */
static inline void pmu_disable_hook(void)
{
#ifdef EXTRACTED_arch_hw_breakpoint_pmu_enable
	arch_hw_breakpoint_pmu_disable();
#endif
}

static inline void pmu_enable_hook(void)
{
#ifdef EXTRACTED_arch_hw_breakpoint_pmu_enable
	arch_hw_breakpoint_pmu_enable();
#endif
}

static void bracket_open(void)
{
	note("bracket opens");
	pmu_disable_hook();
	in_bracket = true;
}

static void bracket_close(void)
{
	const char *outer = writer;

	note("bracket closes");
	writer = "pmu_enable";
	pmu_enable_hook();
	writer = outer;
	in_bracket = false;
}

/*
 * Inside a bracket, between updates: DR7 may still enable slots whose
 * breakpoint left, but never one cpu_dr7 does not (an NMI in a VM saves
 * DR7 only if cpu_dr7 says a slot is on), and a slot enabled in DR7 with
 * an owner is that owner's: address, type and length.
 */
static void check_bracket(void)
{
	unsigned long dr7 = dr[7] & ~0x400UL;

	if (dr7 & ~cpu_dr7 & DR_GLOBAL_ENABLE_MASK)
		fail("in a bracket: DR7 %#lx enables a slot cpu_dr7 %#lx does not", dr7, cpu_dr7);
	for (int i = 0; i < HBP_NUM; i++) {
		int b = bp_per_reg[i] ? bp_per_reg[i] - bps : -1;
		/* The slot's enable bits and its type and length (not dr7_slot_bits(): mainline's lacks it). */
		unsigned long field = (3UL << (i * DR_ENABLE_SIZE)) |
				      (0xfUL << (DR_CONTROL_SHIFT + i * DR_CONTROL_SIZE));

		if (!(dr7 & (3UL << (i * DR_ENABLE_SIZE))))
			continue;
		/* Armed without an owner: a stale data slot, as last installed. */
		if (b < 0 && !((dr7 >> (DR_CONTROL_SHIFT + i * DR_CONTROL_SIZE)) & 3))
			fail("in a bracket: slot %d armed with an instruction breakpoint and no owner (DR7 %#lx)",
			     i, dr7);
#ifdef EXTRACTED_arch_hw_breakpoint_pmu_enable
		if (b < 0 && !(dr7_stale & field))
			fail("in a bracket: slot %d armed without an owner and not stale (DR7 %#lx)", i, dr7);
#endif
		if (b < 0 && (dr[i] != slot_addr[i] || (dr7 & field) != slot_field[i]))
			fail("in a bracket: ownerless slot %d armed at %#lx field %#lx, last installed %#lx field %#lx",
			     i, dr[i], dr7 & field, slot_addr[i], slot_field[i]);
		if (b < 0)
			continue;
		if (dr[i] != rec[b].as.address ||
		    ((dr7 ^ encode_dr7(i, rec[b].as.len, rec[b].as.type)) & field))
			fail("in a bracket: slot %d armed at %#lx with DR7 %#lx, its owner bp%d is %#lx len %#x type %#x",
			     i, dr[i], dr7, b, rec[b].as.address, rec[b].as.len, rec[b].as.type);
	}
}

/* Outside any update: registers and cpu_dr7 say what is installed, no more. */
static void check(void)
{
	unsigned long want = 0, dr7 = dr[7] & ~0x400UL;

	for (int b = 0; b < NR_BPS; b++)
		if (rec[b].on && slot_of(&bps[b]) < 0)
			fail("bp%d installed but in no slot", b);
	for (int i = 0; i < HBP_NUM; i++) {
		int b = bp_per_reg[i] ? bp_per_reg[i] - bps : -1;
		struct arch_hw_breakpoint *as = &rec[b < 0 ? 0 : b].as;

		if (b < 0 && dr_mask[i])	/* uninstall clears the mask */
			fail("slot %d free but its mask is %#lx", i, dr_mask[i]);
		if (b < 0)
			continue;
		if (!rec[b].on)
			fail("slot %d holds bp%d, which was uninstalled", i, b);
		want |= encode_dr7(i, as->len, as->type);
		if (dr[i] != as->address || cpu_debugreg[i] != as->address || dr_mask[i] != as->mask)
			fail("DR%d %#lx, cpu_debugreg %#lx, mask %#lx; bp%d at %#lx mask %#lx",
			     i, dr[i], cpu_debugreg[i], dr_mask[i], b, as->address, as->mask);
	}
	/*
	 * Uninstall never clears GE (DR_GLOBAL_SLOWDOWN, ignored by CPUs since
	 * the P6; mainline since 2009): not compared.
	 */
	if (dr7 != cpu_dr7 || ((cpu_dr7 ^ want) & ~(unsigned long)DR_GLOBAL_SLOWDOWN))
		fail("DR7 %#lx, cpu_dr7 %#lx, installed breakpoints encode %#lx",
		     dr7, cpu_dr7, want);
}

static void reset(void)
{
	memset(dr, 0, sizeof(dr));
	dr[6] = DR6_RESERVED;
	memset(dr_mask, 0, sizeof(dr_mask));
	memset(bps, 0, sizeof(bps));
	memset(rec, 0, sizeof(rec));
	memset(bp_per_reg, 0, sizeof(bp_per_reg));
	memset(cpu_debugreg, 0, sizeof(cpu_debugreg));
	cpu_dr7 = 0;
#ifdef EXTRACTED_arch_hw_breakpoint_pmu_enable
	dr7_batch = false;
	dr7_stale = 0;
	dr7_dirty = false;
#endif
	in_bracket = false;
	memset(slot_addr, 0, sizeof(slot_addr));
	memset(slot_field, 0, sizeof(slot_field));
	failure[0] = '\0';
	ntrace = 0;
}

/*
 * (a) An NMI whose handler does nothing, right after uninstall wrote DR7 and
 * before it updated cpu_dr7.  bp0 stays, so DR7 is not 0 on NMI entry (else
 * local_db_save/restore leave DR7 alone).
 */
static void nmi_during_uninstall(void)
{
	set_bp(0, 0x1000, X86_BREAKPOINT_LEN_4, X86_BREAKPOINT_WRITE);
	install(0, "cpu");
	set_bp(1, 0x2000, X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_RW);
	install(1, "cpu");
	nmi_at_uninstall_dr7 = true;
	uninstall(1, "cpu");
	if (nmi_at_uninstall_dr7)
		fail("arch_uninstall_hw_breakpoint() did not write DR7");
	check();
}

/*
 * (b) kgdb changes len/type of an installed breakpoint when gdb re-plants
 * it with another type while its removal is pending; the removal must still
 * clear the whole slot.
 */
static void uninstall_after_type_change(void)
{
	int slot;
	unsigned long field;

	set_bp(0, 0x1000, X86_BREAKPOINT_LEN_4, X86_BREAKPOINT_WRITE);
	install(0, "cpu");
	set_bp(0, 0x1000, X86_BREAKPOINT_LEN_X, X86_BREAKPOINT_EXECUTE);
	note("kgdb: bp0 now len %#x type %#x", X86_BREAKPOINT_LEN_X, X86_BREAKPOINT_EXECUTE);
	slot = slot_of(&bps[0]);
	uninstall(0, "cpu");
	field = (3UL << (slot * DR_ENABLE_SIZE)) |
		(0xfUL << (DR_CONTROL_SHIFT + slot * DR_CONTROL_SIZE));
	if ((dr[7] | cpu_dr7) & field)
		fail("slot %d's control field (%#lx) left: DR7 %#lx, cpu_dr7 %#lx",
		     slot, field, dr[7], cpu_dr7);
	check();
}

/*
 * (c) Handlers nest, and what one handler's debugger did is that handler's
 * business only: a session in an NMI installs bp0; later, in a #DB handler
 * (DR7 off), an NMI whose handler changes nothing must leave DR7 off; and
 * an NMI in a #DB handler whose debugger installs bp1 changed the
 * registers within the #DB handler too: the #DB handler goes on with DR7
 * off, and its exit must enable bp1.
 */
static void nested_handlers(void)
{
	unsigned long db, in;

	set_bp(0, 0x1000, X86_BREAKPOINT_LEN_4, X86_BREAKPOINT_WRITE);
	in = local_db_save();
	shim_nmi_depth++;
	install(0, "NMI, debugger");
	shim_nmi_depth--;
	local_db_restore(in);
	check();

	db = local_db_save();
	note("#DB handler: DR7 %#lx on entry", db);
	shim_nmi_depth++;
	in = local_db_save();
	local_db_restore(in);
	if (dr[7] & ~0x400UL)
		fail("an NMI that changed nothing, in a #DB handler, left DR7 %#lx", dr[7]);
	shim_nmi_depth--;
	local_db_restore(db);
	check();

	set_bp(1, 0x2000, X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_RW);
	db = local_db_save();
	shim_nmi_depth++;
	in = local_db_save();
	install(1, "NMI in #DB, debugger");
	local_db_restore(in);
	/* The #DB handler goes on with DR7 off; its exit enables bp1. */
	if (dr[7] & ~0x400UL)
		fail("an NMI whose debugger installed bp1 armed DR7 %#lx inside a #DB handler",
		     dr[7]);
	shim_nmi_depth--;
	local_db_restore(db);
	note("#DB handler left: DR7 %#lx, cpu_dr7 %#lx", dr[7], cpu_dr7);
	check();
}

/* An NMI whose debugger installs @b (the table is consistent). */
static void nmi_installs(int b)
{
	unsigned long saved;

	nmi_running = true;
	nmis++;
	saved = local_db_save();
	shim_nmi_depth++;
	install(b, "  NMI, debugger");
	shim_nmi_depth--;
	local_db_restore(saved);
	note("  NMI: DR7 %#lx on entry, %#lx on exit; cpu_dr7 %#lx", saved, dr[7], cpu_dr7);
	nmi_running = false;
}

/*
 * (d) A #DB handler that changed nothing writes back its DR7 of entry on
 * exit; an NMI whose debugger installs a breakpoint lands right before
 * that write: DR7 must end as cpu_dr7 says, with the new breakpoint.
 */
static void nmi_at_handler_exit(void)
{
	unsigned long db;

	set_bp(0, 0x1000, X86_BREAKPOINT_LEN_4, X86_BREAKPOINT_WRITE);
	install(0, "cpu");
	set_bp(1, 0x2000, X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_RW);
	db = local_db_save();
	note("#DB handler: DR7 %#lx on entry", db);
	nmi_at_handler_dr7 = 1;
	local_db_restore(db);
	if (nmi_at_handler_dr7 >= 0)
		fail("local_db_restore() did not write DR7");
	note("#DB handler left: DR7 %#lx, cpu_dr7 %#lx", dr[7], cpu_dr7);
	check();
}

/*
 * The debug-register writes of one context switch as perf makes it on a
 * CPU: the outgoing task's breakpoints uninstalled (sched out), then the
 * incoming task's installed (sched in), each through the arch code under
 * test, each half in perf's bracket; @resched: both in one, as
 * ctx_resched() takes a context's breakpoints off and puts them back.  @n breakpoints each; @same: the incoming ones equal the outgoing
 * ones (address, length, type), as two tasks watching one variable.
 * Prints "DR7 D, address A" and returns D + A, or -1 on a failure.
 */
static int switch_writes(int n, bool same, bool resched, char *line, size_t size)
{
	int addr = 0;

	reset();
	for (int b = 0; b < 2 * n; b++) {
		int in = b >= n, k = b % n;

		set_bp(b, 0x1000 + 0x100 * k + (in && !same ? 0x10000 : 0),
		       X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_WRITE);
		if (!in)
			install(b, "task A");
	}
	memset(dr_writes, 0, sizeof(dr_writes));
	mask_writes = 0;
	bracket_open();
	for (int b = 0; b < n; b++)
		uninstall(b, "sched out A");
	if (!resched) {
		bracket_close();
		bracket_open();
	}
	for (int b = n; b < 2 * n; b++)
		install(b, "sched in B");
	bracket_close();
	check();
	if (failure[0])
		return -1;
	for (int i = 0; i < HBP_NUM; i++)
		addr += dr_writes[i];
	snprintf(line, size, "DR7 %d, address %d%s", dr_writes[7], addr,
		 dr_writes[6] || mask_writes ? ", DR6 or mask written" : "");
	return dr_writes[7] + addr + dr_writes[6] + mask_writes;
}

/*
 * What KVM does around a guest (vcpu_enter_guest()): the guest's values in
 * DR0-3, and hw_breakpoint_restore() after it only if a host slot is on.
 * Outside perf's brackets: a guest never runs inside one.
 */
static void guest(void)
{
	for (int i = 0; i < HBP_NUM; i++)
		dr[i] = 0x7000 + 0x10 * rnd(16);
	if (cpu_dr7 & DR_GLOBAL_ENABLE_MASK) {
		for (int i = 0; i < HBP_NUM; i++)
			dr[i] = cpu_debugreg[i];
		dr[7] = cpu_dr7;
	}
	guests++;
	note("guest: DR0-3 %#lx %#lx %#lx %#lx", dr[0], dr[1], dr[2], dr[3]);
}

/*
 * kgdb plants breakpoint @b (one of its own: no address mask) again with
 * other values (kgdb_hw_sync()
 * changes the event's address, type and length first), and the scheduler
 * takes it out and puts it back, outside NMI (reconcile(), in the update
 * the debugger's NMI interrupted), with the bracket's deferral stopped
 * as reconcile() stops it unless @raw.
 */
static void replant(int b, unsigned long addr, u8 len, u8 type, bool raw)
{
	const char *outer = writer;
	bool open = false;

	note("kgdb: bp%d now %#lx len %#x type %#x", b, addr, len, type);
	writer = "reconcile";
	if (!raw)
		open = batch_stop();
	dbg_acting = !raw;
	set_bp(b, addr, len, type);
	uninstall(b, "reconcile");
	if (in_bracket)
		check_bracket();
	install(b, "reconcile");
	dbg_acting = false;
	if (!raw)
		batch_resume(open);
	if (!raw)
		dbg_check("after reconcile");
	dbg_in = dbg_out = 0;
	writer = outer;
	replants++;
}

/*
 * (e) In one bracket, a write watchpoint of 8 bytes at 0x1000 leaves its
 * slot and a read/write one of 4 bytes at 0x1000 takes it: the slot must
 * not be armed with the new address and the old type for a moment.
 */
static void reuse_other_type(void)
{
	set_bp(0, 0x1000, X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_WRITE);
	install(0, "cpu");
	set_bp(1, 0x1000, X86_BREAKPOINT_LEN_4, X86_BREAKPOINT_RW);
	bracket_open();
	uninstall(0, "sched out");
	check_bracket();
	install(1, "sched in");
	check_bracket();
	bracket_close();
	check();
}

/*
 * (f) kgdb's instruction breakpoint in slot 1 becomes a watchpoint and is
 * taken out inside a bracket, the event already saying "write" (no
 * deferral stop: the arch code alone must look at what the slot holds).
 * A slot left armed for execution without an owner faults for ever.
 */
static void replant_exec(void)
{
	set_bp(0, 0x1000, X86_BREAKPOINT_LEN_4, X86_BREAKPOINT_WRITE);
	install(0, "perf");
	set_bp(1, 0x2000, X86_BREAKPOINT_LEN_X, X86_BREAKPOINT_EXECUTE);
	install(1, "kgdb");
	bracket_open();
	uninstall(0, "perf leaves");
	replant(1, 0x3000, X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_WRITE, true);
	check_bracket();
	bracket_close();
	check();
}

static int report(const char *ctx)
{
	printf("# last operations:\n");
	for (unsigned int i = ntrace > 12 ? ntrace - 12 : 0; i < ntrace; i++)
		printf("#   %s\n", trace[i % 12]);
	printf("%s: %s\n", ctx, failure);
	return 1;
}

/*
 * One context switch as perf makes it (each half in the breakpoint PMU's
 * bracket, where the tree has the hooks): the outgoing task's @n
 * breakpoints from @out uninstalled, the incoming task's from @in
 * installed.  The arch code's whole share of a switch, for callgrind.
 */
static __attribute__((noinline)) void cost_switch(int out, int in, int n)
{
	pmu_disable_hook();
	for (int b = out; b < out + n; b++)
		arch_uninstall_hw_breakpoint(&bps[b]);
	pmu_enable_hook();
	pmu_disable_hook();
	for (int b = in; b < in + n; b++)
		arch_install_hw_breakpoint(&bps[b]);
	pmu_enable_hook();
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	char ctx[64];

	if (!strcmp(c, "nmi-during-uninstall") || !strcmp(c, "uninstall-after-type-change") ||
	    !strcmp(c, "nested-handlers") || !strcmp(c, "nmi-at-handler-exit") ||
	    !strcmp(c, "reuse-other-type") || !strcmp(c, "replant-exec")) {
		for (int hyp = 0; hyp < 2; hyp++) {
			shim_hypervisor = hyp;
			reset();
			if (!strcmp(c, "nmi-during-uninstall"))
				nmi_during_uninstall();
			else if (!strcmp(c, "nested-handlers"))
				nested_handlers();
			else if (!strcmp(c, "nmi-at-handler-exit"))
				nmi_at_handler_exit();
			else if (!strcmp(c, "reuse-other-type"))
				reuse_other_type();
			else if (!strcmp(c, "replant-exec"))
				replant_exec();
			else
				uninstall_after_type_change();
			snprintf(ctx, sizeof(ctx), "hypervisor=%d", hyp);
			if (failure[0])
				return report(ctx);
		}
		printf("DR7 = cpu_dr7 = the installed breakpoints (hypervisor 0 and 1)\n");
		return 0;
	}
	if (!strcmp(c, "random") && argc == 5) {
		int seeds = atoi(argv[3]), ops = atoi(argv[4]);

		shim_hypervisor = atoi(argv[2]);
		nmi_odds = 4;
		debugger = true;
		for (int seed = 1; seed <= seeds; seed++) {
			reset();
			rng = seed;
			for (int op = 0; op < ops; op++) {
				int b = rnd(NR_BPS);

				if (!rnd(6))
					nmi("between updates");
				else if (!rnd(5))
					in_bracket ? bracket_close() : bracket_open();
				else if (!in_bracket && !rnd(8))
					guest();
				else if (debugger && rec[b].on && !rec[b].as.mask && !rnd(6))
					replant(b, 0xffffffff81000000UL + rnd(4) * 8,
						X86_BREAKPOINT_LEN_4,
						rnd(2) ? X86_BREAKPOINT_WRITE : X86_BREAKPOINT_RW, false);
				else
					toggle("cpu");
				in_bracket ? check_bracket() : check();
				snprintf(ctx, sizeof(ctx), "seed %d op %d", seed, op);
				if (failure[0])
					return report(ctx);
			}
		}
#ifdef EXTRACTED_arch_hw_breakpoint_pmu_enable
		/* The reuse path must have been taken, else it was not tested. */
		if (!reuses) {
			printf("no install went back into its stale slot without a write\n");
			return 1;
		}
#endif
		printf("%d seeds x %d ops: %d installs (%d into a stale slot, no write), %d uninstalls, %d NMIs (%d debugger changes), %d kgdb re-plants, %d guests\n",
		       seeds, ops, installs, reuses, uninstalls, nmis, dbg_ops, replants, guests);
		return 0;
	}
	if (!strcmp(c, "cost") && argc == 3) {
		int n = atoi(argv[2]);

		/*
		 * The arch code's own instructions per call, under callgrind
		 * (--toggle-collect=arch_install_hw_breakpoint, and uninstall):
		 * three slots held, the fourth installed and uninstalled N
		 * times, the registers a plain array (each write a call here,
		 * one serializing instruction in the kernel: the same number on
		 * both trees).  N + 3 installs, N uninstalls.
		 */
		reset();
		cost_run = true;
		for (int b = 0; b < 4; b++)
			set_bp(b, 0x1000 + 0x100 * b, X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_WRITE);
		for (int b = 0; b < 3; b++)
			arch_install_hw_breakpoint(&bps[b]);
		for (int i = 0; i < n; i++) {
			arch_install_hw_breakpoint(&bps[3]);
			arch_uninstall_hw_breakpoint(&bps[3]);
		}
		cost_run = false;
		printf("%d installs, %d uninstalls\n", n + 3, n);
		return 0;
	}
	if (!strcmp(c, "switch-cost") && argc == 5) {
		int n = atoi(argv[2]), same = atoi(argv[3]), rounds = atoi(argv[4]);

		/* Task A's breakpoints are 0..n-1, B's n..2n-1; A runs first. */
		if (n < 1 || n > HBP_NUM)
			return 2;
		reset();
		cost_run = true;
		for (int b = 0; b < 2 * n; b++)
			set_bp(b, 0x1000 + 0x100 * (b % n) + (b >= n && !same ? 0x10000 : 0),
			       X86_BREAKPOINT_LEN_8, X86_BREAKPOINT_WRITE);
		for (int b = 0; b < n; b++)
			arch_install_hw_breakpoint(&bps[b]);
		for (int i = 0; i < rounds; i++) {
			cost_switch(0, n, n);
			cost_switch(n, 0, n);
		}
		cost_run = false;
		printf("%d switches of %d breakpoints out and %d in\n", 2 * rounds, n, n);
		return 0;
	}
	if (!strcmp(c, "switch-writes")) {
		static const struct { int n; bool same, resched; const char *name; } sw[] = {
			{ 1, false, false, "1+1" }, { 4, false, false, "4+4" },
			{ 1, true, false, "1+1 same" }, { 4, true, false, "4+4 same" },
			{ 4, true, true, "4+4 same, resched" },
		};
		char line[96];

		for (unsigned int i = 0; i < sizeof(sw) / sizeof(sw[0]); i++) {
			int w = switch_writes(sw[i].n, sw[i].same, sw[i].resched, line, sizeof(line));

			if (w < 0)
				return report(sw[i].name);
			/* One line per scenario: "switch NAME: W writes (...)". */
			printf("switch %s: %d writes (%s)\n", sw[i].name, w, line);
		}
		return 0;
	}
	fprintf(stderr, "usage: %s nmi-during-uninstall|uninstall-after-type-change|nested-handlers|nmi-at-handler-exit|reuse-other-type|replant-exec\n"
		"       %s random HYPERVISOR SEEDS OPS\n       %s switch-writes\n",
		argv[0], argv[0], argv[0]);
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
// guest-arch: arm64
/*
 * hwbp-arm64 MODE [PREFIX]: the x86 guest programs' ptrace checks on
 * arm64, where a tracer sets breakpoints and watchpoints through the
 * regsets NT_ARM_HW_BREAK / NT_ARM_HW_WATCH (struct user_hwdebug_state,
 * PTRACE_GETREGSET/SETREGSET) instead of x86's DR0-7.  The slot counts
 * (cortex-a57: 6 BRPs, 4 WRPs) come from the regsets' dbg_info.
 *
 *   evict-watch, evict-break (sched plan): perf CPU-wide events on every
 *     WRP (BRP) of every CPU; a tracer's watchpoint (breakpoint) gets its
 *     slot and fires with the right si_addr, exactly one perf event stops
 *     counting and reports running < enabled, and all count exactly once
 *     the tracer disabled its entry (pristine: ENOSPC).
 *   privilege: hwbp-privilege.c's rule (a tracer as uid 65534 gets ENOSPC
 *     against root's CPU-wide watchpoints, may evict its tracee's own perf
 *     events; an entry a root tracer left behind to the unprivileged
 *     tracer it became: that tracer may disable or remove it (gdb's way),
 *     not enable it again or move it).
 *   honest-pinned, honest-flexible, honest-room-left (perf-honest plan):
 *     hwbp-perf-honest.c's checks on CPU 0's WRPs (group evicted whole,
 *     running < enabled, scaled counts, pinned events wait).
 *   badinput, badinput-full (badinput plan): bad control words, lengths,
 *     offsets, addresses, regset sizes, too many entries, bad perf attrs
 *     and PERF_EVENT_IOC_MODIFY_ATTRIBUTES, and as nobody; each gets
 *     mainline's errno and changes nothing (both regsets read back the
 *     same, /sys/kernel/debug/hw_breakpoint/{slots,stats} the same, as
 *     many perf events fit on CPU 0 as before).  badinput-full: with perf
 *     on every slot of every CPU.
 *   kernel-bp-counts (gdb-stepover plan): a CPU-wide kernel breakpoint
 *     on CPU 0 counts each of 100 getppid() calls.
 *   fault-copy (gdb-stepfault plan): sethostname() of FAULT_COPY_LEN
 *     bytes from a page of a file mapped and never touched: the kernel's
 *     copy_from_user() faults on its first load from it (which gdb
 *     steps); the name must arrive as the file has it.
 *   masked-step (gdb-stepmasked, pnmi-stepmasked plans): a CPU-wide
 *     kernel breakpoint on __set_task_blocked() on CPU 0, then ROUNDS + 1
 *     sigprocmask() block/unblock pairs: gdb stops the first hit in
 *     perf's handler of that breakpoint (debug exceptions masked) and
 *     steps there; every call must work and be counted.
 *   nested-watch (gdb-stepnested plan): a CPU-wide kernel watchpoint on
 *     sysctl_perf_event_paranoid on CPU 0, then 4 writes of the sysctl
 *     (its old value back last): gdb steps the store of the first and
 *     stops in perf's handler of the watchpoint hit inside that step;
 *     every write must land and be counted.
 *   step-install (perf-honest plan): a CPU-wide kernel breakpoint enabled
 *     by an svc that the task's own user breakpoint stops, i.e. installed
 *     while the kernel steps over that hit, counts (pristine: installed
 *     disabled, it counts nothing).
 *
 * Note mainline's hw_break_set() is not atomic: entries are written one
 * after the other, each address before its control word, and the first
 * error stops it with the earlier ones changed; a missing entry is
 * created (disabled, reserving a slot) by any write of it.  So the bad
 * writes here rewrite what the entries already hold but the one thing
 * that is bad.  Prints KTAP (names with PREFIX before them).
 */
#include "hwbp-guest.h"	/* first: it defines _GNU_SOURCE */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef NT_ARM_HW_BREAK
#define NT_ARM_HW_BREAK	0x402
#define NT_ARM_HW_WATCH	0x403
#endif
#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT	4
#endif

/* <asm/ptrace.h>'s struct user_hwdebug_state (that header fights glibc's). */
struct hwdebug {
	uint32_t dbg_info;
	uint32_t pad;
	struct {
		uint64_t addr;
		uint32_t ctrl;
		uint32_t pad;
	} regs[16];
};
#define HDR	8	/* dbg_info and pad */
#define ENTRY	16	/* addr, ctrl, pad */

/* Control word (WCR/BCR layout): enable, privilege (EL0 = 2; ignored on write), type, BAS. */
enum { T_EXEC, T_LOAD, T_STORE, T_RW };
#define WCR(type, bas)	(1u | (2u << 1) | ((uint32_t)(type) << 3) | ((uint32_t)(bas) << 5))
#define WATCH8		WCR(T_STORE, 0xff)
#define BREAK4		WCR(T_EXEC, 0xf)

/* TASK_SIZE is 1 << VA_BITS (39 in 6.1's config, 48 or 52 in 6.12's):
 * 1 << 52 is above it for every arm64 kernel, and a TTBR1 address is EL1's. */
#define KERNEL_ADDR	0xffffffc008010000UL
#define ABOVE_TASK	0x0010000000000000UL

#define SLOTS_FILE	"/sys/kernel/debug/hw_breakpoint/slots"
#define STATS_FILE	"/sys/kernel/debug/hw_breakpoint/stats"

#define ROUNDS	100
#define MAX_CPUS 8
#define MAX_EV	16

static const char *ename(int err)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	if (!err)
		return "accepted";
	snprintf(buf[i], sizeof(buf[i]), "%s", strerror(err));
	return buf[i];
}


/* --- What is watched, what is called --- */

struct padded { volatile long v; char pad[56]; };
static struct padded watched[MAX_EV] __attribute__((aligned(64)));
static struct padded target __attribute__((aligned(64)));	/* the tracer's */
static struct padded target2 __attribute__((aligned(64)));
static volatile long calls[MAX_EV];

/* Distinct bodies: identical ones would be folded into one (-fipa-icf). */
#define FN(n) static __attribute__((noinline, aligned(16))) void fn##n(void) { calls[n]++; }
FN(0) FN(1) FN(2) FN(3) FN(4) FN(5) FN(6) FN(7)
FN(8) FN(9) FN(10) FN(11) FN(12) FN(13) FN(14) FN(15)
static void (*const fns[MAX_EV])(void) = {
	fn0, fn1, fn2, fn3, fn4, fn5, fn6, fn7, fn8, fn9, fn10, fn11, fn12, fn13, fn14, fn15,
};

/* Where the tracer's breakpoint stops the tracee. */
static __attribute__((noinline, aligned(16))) void marker(void)
{
	__asm__ volatile("" ::: "memory");
}

/* --- The regsets --- */

static int nr_brp, nr_wrp;	/* from dbg_info */

static int get_hw(pid_t pid, int note, struct hwdebug *s)
{
	struct iovec iov = { s, sizeof(*s) };

	memset(s, 0, sizeof(*s));
	return ptrace(PTRACE_GETREGSET, pid, (void *)(long)note, &iov) ? errno : 0;
}

/* PTRACE_SETREGSET of @len bytes at @buf: 0 or errno. */
static int set_raw(pid_t pid, int note, void *buf, size_t len)
{
	struct iovec iov = { buf, len };

	return ptrace(PTRACE_SETREGSET, pid, (void *)(long)note, &iov) ? errno : 0;
}

/*
 * Entry @idx := (@addr, @ctrl), entries before it rewritten as they read
 * back (a regset write always starts at entry 0).
 */
static int set_entry(pid_t pid, int note, int idx, uint64_t addr, uint32_t ctrl)
{
	struct hwdebug s;
	int err = get_hw(pid, note, &s);

	if (err)
		return err;
	s.regs[idx].addr = addr;
	s.regs[idx].ctrl = ctrl;
	return set_raw(pid, note, &s, HDR + (idx + 1) * ENTRY);
}

static int slots_of(int note)
{
	return note == NT_ARM_HW_WATCH ? nr_wrp : nr_brp;
}

static const char *note_name(int note)
{
	return note == NT_ARM_HW_WATCH ? "watch" : "break";
}

/* A traced child, stopped, that runs @fn when continued, then exits 0. */
static pid_t traced_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		pin_to(0);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return pid;
}

static void nothing(void)
{
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* The slot counts: dbg_info's low byte (bits 8-15: the debug architecture). */
static int read_slot_counts(void)
{
	struct hwdebug s;
	pid_t pid = traced_child(nothing);
	int err = get_hw(pid, NT_ARM_HW_BREAK, &s);

	nr_brp = s.dbg_info & 0xff;
	err |= get_hw(pid, NT_ARM_HW_WATCH, &s);
	nr_wrp = s.dbg_info & 0xff;
	printf("# dbg_info: %d BRPs, %d WRPs, debug arch %#x\n", nr_brp, nr_wrp,
	       (s.dbg_info >> 8) & 0xff);
	kill_child(pid);
	return !err && nr_brp > 0 && nr_wrp > 0 && nr_brp <= MAX_EV && nr_wrp <= MAX_EV;
}

/* Continue @pid (no signal): 0 if it stopped with SIGTRAP, *@addr its si_addr. */
static int cont_to_trap(pid_t pid, uint64_t *addr, int *code, int *status)
{
	siginfo_t si;

	*addr = 0;
	*code = 0;
	if (ptrace(PTRACE_CONT, pid, 0, 0) || waitpid(pid, status, 0) != pid)
		return -1;
	if (!WIFSTOPPED(*status) || WSTOPSIG(*status) != SIGTRAP)
		return -1;
	if (ptrace(PTRACE_GETSIGINFO, pid, 0, &si))
		return -1;
	*addr = (uint64_t)(unsigned long)si.si_addr;
	*code = si.si_code;
	return 0;
}

/* --- perf on every slot --- */

static int nr_cpus;
static int fds[MAX_CPUS][MAX_EV];
static int nr_fill;		/* events per CPU */
static int fill_note;		/* what they fill */

static int open_perf(int note, int i, pid_t pid, int cpu)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.pinned = pid < 0;
	attr.exclude_kernel = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	if (note == NT_ARM_HW_WATCH) {
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = (unsigned long)&watched[i].v;
		attr.bp_len = HW_BREAKPOINT_LEN_8;
	} else {
		attr.bp_type = HW_BREAKPOINT_X;
		attr.bp_addr = (unsigned long)fns[i];
		attr.bp_len = HW_BREAKPOINT_LEN_4;
	}
	return syscall(__NR_perf_event_open, &attr, pid, cpu, -1, 0);
}

/* CPU-wide events on every slot of @note's kind on every CPU; 1 if all opened. */
static int fill(int note)
{
	int all = 1;

	fill_note = note;
	nr_fill = slots_of(note);
	nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (nr_cpus > MAX_CPUS)
		nr_cpus = MAX_CPUS;
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		for (int i = 0; i < nr_fill; i++)
			if ((fds[cpu][i] = open_perf(note, i, -1, cpu)) < 0)
				all = 0;
	return all;
}

static void unfill(void)
{
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		for (int i = 0; i < nr_fill; i++)
			if (fds[cpu][i] >= 0)
				close(fds[cpu][i]);
	nr_fill = 0;
}

struct reading { unsigned long long count, enabled, running; };

static void read_all(struct reading r[MAX_CPUS][MAX_EV])
{
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		for (int i = 0; i < nr_fill; i++)
			if (read(fds[cpu][i], &r[cpu][i], sizeof(r[cpu][i])) != sizeof(r[cpu][i]))
				memset(&r[cpu][i], 0xff, sizeof(r[cpu][i]));
}

/* Event @i's count over all CPUs from @a to @b. */
static long long delta(struct reading a[MAX_CPUS][MAX_EV], struct reading b[MAX_CPUS][MAX_EV], int i)
{
	long long d = 0;

	for (int cpu = 0; cpu < nr_cpus; cpu++)
		d += b[cpu][i].count - a[cpu][i].count;
	return d;
}

/* Every perf event's target hit ROUNDS times (fill_note's kind). */
static void exercise(void)
{
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < nr_fill; i++) {
			if (fill_note == NT_ARM_HW_WATCH)
				watched[i].v++;
			else
				fns[i]();
		}
}

static void deltas_str(char *buf, size_t n, struct reading a[MAX_CPUS][MAX_EV],
		       struct reading b[MAX_CPUS][MAX_EV])
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; i < nr_fill && off < n; i++)
		off += snprintf(buf + off, n - off, "%s%lld", i ? " " : "", delta(a, b, i));
}

/* One exercise() here; 1 if every event counted exactly ROUNDS. */
static int counts_exact(const char *name)
{
	static struct reading a[MAX_CPUS][MAX_EV], b[MAX_CPUS][MAX_EV];
	char buf[256];
	int ok = 1;

	read_all(a);
	exercise();
	read_all(b);
	for (int i = 0; i < nr_fill; i++)
		ok &= delta(a, b, i) == ROUNDS;
	deltas_str(buf, sizeof(buf), a, b);
	result(ok, name, "%s", buf);
	return ok;
}

/* --- debugfs --- */

static int read_file(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got;

	buf[0] = 0;
	if (!f)
		return 0;
	got = fread(buf, 1, n - 1, f);
	buf[got] = 0;
	fclose(f);
	return 1;
}

static void show_slots(const char *when)
{
	char buf[8192], *line, *save;

	printf("# slots %s:\n", when);
	if (!read_file(SLOTS_FILE, buf, sizeof(buf))) {
		printf("#   (no %s: not a patched kernel)\n", SLOTS_FILE);
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("#   %s\n", line);
	fflush(stdout);
}

/* ======================= evict-watch, evict-break ======================= */

static int tracee_note;

static void trigger(void)
{
	if (tracee_note == NT_ARM_HW_WATCH)
		target.v++;
	else
		marker();
}

/* The tracee: perf's targets, the tracer's, perf's again. */
static void evict_tracee(void)
{
	exercise();
	trigger();
	exercise();
}

static int evict(int note)
{
	static struct reading r0[MAX_CPUS][MAX_EV], r1[MAX_CPUS][MAX_EV];
	static struct reading r2[MAX_CPUS][MAX_EV];
	const char *kind = note_name(note);
	uint64_t want = note == NT_ARM_HW_WATCH ? (unsigned long)&target.v : (unsigned long)marker;
	uint32_t ctrl = note == NT_ARM_HW_WATCH ? WATCH8 : BREAK4;
	int err, status, code, lost = -1, ok = 1, rest_ok = 1;
	uint64_t addr;
	char name[96], buf[256];
	struct hwdebug s;
	pid_t pid;

	tracee_note = note;
	snprintf(name, sizeof(name), "perf-fills-all-%d-%s-slots", slots_of(note), kind);
	result(fill(note), name, "%d CPUs x %d", nr_cpus, nr_fill);
	show_slots("with perf on every slot");
	counts_exact("perf-counts-before");

	pid = traced_child(evict_tracee);
	err = set_entry(pid, note, 0, want, ctrl);
	snprintf(name, sizeof(name), "ptrace-set-%s", kind);
	result(!err, name, "%s", ename(err));
	if (err) {
		kill_child(pid);
		unfill();
		return 0;
	}
	get_hw(pid, note, &s);
	printf("# entry 0 reads back addr %#llx ctrl %#x\n", (unsigned long long)s.regs[0].addr,
	       s.regs[0].ctrl);

	read_all(r0);
	err = cont_to_trap(pid, &addr, &code, &status);
	read_all(r1);
	snprintf(name, sizeof(name), "ptrace-%s-fires", kind);
	result(!err && addr == want && code == TRAP_HWBKPT, name,
	       "status %#x, si_addr %#llx (want %#llx), si_code %d", status,
	       (unsigned long long)addr, (unsigned long long)want, code);
	show_slots("with the tracee stopped at its trap");

	/* While the tracee ran, exactly one perf event was evicted. */
	for (int i = 0; i < nr_fill; i++) {
		long long d = delta(r0, r1, i);

		if (d == 0 && lost < 0)
			lost = i;
		else if (d != ROUNDS)
			ok = 0;
	}
	deltas_str(buf, sizeof(buf), r0, r1);
	result(ok && lost >= 0, "perf-one-evicted-while-ptrace", "deltas %s", buf);

	/* What perf reads: the evicted one did not run all along, the others did. */
	if (lost >= 0) {
		unsigned long long e = r1[0][lost].enabled - r0[0][lost].enabled;
		unsigned long long run = r1[0][lost].running - r0[0][lost].running;

		result(run < e, "perf-evicted-running-lt-enabled",
		       "cpu0 event %d: running %llu of %llu ns", lost, run, e);
		for (int i = 0; i < nr_fill; i++) {
			if (i == lost)
				continue;
			rest_ok &= r1[0][i].running - r0[0][i].running ==
				   r1[0][i].enabled - r0[0][i].enabled;
		}
		result(rest_ok, "perf-others-running-all-along", NULL);
	}

	/* The tracer disables its entry; the tracee does perf's targets again. */
	err = set_entry(pid, note, 0, want, 0);
	snprintf(name, sizeof(name), "ptrace-disable-%s", kind);
	result(!err, name, "%s", ename(err));
	read_all(r1);
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &status, 0);
	read_all(r2);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0, "tracee-runs-to-exit",
	       "status %#x", status);
	ok = 1;
	for (int i = 0; i < nr_fill; i++)
		ok &= delta(r1, r2, i) == ROUNDS;
	deltas_str(buf, sizeof(buf), r1, r2);
	result(ok, "perf-counts-exact-after-ptrace-disable", "deltas %s", buf);
	if (lost >= 0) {
		unsigned long long e = r2[0][lost].enabled - r1[0][lost].enabled;
		unsigned long long run = r2[0][lost].running - r1[0][lost].running;

		result(run == e, "perf-evicted-runs-again", "cpu0 event %d: running %llu of %llu ns",
		       lost, run, e);
	}
	show_slots("after the tracee exited");
	counts_exact("perf-counts-after-exit");
	unfill();
	return 1;
}

/* ============================== privilege ============================== */

static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		_exit(250);
	/* Changing uid made us undumpable: perf_event_open on our child needs it. */
	prctl(PR_SET_DUMPABLE, 1);
}

static void write_target(void)
{
	target.v++;
}

/* Nobody's tracer: its watchpoint on its own child; the errno. */
static int nobody_watch(void)
{
	pid_t pid = traced_child(write_target);
	int err = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, WATCH8);
	struct hwdebug s;

	get_hw(pid, NT_ARM_HW_WATCH, &s);
	printf("# nobody's tracee's entry 0 after: addr %#llx ctrl %#x\n",
	       (unsigned long long)s.regs[0].addr, s.regs[0].ctrl);
	kill_child(pid);
	return err;
}

/* Nobody's perf events on its own tracee, on every WRP, then its watchpoint. */
static int nobody_watch_over_own_perf(void)
{
	pid_t pid = traced_child(write_target);
	int fd[MAX_EV], err;

	for (int i = 0; i < nr_wrp; i++) {
		fd[i] = open_perf(NT_ARM_HW_WATCH, i, pid, -1);
		if (fd[i] < 0) {
			printf("# nobody's perf_event_open on its child: %s\n", strerror(errno));
			kill_child(pid);
			return 251;
		}
	}
	err = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, WATCH8);
	if (!err) {
		uint64_t addr;
		int code, status;

		/* It fires too: the evicted perf event made room on CPU 0. */
		if (cont_to_trap(pid, &addr, &code, &status) || addr != (unsigned long)&target.v) {
			printf("# nobody's watchpoint did not fire: status %#x si_addr %#llx\n",
			       status, (unsigned long long)addr);
			err = 252;
		}
	}
	kill_child(pid);
	return err;
}

static int as_nobody(int (*fn)(void), const char *what)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		become_nobody();
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) >= 250) {
		printf("# %s: child status %#x\n", what, status);
		return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	return WEXITSTATUS(status);
}


/* What the left-behind tracers saw (a shared page). */
struct left_behind {
	int setup;		/* errno of root's write */
	int disable;		/* nobody disables root's watchpoint */
	int enable;		/* and enables it again */
	int enable_stops;	/* the tracee stopped at target after that */
	int move;		/* nobody moves root's enabled watchpoint to target2 */
	uint64_t move_addr;	/* entry 0 after it */
	uint32_t move_ctrl;
	int move_stops;		/* the tracee still stops at target */
	int remove;		/* nobody removes it as gdb does: (0, 0) */
	int remove_runs;	/* the tracee then runs to its exit */
	int keep;		/* nobody removes entry 0, rewrites entry 1 as it is */
	int keep_stops;		/* the tracee then stops at target2 (entry 1) */
};

static void write_targets(void)
{
	target2.v++;
	target.v++;
}

/* A root tracer's enabled watchpoint on target, the tracer then nobody. */
static pid_t left_behind_by_root(int *err)
{
	pid_t pid = traced_child(write_targets);

	*err = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, WATCH8);
	become_nobody();
	return pid;
}

/* The tracee is root's: kill() would get EPERM, PTRACE_KILL does not. */
static void done_with(pid_t pid)
{
	ptrace(PTRACE_KILL, pid, 0, 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int stops_at_target(pid_t pid)
{
	uint64_t addr;
	int code, status;

	return !cont_to_trap(pid, &addr, &code, &status) && addr == (unsigned long)&target.v;
}

/* gdb's way: disable, then enable. */
static void nobody_disable_then_enable(struct left_behind *r)
{
	int err;
	pid_t pid = left_behind_by_root(&err);

	r->setup |= err;
	r->disable = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, 0);
	r->enable = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, WATCH8);
	r->enable_stops = stops_at_target(pid);
	done_with(pid);
}

/* A new address for the enabled entry: refused, entry 0 as root left it. */
static void nobody_moves(struct left_behind *r)
{
	struct hwdebug s;
	int err;
	pid_t pid = left_behind_by_root(&err);

	r->setup |= err;
	r->move = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target2.v, WATCH8);
	get_hw(pid, NT_ARM_HW_WATCH, &s);
	r->move_addr = s.regs[0].addr;
	r->move_ctrl = s.regs[0].ctrl;
	r->move_stops = stops_at_target(pid);
	done_with(pid);
}

/*
 * gdb's removal on arm64 (aarch64_dr_state_remove_one_point): the whole
 * entry zeroed, address and control word.  The regset writes the address
 * first, to an entry that is still enabled.
 */
static void nobody_removes_like_gdb(struct left_behind *r)
{
	int err, status = 0;
	pid_t pid = left_behind_by_root(&err);

	r->setup |= err;
	r->remove = set_entry(pid, NT_ARM_HW_WATCH, 0, 0, 0);
	r->remove_runs = !ptrace(PTRACE_CONT, pid, 0, 0) && waitpid(pid, &status, 0) == pid &&
			 WIFEXITED(status);
	if (!r->remove_runs)
		done_with(pid);
}

/*
 * gdb writes every entry to change one (aarch64_linux_set_debug_regs()):
 * root's entries 0 and 1, nobody removes entry 0 and writes entry 1 back
 * as it reads.  Entry 1 enables and moves nothing: no reach, no ENOSPC.
 * (Entries 2 and up do not exist: writing them would register new
 * breakpoints, checked as any registration, which is mainline's too.)
 */
static void nobody_removes_one_keeps_other(struct left_behind *r)
{
	struct hwdebug s;
	uint64_t addr;
	int err, code, status;
	pid_t pid = traced_child(write_targets);

	err = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, WATCH8);
	if (!err)
		err = set_entry(pid, NT_ARM_HW_WATCH, 1, (unsigned long)&target2.v, WATCH8);
	r->setup |= err;
	become_nobody();
	r->keep = get_hw(pid, NT_ARM_HW_WATCH, &s);
	if (!r->keep) {
		s.regs[0].addr = 0;
		s.regs[0].ctrl = 0;
		r->keep = set_raw(pid, NT_ARM_HW_WATCH, &s, HDR + 2 * ENTRY);
	}
	r->keep_stops = !cont_to_trap(pid, &addr, &code, &status) &&
			addr == (unsigned long)&target2.v;
	done_with(pid);
}

static int in_tracer(void (*fn)(struct left_behind *), struct left_behind *r)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		pin_to(0);
		fn(r);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : status ? status : -1;
}

static void left_behind_cases(void)
{
	struct left_behind *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status, warned_before = warned();

	if (r == MAP_FAILED) {
		result(0, "left-behind-setup", "mmap: %s", strerror(errno));
		return;
	}
	memset(r, 0, sizeof(*r));
	status = in_tracer(nobody_disable_then_enable, r);
	status |= in_tracer(nobody_moves, r);
	status |= in_tracer(nobody_removes_like_gdb, r);
	status |= in_tracer(nobody_removes_one_keeps_other, r);
	result(!status && !r->setup, "left-behind-root-sets-them", "status %#x, %s", status,
	       ename(r->setup));
	/*
	 * Disabling is (address, then control word 0): the address is
	 * written first, to the entry still enabled.
	 */
	result(r->disable == 0, "left-behind-nobody-disables", "%s", ename(r->disable));
	result(r->enable == ENOSPC, "left-behind-nobody-enables-again-enospc", "%s%s%s",
	       ename(r->enable), !r->enable && !r->enable_stops ?
	       ", and the tracee ran through the watchpoint without a stop" : "",
	       r->disable ? " (but the disable before it failed: still root's, enabled)" : "");
	result(r->remove == 0 && r->remove_runs, "left-behind-nobody-removes-like-gdb",
	       "%s, the tracee %s", ename(r->remove),
	       r->remove_runs ? "ran to its exit" : "did not exit (stopped at the watchpoint?)");
	result(r->keep == 0 && r->keep_stops, "left-behind-nobody-rewrites-the-entry-it-keeps",
	       "%s, the tracee %s", ename(r->keep),
	       r->keep_stops ? "stopped at entry 1's watchpoint" : "did not stop at entry 1's");
	result(r->move == ENOSPC && r->move_addr == (unsigned long)&target.v &&
	       r->move_ctrl == WATCH8 && r->move_stops,
	       "left-behind-failed-move-keeps-root-watchpoint",
	       "%s, entry 0 after: %#llx ctrl %#x (want %#lx %#x), %s", ename(r->move),
	       (unsigned long long)r->move_addr, r->move_ctrl, (unsigned long)&target.v, WATCH8,
	       r->move_stops ? "stops" : "never stops");
	result(warned_before || !warned(), "left-behind-no-warn",
	       warned_before ? "tainted before" : "");
	munmap(r, sizeof(*r));
}

static int privilege(void)
{
	char before[8192], after[8192];
	int err, have;
	FILE *f;

	/* Unprivileged users may open perf events on their own tasks. */
	f = fopen("/proc/sys/kernel/perf_event_paranoid", "w");
	if (f) {
		fputs("2\n", f);
		fclose(f);
	}

	/* 1. Root's CPU-wide watchpoints on every WRP; nobody's tracer. */
	result(fill(NT_ARM_HW_WATCH), "root-perf-fills-all-wrps", "%d CPUs x %d", nr_cpus, nr_fill);
	counts_exact("root-perf-counts-before");
	have = read_file(SLOTS_FILE, before, sizeof(before));
	err = as_nobody(nobody_watch, "nobody-watch");
	read_file(SLOTS_FILE, after, sizeof(after));
	result(err == ENOSPC, "nobody-watch-enospc-over-root-cpu-perf", "%s",
	       err > 0 && err < 250 ? ename(err) : err ? "no child" : "accepted");
	result(!strcmp(before, after), "nobody-slots-unchanged", "%s",
	       have ? "" : "SKIP no debugfs (pristine kernel)");
	show_slots("after nobody's attempt");
	counts_exact("root-perf-still-counts-exactly");

	/* 4. Watchpoints a root tracer left to the nobody it became. */
	left_behind_cases();
	show_slots("after the left-behind cases");
	counts_exact("root-perf-counts-exactly-after-left-behind");

	/* 3. Root's tracer over the same. */
	{
		pid_t pid = traced_child(write_target);

		err = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, WATCH8);
		result(err == 0, "root-watch-over-root-cpu-perf", "%s", ename(err));
		if (!err)
			result(stops_at_target(pid), "root-watch-fires", NULL);
		kill_child(pid);
	}
	counts_exact("root-perf-counts-exactly-at-end");
	unfill();

	/* 2. Nobody's own perf events on its tracee. */
	err = as_nobody(nobody_watch_over_own_perf, "nobody-watch-over-own-perf");
	result(err == 0, "nobody-watch-over-own-perf-on-tracee", "%s",
	       err == 251 ? "perf_event_open refused" : err == 252 ? "accepted, never fired" :
	       err > 0 && err < 250 ? ename(err) : err ? "no child" : "");
	return 1;
}

/* =============================== badinput =============================== */

static pid_t bchild;
static int have_debugfs;
static char slots0[8192], stats0[8192];
static struct hwdebug hw0[2];	/* [0] break, [1] watch: as they should stay */
static int fit0[2];

static void bad_tracee(void)
{
	target.v++;
	marker();
}

/* How many CPU-wide perf events of @note's kind fit on CPU 0 now. */
static int fits_on_cpu0(int note)
{
	int fd[MAX_EV], n = 0;

	for (n = 0; n < MAX_EV; n++)
		if ((fd[n] = open_perf(note, n, -1, 0)) < 0)
			break;
	for (int i = 0; i < n; i++)
		close(fd[i]);
	return n;
}

/* What changes() compares: nobody can read neither debugfs nor root's tables. */
static int check_regsets = 1, check_tables = 1;

static void snapshot(void)
{
	if (check_regsets) {
		get_hw(bchild, NT_ARM_HW_BREAK, &hw0[0]);
		get_hw(bchild, NT_ARM_HW_WATCH, &hw0[1]);
	}
	if (!check_tables)
		return;
	read_file(SLOTS_FILE, slots0, sizeof(slots0));
	read_file(STATS_FILE, stats0, sizeof(stats0));
	fit0[0] = fits_on_cpu0(NT_ARM_HW_BREAK);
	fit0[1] = fits_on_cpu0(NT_ARM_HW_WATCH);
}

/* What changed since snapshot(), as a diagnostic; "" if nothing. */
static const char *changes(void)
{
	static char buf[512];
	char slots[8192], stats[8192];
	struct hwdebug now;
	size_t off = 0;

	buf[0] = 0;
	for (int k = 0; k < 2; k++) {
		int note = k ? NT_ARM_HW_WATCH : NT_ARM_HW_BREAK;

		if (check_regsets)
			get_hw(bchild, note, &now);
		for (int i = 0; check_regsets && i < 16; i++)
			if (now.regs[i].addr != hw0[k].regs[i].addr ||
			    now.regs[i].ctrl != hw0[k].regs[i].ctrl)
				off += snprintf(buf + off, sizeof(buf) - off,
						"%s entry %d %#llx/%#x -> %#llx/%#x; ", note_name(note), i,
						(unsigned long long)hw0[k].regs[i].addr, hw0[k].regs[i].ctrl,
						(unsigned long long)now.regs[i].addr, now.regs[i].ctrl);
		if (check_tables && fits_on_cpu0(note) != fit0[k] && off < sizeof(buf))
			off += snprintf(buf + off, sizeof(buf) - off, "%s perf fits on cpu0 %d -> %d; ",
					note_name(note), fit0[k], fits_on_cpu0(note));
	}
	if (!check_tables)
		return buf;
	read_file(SLOTS_FILE, slots, sizeof(slots));
	read_file(STATS_FILE, stats, sizeof(stats));
	if (strcmp(slots, slots0) && off < sizeof(buf))
		off += snprintf(buf + off, sizeof(buf) - off, "slots changed; ");
	if (strcmp(stats, stats0) && off < sizeof(buf))
		off += snprintf(buf + off, sizeof(buf) - off, "stats changed; ");
	return buf;
}

/* One bad regset write: @want's errno and nothing changed. */
static void bad_write(const char *name, int note, void *buf, size_t len, int want)
{
	int got = set_raw(bchild, note, buf, len);
	const char *ch = changes();

	result(got == want && !ch[0], name, "got %s, want %s%s%s", ename(got), ename(want),
	       ch[0] ? "; " : "", ch);
}

/* Entry 0 rewritten as (@addr, @ctrl), the rest as it reads back. */
static void bad_entry0(const char *name, int note, uint64_t addr, uint32_t ctrl, int want)
{
	struct hwdebug s = hw0[note == NT_ARM_HW_WATCH];

	s.regs[0].addr = addr;
	s.regs[0].ctrl = ctrl;
	bad_write(name, note, &s, HDR + ENTRY, want);
}

/* A bad perf_event_open of a breakpoint on the tracee: @want, nothing changed. */
static void bad_perf(const char *name, uint32_t type, uint64_t addr, uint64_t len, int excl, int want)
{
	struct perf_event_attr attr;
	const char *ch;
	int fd, got;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.exclude_kernel = excl;
	attr.bp_type = type;
	attr.bp_addr = addr;
	attr.bp_len = len;
	fd = syscall(__NR_perf_event_open, &attr, bchild, -1, -1, 0);
	got = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	ch = changes();
	result(got == want && !ch[0], name, "got %s, want %s%s%s", ename(got), ename(want),
	       ch[0] ? "; " : "", ch);
}

/* The scheduler lets ptrace evict perf: patched, switch on. */
static int may_evict(void)
{
	char buf[16];

	return read_file("/sys/module/hw_breakpoint/parameters/preempt", buf, sizeof(buf)) &&
	       (buf[0] == '1' || buf[0] == 'Y');
}

/* A bad PERF_EVENT_IOC_MODIFY_ATTRIBUTES of @fd: @want, nothing changed. */
static void bad_modify(const char *name, int fd, const struct perf_event_attr *good,
		       uint32_t type, uint64_t addr, uint64_t len, int want)
{
	struct perf_event_attr attr = *good;
	const char *ch;
	int got;

	attr.bp_type = type;
	attr.bp_addr = addr;
	attr.bp_len = len;
	if (!strcmp(name, "modify-other-field"))
		attr.exclude_user = 1;	/* only the breakpoint's fields may change */
	got = ioctl(fd, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &attr) ? errno : 0;
	ch = changes();
	result(got == want && !ch[0], name, "got %s, want %s%s%s", ename(got), ename(want),
	       ch[0] ? "; " : "", ch);
}

/* PERF_EVENT_IOC_MODIFY_ATTRIBUTES of a watchpoint on the tracee (room only). */
static void modify_cases(void)
{
	uint64_t w = (unsigned long)&watched[0].v;
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.exclude_kernel = 1;
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = w;
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	fd = syscall(__NR_perf_event_open, &attr, bchild, -1, -1, 0);
	result(fd >= 0, "modify-open", "%s", ename(fd < 0 ? errno : 0));
	if (fd < 0)
		return;
	snapshot();
	bad_modify("modify-len-zero", fd, &attr, HW_BREAKPOINT_W, w, 0, EINVAL);
	bad_modify("modify-len-16", fd, &attr, HW_BREAKPOINT_W, w, 16, EINVAL);
	bad_modify("modify-len8-misaligned", fd, &attr, HW_BREAKPOINT_W, w + 4, 8, EINVAL);
	bad_modify("modify-kernel-addr", fd, &attr, HW_BREAKPOINT_W, KERNEL_ADDR, 8, EINVAL);
	bad_modify("modify-type-empty", fd, &attr, HW_BREAKPOINT_EMPTY, w, 8, EINVAL);
	bad_modify("modify-other-field", fd, &attr, HW_BREAKPOINT_W, w, 8, EINVAL);
	close(fd);
	snapshot();
}

/*
 * As nobody (uid 65534, no capabilities).  perf_event_open on itself
 * (x86's unpriv group; arm64 refuses a task's kernel breakpoint in the
 * arch code, EINVAL, before the breakpoint core's CAP_SYS_ADMIN check,
 * EPERM, which a CPU-wide one reaches), then a tracer's bad regset writes
 * on its own child.  The tables are compared by root, around each.
 */
#define PARANOID	"/proc/sys/kernel/perf_event_paranoid"

static int write_paranoid(int v)
{
	FILE *f = fopen(PARANOID, "w");
	int ok;

	if (!f)
		return 0;
	ok = fprintf(f, "%d\n", v) > 0;
	return !fclose(f) && ok;
}

static void nobody_perf(const char *name, uint64_t addr, uint64_t len, int excl, int cpu,
			int paranoid, int want)
{
	int status = -1, got;
	const char *ch;
	pid_t pid;

	if (!write_paranoid(paranoid)) {
		result(1, name, "SKIP cannot write %s", PARANOID);
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct perf_event_attr attr;
		int fd;

		become_nobody();
		memset(&attr, 0, sizeof(attr));
		attr.type = PERF_TYPE_BREAKPOINT;
		attr.size = sizeof(attr);
		attr.exclude_kernel = excl;
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = addr;
		attr.bp_len = len;
		fd = syscall(__NR_perf_event_open, &attr, cpu < 0 ? 0 : -1, cpu, -1, 0);
		_exit(fd < 0 ? errno : 0);
	}
	waitpid(pid, &status, 0);
	got = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	ch = changes();
	result(got == want && !ch[0], name, "got %s, want %s%s%s", got < 0 || got >= 250 ?
	       "no child" : ename(got), ename(want), ch[0] ? "; " : "", ch);
}

static int nobody_regsets(void)
{
	uint64_t w = (unsigned long)&target.v, m = (unsigned long)marker;
	uint64_t addr;
	int err, code, status;

	check_tables = 0;
	bchild = traced_child(bad_tracee);
	err = set_entry(bchild, NT_ARM_HW_WATCH, 0, w, WATCH8);
	if (!err)
		err = set_entry(bchild, NT_ARM_HW_BREAK, 0, m, BREAK4);
	result(!err, "setup-watch-and-break", "%s", ename(err));
	if (err) {
		kill_child(bchild);
		return 1;
	}
	snapshot();
	bad_entry0("watch-kernel-addr", NT_ARM_HW_WATCH, KERNEL_ADDR, WATCH8, EINVAL);
	bad_entry0("watch-above-task-size", NT_ARM_HW_WATCH, ABOVE_TASK, WATCH8, EINVAL);
	bad_entry0("watch-bas-gap-0x05", NT_ARM_HW_WATCH, w, WCR(T_STORE, 0x05), EINVAL);
	bad_entry0("watch-len8-at-offset-4", NT_ARM_HW_WATCH, w + 4, WATCH8, EINVAL);
	bad_entry0("break-type-store", NT_ARM_HW_BREAK, m, WCR(T_STORE, 0xf), EINVAL);
	bad_entry0("break-kernel-addr", NT_ARM_HW_BREAK, KERNEL_ADDR, BREAK4, EINVAL);
	err = cont_to_trap(bchild, &addr, &code, &status);
	result(!err && addr == w, "watch-still-fires", "status %#x, si_addr %#llx (want %#llx)",
	       status, (unsigned long long)addr, (unsigned long long)w);
	kill_child(bchild);
	return failures ? 1 : 0;
}

static void nobody_group(void)
{
	uint64_t w = (unsigned long)&watched[0].v;
	const char *old_prefix = result_prefix;
	int status = -1, old = -1;
	char pfx[64];
	FILE *f = fopen(PARANOID, "r");
	pid_t pid;

	if (f) {
		if (fscanf(f, "%d", &old) != 1)
			old = 2;
		fclose(f);
	}
	snprintf(pfx, sizeof(pfx), "%snobody.", old_prefix);
	result_prefix = pfx;
	check_regsets = 0;
	snapshot();
	nobody_perf("task-kernel-w-paranoid-2", KERNEL_ADDR, 8, 0, -1, 2, EACCES);
	nobody_perf("task-kernel-w-paranoid-1", KERNEL_ADDR, 8, 0, -1, 1, EINVAL);
	nobody_perf("task-kernel-w-exclude-kernel", KERNEL_ADDR, 8, 1, -1, 1, EINVAL);
	nobody_perf("cpu-kernel-w-paranoid-minus-1", KERNEL_ADDR, 8, 0, 0, -1, EPERM);
	nobody_perf("task-w-len-16", w, 16, 1, -1, 2, EINVAL);
	nobody_perf("task-w-len8-misaligned", w + 4, 8, 1, -1, 2, EINVAL);
	nobody_perf("task-user-w-accepted", w, 8, 1, -1, 2, 0);
	write_paranoid(2);
	pid = fork();
	if (pid == 0) {
		become_nobody();
		check_regsets = 1;
		failures = 0;	/* its own: the exit status says */
		_exit(nobody_regsets());
	}
	waitpid(pid, &status, 0);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0, "regset-program", "status %#x", status);
	{
		const char *ch = changes();

		result(!ch[0], "tables-unchanged", "%s", ch);
	}
	if (old != -1)
		write_paranoid(old);
	result_prefix = old_prefix;
	check_regsets = 1;
}

static int badinput(int full)
{
	uint64_t w = (unsigned long)&target.v, m = (unsigned long)marker;
	int err, code, status, full_err, regset_cases = 1;
	struct hwdebug s;
	uint64_t addr;

	if (full) {
		int ok = fill(NT_ARM_HW_WATCH);

		/* Both kinds: fds[][] holds the WRPs, these the BRPs. */
		static int bfd[MAX_CPUS][MAX_EV];

		for (int cpu = 0; cpu < nr_cpus; cpu++)
			for (int i = 0; i < nr_brp; i++)
				ok &= (bfd[cpu][i] = open_perf(NT_ARM_HW_BREAK, i, -1, cpu)) >= 0;
		result(ok, "perf-fills-every-slot", "%d CPUs x %d WRPs + %d BRPs", nr_cpus, nr_wrp,
		       nr_brp);
	}
	have_debugfs = !access(SLOTS_FILE, R_OK);

	/* The tracee: one enabled watchpoint and one enabled breakpoint. */
	bchild = traced_child(bad_tracee);
	err = set_entry(bchild, NT_ARM_HW_WATCH, 0, w, WATCH8);
	if (!err)
		err = set_entry(bchild, NT_ARM_HW_BREAK, 0, m, BREAK4);
	if (full && !may_evict()) {
		/* Pristine, or the switch off: mainline's ENOSPC, perf's cases only. */
		result(err == ENOSPC, "setup-enospc-without-eviction", "%s", ename(err));
		set_entry(bchild, NT_ARM_HW_WATCH, 0, 0, 0);
		regset_cases = 0;
	} else {
		result(!err, "setup-watch-and-break", "%s", ename(err));
		if (err) {
			kill_child(bchild);
			return 0;
		}
	}
	snapshot();
	printf("# before: watch %#llx/%#x, break %#llx/%#x; perf fits on cpu0: %d BRPs, %d WRPs\n",
	       (unsigned long long)hw0[1].regs[0].addr, hw0[1].regs[0].ctrl,
	       (unsigned long long)hw0[0].regs[0].addr, hw0[0].regs[0].ctrl, fit0[0], fit0[1]);

	if (!regset_cases)
		goto perf_cases;
	/* NT_ARM_HW_WATCH: control words (arch_bp_generic_fields, fill_attr_ctrl). */
	bad_entry0("watch-type-exec", NT_ARM_HW_WATCH, w, WCR(T_EXEC, 0xff), EINVAL);
	bad_entry0("watch-bas-zero", NT_ARM_HW_WATCH, w, WCR(T_STORE, 0), EINVAL);
	bad_entry0("watch-bas-gap-0x05", NT_ARM_HW_WATCH, w, WCR(T_STORE, 0x05), EINVAL);
	bad_entry0("watch-bas-gap-0x81", NT_ARM_HW_WATCH, w, WCR(T_STORE, 0x81), EINVAL);
	bad_entry0("watch-bas-gap-0x3c-0xc3", NT_ARM_HW_WATCH, w, WCR(T_RW, 0xc3), EINVAL);
	/* Offset + length past the doubleword (hw_breakpoint_arch_parse). */
	bad_entry0("watch-len8-at-offset-4", NT_ARM_HW_WATCH, w + 4, WATCH8, EINVAL);
	bad_entry0("watch-len8-at-offset-1", NT_ARM_HW_WATCH, w + 1, WATCH8, EINVAL);
	bad_entry0("watch-len4-at-offset-6", NT_ARM_HW_WATCH, w + 6, WCR(T_STORE, 0xf), EINVAL);
	bad_entry0("watch-bas-0xf0-at-offset-4", NT_ARM_HW_WATCH, w + 4, WCR(T_STORE, 0xf0), EINVAL);
	/* Addresses a task may not watch: EL1's. */
	bad_entry0("watch-kernel-addr", NT_ARM_HW_WATCH, KERNEL_ADDR, WATCH8, EINVAL);
	bad_entry0("watch-above-task-size", NT_ARM_HW_WATCH, ABOVE_TASK, WATCH8, EINVAL);
	bad_entry0("watch-all-ones-addr", NT_ARM_HW_WATCH, ~7ULL, WATCH8, EINVAL);
	/* NT_ARM_HW_BREAK: only execute, four bytes. */
	bad_entry0("break-type-load", NT_ARM_HW_BREAK, m, WCR(T_LOAD, 0xf), EINVAL);
	bad_entry0("break-type-store", NT_ARM_HW_BREAK, m, WCR(T_STORE, 0xf), EINVAL);
	bad_entry0("break-type-rw", NT_ARM_HW_BREAK, m, WCR(T_RW, 0xf), EINVAL);
	bad_entry0("break-bas-zero", NT_ARM_HW_BREAK, m, WCR(T_EXEC, 0), EINVAL);
	bad_entry0("break-bas-gap-0x05", NT_ARM_HW_BREAK, m, WCR(T_EXEC, 0x05), EINVAL);
	bad_entry0("break-kernel-addr", NT_ARM_HW_BREAK, KERNEL_ADDR, BREAK4, EINVAL);
	bad_entry0("break-above-task-size", NT_ARM_HW_BREAK, ABOVE_TASK, BREAK4, EINVAL);
	/* Regset sizes and buffers (ptrace_regset(), hw_break_set()). */
	s = hw0[1];
	bad_write("watch-half-entry", NT_ARM_HW_WATCH, &s, HDR + 4, EINVAL);
	bad_write("watch-len-not-multiple-of-4", NT_ARM_HW_WATCH, &s, HDR + ENTRY + 2, EINVAL);
	bad_write("watch-bad-buffer", NT_ARM_HW_WATCH, (void *)8, HDR + ENTRY, EFAULT);
	s = hw0[0];
	bad_write("break-half-entry", NT_ARM_HW_BREAK, &s, HDR + 4, EINVAL);
	bad_write("break-bad-buffer", NT_ARM_HW_BREAK, (void *)8, HDR + ENTRY, EFAULT);
	bad_write("unknown-note", 0x4ff, &s, HDR + ENTRY, EINVAL);
perf_cases:
	/*
	 * perf_event_open of breakpoints on the tracee (arch_build_bp_info
	 * etc.).  Mainline reserves the slot first (register_perf_hw_breakpoint()):
	 * with every slot full, all but an empty type get ENOSPC.
	 */
	full_err = full ? ENOSPC : EINVAL;
	bad_perf("perf-len-zero", HW_BREAKPOINT_W, w, 0, 1, full_err);
	bad_perf("perf-len-16", HW_BREAKPOINT_W, w, 16, 1, full_err);
	bad_perf("perf-type-empty", HW_BREAKPOINT_EMPTY, w, 8, 1, EINVAL);
	bad_perf("perf-type-x-and-w", HW_BREAKPOINT_X | HW_BREAKPOINT_W, w, 8, 1, full_err);
	bad_perf("perf-len8-misaligned", HW_BREAKPOINT_W, w + 4, 8, 1, full_err);
	bad_perf("perf-task-kernel-addr", HW_BREAKPOINT_W, KERNEL_ADDR, 8, 0, full_err);
	if (!full)
		modify_cases();
	if (!regset_cases) {
		kill_child(bchild);
		return 1;
	}

	/*
	 * Too many entries: every entry of each regset registered (the rest
	 * disabled), then one more than the hardware has (ENOSPC, mainline:
	 * a task's breakpoints of a kind fit its slots).
	 */
	for (int k = 0; k < 2; k++) {
		int note = k ? NT_ARM_HW_WATCH : NT_ARM_HW_BREAK, n = slots_of(note);
		char name[64];

		get_hw(bchild, note, &s);
		err = set_raw(bchild, note, &s, HDR + n * ENTRY);
		snprintf(name, sizeof(name), "%s-all-%d-entries", note_name(note), n);
		result(!err, name, "%s", ename(err));
		snapshot();
		s.regs[n].addr = k ? w : m;
		s.regs[n].ctrl = 0;
		snprintf(name, sizeof(name), "%s-entry-%d-of-%d", note_name(note), n + 1, n);
		bad_write(name, note, &s, HDR + (n + 1) * ENTRY, ENOSPC);
		s.regs[n].ctrl = k ? WATCH8 : BREAK4;
		snprintf(name, sizeof(name), "%s-entry-%d-of-%d-enabled", note_name(note), n + 1, n);
		bad_write(name, note, &s, HDR + (n + 1) * ENTRY, ENOSPC);
	}

	/* Both still fire, at their addresses. */
	err = cont_to_trap(bchild, &addr, &code, &status);
	result(!err && addr == w, "watch-still-fires", "status %#x, si_addr %#llx (want %#llx)",
	       status, (unsigned long long)addr, (unsigned long long)w);
	set_entry(bchild, NT_ARM_HW_WATCH, 0, w, 0);
	err = cont_to_trap(bchild, &addr, &code, &status);
	result(!err && addr == m, "break-still-fires", "status %#x, si_addr %#llx (want %#llx)",
	       status, (unsigned long long)addr, (unsigned long long)m);
	kill_child(bchild);
	if (!full)
		nobody_group();
	if (!have_debugfs)
		printf("# no %s: slot table checks skipped (pristine kernel)\n", SLOTS_FILE);
	return 1;
}

/* ============================= perf-honest ============================= */

/*
 * hwbp-perf-honest.c's checks on arm64, where execute breakpoints and
 * watchpoints have separate pools: CPU 0's WRPs hold perf watchpoints read
 * with PERF_FORMAT_TOTAL_TIME_ENABLED|RUNNING, singles first, then a
 * group of two (the newest, so what a ptrace watchpoint evicts).  A traced
 * child on CPU 0 writes the watched variables at a steady rate; halfway
 * through, its tracer gives it a watchpoint (on a variable it never
 * writes: it only takes a slot).
 */
/*
 * Each half runs HALF_MS (x86: 400): QEMU's vCPU threads share two host
 * cores with other work, and a stall in one half skews perf's scaling;
 * longer halves average the stalls out.
 */
#define HALF_MS	1000
#define PACE_NS	3000000LL	/* x86: 300 us; 4 watchpoint traps under TCG here can take over 1 ms */

static int hfd[MAX_EV];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A watchpoint on watched[@i], CPU 0, in @group_fd's group (-1: a leader). */
static int open_w0(int i, int pinned, int group_fd)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.pinned = pinned && group_fd < 0;	/* only a leader may be pinned */
	attr.exclude_kernel = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = (unsigned long)&watched[i].v;
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	return syscall(__NR_perf_event_open, &attr, -1, 0, group_fd, 0);
}

/*
 * The tracer's request that the child stop (a shared page).  Not kill():
 * a SIGSTOP that lands between a perf watchpoint's trap and arm64's step
 * over the store has PTRACE_CONT cancel the step, and the child's
 * watchpoints stay off for good while perf reports them running (mainline
 * arm64; see stop_cont()).  The child stops itself between its rounds.
 */
static volatile int *stop_req;

static void stop_if_asked(void)
{
	if (*stop_req) {
		*stop_req = 0;
		raise(SIGSTOP);
	}
}

/* A round of writes every PACE_NS, however many of them trap. */
static void paced_child(void)
{
	long long next = now_ns();

	for (;;) {
		for (int i = 0; i < nr_wrp; i++)
			watched[i].v++;
		next += PACE_NS;
		while (now_ns() < next)
			stop_if_asked();
		/* Back from a ptrace stop: no catching up in a burst. */
		if (now_ns() > next + 10 * PACE_NS)
			next = now_ns();
	}
}

static long long writes_of(pid_t pid, int i)
{
	return ptrace(PTRACE_PEEKDATA, pid, &watched[i].v, 0);
}

/* Let the child run for @ms (the tracer sleeps on CPU 1); ns it ran. */
static long long run_child(pid_t pid, int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	long long start = now_ns();
	int status;

	ptrace(PTRACE_CONT, pid, 0, 0);
	nanosleep(&ts, NULL);
	*stop_req = 1;
	waitpid(pid, &status, 0);	/* signal-delivery-stop; not passed on */
	return now_ns() - start;
}

static int read_ev(int fd, struct reading *r)
{
	return read(fd, r, sizeof(*r)) == sizeof(*r);
}

/*
 * Once the child has stopped, its ptrace watchpoint leaves CPU 0 and perf
 * adds the evicted group again (from the scheduler's irq_work): wait for
 * that before reading, else the members, read one after the other, are
 * still out and differ by the time between the two reads.  Returns how
 * long the group took to run again (to within 0.1 ms and a read), -1 if
 * it did not within 200 ms, -2 if a read failed (a pinned group in error
 * state reads EOF).
 */
static long long group_back(int leader_fd)
{
	struct reading a, b;
	long long start = now_ns();

	if (!read_ev(leader_fd, &a))
		return -2;
	while (now_ns() - start < 200000000LL) {
		struct timespec ts = { .tv_nsec = 100000L };

		nanosleep(&ts, NULL);
		if (!read_ev(leader_fd, &b))
			return -2;
		if (b.running > a.running)
			return now_ns() - start;
		a = b;
	}
	return -1;
}

static int honest(int pinned)
{
	const char *kind = pinned ? "pinned" : "flexible";
	struct reading r0[MAX_EV], r1[MAX_EV], r2[MAX_EV];
	long long w0[MAX_EV], w1[MAX_EV], truth[MAX_EV], held;
	int n = nr_wrp, lead = nr_wrp - 2, mem = nr_wrp - 1, all = 1, err;
	char name[96];
	pid_t pid;

	if (n < 4) {
		result(0, "honest-needs-4-wrps", "%d WRPs", n);
		return 0;
	}
	pin_to(1);	/* the tracer off CPU 0: it must not take the child's time */
	for (int i = 0; i < n; i++) {
		hfd[i] = open_w0(i, pinned, i == mem ? hfd[lead] : -1);
		all &= hfd[i] >= 0;
	}
	snprintf(name, sizeof(name), "%s-open-%d-on-cpu0", kind, n);
	result(all, name, "%d singles, a group of 2%s%s", n - 2, all ? "" : ": ",
	       all ? "" : strerror(errno));
	if (!all)
		return 0;
	show_slots("with perf on every WRP of CPU 0");

	pid = traced_child(paced_child);
	for (int i = 0; i < n; i++)
		read_ev(hfd[i], &r0[i]);
	for (int i = 0; i < n; i++)
		w0[i] = writes_of(pid, i);
	run_child(pid, HALF_MS);

	err = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target2.v, WATCH8);
	snprintf(name, sizeof(name), "%s-ptrace-takes-a-slot", kind);
	result(!err, name, "%s", ename(err));

	/* Second half: the child carries the ptrace watchpoint. */
	held = run_child(pid, HALF_MS);
	if (!err) {
		long long back = group_back(hfd[lead]);

		snprintf(name, sizeof(name), "%s-group-back-once-child-stops", kind);
		result(back >= 0, name, "%s %lld us", back >= 0 ? "after" :
		       back == -1 ? "not within" : "a read failed after",
		       back >= 0 ? back / 1000 : 200000LL);
	}
	for (int i = 0; i < n; i++)
		read_ev(hfd[i], &r1[i]);
	if (!err) {
		/* The group ran all through the reads: its time out stood still. */
		struct reading again = { 0 };
		unsigned long long out1 = r1[lead].enabled - r1[lead].running;

		read_ev(hfd[lead], &again);
		snprintf(name, sizeof(name), "%s-group-out-time-still-at-read", kind);
		result(again.enabled - again.running == out1, name,
		       "leader's time out %llu ns at the reads, %llu after", out1,
		       again.enabled - again.running);
	}
	for (int i = 0; i < n; i++)
		w1[i] = writes_of(pid, i);
	kill_child(pid);
	for (int i = 0; i < n; i++) {
		unsigned long long c = r1[i].count - r0[i].count;
		unsigned long long e = r1[i].enabled - r0[i].enabled;
		unsigned long long run = r1[i].running - r0[i].running;

		truth[i] = w1[i] - w0[i];
		printf("# %s ev%d: count %llu of %lld, enabled %llu ns, running %llu ns (%.2f%%)\n",
		       kind, i, c, truth[i], e, run, e ? 100.0 * run / e : 0.0);
	}
	if (err) {
		for (int i = 0; i < n; i++)
			close(hfd[i]);
		return 0;
	}

	/* CPU 0's WRPs: perf ran at most n slots' worth, less what ptrace held. */
	{
		unsigned long long sum = 0, e = r1[0].enabled - r0[0].enabled;

		for (int i = 0; i < n; i++)
			sum += r1[i].running - r0[i].running;
		snprintf(name, sizeof(name), "%s-running-fits-the-slots", kind);
		result(sum + held * 9 / 10 <= n * e, name,
		       "perf running %llu + ptrace ~%lld > %d x %llu ns?", sum, held * 9 / 10, n, e);
	}
	/* The singles ran all along and counted every write. */
	for (int i = 0; i < lead; i++) {
		unsigned long long run = r1[i].running - r0[i].running;
		unsigned long long e = r1[i].enabled - r0[i].enabled;
		long long c = r1[i].count - r0[i].count;

		snprintf(name, sizeof(name), "%s-single%d-ran-and-counted-all", kind, i);
		result(run == e && c == truth[i], name, "running %llu of %llu ns, count %lld of %lld",
		       run, e, c, truth[i]);
	}
	/* The group: evicted whole, honest times, scaling close to the truth. */
	{
		struct reading *l0 = &r0[lead], *l1 = &r1[lead], *m0 = &r0[mem], *m1 = &r1[mem];
		unsigned long long lrun = l1->running - l0->running, len = l1->enabled - l0->enabled;
		unsigned long long lout = len - lrun;
		unsigned long long mout = (m1->enabled - m0->enabled) - (m1->running - m0->running);
		double scaled = lrun ? (double)(l1->count - l0->count) * len / lrun : 0;
		long long lmiss = truth[lead] - (long long)(l1->count - l0->count);
		long long mmiss = truth[mem] - (long long)(m1->count - m0->count);

		snprintf(name, sizeof(name), "%s-group-evicted-stops-running", kind);
		result(lrun < len * 9 / 10, name, "running %llu of %llu ns", lrun, len);
		snprintf(name, sizeof(name), "%s-group-members-equal-time-out", kind);
		result(lout == mout, name, "leader %llu, member %llu ns not running", lout, mout);
		/* A switch between its writes of the two: give or take one. */
		snprintf(name, sizeof(name), "%s-group-members-miss-the-same", kind);
		result(llabs(lmiss - mmiss) <= 1, name, "leader missed %lld, member %lld", lmiss, mmiss);
		snprintf(name, sizeof(name), "%s-group-scaled-within-20pct", kind);
		result(scaled > truth[lead] * 0.8 && scaled < truth[lead] * 1.2, name,
		       "scaled %.0f, true %lld", scaled, truth[lead]);
	}
	/* The child is gone: every event back, readable, counting exactly. */
	for (int i = 0; i < n; i++)
		read_ev(hfd[i], &r1[i]);
	pin_to(0);
	for (int r = 0; r < ROUNDS; r++)
		for (int i = 0; i < n; i++)
			watched[i].v++;
	pin_to(1);
	all = 1;
	for (int i = 0; i < n; i++)
		all &= read_ev(hfd[i], &r2[i]) && r2[i].count - r1[i].count == ROUNDS;
	snprintf(name, sizeof(name), "%s-all-back-and-exact", kind);
	result(all, name, "%llu %llu %llu %llu", r2[0].count - r1[0].count, r2[1].count - r1[1].count,
	       r2[2].count - r1[2].count, r2[3].count - r1[3].count);
	for (int i = 0; i < n; i++)
		close(hfd[i]);
	show_slots("after");
	return 1;
}

/*
 * Two ptrace watchpoints against a CPU-wide group of nr_wrp - 1 and a
 * single (the newest): the first takes the single's slot, the second the
 * group's, which leaves slots free.  The single must get one back at once.
 */
static void honest_room_left(void)
{
	struct reading a0, a1;
	int fd[MAX_EV], all = 1, err, n = nr_wrp;
	long long w0, w1;
	pid_t pid;

	pin_to(1);
	for (int i = 0; i < n - 1; i++) {
		fd[i] = open_w0(i, 1, i ? fd[0] : -1);
		all &= fd[i] >= 0;
	}
	fd[n - 1] = open_w0(n - 1, 1, -1);
	all &= fd[n - 1] >= 0;
	result(all, "room-left-open-group-and-single", "group of %d, single%s%s", n - 1,
	       all ? "" : ": ", all ? "" : strerror(errno));
	if (!all)
		return;
	pid = traced_child(paced_child);
	err = set_entry(pid, NT_ARM_HW_WATCH, 0, (unsigned long)&target.v, WATCH8);
	if (!err)
		err = set_entry(pid, NT_ARM_HW_WATCH, 1, (unsigned long)&target2.v, WATCH8);
	result(!err, "room-left-two-ptrace-watchpoints", "%s", ename(err));
	read_ev(fd[n - 1], &a0);
	w0 = writes_of(pid, n - 1);
	run_child(pid, 400);
	read_ev(fd[n - 1], &a1);
	w1 = writes_of(pid, n - 1);
	kill_child(pid);
	printf("# room-left single: count %llu of %lld, running %llu of %llu ns\n",
	       a1.count - a0.count, w1 - w0, a1.running - a0.running, a1.enabled - a0.enabled);
	if (!err)
		result((a1.running - a0.running) * 100 >= (a1.enabled - a0.enabled) * 95,
		       "room-left-single-runs", "running %llu of %llu ns",
		       a1.running - a0.running, a1.enabled - a0.enabled);
	for (int i = 0; i < n; i++)
		close(fd[i]);
}

/* ============================== stop-cont ============================== */

static void tight_child(void)
{
	for (;;)
		watched[0].v++;
}

/*
 * A traced child writes a watched variable in a loop, under perf CPU-wide
 * watchpoints; its tracer stops it (SIGSTOP) and continues it (PTRACE_CONT)
 * over and over.  A stop that lands between a perf watchpoint's trap and
 * the single step over the store (arm64's hw_breakpoint.c) has
 * PTRACE_CONT cancel the step (ptrace_resume(): user_disable_single_step()):
 * the task's watchpoints then stay toggled off (wps_disabled) while perf
 * reports them running.  1 if every cycle counted every write (give or
 * take the one in flight).
 */
static int stop_cont(int cycles)
{
	struct reading a, b;
	long long w0, w1, lost_at = -1, bad = 0;
	int fd[MAX_CPUS];
	pid_t pid;

	nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		fd[cpu] = open_perf(NT_ARM_HW_WATCH, 0, -1, cpu);
	pin_to(1);
	pid = traced_child(tight_child);
	for (int c = 0; c < cycles; c++) {
		struct timespec ts = { 0, 200000L + (c % 7) * 100000L };
		int status;

		read(fd[0], &a, sizeof(a));
		w0 = ptrace(PTRACE_PEEKDATA, pid, &watched[0].v, 0);
		ptrace(PTRACE_CONT, pid, 0, 0);
		nanosleep(&ts, NULL);
		kill(pid, SIGSTOP);
		waitpid(pid, &status, 0);
		read(fd[0], &b, sizeof(b));
		w1 = ptrace(PTRACE_PEEKDATA, pid, &watched[0].v, 0);
		if (llabs((long long)(b.count - a.count) - (w1 - w0)) > 1) {
			if (lost_at < 0)
				lost_at = c;
			if (bad++ < 3)
				printf("# cycle %d: count %llu, writes %lld, running %llu of %llu ns\n", c,
				       b.count - a.count, w1 - w0, b.running - a.running,
				       b.enabled - a.enabled);
		}
	}
	kill_child(pid);
	result(lost_at < 0, "stop-cont-counts-every-write", "%d cycles; %lld miscounted, first at %lld",
	       cycles, bad, lost_at);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		close(fd[cpu]);
	return lost_at < 0;
}

/* ============================= step-install ============================ */

/*
 * ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) through an svc at step_install_svc,
 * where a perf breakpoint of the caller's stops it.
 */
extern char step_install_svc[];
static __attribute__((noinline, noclone)) long enable_through_svc(int fd)
{
	register long x0 asm("x0") = fd;
	register long x1 asm("x1") = PERF_EVENT_IOC_ENABLE;
	register long x2 asm("x2") = 0;
	register long x8 asm("x8") = __NR_ioctl;

	asm volatile(".globl step_install_svc\nstep_install_svc:\n\tsvc #0"
		     : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
	return x0;
}

static volatile int sigtraps;

static void on_sigtrap(int sig)
{
	sigtraps++;
}

/*
 * A disabled CPU-wide kernel breakpoint (@type HW_BREAKPOINT_X) or
 * watchpoint on 4 bytes at @kaddr, on CPU 0.
 */
static int open_kernel_bp(unsigned long kaddr, int type)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.pinned = 1;
	attr.disabled = 1;
	attr.exclude_user = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	attr.bp_type = type;
	attr.bp_addr = kaddr;
	attr.bp_len = HW_BREAKPOINT_LEN_4;
	return syscall(__NR_perf_event_open, &attr, -1, 0, -1, 0);
}

/* getppid() @n times; the kernel breakpoint's count over them. */
static unsigned long long getppid_hits(int fd, int n)
{
	struct reading a, b;

	read(fd, &a, sizeof(a));
	for (int i = 0; i < n; i++)
		syscall(__NR_getppid);
	read(fd, &b, sizeof(b));
	return b.count - a.count;
}

/*
 * A CPU-wide breakpoint on the kernel's getppid, enabled the usual way:
 * its count over ROUNDS calls on this CPU, -1 if it cannot be opened.
 */
static long long plain_enable_hits(void)
{
	unsigned long kaddr = ksym("__arm64_sys_getppid");
	int fd = kaddr ? open_kernel_bp(kaddr, HW_BREAKPOINT_X) : -1;
	long long n;

	if (fd < 0)
		return -1;
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	n = getppid_hits(fd, ROUNDS);
	close(fd);
	return n;
}

/*
 * CPU 0's kernel breakpoints work: a CPU-wide one on the kernel's getppid
 * counts every call (the gdb-stepover plan, after kgdb continued from
 * inside a step over a breakpoint hit on CPU 0: a step-over that never
 * ended leaves every later hit's breakpoint off after one count).
 */
static void kernel_bp_counts(void)
{
	long long n = plain_enable_hits();

	if (n < 0)
		result(0, "kernel-bp-counts", "no breakpoint on __arm64_sys_getppid");
	else
		result(n >= ROUNDS, "kernel-bp-counts", "%lld of %d getppid calls on CPU 0", n, ROUNDS);
}

/*
 * A kernel breakpoint installed while the current task steps over its
 * own user breakpoint hit (debug_info->bps_disabled) must be installed
 * enabled: the end of the step enables the EL0 slots again, not EL1's.
 * The task's perf breakpoint on an svc makes the kernel step over it; the
 * svc is the ioctl that enables a CPU-wide breakpoint on the kernel's
 * getppid on this CPU, so that breakpoint is installed inside the step.
 * The step of an svc ends with a SIGTRAP (the pseudo-step of the syscall
 * exit), caught here.  Mainline installs it disabled: it counts nothing
 * until it is scheduled in again.
 */
static void step_install(void)
{
	unsigned long kaddr = ksym("__arm64_sys_getppid");
	struct perf_event_attr attr;
	unsigned long long inside, after;
	long long before;
	struct reading ur;
	int kfd, ufd;

	signal(SIGTRAP, on_sigtrap);
	/* The kernel breakpoint counts when enabled the usual way. */
	before = plain_enable_hits();
	if (before < 0) {
		result(0, "step-install-kernel-bp-counts", "no breakpoint on __arm64_sys_getppid: %s",
		       ename(errno));
		return;
	}

	kfd = open_kernel_bp(kaddr, HW_BREAKPOINT_X);
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.exclude_kernel = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	attr.bp_type = HW_BREAKPOINT_X;
	attr.bp_addr = (unsigned long)step_install_svc;
	attr.bp_len = HW_BREAKPOINT_LEN_4;
	ufd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
	if (kfd < 0 || ufd < 0) {
		result(0, "step-install-kernel-bp-counts", "perf_event_open: %s", ename(errno));
		return;
	}
	enable_through_svc(kfd);
	inside = getppid_hits(kfd, ROUNDS);
	read(ufd, &ur, sizeof(ur));
	close(ufd);
	/* Scheduled out and in: installed again, outside any step. */
	ioctl(kfd, PERF_EVENT_IOC_DISABLE, 0);
	ioctl(kfd, PERF_EVENT_IOC_ENABLE, 0);
	after = getppid_hits(kfd, ROUNDS);
	close(kfd);
	printf("# getppid x%d: kernel breakpoint counted %lld (enabled plainly), %llu (enabled from inside the step over a user breakpoint hit), %llu (enabled again); user breakpoint on the svc: %llu hit(s), %d SIGTRAP(s)\n",
	       ROUNDS, before, inside, after, ur.count, sigtraps);
	result(before >= ROUNDS, "step-install-plain-enable-counts", "%lld of %d", before, ROUNDS);
	result(ur.count == 1, "step-install-svc-stepped-over", "user breakpoint hits %llu, want 1",
	       ur.count);
	result(inside >= ROUNDS, "step-install-kernel-bp-counts",
	       "%llu of %d getppid calls counted%s", inside, ROUNDS,
	       inside >= ROUNDS ? "" : ": installed disabled");
	result(after >= ROUNDS, "step-install-reenable-counts", "%llu of %d", after, ROUNDS);
}

/*
 * A CPU-wide kernel breakpoint on __set_task_blocked(), which runs under
 * spin_lock_irq(), then ROUNDS + 1 sigprocmask() block/unblock pairs on
 * CPU 0: the host's gdb stops the first hit in perf_bp_event(), inside
 * the debug exception (PSTATE.D set), and steps there.  That context
 * cannot take the step: it comes once the exception has returned, at
 * __set_task_blocked() itself (its interrupts are masked: none comes
 * first), and kgdb must leave that context's interrupt bits as they are.
 * With pseudo-NMIs they are clear there (only the priority mask masks
 * interrupts), and the debug context's, all set, must not land there.
 */
static void masked_step(void)
{
	unsigned long kaddr = ksym("__set_task_blocked");
	int fd = kaddr ? open_kernel_bp(kaddr, HW_BREAKPOINT_X) : -1;
	unsigned long long n, want = 2 * (ROUNDS + 1);
	struct reading a, b;
	sigset_t set, old;
	int bad = 0;

	if (!kaddr) {
		result(0, "masked-step", "no __set_task_blocked in /proc/kallsyms");
		return;
	}
	if (fd < 0) {
		result(0, "masked-step", "perf_event_open: %s", strerror(errno));
		return;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	read(fd, &a, sizeof(a));
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i <= ROUNDS; i++) {
		if (sigprocmask(SIG_BLOCK, &set, &old) || sigismember(&old, SIGUSR1))
			bad++;
		if (sigprocmask(SIG_UNBLOCK, &set, &old) || !sigismember(&old, SIGUSR1))
			bad++;
	}
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	read(fd, &b, sizeof(b));
	close(fd);
	n = b.count - a.count;
	/* The hit stepped from counts twice (the step came before it ran). */
	result(!bad && n >= want && n <= want + 1, "masked-step",
	       "%d of %llu sigprocmask() calls wrong; the kernel breakpoint counted %llu (want %llu or %llu)",
	       bad, want, n, want, want + 1);
}

/*
 * A CPU-wide kernel watchpoint on sysctl_perf_event_paranoid, then 4
 * writes of the sysctl on CPU 0, the old value last: the host's gdb
 * steps the store of the first and stops in perf_bp_event() for the
 * watchpoint hit inside that step.  Every write must land and count once.
 */
static void nested_watch(void)
{
	const char *path = "/proc/sys/kernel/perf_event_paranoid";
	unsigned long kaddr = ksym("sysctl_perf_event_paranoid");
	unsigned long long n;
	struct reading a, b;
	char old[16] = "", now[16] = "", val[2][16];
	int fd, bad = 0, r;
	FILE *f;

	if (!kaddr) {
		result(0, "nested-watch", "no sysctl_perf_event_paranoid in /proc/kallsyms");
		return;
	}
	fd = open_kernel_bp(kaddr, HW_BREAKPOINT_W);
	if (fd < 0) {
		result(0, "nested-watch", "perf_event_open: %s", strerror(errno));
		return;
	}
	f = fopen(path, "r");
	if (!f || !fgets(old, sizeof(old), f)) {
		result(0, "nested-watch", "cannot read %s", path);
		return;
	}
	fclose(f);
	old[strcspn(old, "\n")] = 0;
	snprintf(val[0], sizeof(val[0]), "%d", atoi(old) == 1 ? 2 : 1);
	snprintf(val[1], sizeof(val[1]), "%s", old);
	read(fd, &a, sizeof(a));
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (int i = 0; i < 4; i++) {
		int w = open(path, O_WRONLY);

		r = w < 0 ? -1 : write(w, val[i % 2], strlen(val[i % 2]));
		if (w >= 0)
			close(w);
		f = fopen(path, "r");
		if (r < 0 || !f || !fgets(now, sizeof(now), f) || atoi(now) != atoi(val[i % 2]))
			bad++;
		now[strcspn(now, "\n")] = 0;
		if (f)
			fclose(f);
	}
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	read(fd, &b, sizeof(b));
	close(fd);
	n = b.count - a.count;
	result(!bad && n == 4, "nested-watch",
	       "%d of 4 writes of %s wrong (last read %s); the watchpoint counted %llu of 4",
	       bad, path, now, n);
}

/*
 * Where the name is mapped, and its length: gdb's breakpoint on
 * __arch_copy_from_user stops only for this copy ("if $x1 == 0x5a5a000000
 * && $x2 == 57"), not for the shell's own.
 */
#define FAULT_COPY_ADDR 0x5a5a000000UL
#define FAULT_COPY_LEN 57

static void fault_copy(void)
{
	static const char name[] =
		"hwbp-stepfault-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
	char old[65] = "", now[65] = "";
	const char *path = "/tmp/hwbp-fault-copy";
	FILE *f = fopen(path, "w");
	char *p;
	int fd, rc;

	_Static_assert(sizeof(name) - 1 == FAULT_COPY_LEN, "name length");
	if (!f || fputs(name, f) == EOF || fclose(f)) {
		result(0, "fault-copy", "cannot write %s", path);
		return;
	}
	fd = open(path, O_RDONLY);
	p = fd < 0 ? MAP_FAILED : mmap((void *)FAULT_COPY_ADDR, 4096, PROT_READ,
					MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	if (p == MAP_FAILED) {
		result(0, "fault-copy", "cannot map %s: %s", path, strerror(errno));
		return;
	}
	gethostname(old, sizeof(old) - 1);
	/* The first access to p is the kernel's: a page fault in the copy. */
	rc = sethostname(p, FAULT_COPY_LEN);
	gethostname(now, sizeof(now) - 1);
	result(rc == 0 && !strcmp(now, name), "fault-copy",
	       "sethostname from an untouched mapping: %d, name '%s'", rc, now);
	sethostname(old, strlen(old));
	munmap(p, 4096);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2)
		result_prefix = argv[2];
	pin_to(0);
	stop_req = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop_req == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	*stop_req = 0;
	if (!read_slot_counts()) {
		result(0, "dbg-info", "no slot counts from NT_ARM_HW_BREAK/WATCH");
		return 1;
	}
	if (!strcmp(mode, "evict-watch"))
		evict(NT_ARM_HW_WATCH);
	else if (!strcmp(mode, "evict-break"))
		evict(NT_ARM_HW_BREAK);
	else if (!strcmp(mode, "privilege"))
		privilege();
	else if (!strcmp(mode, "honest-pinned"))
		honest(1);
	else if (!strcmp(mode, "honest-flexible"))
		honest(0);
	else if (!strcmp(mode, "honest-room-left"))
		honest_room_left();
	else if (!strcmp(mode, "badinput"))
		badinput(0);
	else if (!strcmp(mode, "stop-cont"))
		stop_cont(argc > 3 ? atoi(argv[3]) : 300);
	else if (!strcmp(mode, "badinput-full"))
		badinput(1);
	else if (!strcmp(mode, "step-install"))
		step_install();
	else if (!strcmp(mode, "kernel-bp-counts"))
		kernel_bp_counts();
	else if (!strcmp(mode, "fault-copy"))
		fault_copy();
	else if (!strcmp(mode, "masked-step"))
		masked_step();
	else if (!strcmp(mode, "nested-watch"))
		nested_watch();
	else {
		fprintf(stderr, "usage: hwbp-arm64 evict-watch|evict-break|honest-pinned|honest-flexible|honest-room-left|privilege|badinput|badinput-full|stop-cont|step-install|kernel-bp-counts|fault-copy|masked-step|nested-watch [PREFIX]\n");
		return 2;
	}
	return failures ? 1 : 0;
}

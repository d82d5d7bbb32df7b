// SPDX-License-Identifier: GPL-2.0
/*
 * hwbp-fuzz: a seeded, reproducible fuzzer of the hardware breakpoint
 * syscall surface, run in the guest.
 *
 *   hwbp-fuzz fuzz SEED SECONDS [MAXSEQ [TAG]]  sequences SEED, SEED+1, ... for SECONDS
 *   hwbp-fuzz replay FILE...              replay recorded sequences (regressions)
 *   hwbp-fuzz final                       the end state: no slot used, all registrable
 *   hwbp-fuzz print FILE...               parse op logs and print them (no syscall)
 *   hwbp-fuzz --tracee                    (internal: the image a tracee execs)
 *
 * A sequence is a random series of operations, each recorded as one line
 * (the op log, see op_fmt()): tracees forked, run, exec'd, forking, exiting
 * and killed; PTRACE_POKEUSER of DR0-DR7 and of bad offsets by their
 * tracer (root, or an agent process running as nobody); perf_event_open()
 * of breakpoint events (valid and invalid attributes, pinned or flexible,
 * groups, inherit, exclude_*, sigtrap/remove_on_exec/enable_on_exec) on a
 * task or a CPU; PERF_EVENT_IOC_ENABLE/DISABLE/RESET/REFRESH/
 * MODIFY_ATTRIBUTES and read(); CPU 1 offline/online; the scheduler's
 * switch (hw_breakpoint.preempt, patched kernel only).
 *
 * Every result is checked against a model of the documented semantics
 * (docs/design.md "Registration", "Who may evict whom"; mainline 6.1's
 * checks in kernel/events/core.c, kernel/events/hw_breakpoint.c,
 * arch/x86/kernel/{ptrace,hw_breakpoint}.c):
 *
 *  - each operation has a set of allowed results (errno_allowed()); the
 *    model predicts the exact result where it can: the errno of the first
 *    check that fails, in the kernel's order (perf: attribute checks,
 *    permission, reservation, then the breakpoint's own checks; ptrace: the
 *    DR7 fields, the reservation, the address), and whether a breakpoint
 *    fits: the constraint tables of 6.1 recomputed from every breakpoint the
 *    model knows of, per accounting level on the patched kernel (a ptrace
 *    breakpoint of a root tracer is checked only against ptrace's, sigtrap
 *    and in-kernel ones; of an unprivileged one also against perf's
 *    CPU-wide and kernel-watching ones; with the switch off, and on
 *    pristine, against all).  So a ptrace DR0 write with perf on every slot
 *    must succeed (patched, root tracer) or get ENOSPC (pristine, switch
 *    off, or unprivileged tracer vs root's CPU-wide events).  The exact
 *    prediction is asserted only while the model knows every reservation:
 *    not while the torture test runs (its threads hold breakpoints), and not
 *    after an inherited event or a remove_on_exec event went through a fork
 *    or an exec in this sequence;
 *  - a refused PTRACE_POKEUSER leaves DR0-3/DR6/DR7 as they read before; an
 *    accepted one reads back as written;
 *  - read() of a breakpoint event returns its full size;
 *  - after the sequence (every fd closed, every task killed and reaped, CPU 1
 *    online, the switch on): no kernel report in /dev/kmsg, no slot of the
 *    scheduler's table (/sys/kernel/debug/hw_breakpoint/slots) holding one
 *    of our addresses, and, with the torture test not running, every CPU
 *    takes 4 CPU-wide breakpoints and a fresh tracee DR0-3 enabled.
 *
 * A failing sequence is printed with its seed, then shrunk (the prefix up
 * to the failing operation, then operations dropped one at a time while
 * the same kind of failure still reproduces, bounded) and printed again:
 * that op log, saved under tests/guest/fuzz-regressions/, is replayed by
 * the plan before it fuzzes.
 *
 * Results: lines "RESULT ok|fail NAME [# diagnostic]" in /tmp/fuzz-results
 * for the plan (tests/plans/fuzz-guest.sh), which prints them as KTAP.
 */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "hwbp-perf-fill.h"	/* first: it defines _GNU_SOURCE */

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#define NT		6	/* tracee slots */
#define NF		16	/* perf event slots */
#define NA		3	/* agents: 0 this process (root), 1-2 nobody */
#define MAXOPS		160	/* per sequence */
#define NSLOT		4
#define NOBODY		65534

#define SLOTS_FILE	"/sys/kernel/debug/hw_breakpoint/slots"
#define PREEMPT_KNOB	"/sys/module/hw_breakpoint/parameters/preempt"
#define TORTURE_DUR	"/sys/module/hw_breakpoint_torture/parameters/duration"
#define CPU1_ONLINE	"/sys/devices/system/cpu/cpu1/online"
#define RESULTS		"/tmp/fuzz-results"

#define KERNEL_TEXT	0xffffffff81000000UL
#define CPU_ENTRY_AREA	0xfffffe0000000000UL

/* ---------------------------------------------------------------- */
/* Random numbers: splitmix64, one stream per sequence. */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rn(int n) { return (int)(rnd() % (uint64_t)n); }
static int pct(int p) { return rn(100) < p; }

/* ---------------------------------------------------------------- */
/* Addresses, symbolic so that op logs survive a rebuild. */

static unsigned long task_size_max, ksym_getppid, ksym_entry, ksym_paranoid;

struct sym { char base; long off; };

static unsigned long resolve(struct sym s)
{
	unsigned long b = 0;

	switch (s.base) {
	case 'w': b = (unsigned long)&watched[0].v; break;
	case 'x': b = (unsigned long)exec_target; break;
	case 'k': b = KERNEL_TEXT; break;
	case 'g': b = ksym_getppid; break;
	case 'e': b = ksym_entry; break;
	case 'p': b = ksym_paranoid; break;
	case 'c': b = CPU_ENTRY_AREA; break;
	case 'T': b = task_size_max; break;
	case 'n': b = 1UL << 47; break;
	default: b = 0; break;
	}
	return b + s.off;
}

static struct sym gen_sym(void)
{
	static const char kern[] = "kgepcTn";
	struct sym s = { 'w', 0 };
	int r = rn(100);

	if (r < 45) {
		s.base = 'w';
		s.off = rn(3) * 64 + (pct(70) ? 0 : rn(9));
	} else if (r < 65) {
		s.base = 'x';
		s.off = pct(85) ? 0 : rn(4);
	} else if (r < 85) {
		s.base = kern[rn(7)];
		s.off = s.base == 'T' ? -(long)(1 + rn(16)) * (pct(50) ? 1 : 0) : 0;
	} else {
		s.base = 'z';
		s.off = pct(30) ? 0 : 0x400000 + rn(0x100000);
	}
	return s;
}

/* ---------------------------------------------------------------- */
/* Operations and their log format. */

enum {
	OP_TNEW, OP_TKILL, OP_TRUN, OP_TWAIT, OP_POKE, OP_OPEN, OP_CLOSE, OP_IOC,
	OP_HOT, OP_SWITCH, OP_ANEW, OP_AEXIT, NR_OPS
};
static const char *const op_name[NR_OPS] = {
	"tnew", "tkill", "trun", "twait", "poke", "open", "close", "ioc",
	"hot", "switch", "anew", "aexit",
};

/*
 * ag: agent; t: tracee slot (open: -1 the agent itself, -2 none, a CPU);
 * f: perf slot; x, y: per op (poke: register 0-7, 8 = DR0+4, 9 = past the
 * user area; open: x cpu, y group leader slot; ioc: x request; trun: x
 * command, y async; tnew: x cpu to pin to); v: DR6/DR7 value or packed
 * perf attributes; a: address.
 */
struct op {
	int kind, ag, t, f, x, y;
	unsigned long long v;
	struct sym a;
};

static void op_fmt(const struct op *o, char *buf, size_t n)
{
	snprintf(buf, n, "%s ag=%d t=%d f=%d x=%d y=%d v=%llx a=%c%+ld", op_name[o->kind], o->ag,
		 o->t, o->f, o->x, o->y, o->v, o->a.base, o->a.off);
}

static int op_parse(const char *line, struct op *o)
{
	char name[16], base;
	long off;
	int k;

	memset(o, 0, sizeof(*o));
	if (sscanf(line, "%15s ag=%d t=%d f=%d x=%d y=%d v=%llx a=%c%ld", name, &o->ag, &o->t, &o->f,
		   &o->x, &o->y, &o->v, &base, &off) != 9)
		return -1;
	for (k = 0; k < NR_OPS && strcmp(name, op_name[k]); k++)
		;
	if (k == NR_OPS || o->ag < 0 || o->ag >= NA || o->t < -2 || o->t >= NT || o->f < 0 ||
	    o->f >= NF)
		return -1;
	o->kind = k;
	o->a.base = base;
	o->a.off = off;
	return 0;
}

/* Packed perf attributes (op.v). */
#define PA_TYPE(v)	((unsigned)(v) & 0xf)
#define PA_LEN(v)	((unsigned)((v) >> 4) & 0xff)
#define PF_PINNED	(1ULL << 16)
#define PF_EXCL_K	(1ULL << 17)
#define PF_EXCL_U	(1ULL << 18)
#define PF_EXCL_HV	(1ULL << 19)
#define PF_INHERIT	(1ULL << 20)
#define PF_DISABLED	(1ULL << 21)
#define PF_SIGTRAP	(1ULL << 22)
#define PF_RM_EXEC	(1ULL << 23)
#define PF_EN_EXEC	(1ULL << 24)
#define PF_INH_THR	(1ULL << 25)
#define PF_TIMES	(1ULL << 26)
#define PF_SAMPLE	(1ULL << 27)
#define PF_OTHER	(1ULL << 28)	/* modify: change a field that may not change */

static void pack_attr(struct perf_event_attr *a, unsigned long long v, unsigned long addr)
{
	memset(a, 0, sizeof(*a));
	a->type = PERF_TYPE_BREAKPOINT;
	a->size = sizeof(*a);
	a->bp_type = PA_TYPE(v);
	a->bp_len = PA_LEN(v);
	a->bp_addr = addr;
	a->pinned = !!(v & PF_PINNED);
	a->exclude_kernel = !!(v & PF_EXCL_K);
	a->exclude_user = !!(v & PF_EXCL_U);
	a->exclude_hv = !!(v & PF_EXCL_HV);
	a->inherit = !!(v & PF_INHERIT);
	a->disabled = !!(v & PF_DISABLED);
	a->sigtrap = !!(v & PF_SIGTRAP);
	a->remove_on_exec = !!(v & PF_RM_EXEC);
	a->enable_on_exec = !!(v & PF_EN_EXEC);
	a->inherit_thread = !!(v & PF_INH_THR);
	if (v & PF_TIMES)
		a->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	if (v & PF_SAMPLE)
		a->sample_period = 1;
}

/* ---------------------------------------------------------------- */
/* The tracee: stops itself, then does what its tracer poked into tcmd. */

static volatile long tcmd, tres;

static void small_exercise(void)
{
	for (int i = 0; i < 8; i++) {
		watched[i % 3].v++;
		exec_target();
	}
}

static void __attribute__((noreturn)) tracee_loop(void)
{
	for (;;) {
		raise(SIGSTOP);
		switch (tcmd) {
		case 1: {
			char *argv[] = { "hwbp-fuzz", "--tracee", NULL };

			execv("/proc/self/exe", argv);
			tres = errno;
			break;
		}
		case 2: {
			pid_t p = fork();

			if (p == 0) {
				small_exercise();
				_exit(0);
			}
			tres = p < 0 ? errno : 0;
			if (p > 0)
				waitpid(p, NULL, 0);
			break;
		}
		case 3:
			_exit(0);
		default:
			small_exercise();
		}
		tcmd = 0;
	}
}

/* ---------------------------------------------------------------- */
/* Executing one op, in the agent that owns its objects. */

struct res {
	int err;		/* 0 or errno; -1: not applicable (object missing) */
	int dead;		/* a tracee died (trun/twait/tkill) */
	long v[13];		/* poke: DR0-3,6,7 before then after; tnew: pid; read: size */
};

static pid_t lpid[NT];
/*
 * Tracees continued by an asynchronous trun and not waited for since.
 * A poke may find one in any ptrace stop of its command (the SIGTRAP
 * after an exec, a signal-delivery stop for the SIGCHLD of its fork's
 * child, a breakpoint's SIGTRAP), not at the loop's SIGSTOP: the next
 * trun first waits for that SIGSTOP, or its command would be taken by
 * the new image's first stop (exec) or overwritten by the loop's tcmd = 0,
 * and run at a later trun than the model says (an exit, say, while the
 * model counts the tracee's ptrace breakpoints: seed 64 of the lone
 * phase; an exec that never happened: seed 93).
 */
static int lasync[NT];
static int lfd[NF];
/* Pids of tracees, as their agent reported them (to kill those left behind). */
static pid_t agent_pidof[NT];
static int agent_self;		/* which agent this process is */

static void close_fds_from3(int keep1, int keep2)
{
	for (int fd = 3; fd < 256; fd++)
		if (fd != keep1 && fd != keep2)
			close(fd);
}

/* waitpid with a deadline: 0 stopped by SIGSTOP, 1 dead (reaped). */
static int wait_stop(int t)
{
	pid_t pid = lpid[t];
	int st, ms = 0;

	lasync[t] = 0;
	/* At most 200 stops and about 10 s (TCG is slow): then it is killed. */
	for (int n = 0; n < 200; n++) {
		int w;

		while ((w = waitpid(pid, &st, __WALL | WNOHANG)) == 0 && ms < 10000) {
			usleep(1000);
			ms++;
		}
		if (w == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, __WALL);
			lpid[t] = 0;
			return 1;
		}
		if (w < 0 || WIFEXITED(st) || WIFSIGNALED(st)) {
			lpid[t] = 0;
			return 1;
		}
		if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP)
			return 0;
		ptrace(PTRACE_CONT, pid, 0, 0);	/* SIGTRAP and the like: suppressed */
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, __WALL);
	lpid[t] = 0;
	return 1;
}

#define DR_OFF(n)	(offsetof(struct user, u_debugreg) + (n) * sizeof(long))

static void peek_drs(pid_t pid, long *out)
{
	static const int regs[6] = { 0, 1, 2, 3, 6, 7 };

	for (int i = 0; i < 6; i++)
		out[i] = ptrace(PTRACE_PEEKUSER, pid, DR_OFF(regs[i]), 0);
}

static struct res exec_op(const struct op *o)
{
	struct res r = { .err = -1 };
	struct perf_event_attr a;

	switch (o->kind) {
	case OP_TNEW: {
		pid_t pid;
		int st;

		if (lpid[o->t])
			break;
		pid = fork();
		if (pid == 0) {
			close_fds_from3(-1, -1);
			if (o->x >= 0)
				pin_to(o->x);
			ptrace(PTRACE_TRACEME, 0, 0, 0);
			tracee_loop();
		}
		if (pid < 0) {
			r.err = errno;
			break;
		}
		if (waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st)) {
			r.err = ECHILD;
			break;
		}
		lpid[o->t] = pid;
		lasync[o->t] = 0;
		r.err = 0;
		r.v[0] = pid;
		break;
	}
	case OP_TKILL:
		if (!lpid[o->t])
			break;
		kill(lpid[o->t], SIGKILL);
		waitpid(lpid[o->t], NULL, __WALL);
		lpid[o->t] = 0;
		lasync[o->t] = 0;
		r.err = 0;
		r.dead = 1;
		break;
	case OP_TRUN:
		if (!lpid[o->t])
			break;
		if (lasync[o->t] && wait_stop(o->t)) {
			r.err = 0;
			r.dead = 1;
			r.v[1] = 1;	/* before its command */
			break;
		}
		errno = 0;
		if (o->x && ptrace(PTRACE_POKEDATA, lpid[o->t], &tcmd, (long)o->x)) {
			r.err = errno;
			break;
		}
		if (ptrace(PTRACE_CONT, lpid[o->t], 0, 0)) {
			r.err = errno;
			break;
		}
		r.err = 0;
		lasync[o->t] = o->y;
		if (!o->y) {
			r.dead = wait_stop(o->t);
			if (!r.dead && o->x == 2) {
				errno = 0;
				r.v[0] = ptrace(PTRACE_PEEKDATA, lpid[o->t], &tres, 0);
			}
		}
		break;
	case OP_TWAIT:
		if (!lpid[o->t])
			break;
		r.err = 0;
		r.dead = wait_stop(o->t);
		break;
	case OP_POKE: {
		unsigned long off, val;

		if (!lpid[o->t])
			break;
		if (o->x < 8)
			off = DR_OFF(o->x);
		else if (o->x == 8)
			off = DR_OFF(0) + 4;
		else
			off = sizeof(struct user);
		val = (o->x < 4 || o->x == 8) ? resolve(o->a) : o->v;
		peek_drs(lpid[o->t], r.v);
		errno = 0;
		r.err = ptrace(PTRACE_POKEUSER, lpid[o->t], off, val) ? errno : 0;
		peek_drs(lpid[o->t], r.v + 6);
		break;
	}
	case OP_OPEN: {
		pid_t pid;
		int group = -1, fd;

		if (lfd[o->f] >= 0)
			break;
		if (o->t >= 0) {
			if (!lpid[o->t])
				break;
			pid = lpid[o->t];
		} else {
			pid = o->t == -1 ? 0 : -1;
		}
		if (o->y >= 0) {
			if (lfd[o->y] < 0)
				break;
			group = lfd[o->y];
		}
		pack_attr(&a, o->v, resolve(o->a));
		fd = syscall(__NR_perf_event_open, &a, pid, o->x, group, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			r.err = errno;
		} else {
			lfd[o->f] = fd;
			r.err = 0;
		}
		break;
	}
	case OP_CLOSE:
		if (lfd[o->f] < 0)
			break;
		r.err = close(lfd[o->f]) ? errno : 0;
		lfd[o->f] = -1;
		break;
	case OP_IOC: {
		int fd = lfd[o->f], ret;
		long long buf[8];

		if (fd < 0)
			break;
		switch (o->x) {
		case 0: ret = ioctl(fd, PERF_EVENT_IOC_ENABLE, 0); break;
		case 1: ret = ioctl(fd, PERF_EVENT_IOC_DISABLE, 0); break;
		case 2: ret = ioctl(fd, PERF_EVENT_IOC_RESET, 0); break;
		case 3: ret = ioctl(fd, PERF_EVENT_IOC_REFRESH, 1); break;
		case 4:
			pack_attr(&a, o->v, resolve(o->a));
			if (o->v & PF_OTHER)
				a.exclude_idle = 1;
			ret = ioctl(fd, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &a);
			break;
		default:
			ret = read(fd, buf, sizeof(buf));
			r.v[0] = ret;
			ret = ret < 0 ? -1 : 0;
			break;
		}
		r.err = ret < 0 ? errno : 0;
		break;
	}
	}
	return r;
}

/* ---------------------------------------------------------------- */
/* Agents: unprivileged processes that own tracees and perf fds. */

static struct {
	pid_t pid;
	int to, from;		/* pipes */
} agent[NA];

static void agent_kill_tracees(void)
{
	for (int t = 0; t < NT; t++) {
		if (lpid[t]) {
			kill(lpid[t], SIGKILL);
			waitpid(lpid[t], NULL, __WALL);
			lpid[t] = 0;
		}
	}
}

static void __attribute__((noreturn)) agent_main(int in, int out)
{
	struct op o;

	for (;;) {
		struct res r = { .err = -1 };

		if (read(in, &o, sizeof(o)) != sizeof(o))
			_exit(0);
		if (o.kind == OP_AEXIT) {
			if (!o.y)
				agent_kill_tracees();
			_exit(0);
		}
		r = exec_op(&o);
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(1);
	}
}

static int agent_start(int a)
{
	int to[2], from[2];
	pid_t pid;

	if (pipe(to) || pipe(from))
		return errno;
	pid = fork();
	if (pid == 0) {
		close_fds_from3(to[0], from[1]);
		for (int i = 0; i < NT; i++)
			lpid[i] = 0;
		for (int i = 0; i < NF; i++)
			lfd[i] = -1;
		agent_self = a;
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		prctl(PR_SET_DUMPABLE, 1);
		/* Our copies of the parent's perf fds are closed: say so. */
		if (write(from[1], "r", 1) != 1)
			_exit(3);
		agent_main(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	if (pid < 0) {
		close(to[1]);
		close(from[0]);
		return errno;
	}
	agent[a].pid = pid;
	agent[a].to = to[1];
	agent[a].from = from[0];
	{
		char c;

		/* Until then it holds copies of our perf fds (and their events). */
		if (read(from[0], &c, 1) != 1)
			return ECHILD;
	}
	return 0;
}

static void agent_stop(int a, int leave_tracees)
{
	struct op o = { .kind = OP_AEXIT, .y = leave_tracees };

	if (!agent[a].pid)
		return;
	if (write(agent[a].to, &o, sizeof(o)) != sizeof(o))
		kill(agent[a].pid, SIGKILL);
	close(agent[a].to);
	close(agent[a].from);
	waitpid(agent[a].pid, NULL, 0);
	agent[a].pid = 0;
}

static struct res run_in(int a, const struct op *o)
{
	struct res r = { .err = -1 };

	if (a == 0)
		return exec_op(o);
	if (!agent[a].pid)
		return r;
	if (write(agent[a].to, o, sizeof(*o)) != sizeof(*o) ||
	    read(agent[a].from, &r, sizeof(r)) != sizeof(r)) {
		r.err = -2;	/* the agent died */
	}
	return r;
}

/* ---------------------------------------------------------------- */
/* The model. */

static int patched;		/* the scheduler's debugfs is there */
static int have_switch;
static int nr_possible = 2;
static int paranoid = 2;
static int torture_running;
/* perf_event_open() since 6.2 (and 6.12.y) refuses an offline CPU, and a
 * group leader whose task has exited, with ENODEV before it checks the
 * group (EINVAL); 6.1 checks the group first and has no exited-leader check. */
static int online_before_group;

struct mbp {			/* a ptrace breakpoint (DR0-3 of a tracee) */
	int exists, len, type, disabled, reach;
	unsigned long addr;
};

static struct model {
	int preempt;		/* the switch (1 on pristine: unused) */
	int exact;		/* every reservation is known */
	int cpu1_online;
	int serial;
	struct {
		int alive, ag, serial, running, pin, cmd;	/* cmd: of the running one */
		struct mbp bp[NSLOT];
	} t[NT];
	struct {
		int open, ag, tser, tslot, cpu, lvl, leader, inherit, rm_exec, sample;
		int forked;	/* inherited, and its task forked since it was opened */
		unsigned long long v;
		struct sym a;
	} f[NF];
	int agent_alive[NA];
	int agent_serial[NA];
} m;

static int exact_now(void);

/* Accounting levels (patched): perf on a task (user only), perf on a CPU or
 * seeing the kernel, in-kernel/sigtrap, ptrace. */
enum { LV_TASK, LV_CPU, LV_KERNEL, LV_PTRACE };

/* Does one more breakpoint fit, for target serial @tser (0: a CPU) on @cpu
 * (-1: all), checked at level @lvl, not counting perf slot @xf or ptrace
 * breakpoint @xt/@xs? */
static int ignore_cap;

static int fits(int tser, int cpu, int lvl, int xf, int xt, int xs)
{
	int cp[8] = { 0 }, n = 0, any_cpu_bound = 0;

	if (ignore_cap)
		return 1;
	if (!patched)
		lvl = 0;
	for (int i = 0; i < NF; i++) {
		if (!m.f[i].open || i == xf || m.f[i].lvl < lvl)
			continue;
		if (!m.f[i].tser && m.f[i].cpu >= 0 && m.f[i].cpu < 8)
			cp[m.f[i].cpu]++;
		if (tser && m.f[i].tser == tser && m.f[i].cpu >= 0)
			any_cpu_bound = 1;
	}
	/* On @c, what task @ts has (its ptrace breakpoints and perf events). */
#define TASK_ON(ts, c) ({							\
		int _n = 0;							\
		for (int _i = 0; _i < NF; _i++)					\
			if (m.f[_i].open && _i != xf && m.f[_i].lvl >= lvl &&	\
			    m.f[_i].tser == (ts) &&				\
			    (m.f[_i].cpu < 0 || m.f[_i].cpu == (c)))		\
				_n++;						\
		for (int _t = 0; _t < NT; _t++)					\
			if (m.t[_t].alive && m.t[_t].serial == (ts))		\
				for (int _s = 0; _s < NSLOT; _s++)		\
					if (m.t[_t].bp[_s].exists &&		\
					    !(_t == xt && _s == xs))		\
						_n++;				\
		_n; })
	if (tser && cpu < 0 && !any_cpu_bound) {
		int mx = 0;

		for (int c = 0; c < nr_possible; c++)
			mx = cp[c] > mx ? cp[c] : mx;
		n = TASK_ON(tser, -1) + mx;
	} else {
		for (int c = 0; c < nr_possible; c++) {
			int nr;

			if (cpu >= 0 && c != cpu)
				continue;
			nr = cp[c];
			if (tser) {
				nr += TASK_ON(tser, c);
			} else {
				int mx = 0;

				for (int s = 1; s <= m.serial; s++) {
					int k = TASK_ON(s, c);

					mx = k > mx ? k : mx;
				}
				nr += mx;
			}
			n = nr > n ? nr : n;
		}
	}
	return n + 1 <= NSLOT;
}

/* The level a ptrace breakpoint of a tracer of agent @ag is checked at. */
static int ptrace_check_level(int ag)
{
	if (!patched || !m.preempt)
		return 0;
	return ag == 0 ? LV_KERNEL : LV_CPU;	/* reach + 1 */
}

static int user_ok(unsigned long addr, unsigned long len)
{
	return addr + len - 1 >= addr && addr < task_size_max && addr + len - 1 < task_size_max &&
	       !(addr & (len - 1));
}

/* ptrace's DR7 fields -> type and length; EINVAL if invalid. */
static int dr7_fields(unsigned long dr7, int i, int *type, int *len)
{
	static const int lens[4] = { 1, 2, 8, 4 };
	int rw = (dr7 >> (16 + i * 4)) & 3, lf = (dr7 >> (18 + i * 4)) & 3;

	switch (rw) {
	case 0:
		if (lf)
			return EINVAL;
		*type = HW_BREAKPOINT_X;
		*len = 1;	/* ptrace's X: one byte for the checks */
		return 0;
	case 1: *type = HW_BREAKPOINT_W; break;
	case 3: *type = HW_BREAKPOINT_RW; break;
	default: return EINVAL;
	}
	*len = lens[lf];
	return 0;
}

static int dr7_enabled(unsigned long dr7, int i) { return (dr7 >> (i * 2)) & 3; }

static unsigned long model_dr7(int t)
{
	static const int lenf[9] = { 0, 0, 1, 0, 3, 0, 0, 0, 2 };
	unsigned long d = 0;

	for (int i = 0; i < NSLOT; i++) {
		struct mbp *b = &m.t[t].bp[i];
		int rw;

		if (!b->exists || b->disabled)
			continue;
		rw = b->type == HW_BREAKPOINT_X ? 0 : b->type == HW_BREAKPOINT_W ? 1 : 3;
		d |= (2UL << (i * 2)) | ((unsigned long)rw << (16 + i * 4)) |
		     ((unsigned long)(b->type == HW_BREAKPOINT_X ? 0 : lenf[b->len]) << (18 + i * 4));
	}
	return d;
}

/*
 * One pass of ptrace_write_dr7() over the model's breakpoints of tracee @t
 * (tracer's check level @lvl, reach @reach): the errno it returns.
 */
static int dr7_pass(int t, unsigned long data, int lvl, int reach)
{
	for (int i = 0; i < NSLOT; i++) {
		struct mbp *b = &m.t[t].bp[i];
		int type, len, en = dr7_enabled(data, i), e;

		if (!b->exists) {
			if (!en)
				continue;
			if ((e = dr7_fields(data, i, &type, &len)))
				return e;
			if (!fits(m.t[t].serial, -1, lvl, -1, -1, -1))
				return ENOSPC;
			*b = (struct mbp){ 1, len, type, 0, reach, 0 };
			continue;
		}
		if ((e = dr7_fields(data, i, &type, &len)))
			return e;
		if (!user_ok(b->addr, len))
			return EINVAL;
		/*
		 * A change that leaves the breakpoint enabled takes the
		 * tracer's reach, checked as a registration if it is lower;
		 * one that leaves it disabled takes nothing (gdb's DR7 = 0
		 * before each DR7); a refusal changes nothing.  A new type in
		 * the same slot pool (x86: any) keeps its reservation
		 * unchecked, as in mainline (patch "Keep the reservation of a
		 * type change within a slot pool": DR7 = 0 gives every slot
		 * type 0).
		 */
		if (en) {
			if (reach < b->reach && !fits(m.t[t].serial, -1, lvl, -1, t, i))
				return ENOSPC;
			b->reach = reach;
		}
		b->type = type;
		b->len = len;
		b->disabled = !en;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Checking. */

static char fail_msg[512];
static int fail_kind;		/* 0 none, 1 errno, 2 readback, 3 kmsg, 4 leak, 5 capacity */
static int fail_op = -1;
static const char *const kind_name[] = { "none", "errno", "readback", "kernel-report",
					 "leak", "capacity", "agent" };
static long n_syscalls, n_exact, n_hotplugs, n_ops, stray_reports, kcsan_reports;
/* A kernel report was seen: the kernel's state may be corrupt from then on. */
static int kernel_reported;

static const char *en(int e)
{
	static char b[4][24];
	static int i;

	i = (i + 1) % 4;
	switch (e) {
	case 0: return "0";
	case -1: return "n/a";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case ESRCH: return "ESRCH";
	case EIO: return "EIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	}
	snprintf(b[i], sizeof(b[i]), "errno %d", e);
	return b[i];
}

static void fail(int kind, int opi, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(int kind, int opi, const char *fmt, ...)
{
	va_list ap;

	if (fail_kind)
		return;
	fail_kind = kind;
	fail_op = opi;
	va_start(ap, fmt);
	vsnprintf(fail_msg, sizeof(fail_msg), fmt, ap);
	va_end(ap);
}

#define BIT(e)	(1ULL << ((e) & 63))

/* @got must be in @allowed; and be @want if @want >= 0 and the model is exact. */
static void expect(int opi, const char *what, int got, uint64_t allowed, int want, int exact)
{
	if (got == -1)
		return;
	if (!(allowed & BIT(got)))
		fail(1, opi, "%s: got %s, not an allowed result", what, en(got));
	else if (want >= 0 && exact && got != want)
		fail(1, opi, "%s: got %s, the model says %s", what, en(got), en(want));
	if (want >= 0 && exact)
		n_exact++;
}

/* ---------------------------------------------------------------- */
/* Model predictions and updates, per op. */

/*
 * A breakpoint's own checks (hw_breakpoint_parse(): arch_build_bp_info(),
 * the alignment, kernel space): 0, the errno, or -2 (0 or EINVAL: kernel
 * code that kprobes may refuse).
 */
static int bp_parse_err(unsigned type, unsigned long len, unsigned long addr, int excl_k,
			int priv, char base)
{
	int kern;

	if (addr + len - 1 < addr)
		return EINVAL;
	if (addr >= CPU_ENTRY_AREA && addr < CPU_ENTRY_AREA + (1UL << 39))
		return EINVAL;
	switch (type) {
	case HW_BREAKPOINT_W:
	case HW_BREAKPOINT_W | HW_BREAKPOINT_R:
		if (len != 1 && len != 2 && len != 4 && len != 8) {
			if (!len || (len & (len - 1)) || (addr & (len - 1)))
				return EINVAL;
			return EOPNOTSUPP;	/* range breakpoints: no BPEXT under QEMU */
		}
		if (addr & (len - 1))
			return EINVAL;
		break;
	case HW_BREAKPOINT_X:
		if (addr >= task_size_max && base == 'e')
			return EINVAL;	/* kprobe blacklist: the entry code */
		if (len != sizeof(long))
			return EINVAL;
		len = 1;
		break;
	default:
		return EINVAL;
	}
	kern = addr >= task_size_max || addr + len - 1 >= task_size_max;
	if (kern && excl_k)
		return EINVAL;
	if (kern && !priv)
		return EPERM;
	if (kern && type == HW_BREAKPOINT_X && base != 'g')
		return -2;
	return 0;
}

/*
 * A sibling of an inherited leader whose task forked since the leader was
 * opened: the leader's context may have been swapped with the child's
 * (perf_event_context_sched_out() swaps the contexts of a parent and its
 * child, equivalent clones, instead of scheduling their events out and
 * in), and stays with the child once either context changes.  Then
 * perf_event_open() finds the leader on the other task: EINVAL for a
 * sibling on the leader's own task ("group_leader->ctx->task !=
 * ctx->task"), and one on the child may pass.  Mainline 6.1 (pristine
 * too), depending on which task ran after which on a CPU: the model
 * allows EINVAL, or what it would say on the child.
 */
static int swapped_leader(const struct op *o)
{
	return o->t != -2 && o->y >= 0 && m.f[o->y].open && m.f[o->y].inherit &&
	       m.f[o->y].forked && m.f[o->y].tser != 0;
}

/*
 * What perf_event_open() must return, in the kernel's order: @pre, the
 * errno of a check before the reservation (whatever the tables hold), else
 * ENOSPC if it does not fit, else @post (0, an errno, or -2: unknown).
 */
static void predict_open(const struct op *o, int *pre, int *post, int *post_ok, int *lvl,
			 int *tser)
{
	struct perf_event_attr a;
	unsigned long addr = resolve(o->a);
	int priv = o->ag == 0, task = o->t != -2, e;

	pack_attr(&a, o->v, addr);
	*pre = *post = *post_ok = 0;
	*tser = o->t >= 0 ? m.t[o->t].serial : o->t == -1 ? m.agent_serial[o->ag] : 0;
	*lvl = a.sigtrap ? LV_KERNEL : (task && a.exclude_kernel) ? LV_TASK : LV_CPU;
	if ((a.inherit_thread && !a.inherit) || (a.remove_on_exec && a.enable_on_exec) ||
	    (a.sigtrap && !a.remove_on_exec)) {
		*pre = EINVAL;
		return;
	}
	if (!priv && !a.exclude_kernel && paranoid > 1) {
		*pre = EACCES;
		return;
	}
	if (online_before_group && o->y >= 0 && m.f[o->y].tslot >= 0 &&
	    !(m.t[m.f[o->y].tslot].alive &&
	      m.t[m.f[o->y].tslot].serial == m.f[o->y].tser) && (task || priv)) {
		*pre = ENODEV;
		return;
	}
	if (task && o->y >= 0 && m.f[o->y].inherit != a.inherit) {
		*pre = EINVAL;
		return;
	}
	if (((unsigned)o->x >= (unsigned)nr_possible && !(task && o->x == -1)) ||
	    (a.sigtrap && !task) || a.bp_type == 0 ||
	    a.bp_type == (HW_BREAKPOINT_RW | HW_BREAKPOINT_X)) {
		*pre = EINVAL;
		return;
	}
	e = bp_parse_err(a.bp_type, a.bp_len, addr, a.exclude_kernel, priv, o->a.base);
	if (e > 0) {
		*post = e;
		return;
	}
	/* -2: EINVAL or, if the breakpoint passes, what comes after (post_ok). */
	if (e == -2) {
		*post = -2;
		post = post_ok;
	}
	if (!task && !priv) {
		*post = EACCES;
		return;
	}
	if (online_before_group && !task && o->x == 1 && !m.cpu1_online) {
		*post = ENODEV;
		return;
	}
	if (o->y >= 0) {
		int l = o->y;

		/* A sibling's leader must lead, on the same CPU and task; only a
		 * leader may be pinned. */
		if (m.f[l].leader >= 0 || m.f[l].cpu != o->x || a.pinned ||
		    (m.f[l].tser != *tser && !swapped_leader(o))) {
			*post = EINVAL;
			return;
		}
	}
	if (!task && o->x == 1 && !m.cpu1_online)
		*post = ENODEV;
	if (!task && o->x == 1 && !*post && torture_running)
		*post = -2;	/* the torture test may have CPU 1 down */
}

static const uint64_t open_allowed = BIT(0) | BIT(EINVAL) | BIT(ENOSPC) | BIT(EPERM) |
	BIT(EACCES) | BIT(EOPNOTSUPP) | BIT(ENODEV) | BIT(ESRCH) | BIT(ENOENT);

static void check_open(int i, const struct op *o, const struct res *r)
{
	int pre, post, post_ok, lvl, tser, want, exact = exact_now();

	predict_open(o, &pre, &post, &post_ok, &lvl, &tser);
	if (o->t >= 0 && m.t[o->t].running)
		exact = 0;
	if (!pre && swapped_leader(o) && r->err == EINVAL)
		return;		/* the leader's context went to the child */
	if (pre) {
		expect(i, "perf_event_open", r->err, open_allowed, pre, 1);
	} else {
		want = !fits(tser, o->x, 0, -1, -1, -1) ? ENOSPC : post;
		expect(i, "perf_event_open", r->err, open_allowed, want, exact && want != -2);
		/* Not exact: the tables may be fuller than the model knows, no more. */
		if (!exact && post >= 0 && r->err != post && r->err != ENOSPC &&
		    !(o->t >= 0 && r->err == ESRCH) &&
		    !(online_before_group && torture_running && o->t == -2 && o->x == 1 &&
		      r->err == ENODEV))
			fail(1, i, "perf_event_open: got %s, want %s or ENOSPC", en(r->err),
			     en(post));
		if (want == -2 && r->err != (post_ok == -2 ? 0 : post_ok) && r->err != EINVAL &&
		    r->err != ENOSPC && !(torture_running && r->err == ENODEV))
			fail(1, i, "perf_event_open: got %s, want %s, EINVAL or ENOSPC", en(r->err),
			     en(post_ok));
	}
	if (r->err == 0) {
		m.f[o->f].open = 1;
		m.f[o->f].ag = o->ag;
		m.f[o->f].tser = tser;
		m.f[o->f].tslot = o->t >= 0 ? o->t : -1;
		m.f[o->f].cpu = o->x;
		m.f[o->f].lvl = lvl;
		m.f[o->f].leader = o->y;
		m.f[o->f].inherit = !!(o->v & PF_INHERIT);
		m.f[o->f].rm_exec = !!(o->v & PF_RM_EXEC);
		m.f[o->f].sample = !!(o->v & PF_SAMPLE);
		m.f[o->f].forked = 0;
		m.f[o->f].v = o->v;
		m.f[o->f].a = o->a;
	}
}

static void check_poke(int i, const struct op *o, const struct res *r)
{
	int t = o->t, ag = o->ag, lvl = ptrace_check_level(ag), reach = ag == 0 ? 1 : 0;
	int was_running = m.t[t].running, exact = exact_now() && !was_running, want = 0;
	uint64_t allowed = BIT(0) | BIT(EINVAL) | BIT(ENOSPC) | BIT(EIO) | BIT(ESRCH);
	unsigned long val = (o->x < 4 || o->x == 8) ? resolve(o->a) : o->v;
	char what[64];

	snprintf(what, sizeof(what), "POKEUSER DR%d", o->x);
	if (r->err == ESRCH && m.t[t].running)
		return;		/* not stopped yet: nothing happened */
	if (m.t[t].running && r->err != ESRCH)
		m.t[t].running = 0;	/* it had stopped by then */
	if (o->x >= 8 || o->x == 4 || o->x == 5) {
		expect(i, what, r->err, BIT(EIO), EIO, 1);
		return;
	}
	if (o->x == 6) {
		expect(i, what, r->err, BIT(0), 0, 1);
	} else if (o->x < 4) {
		struct mbp *b = &m.t[t].bp[o->x];

		if (!b->exists) {
			if (!fits(m.t[t].serial, -1, lvl, -1, -1, -1))
				want = ENOSPC;
			else if (!user_ok(val, 1))
				want = EINVAL;
		} else if (!user_ok(val, b->type == HW_BREAKPOINT_X ? 1 : b->len)) {
			want = EINVAL;
		} else {
			int lowered = reach < b->reach;

			if (lowered && !b->disabled && !fits(m.t[t].serial, -1, lvl, -1, t, o->x))
				want = ENOSPC;
		}
		expect(i, what, r->err, allowed, want, exact);
		/* The tracer's reach: taken by a registration, or a change of an
		 * enabled breakpoint; a refusal changes nothing. */
		if (r->err == 0) {
			if (!b->exists)
				*b = (struct mbp){ 1, 1, HW_BREAKPOINT_W, 1, reach, val };
			b->addr = val;
			if (!b->disabled)
				b->reach = reach;
		}
	} else {	/* DR7 */
		struct mbp save[NSLOT];
		unsigned long old = model_dr7(t);

		memcpy(save, m.t[t].bp, sizeof(save));
		want = dr7_pass(t, val, lvl, reach);
		expect(i, what, r->err, allowed, want, exact);
		if (r->err != want) {
			/* The model missed a reservation (not exact): follow the kernel. */
			memcpy(m.t[t].bp, save, sizeof(save));
			if (r->err == 0) {
				ignore_cap = 1;
				dr7_pass(t, val, lvl, reach);
				ignore_cap = 0;
			}
		}
		if (r->err > 0) {
			/*
			 * The second pass: the old DR7 on whatever exists now,
			 * restore_ptrace_hw_breakpoint(): no reach taken, no check.
			 */
			ignore_cap = 1;
			for (int s = 0; s < NSLOT; s++) {
				struct mbp *b = &m.t[t].bp[s];

				if (!b->exists)
					continue;
				if (dr7_enabled(old, s))
					dr7_fields(old, s, &b->type, &b->len);
				else
					b->type = HW_BREAKPOINT_X, b->len = 1;
				b->disabled = !dr7_enabled(old, s);
			}
			ignore_cap = 0;
		}
	}
	/* Read back: as written when accepted, as before when refused. */
	if (r->err == 0) {
		int idx = o->x < 4 ? o->x : o->x == 6 ? 4 : 5;

		if (o->x != 6 && (unsigned long)r->v[6 + idx] != val)
			fail(2, i, "%s accepted %#lx, reads back %#lx", what, val,
			     (unsigned long)r->v[6 + idx]);
	} else if (r->err > 0 && !was_running && memcmp(r->v, r->v + 6, 6 * sizeof(long))) {
		fail(2, i, "%s refused (%s) but DR0-3/6/7 changed: %lx %lx %lx %lx %lx %lx -> "
		     "%lx %lx %lx %lx %lx %lx", what, en(r->err), r->v[0], r->v[1], r->v[2],
		     r->v[3], r->v[4], r->v[5], r->v[6], r->v[7], r->v[8], r->v[9], r->v[10],
		     r->v[11]);
	}
}

static void check_ioc(int i, const struct op *o, const struct res *r)
{
	int f = o->f, want = 0, exact = exact_now();

	switch (o->x) {
	case 0: case 1: case 2:
		expect(i, "ioctl", r->err, BIT(0), 0, 1);
		break;
	case 3:
		want = (m.f[f].inherit || !m.f[f].sample) ? EINVAL : 0;
		expect(i, "ioctl REFRESH", r->err, BIT(0) | BIT(EINVAL), want, 1);
		break;
	case 4: {
		struct perf_event_attr na;
		int pe;

		pack_attr(&na, o->v, resolve(o->a));
		pe = bp_parse_err(na.bp_type, na.bp_len, na.bp_addr, na.exclude_kernel, o->ag == 0,
				  o->a.base);
		if (!pe && (na.bp_type == 0 || na.bp_type == 7))
			pe = EINVAL;
		if (!pe && (o->v & PF_OTHER))
			pe = EINVAL;
		/*
		 * A new type in the same slot pool (x86: any) keeps the
		 * reservation, unchecked (patch "Keep the reservation of a type
		 * change within a slot pool"; mainline's release and reserve
		 * could not fail there either): never ENOSPC, even where a
		 * level is over full because ptrace breakpoints evict (seed 145
		 * of the lone phase: a CPU-wide W -> RW beside a tracee's three
		 * ptrace breakpoints on full slots).
		 */
		if (m.f[f].inherit || (m.f[f].tslot >= 0 && m.t[m.f[f].tslot].running))
			exact = 0;
		expect(i, "ioctl MODIFY_ATTRIBUTES", r->err,
		       BIT(0) | BIT(EINVAL) | BIT(ENOSPC) | BIT(EPERM) | BIT(EOPNOTSUPP),
		       pe < 0 ? -1 : pe, exact);
		if (r->err == 0) {
			m.f[f].v = (m.f[f].v & ~0xfffULL) | (o->v & 0xfff);
			m.f[f].a = o->a;
		}
		break;
	}
	default: {
		long want_sz = (m.f[f].v & PF_TIMES) ? 24 : 8;

		expect(i, "read", r->err, BIT(0), 0, 1);
		if (r->err == 0 && r->v[0] != want_sz)
			fail(1, i, "read() of a breakpoint event returned %ld bytes, want %ld",
			     r->v[0], want_sz);
	}
	}
}

/* What exec and fork do to the model's knowledge. */
static void tracee_execs(int t)
{
	memset(m.t[t].bp, 0, sizeof(m.t[t].bp));	/* flush_ptrace_hw_breakpoint() */
	for (int f = 0; f < NF; f++)
		if (m.f[f].open && m.f[f].tslot == t && m.f[f].rm_exec)
			m.exact = 0;	/* removed, reservation kept until close */
}

/*
 * The model knows every reservation now: not while a tracee runs on its
 * own towards an exec, a fork or its exit.
 */
static int exact_now(void)
{
	for (int t = 0; t < NT; t++)
		if (m.t[t].alive && m.t[t].running && m.t[t].cmd)
			return 0;
	return m.exact;
}

static int inherit_on(int tser)
{
	int on = 0;

	for (int f = 0; f < NF; f++)
		if (m.f[f].open && m.f[f].inherit && m.f[f].tser == tser)
			on = 1;
	return on;
}

/* Task @tser forks: its inherited events get copies in the child's context. */
static void task_forks(int tser)
{
	for (int f = 0; f < NF; f++)
		if (m.f[f].open && m.f[f].inherit && m.f[f].tser == tser)
			m.f[f].forked = 1;
}

static void tracee_dies(int t)
{
	m.t[t].alive = 0;
	m.t[t].running = 0;
	memset(m.t[t].bp, 0, sizeof(m.t[t].bp));
}

/* ---------------------------------------------------------------- */
/* kmsg: kernel reports since the last look. */

static int kmsg_fd = -1;
static char report_line[256];

static int kmsg_reports(void)
{
	char buf[2048];
	int found = 0;
	ssize_t n;

	if (kmsg_fd < 0)
		return 0;
	while ((n = read(kmsg_fd, buf, sizeof(buf) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		char *msg;

		if (n <= 0)
			continue;
		buf[n] = '\0';
		msg = strchr(buf, ';');
		msg = msg ? msg + 1 : buf;
		if (strstr(msg, "hw_breakpoint_torture: End of test"))
			torture_running = 0;
		/*
		 * A KCSAN report (make kcsan) is a data race seen, not a
		 * corrupt kernel: counted and named, the fuzzing goes on so
		 * that one boot finds every race; the host judges it
		 * (scripts/kcsan-verdict.py, tests/known-splats.txt).
		 */
		if (strstr(msg, "BUG: KCSAN:")) {
			kcsan_reports++;
			printf("# KCSAN report: %.200s", msg);
			continue;
		}
		if (strstr(msg, "WARNING:") || strstr(msg, "BUG:") || strstr(msg, "Call Trace") ||
		    strstr(msg, "lockdep") || strstr(msg, "possible recursive locking") ||
		    strstr(msg, "inconsistent lock state") || strstr(msg, "Kernel panic") ||
		    strstr(msg, "general protection") || strstr(msg, "hw_breakpoint_torture: ERROR") ||
		    strstr(msg, "INFO: task") || strstr(msg, "stall")) {
			if (!found++) {
				snprintf(report_line, sizeof(report_line), "%.200s", msg);
				report_line[strcspn(report_line, "\n")] = '\0';
			}
		}
	}
	return found;
}

/* ---------------------------------------------------------------- */
/* Files. */

static int read_int_file(const char *path, int dflt)
{
	char b[32] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return dflt;
	if (!fgets(b, sizeof(b), f))
		b[0] = '\0';
	fclose(f);
	if (b[0] == 'Y')
		return 1;
	if (b[0] == 'N')
		return 0;
	return b[0] ? atoi(b) : dflt;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* ---------------------------------------------------------------- */
/* Generating one op from the model. */

static int pick(int n, int (*ok)(int))
{
	int c[NF > NT ? NF : NT], k = 0;

	for (int i = 0; i < n; i++)
		if (ok(i))
			c[k++] = i;
	return k ? c[rn(k)] : -1;
}

static int t_alive(int t) { return m.t[t].alive; }
static int t_free(int t) { return !m.t[t].alive; }
static int t_stopped(int t) { return m.t[t].alive && !m.t[t].running; }
static int t_running(int t) { return m.t[t].alive && m.t[t].running; }
static int f_open(int f) { return m.f[f].open; }
static int f_free(int f) { return !m.f[f].open; }
static int gen_ag;
static int f_open_ag(int f) { return m.f[f].open && m.f[f].ag == gen_ag; }
static int t_alive_ag(int t) { return m.t[t].alive && m.t[t].ag == gen_ag; }

static unsigned long long gen_dr7(void)
{
	unsigned long long d = 0;
	int r = rn(100);

	if (r < 8)
		return 0;
	if (r < 11)
		return rnd();
	for (int i = 0; i < NSLOT; i++) {
		int rw, lf;

		if (!pct(45))
			continue;
		d |= (unsigned long long)(1 + rn(3)) << (i * 2);
		r = rn(100);
		rw = r < 30 ? 0 : r < 62 ? 1 : r < 67 ? 2 : 3;
		lf = (rw == 0 && pct(85)) ? 0 : rn(4);
		d |= (unsigned long long)rw << (16 + i * 4) | (unsigned long long)lf << (18 + i * 4);
	}
	if (pct(8))
		d |= 1ULL << (8 + rn(6));	/* LE, GE, GD, reserved */
	if (pct(3))
		d |= 1ULL << (32 + rn(32));
	return d;
}

static unsigned long long gen_attr(void)
{
	static const unsigned lens[] = { 1, 2, 4, 8, 8, 8, 3, 16, 0 };
	unsigned long long v;
	int r = rn(100), type;

	type = r < 35 ? HW_BREAKPOINT_W : r < 57 ? HW_BREAKPOINT_RW : r < 85 ? HW_BREAKPOINT_X :
	       r < 90 ? HW_BREAKPOINT_R : r < 93 ? 0 : r < 96 ? 7 : rn(16);
	v = type;
	if (type == HW_BREAKPOINT_X)
		v |= (unsigned long long)(pct(90) ? 8 : lens[rn(9)]) << 4;
	else
		v |= (unsigned long long)lens[pct(85) ? rn(4) : rn(9)] << 4;
	if (pct(45)) v |= PF_PINNED;
	if (pct(85)) v |= PF_EXCL_K;
	if (pct(5)) v |= PF_EXCL_U;
	if (pct(30)) v |= PF_EXCL_HV;
	if (pct(10)) v |= PF_INHERIT;
	if (pct(20)) v |= PF_DISABLED;
	if (pct(8)) v |= PF_SIGTRAP | (pct(90) ? PF_RM_EXEC : 0);
	if (pct(8)) v |= PF_RM_EXEC;
	if (pct(4)) v |= PF_EN_EXEC;
	if (pct(2)) v |= PF_INH_THR;
	if (pct(30)) v |= PF_TIMES;
	if (pct(8)) v |= PF_SAMPLE;
	return v;
}

static int gen_op(struct op *o)
{
	int r = rn(1000), t, f;

	memset(o, 0, sizeof(*o));
	o->t = -2;
	o->y = -1;
	o->a.base = 'z';
	gen_ag = pct(80) ? 0 : 1 + rn(NA - 1);
	if (gen_ag && !m.agent_alive[gen_ag])
		gen_ag = 0;
	o->ag = gen_ag;

	if (r < 70) {			/* a new tracee */
		if ((t = pick(NT, t_free)) < 0)
			return -1;
		o->kind = OP_TNEW;
		o->t = t;
		o->x = pct(50) ? -1 : rn(2);
	} else if (r < 95) {
		if ((t = pick(NT, t_alive)) < 0)
			return -1;
		o->kind = OP_TKILL;
		o->t = t;
		o->ag = m.t[t].ag;
	} else if (r < 215) {		/* run it */
		if ((t = pick(NT, t_stopped)) < 0)
			return -1;
		o->kind = OP_TRUN;
		o->t = t;
		o->ag = m.t[t].ag;
		r = rn(100);
		o->x = r < 80 ? 0 : r < 88 ? 1 : r < 96 ? 2 : 3;
		o->y = pct(30);
	} else if (r < 245) {
		if ((t = pick(NT, t_running)) < 0)
			return -1;
		o->kind = OP_TWAIT;
		o->t = t;
		o->ag = m.t[t].ag;
	} else if (r < 530) {		/* ptrace */
		if ((t = pick(NT, t_alive)) < 0)
			return -1;
		o->kind = OP_POKE;
		o->t = t;
		o->ag = m.t[t].ag;
		r = rn(100);
		o->x = r < 45 ? rn(4) : r < 90 ? 7 : r < 94 ? 6 : (int[]){ 4, 5, 8, 9 }[rn(4)];
		if (o->x == 8 || o->x < 4)
			o->a = gen_sym();
		else if (o->x == 7)
			o->v = gen_dr7();
		else
			o->v = rnd();
	} else if (r < 770) {		/* perf_event_open */
		if ((f = pick(NF, f_free)) < 0)
			return -1;
		o->kind = OP_OPEN;
		o->f = f;
		o->v = gen_attr();
		o->a = gen_sym();
		if (pct(40)) {
			/* One that should register: fill slots, make room scarce. */
			static const char bases[4] = { 'x', 'w', 'w', 'w' };
			int k = rn(4);

			o->a = (struct sym){ bases[k], k ? (k - 1) * 64 : 0 };
			o->v = (k ? HW_BREAKPOINT_W | (pct(30) ? HW_BREAKPOINT_R : 0) : HW_BREAKPOINT_X) |
			       8 << 4 | PF_EXCL_K | (pct(60) ? PF_PINNED : 0) |
			       (pct(30) ? PF_TIMES : 0);
		}
		r = rn(100);
		if (r < 25) {
			o->t = -1;
			o->x = pct(85) ? -1 : rn(2);
		} else if (r < 70 && (t = pick(NT, t_alive_ag)) >= 0) {
			o->t = t;
			o->x = pct(85) ? -1 : rn(2);
		} else {
			o->t = -2;
			o->x = pct(97) ? rn(2) : 7;
		}
		if (pct(15))
			o->y = pick(NF, f_open_ag);
	} else if (r < 840) {
		if ((f = pick(NF, f_open)) < 0)
			return -1;
		o->kind = OP_CLOSE;
		o->f = f;
		o->ag = m.f[f].ag;
	} else if (r < 945) {
		if ((f = pick(NF, f_open)) < 0)
			return -1;
		o->kind = OP_IOC;
		o->f = f;
		o->ag = m.f[f].ag;
		o->x = rn(6);
		if (o->x == 4) {
			o->v = m.f[f].v;
			o->a = m.f[f].a;
			r = rn(100);
			if (r < 45 || r >= 75)
				o->a = gen_sym();
			if (r >= 45)
				o->v = (o->v & ~0xfffULL) | (gen_attr() & 0xfff);
			if (pct(40))
				o->v ^= PF_DISABLED;
			if (pct(8))
				o->v |= PF_OTHER;
		}
	} else if (r < 960) {
		/* Not while the torture test runs: it takes CPUs down itself. */
		if (torture_running)
			return -1;
		o->kind = OP_HOT;
		o->x = !m.cpu1_online;
	} else if (r < 970) {
		if (!have_switch || torture_running)
			return -1;
		o->kind = OP_SWITCH;
		o->x = !m.preempt;
	} else if (r < 990) {
		o->kind = OP_ANEW;
		o->ag = 1 + rn(NA - 1);
		if (m.agent_alive[o->ag])
			return -1;
	} else {
		o->kind = OP_AEXIT;
		o->ag = 1 + rn(NA - 1);
		if (!m.agent_alive[o->ag])
			return -1;
		o->y = pct(30);
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Running a sequence. */

static void model_reset(void)
{
	memset(&m, 0, sizeof(m));
	m.preempt = 1;
	m.cpu1_online = 1;
	m.exact = !torture_running;
	m.agent_alive[0] = 1;
	m.agent_serial[0] = ++m.serial;
	for (int t = 0; t < NT; t++)
		lpid[t] = 0;
}

static void do_op(int i, const struct op *o)
{
	struct res r;

	n_ops++;
	switch (o->kind) {
	case OP_HOT: {
		int err;

		if (torture_running)
			return;
		err = write_str(CPU1_ONLINE, o->x ? "1" : "0");

		n_syscalls++;
		expect(i, "cpu1 online", err, BIT(0) | BIT(EBUSY) | BIT(EAGAIN) | BIT(EINVAL), -1, 0);
		if (!err && read_int_file(CPU1_ONLINE, 1) == o->x) {
			if (m.cpu1_online != o->x)
				n_hotplugs++;
			m.cpu1_online = o->x;
		} else {
			m.cpu1_online = read_int_file(CPU1_ONLINE, 1);
		}
		return;
	}
	case OP_SWITCH:
		if (!have_switch || torture_running)
			return;
		n_syscalls++;
		expect(i, "switch", write_str(PREEMPT_KNOB, o->x ? "1" : "0"), BIT(0), 0, 1);
		m.preempt = read_int_file(PREEMPT_KNOB, 1);
		return;
	case OP_ANEW:
		if (m.agent_alive[o->ag])
			return;
		n_syscalls++;
		if (inherit_on(m.agent_serial[0]))
			m.exact = 0;	/* the agent got copies of inherited events */
		expect(i, "agent fork", agent_start(o->ag), BIT(0) | BIT(EAGAIN) | BIT(ENOSPC), -1, 0);
		if (agent[o->ag].pid) {
			m.agent_alive[o->ag] = 1;
			m.agent_serial[o->ag] = ++m.serial;
		}
		return;
	case OP_AEXIT:
		if (!m.agent_alive[o->ag])
			return;
		n_syscalls++;
		/* Tracees left behind are detached; this process reaps them (subreaper). */
		if (o->y) {
			for (int t = 0; t < NT; t++)
				if (m.t[t].alive && m.t[t].ag == o->ag)
					m.exact = 0;	/* their fate is theirs now */
		}
		agent_stop(o->ag, o->y);
		for (int t = 0; t < NT; t++) {
			if (m.t[t].alive && m.t[t].ag == o->ag) {
				if (o->y && agent_pidof[t] > 0)
					kill(agent_pidof[t], SIGKILL);
				tracee_dies(t);
			}
		}
		for (int f = 0; f < NF; f++)
			if (m.f[f].open && m.f[f].ag == o->ag)
				m.f[f].open = 0;
		m.agent_alive[o->ag] = 0;
		return;
	}
	/* Objects must exist and belong to the agent (replays of shrunk logs). */
	if (!m.agent_alive[o->ag])
		return;
	switch (o->kind) {
	case OP_TNEW:
		if (m.t[o->t].alive)
			return;
		break;
	case OP_TKILL: case OP_TRUN: case OP_TWAIT: case OP_POKE:
		if (!m.t[o->t].alive || m.t[o->t].ag != o->ag)
			return;
		if (o->kind == OP_TWAIT && !m.t[o->t].running)
			return;
		if (o->kind == OP_TRUN && m.t[o->t].running)
			return;
		break;
	case OP_OPEN:
		if (m.f[o->f].open || (o->t >= 0 && (!m.t[o->t].alive || m.t[o->t].ag != o->ag)))
			return;
		if (o->y >= 0 && (!m.f[o->y].open || m.f[o->y].ag != o->ag))
			return;
		break;
	case OP_CLOSE: case OP_IOC:
		if (!m.f[o->f].open || m.f[o->f].ag != o->ag)
			return;
		break;
	}
	r = run_in(o->ag, o);
	n_syscalls++;
	if (r.err == -2) {
		fail(6, i, "agent %d died", o->ag);
		return;
	}
	switch (o->kind) {
	case OP_TNEW: {
		int ser = o->ag ? m.agent_serial[o->ag] : m.agent_serial[0];

		if (inherit_on(ser))
			m.exact = 0;	/* the child got copies of inherited events */
		if (r.err == 0)
			task_forks(ser);
		expect(i, "fork", r.err, BIT(0) | BIT(ENOSPC) | BIT(EAGAIN) | BIT(ENOMEM), -1, 0);
		if (r.err == 0) {
			m.t[o->t].alive = 1;
			m.t[o->t].ag = o->ag;
			m.t[o->t].serial = ++m.serial;
			m.t[o->t].pin = o->x;
			memset(m.t[o->t].bp, 0, sizeof(m.t[o->t].bp));
			agent_pidof[o->t] = r.v[0];
		}
		break;
	}
	case OP_TKILL:
		tracee_dies(o->t);
		break;
	case OP_TRUN:
		expect(i, "PTRACE_CONT", r.err, BIT(0) | BIT(ESRCH), 0, 1);
		if (r.err)
			break;
		if (o->x == 2 && inherit_on(m.t[o->t].serial))
			m.exact = 0;
		if (o->x == 2)
			task_forks(m.t[o->t].serial);
		if (r.dead && r.v[1]) {	/* before its command (lasync): nothing ran */
			tracee_dies(o->t);
			break;
		}
		if (o->x == 1)
			tracee_execs(o->t);
		if (o->y) {
			m.t[o->t].running = 1;
			m.t[o->t].cmd = o->x;
		}
		else if (r.dead)
			tracee_dies(o->t);
		if (!o->y && !r.dead && o->x == 2)
			expect(i, "fork in the tracee", (int)r.v[0],
			       BIT(0) | BIT(ENOSPC) | BIT(EAGAIN) | BIT(ENOMEM), -1, 0);
		break;
	case OP_TWAIT:
		m.t[o->t].running = 0;
		if (r.dead)
			tracee_dies(o->t);
		break;
	case OP_POKE:
		check_poke(i, o, &r);
		break;
	case OP_OPEN:
		check_open(i, o, &r);
		break;
	case OP_CLOSE:
		expect(i, "close", r.err, BIT(0), 0, 1);
		m.f[o->f].open = 0;
		for (int f = 0; f < NF; f++)	/* siblings stay, as singletons */
			if (m.f[f].open && m.f[f].leader == o->f)
				m.f[f].leader = -2;
		break;
	case OP_IOC:
		check_ioc(i, o, &r);
		break;
	}
}

static void teardown(void)
{
	for (int a = 1; a < NA; a++)
		agent_stop(a, 0);
	agent_kill_tracees();
	for (int t = 0; t < NT; t++) {
		if (agent_pidof[t] > 0 && !kill(agent_pidof[t], SIGKILL))
			waitpid(agent_pidof[t], NULL, __WALL);	/* left to us: we reap it */
	}
	for (int f = 0; f < NF; f++) {
		if (lfd[f] >= 0)
			close(lfd[f]);
		lfd[f] = -1;
	}
	/* Reap whatever was left to us (we are a subreaper). */
	for (int n = 0; n < 100 && waitpid(-1, NULL, __WALL | WNOHANG) > 0; n++)
		;
	usleep(2000);
	while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
		;
	memset(agent_pidof, 0, sizeof(agent_pidof));
	if (!torture_running && read_int_file(CPU1_ONLINE, 1) != 1)
		write_str(CPU1_ONLINE, "1");
	if (have_switch && read_int_file(PREEMPT_KNOB, 1) != 1)
		write_str(PREEMPT_KNOB, "1");
}

/* An entry of the slot table at an address this program uses. */
static int ours(unsigned long addr)
{
	return addr < task_size_max || addr == KERNEL_TEXT || addr == ksym_getppid ||
	       addr == ksym_paranoid;
}

static int slots_leak(char *why, size_t n)
{
	char line[256];
	int leaks = 0;
	FILE *f = fopen(SLOTS_FILE, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long addr;
		int cpu, slot;
		char cls[16], state[16];

		if (sscanf(line, "%d %d %15s %15s %lx", &cpu, &slot, cls, state, &addr) != 5)
			continue;
		if (ours(addr) || !torture_running) {
			if (!leaks++) {
				snprintf(why, n, "%.200s", line);
				why[strcspn(why, "\n")] = '\0';
			}
		}
	}
	fclose(f);
	return leaks;
}

/* Every online CPU takes 4 CPU-wide breakpoints (a 5th: ENOSPC), and a
 * fresh tracee DR0-3 enabled. */
static int capacity_full(char *why, size_t n)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), ok = 1, fd[5], st;
	pid_t pid;

	for (int c = 0; c < ncpu && c < 8 && ok; c++) {
		int k;

		for (k = 0; k < 5; k++) {
			fd[k] = open_bp(c, k % 4);
			if (fd[k] < 0)
				break;
		}
		if (k != 4 || errno != ENOSPC) {
			snprintf(why, n, "CPU %d takes %d CPU-wide breakpoints (%s after), want 4", c,
				 k, k < 5 ? en(errno) : "none");
			ok = 0;
		}
		for (int j = 0; j < k; j++)
			close(fd[j]);
	}
	if (!ok)
		return 0;
	pid = fork();
	if (pid == 0) {
		close_fds_from3(-1, -1);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	for (int i = 0; i < 4 && ok; i++) {
		if (set_dr(pid, i, (unsigned long)&watched[i % 3].v)) {
			snprintf(why, n, "a fresh tracee's DR%d: %s", i, en(errno));
			ok = 0;
		}
	}
	/* L0-L3, each a write watchpoint of 8 bytes (R/W 01, LEN 10). */
	if (ok && set_dr(pid, 7, 0x99990055UL)) {
		snprintf(why, n, "a fresh tracee's DR7 enabling DR0-3: %s", en(errno));
		ok = 0;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return ok;
}

/* After a sequence: reports, leaks. */
static void end_checks(void)
{
	char why[256] = "";

	if (slots_leak(why, sizeof(why)))
		fail(4, -1, "slot table entry left: %s", why);
	if (!torture_running && !capacity_full(why, sizeof(why)))
		fail(5, -1, "%s", why);
}

static struct op seq[MAXOPS];
static int seq_n;
static time_t deadline;		/* fuzz: no new op after this */

/* Generate (gen) or replay @n ops; returns the failure kind (0: none). */
static int run_seq(uint64_t seed, int gen, int nops, const struct op *ops, int quiet)
{
	fail_kind = 0;
	fail_op = -1;
	fail_msg[0] = '\0';
	if (kmsg_reports()) {
		/* After the last sequence's checks: late, but never lost. */
		stray_reports++;
		kernel_reported = 1;
		printf("# kernel report between sequences: %s\n", report_line);
	}
	model_reset();
	for (int f = 0; f < NF; f++)
		lfd[f] = -1;
	rng_state = seed;
	if (gen)
		seq_n = 0;
	for (int i = 0; i < nops && !fail_kind; i++) {
		struct op o;

		if (gen) {
			int tries = 0;

			if (deadline && time(NULL) >= deadline)
				break;	/* out of time: the sequence ends here */

			while (gen_op(&o) && tries++ < 20)
				;
			if (tries > 20)
				continue;
			seq[seq_n++] = o;
		} else {
			o = ops[i];
		}
		do_op(gen ? seq_n - 1 : i, &o);
		/* A kernel report is charged to the op that made it. */
		if (kmsg_reports()) {
			fail_kind = 0;
			fail(3, gen ? seq_n - 1 : i, "kernel report: %s", report_line);
		}
	}
	teardown();
	if (kmsg_reports()) {
		/* Whatever else failed, a kernel report is what matters. */
		fail_kind = 0;
		fail(3, -1, "kernel report: %s", report_line);
	}
	if (!fail_kind)
		end_checks();
	if (fail_kind && !quiet)
		printf("# failure (%s) at op %d: %s\n", kind_name[fail_kind], fail_op, fail_msg);
	return fail_kind;
}

static void print_ops(const char *pfx, const struct op *ops, int n, FILE *out)
{
	char b[200];

	for (int i = 0; i < n; i++) {
		op_fmt(&ops[i], b, sizeof(b));
		fprintf(out, "%s%s\n", pfx, b);
	}
}

/*
 * A failure's signature: its kind and, for a result that broke the rules,
 * the operation it was ("POKEUSER DR7", "perf_event_open"...).
 */
static unsigned long fail_sig(void)
{
	unsigned long h = fail_kind;

	if (fail_kind == 1 || fail_kind == 2)
		for (const char *p = fail_msg; *p && *p != ':'; p++)
			h = h * 31 + (unsigned char)*p;
	return h;
}

/* Shrink @ops (n of them) while the same failure still reproduces; bounded. */
static int shrink(struct op *ops, int n, int kind, int opi)
{
	unsigned long sig = fail_sig();

	struct op tmp[MAXOPS];
	int tries = 0;
	time_t until = time(NULL) + 60;

	if (deadline && deadline < until)
		until = deadline;	/* the torture test's end must find us idle */

	if (opi >= 0 && opi + 1 < n)
		n = opi + 1;	/* what comes after the failing op cannot matter */
	for (int i = n - 1; i >= 0 && tries < 150 && time(NULL) < until; i--) {
		int k = 0;

		for (int j = 0; j < n; j++)
			if (j != i)
				tmp[k++] = ops[j];
		tries++;
		if (run_seq(0, 0, k, tmp, 1) == kind && fail_sig() == sig) {
			memcpy(ops, tmp, k * sizeof(*tmp));
			n = k;
			if (i > n)
				i = n;
		}
	}
	printf("# shrunk to %d ops in %d replays\n", n, tries);
	return n;
}

/* ---------------------------------------------------------------- */

static FILE *results;

static void res_line(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void res_line(int ok, const char *name, const char *fmt, ...)
{
	char diag[400] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(diag, sizeof(diag), fmt, ap);
		va_end(ap);
	}
	fprintf(results, "RESULT %s %s%s%s\n", ok ? "ok" : "fail", name, diag[0] ? " # " : "",
		diag);
	fflush(results);
}

static void on_sigtrap(int sig)
{
	(void)sig;	/* a sigtrap event of ours fired in this process */
}

static void setup(void)
{
	struct sigaction sa = { .sa_handler = on_sigtrap };

	sigaction(SIGTRAP, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	task_size_max = (1UL << 47) - 4096;
	ksym_getppid = ksym("__x64_sys_getppid");
	ksym_entry = ksym("entry_SYSCALL_64");
	ksym_paranoid = ksym("sysctl_perf_event_paranoid");
	patched = !access(SLOTS_FILE, R_OK);
	have_switch = !access(PREEMPT_KNOB, W_OK);
	paranoid = read_int_file("/proc/sys/kernel/perf_event_paranoid", 2);
	nr_possible = 2;
	{
		FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
		int a, b;

		if (f && fscanf(f, "%d-%d", &a, &b) == 2)
			nr_possible = b + 1;
		if (f)
			fclose(f);
	}
	torture_running = read_int_file(TORTURE_DUR, 0) > 0;
	{
		struct utsname u;
		int maj = 0, min = 0;

		if (!uname(&u) && sscanf(u.release, "%d.%d", &maj, &min) == 2)
			online_before_group = maj > 6 || (maj == 6 && min >= 2);
	}
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd >= 0) {
		/* Has the torture test ended already?  Read everything once. */
		char buf[2048];
		ssize_t n;

		while ((n = read(kmsg_fd, buf, sizeof(buf) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
			if (n > 0) {
				buf[n] = '\0';
				if (strstr(buf, "hw_breakpoint_torture: End of test"))
					torture_running = 0;
				if ((strstr(buf, "WARNING:") || strstr(buf, "BUG:")) &&
				    !strstr(buf, "BUG: KCSAN:"))
					kernel_reported = 1;
			}
		}
	}
	for (int f = 0; f < NF; f++)
		lfd[f] = -1;
	results = fopen(RESULTS, "a");
	if (!results)
		results = stdout;
	printf("# hwbp-fuzz: %s kernel%s, %d possible CPUs, paranoid %d, torture %s%s\n",
	       patched ? "patched" : "pristine (no scheduler debugfs)",
	       have_switch ? " with the switch" : "", nr_possible, paranoid,
	       torture_running ? "running" : "not running",
	       kernel_reported ? "; the kernel has reported before: results may be its echo" : "");
}

static int report_failure(const char *name, uint64_t seed, struct op *ops, int n)
{
	int kind = fail_kind, opi = fail_op;
	unsigned long sig0 = fail_sig();
	char msg[512];
	char path[64];
	FILE *f;

	snprintf(msg, sizeof(msg), "%.500s", fail_msg);
	printf("# FAILURE %s seed %llu: %s: %s\n", name, (unsigned long long)seed,
	       kind_name[kind], msg);
	printf("# the sequence (%d ops):\n", n);
	print_ops("#   ", ops, n, stdout);
	if (kind == 3) {
		/*
		 * Not shrunk here: what the kernel got wrong may stay wrong (a
		 * corrupted table makes every later request report), so a replay
		 * in this boot proves nothing.  The prefix up to the op that made
		 * the report is the reproducer; shrink it on fresh boots.
		 */
		kernel_reported = 1;
		if (opi >= 0 && opi + 1 < n)
			n = opi + 1;
		printf("# a kernel report: not shrunk in this boot (the kernel may keep a corrupt "
		       "state); the reproducer ends at the op that made it\n");
	} else if (kernel_reported) {
		printf("# not shrunk: the kernel reported before, its state may be corrupt\n");
	} else {
		n = shrink(ops, n, kind, opi);
	}
	if (kind != 3 && !kernel_reported) {
		int again = run_seq(0, 0, n, ops, 1) == kind && fail_sig() == sig0;

		printf("# the shrunk sequence %s\n", again ? "reproduces it" :
		       "did not reproduce it this time (timing)");
	}
	printf("# reproducer (seed %llu, %d ops; save as tests/guest/fuzz-regressions/NAME.ops):\n",
	       (unsigned long long)seed, n);
	print_ops("# repro: ", ops, n, stdout);
	snprintf(path, sizeof(path), "/tmp/fuzz-repro-%llu", (unsigned long long)seed);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "# seed %llu: %s: %s\n", (unsigned long long)seed, kind_name[kind], msg);
		print_ops("", ops, n, f);
		fclose(f);
	}
	res_line(0, name, "seed %llu: %s: %s (reproducer: %d ops, %s)", (unsigned long long)seed,
		 kind_name[kind], msg, n, path);
	return kind;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--tracee"))
		tracee_loop();
	if (argc < 2) {
		fprintf(stderr, "usage: hwbp-fuzz fuzz SEED SECONDS [MAXSEQ [TAG]] | replay FILE... | "
			"final | print FILE...\n");
		return 2;
	}
	if (!strcmp(argv[1], "print")) {	/* parse op logs only (safe anywhere) */
		for (int i = 2; i < argc; i++) {
			char line[256], b[200];
			struct op o;
			FILE *f = fopen(argv[i], "r");
			int n = 0, bad = 0;

			while (f && fgets(line, sizeof(line), f)) {
				if (line[0] == '#' || line[0] == '\n')
					continue;
				if (op_parse(line, &o)) {
					printf("%s: bad line: %s", argv[i], line);
					bad++;
					continue;
				}
				op_fmt(&o, b, sizeof(b));
				printf("%s\n", b);
				n++;
			}
			if (f)
				fclose(f);
			if (!f || bad || !n)
				return 1;
		}
		return 0;
	}
	setup();
	if (!strcmp(argv[1], "replay")) {
		int bad = 0;

		for (int i = 2; i < argc; i++) {
			static struct op ops[MAXOPS];
			char line[256], name[128];
			const char *base = strrchr(argv[i], '/');
			int n = 0;
			FILE *f = fopen(argv[i], "r");

			snprintf(name, sizeof(name), "regression.%s", base ? base + 1 : argv[i]);
			while (f && n < MAXOPS && fgets(line, sizeof(line), f))
				if (line[0] != '#' && line[0] != '\n' && !op_parse(line, &ops[n]))
					n++;
			if (f)
				fclose(f);
			if (!n) {
				res_line(0, name, "no ops in %s", argv[i]);
				bad++;
				continue;
			}
			if (run_seq(0, 0, n, ops, 0)) {
				bad++;
				report_failure(name, 0, ops, n);
			} else {
				res_line(1, name, "%d ops replayed, %s", n,
					 torture_running ? "torture running" : "model exact");
			}
		}
		return bad ? 1 : 0;
	}
	if (!strcmp(argv[1], "final")) {
		char why[256] = "";
		int leaks;

		torture_running = 0;	/* whatever it says: the caller waited for its end */
		teardown();
		leaks = slots_leak(why, sizeof(why));
		if (patched)
			res_line(!leaks, "final.slot-tables-empty", "%s", leaks ? why : "");
		else
			res_line(1, "final.slot-tables-empty", "SKIP no %s (pristine kernel)", SLOTS_FILE);
		res_line(capacity_full(why, sizeof(why)), "final.all-registrable",
			 "%s", why[0] ? why : "4 CPU-wide per CPU, a fresh tracee's DR0-3");
		return 0;
	}
	if (!strcmp(argv[1], "fuzz") && argc >= 4) {
		uint64_t seed = strtoull(argv[2], NULL, 0);
		int secs = atoi(argv[3]), maxseq = argc > 4 ? atoi(argv[4]) : 1 << 30;
		const char *tag = argc > 5 ? argv[5] : "fuzz";
		time_t start = time(NULL);
		long nseq = 0, nfail = 0, exact_seqs = 0;
		char name[64];

		deadline = start + secs;

		while (time(NULL) - start < secs && nseq < maxseq && !kernel_reported) {
			int len = 20 + (int)(seed % 100);

			nseq++;
			if (!torture_running)
				exact_seqs++;
			if (run_seq(seed * 0x100000001ULL + 17, 1, len, NULL, 0)) {
				snprintf(name, sizeof(name), "%s.seed-%llu", tag, (unsigned long long)seed);
				report_failure(name, seed, seq, seq_n);
				if (++nfail >= 3)
					break;
			}
			seed++;
		}
		printf("# figures: %s: seeds %s..%llu, sequences=%ld (exact model: %ld), ops=%ld, "
		       "syscalls=%ld, exact-checks=%ld, hotplugs=%ld, failures=%ld, kcsan-reports=%ld, "
		       "seconds=%ld\n",
		       tag, argv[2], (unsigned long long)seed - 1, nseq, exact_seqs, n_ops,
		       n_syscalls, n_exact, n_hotplugs, nfail, kcsan_reports,
		       (long)(time(NULL) - start));
		if (kmsg_reports())
			stray_reports++;
		if (kernel_reported && !nfail && !stray_reports) {
			res_line(0, tag, "not run: the kernel reported before (above); its state may "
				 "be corrupt");
			return 1;
		}
		res_line(!nfail && !stray_reports, tag, "seeds %s..%llu: %ld sequences, %ld syscalls, "
			 "%ld exact checks, %ld hotplugs, %ld failing, %ld kernel reports between "
			 "sequences", argv[2], (unsigned long long)seed - 1, nseq, n_syscalls, n_exact,
			 n_hotplugs, nfail, stray_reports);
		return nfail ? 1 : 0;
	}
	fprintf(stderr, "hwbp-fuzz: bad arguments\n");
	return 2;
}

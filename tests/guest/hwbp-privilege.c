// SPDX-License-Identifier: GPL-2.0
/*
 * hwbp-privilege: a ptrace breakpoint evicts only what its tracer could
 * have disturbed itself.
 *
 * 1. Root's CPU-wide perf breakpoints fill every slot; a tracer running
 *    as nobody (uid 65534, no capabilities) gets ENOSPC for a ptrace
 *    breakpoint on its own child, as on mainline, and root's breakpoints
 *    go on counting every hit.
 * 2. The same tracer's own perf breakpoints on its child fill every slot:
 *    its ptrace breakpoint takes a slot from them.
 * 3. A root tracer, with root's CPU-wide breakpoints on every slot: its
 *    ptrace breakpoint takes a slot (perfmon_capable()).
 * 4. Root's CPU-wide breakpoints on every slot, a ptrace breakpoint set by
 *    a root tracer that then becomes nobody (a breakpoint left behind by a
 *    privileged tracer): the unprivileged tracer's DR7 writes in gdb's
 *    order (DR7 = 0, then DR7 = what it wants) get ENOSPC for the enable,
 *    and a DR7 write that fails puts back the old DR7 exactly (no WARN of
 *    ptrace_write_dr7()'s restore pass; the breakpoints it had still stop
 *    the tracee).
 *
 * Prints KTAP.
 */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "hwbp-perf-fill.h"	/* first: it defines _GNU_SOURCE */

#include <grp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

static __attribute__((noinline)) void never_called(void)
{
	__asm__ volatile("" ::: "memory");
}

static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		_exit(250);
	/*
	 * Changing uid made us undumpable, and so the children we fork: the
	 * perf_event_open() of our own child would fail its ptrace check.
	 */
	prctl(PR_SET_DUMPABLE, 1);
}

/* A stopped, traced child on CPU 0. */
static pid_t traced_child(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		pin_to(0);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		exercise();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return pid;
}

/*
 * Give @pid a ptrace execute breakpoint: 0, or the errno of the write
 * that failed (DR0 registers it, DR7 enables it).
 */
static int ptrace_bp(pid_t pid)
{
	if (set_dr(pid, 0, (unsigned long)never_called) || set_dr(pid, 7, 1UL))
		return errno;
	return 0;
}

/* Perf breakpoints of this (unprivileged) process on @pid, on every slot. */
static int own_perf_on(pid_t pid, int fd[NR_PERF])
{
	for (int i = 0; i < NR_PERF; i++) {
		struct perf_event_attr attr;

		memset(&attr, 0, sizeof(attr));
		attr.type = PERF_TYPE_BREAKPOINT;
		attr.size = sizeof(attr);
		attr.exclude_kernel = 1;
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = (unsigned long)&watched[i % 3].v;
		attr.bp_len = HW_BREAKPOINT_LEN_1 << (i / 3);	/* distinct */
		fd[i] = syscall(__NR_perf_event_open, &attr, pid, -1, -1, 0);
		if (fd[i] < 0)
			return errno;
	}
	return 0;
}

/* Run @fn(@arg) in a child as nobody; its exit status (errno or 0). */
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
		return -1;
	}
	return WEXITSTATUS(status);
}

static int nobody_traces(void)
{
	pid_t pid = traced_child();
	int err = ptrace_bp(pid);

	kill(pid, SIGKILL);
	return err;
}

static int nobody_traces_over_own_perf(void)
{
	int fd[NR_PERF], err;
	pid_t pid = traced_child();

	err = own_perf_on(pid, fd);
	if (err) {
		printf("# nobody's perf_event_open on its child: %s\n", strerror(err));
		kill(pid, SIGKILL);
		return 251;
	}
	err = ptrace_bp(pid);
	kill(pid, SIGKILL);
	return err;
}

/* A stopped, traced child on CPU 0 that calls never_called() when continued. */
static pid_t traced_caller(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		pin_to(0);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		never_called();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return pid;
}

/* Continue @pid: 1 if it stopped with SIGTRAP (a breakpoint hit), else 0. */
static int stops_at_breakpoint(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_CONT, pid, 0, 0))
		return 0;
	if (waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP;
}


/* What case 4's tracer saw, filled in by it (a child), read by main. */
struct left_behind {
	int setup;		/* errno of root's DR writes */
	int disable;		/* errno of nobody's DR7 = 0 */
	int enable;		/* errno of nobody's DR7 = 1 after it */
	int enable_stops;	/* the tracee stopped at the breakpoint after that */
	int add;		/* errno of nobody's DR7 adding slot 0 to root's slot 1 */
	unsigned long add_dr7;	/* DR7 read back after it */
	int add_stops;
	int swap;		/* errno of nobody's DR7 moving root's slot 0 to slot 1 */
	unsigned long swap_dr7;
	int swap_stops;
};

static unsigned long get_dr7(pid_t pid)
{
	errno = 0;
	return ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg) + 7 * sizeof(long), 0);
}

/* A root tracer sets @dr7 on slot @slot's execute breakpoint, then becomes nobody. */
static pid_t left_behind_by_root(int slot, unsigned long dr7, int *err)
{
	pid_t pid = traced_caller();

	*err = 0;
	if (set_dr(pid, slot, (unsigned long)never_called) || set_dr(pid, 7, dr7))
		*err = errno;
	become_nobody();
	return pid;
}

/*
 * The tracer is nobody by now and its tracee root's: kill() would get
 * EPERM, PTRACE_KILL (the tracer's own right) does not.
 */
static void done_with(pid_t pid)
{
	ptrace(PTRACE_KILL, pid, 0, 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* gdb's order: DR7 = 0, then the DR7 it wants. */
static void nobody_dr7_0_then_enable(struct left_behind *r)
{
	pid_t pid = left_behind_by_root(0, 1, &r->setup);

	r->disable = set_dr(pid, 7, 0) ? errno : 0;
	r->enable = set_dr(pid, 7, 1) ? errno : 0;
	r->enable_stops = stops_at_breakpoint(pid);
	done_with(pid);
}

/*
 * Root's slot 1 enabled; nobody adds slot 0 (no address: registered by
 * the DR7 write, ENOSPC): DR7 is put back, slot 1 untouched by the failed
 * pass.
 */
static void nobody_adds_a_slot(struct left_behind *r)
{
	int err;
	pid_t pid = left_behind_by_root(1, 4, &err);

	r->setup |= err;
	r->add = set_dr(pid, 7, 5) ? errno : 0;
	r->add_dr7 = get_dr7(pid);
	r->add_stops = stops_at_breakpoint(pid);
	done_with(pid);
}

/*
 * Root's slot 0 enabled; nobody disables it and enables slot 1 (no
 * address: ENOSPC): slot 0, disabled by the failed pass, comes back.
 */
static void nobody_swaps_slots(struct left_behind *r)
{
	int err;
	pid_t pid = left_behind_by_root(0, 1, &err);

	r->setup |= err;
	r->swap = set_dr(pid, 7, 4) ? errno : 0;
	r->swap_dr7 = get_dr7(pid);
	r->swap_stops = stops_at_breakpoint(pid);
	done_with(pid);
}

/* Each case in a tracer of its own, root until it has set its breakpoint. */
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

static const char *err_name(int err)
{
	return err ? strerror(err) : "accepted";
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
	status = in_tracer(nobody_dr7_0_then_enable, r);
	status |= in_tracer(nobody_adds_a_slot, r);
	status |= in_tracer(nobody_swaps_slots, r);
	result(!status && !r->setup, "left-behind-root-sets-them", "status %#x, %s",
	       status, err_name(r->setup));
	result(r->disable == 0, "left-behind-nobody-dr7-0", "%s", err_name(r->disable));
	result(r->enable == ENOSPC, "left-behind-nobody-enables-again-enospc", "%s%s",
	       err_name(r->enable), !r->enable && !r->enable_stops ?
	       ", and the tracee ran through the breakpoint without a stop" : "");
	result(r->add == ENOSPC && r->add_dr7 == 4 && r->add_stops,
	       "left-behind-failed-dr7-restores-untouched-slot", "%s, DR7 %#lx after (want 0x4), %s",
	       err_name(r->add), r->add_dr7, r->add_stops ? "stops" : "never stops");
	result(r->swap == ENOSPC && r->swap_dr7 == 1 && r->swap_stops,
	       "left-behind-failed-dr7-restores-disabled-slot", "%s, DR7 %#lx after (want 0x1), %s",
	       err_name(r->swap), r->swap_dr7, r->swap_stops ? "stops" : "never stops");
	result(warned_before || !warned(), "left-behind-no-warn",
	       warned_before ? "tainted before" : "");
	show_slots("after the left-behind cases");
	counts_exact("root-perf-counts-exactly-after-left-behind");
}

int main(void)
{
	int err;

	FILE *f;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pin_to(0);
	/* Unprivileged users may open perf events on their own tasks. */
	f = fopen("/proc/sys/kernel/perf_event_paranoid", "w");
	if (f) {
		fputs("2\n", f);
		fclose(f);
	}

	/* 1. Root's CPU-wide breakpoints, nobody's tracer. */
	err = fill_all_slots();
	result(err, "root-perf-fills-all-slots", "%d CPUs", nr_cpus);
	err = as_nobody(nobody_traces, "nobody-traces");
	result(err == ENOSPC, "nobody-ptrace-enospc-over-root-cpu-perf", "%s",
	       err > 0 ? strerror(err) : err ? "no child" : "accepted");
	show_slots("after nobody's attempt");
	counts_exact("root-perf-still-counts-exactly");

	/* 4. Root's tracer leaves breakpoints to a tracer that becomes nobody. */
	left_behind_cases();

	/* 3. Root's tracer over the same. */
	{
		pid_t pid = traced_child();

		err = ptrace_bp(pid);
		result(err == 0, "root-ptrace-over-root-cpu-perf", "%s", err ? strerror(err) : "");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		for (int i = 0; i < NR_PERF; i++)
			close(fds[cpu][i]);

	/* 2. Nobody's own perf breakpoints on its tracee. */
	err = as_nobody(nobody_traces_over_own_perf, "nobody-traces-over-own-perf");
	result(err == 0, "nobody-ptrace-over-own-perf-on-tracee", "%s",
	       err == 251 ? "perf_event_open refused" : err > 0 ? strerror(err) :
	       err ? "no child" : "");
	return failures ? 1 : 0;
}

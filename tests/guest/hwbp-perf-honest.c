// SPDX-License-Identifier: GPL-2.0
/*
 * hwbp-perf-honest: what a perf user reads while ptrace takes a slot.
 *
 * CPU 0's four slots hold perf breakpoints read with
 * PERF_FORMAT_TOTAL_TIME_ENABLED|RUNNING: two singles, then a group of
 * two (arriving last, the group is what a ptrace breakpoint evicts).  A
 * traced child on CPU 0 writes the watched variables at a steady rate;
 * halfway through, its tracer gives it a ptrace breakpoint.  Checked:
 *
 * - the evicted events stop running (running < enabled) and the others
 *   run all along (running == enabled) and count every hit;
 * - the group is whole: both members evicted, equal running times, and
 *   perf's scaled count (count * enabled / running) is within 20% of the
 *   true count;
 * - pinned events wait, they do not go to error state (read() returns
 *   their value, not EOF), and count exactly once the child is gone;
 * - the same with flexible events (argument "flexible").
 *
 * Pristine 6.1 refuses the ptrace breakpoint (ENOSPC), which is reported,
 * and the rest is skipped.  Prints KTAP.
 */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "hwbp-perf-fill.h"	/* first: it defines _GNU_SOURCE */

#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>

enum { SINGLE_X, SINGLE_W0, GROUP_LEADER, GROUP_MEMBER, NR_EV };

struct reading { unsigned long long count, enabled, running; };

static int ev_fd[NR_EV];

/* Never called: the ptrace breakpoint only takes a slot. */
static __attribute__((noinline)) void never_called(void)
{
	__asm__ volatile("" ::: "memory");
}

static int open_ev(int i, int pinned, int group_fd)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.pinned = pinned && group_fd < 0;	/* only a leader may be pinned */
	attr.exclude_kernel = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	if (i == SINGLE_X) {
		attr.bp_type = HW_BREAKPOINT_X;
		attr.bp_addr = (unsigned long)exec_target;
		attr.bp_len = sizeof(long);
	} else {
		attr.bp_type = HW_BREAKPOINT_W;
		attr.bp_addr = (unsigned long)&watched[i - SINGLE_W0].v;
		attr.bp_len = HW_BREAKPOINT_LEN_8;
	}
	return syscall(__NR_perf_event_open, &attr, -1, 0, group_fd, 0);
}

static int read_ev(int i, struct reading *r)
{
	return read(ev_fd[i], r, sizeof(*r)) == sizeof(*r);
}

/* Hits of event @i per round of exercise(). */
static long long per_round(int i)
{
	return i == SINGLE_X ? 3 : 1;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * A round every PACE_NS, however many of its accesses trap: perf scales
 * on the assumption that hits come at a steady rate, and the traps of the
 * evicted breakpoints must not change that rate.
 */
#define PACE_NS	300000LL

static void child(void)
{
	long long next;

	pin_to(0);
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	next = now_ns();
	for (;;) {
		for (int i = 0; i < 3; i++) {
			watched[i].v++;
			exec_target();
		}
		next += PACE_NS;
		while (now_ns() < next)
			;
		/* Back from a ptrace stop: no catching up in a burst. */
		if (now_ns() > next + 10 * PACE_NS)
			next = now_ns();
	}
}

/* The child's writes of watched[i] so far: the truth perf should see. */
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
	kill(pid, SIGSTOP);
	waitpid(pid, &status, 0);	/* signal-delivery-stop; not passed on */
	return now_ns() - start;
}

/*
 * Once the child has stopped, its ptrace breakpoint leaves CPU 0 and perf
 * adds the evicted group again (from the scheduler's irq_work): wait for
 * that before reading, else the members, read one after the other, are
 * still out and differ by the time between the two reads.  Returns how
 * long the group took to run again (to within 0.1 ms and a read), -1 if
 * it did not within 200 ms, -2 if a read failed (a pinned group in error
 * state reads EOF).
 */
static long long group_back(void)
{
	struct reading a, b;
	long long start = now_ns();

	if (!read_ev(GROUP_LEADER, &a))
		return -2;
	while (now_ns() - start < 200000000LL) {
		struct timespec ts = { .tv_nsec = 100000L };

		nanosleep(&ts, NULL);
		if (!read_ev(GROUP_LEADER, &b))
			return -2;
		if (b.running > a.running)
			return now_ns() - start;
		a = b;
	}
	return -1;
}

static int scenario(int pinned)
{
	const char *kind = pinned ? "pinned" : "flexible";
	struct reading r0[NR_EV], r1[NR_EV], r2[NR_EV];
	long long w0[3], w1[3], truth[NR_EV], held;
	int status, all = 1, dr;
	char name[64];
	pid_t pid;

	for (int i = 0; i < NR_EV; i++) {
		ev_fd[i] = open_ev(i, pinned, i == GROUP_MEMBER ? ev_fd[GROUP_LEADER] : -1);
		all &= ev_fd[i] >= 0;
	}
	snprintf(name, sizeof(name), "%s-open-4-on-cpu0", kind);
	result(all, name, "%s", all ? "" : strerror(errno));
	if (!all)
		return 0;

	pid = fork();
	if (pid == 0)
		child();
	waitpid(pid, &status, 0);

	/* First half: no ptrace breakpoint, everything counts. */
	for (int i = 0; i < NR_EV; i++)
		read_ev(i, &r0[i]);
	for (int i = 0; i < 3; i++)
		w0[i] = writes_of(pid, i);
	run_child(pid, 400);

	dr = set_dr(pid, 0, (unsigned long)never_called);
	if (!dr)
		dr = set_dr(pid, 7, 1UL);	/* L0, execute */
	snprintf(name, sizeof(name), "%s-ptrace-takes-a-slot", kind);
	result(dr == 0, name, "%s", dr ? strerror(errno) : "");

	/* Second half: the child carries the ptrace breakpoint. */
	held = run_child(pid, 400);
	if (!dr) {
		long long back = group_back();

		snprintf(name, sizeof(name), "%s-group-back-once-child-stops", kind);
		result(back >= 0, name, "%s %lld us", back >= 0 ? "after" :
		       back == -1 ? "not within" : "a read failed after",
		       back >= 0 ? back / 1000 : 200000LL);
	}
	for (int i = 0; i < NR_EV; i++)
		read_ev(i, &r1[i]);
	if (!dr) {
		/* The group ran all through the reads: its time out stood still. */
		struct reading again = { 0 };
		unsigned long long out1 = r1[GROUP_LEADER].enabled - r1[GROUP_LEADER].running;

		read_ev(GROUP_LEADER, &again);
		snprintf(name, sizeof(name), "%s-group-out-time-still-at-read", kind);
		result(again.enabled - again.running == out1, name,
		       "leader's time out %llu ns at the reads, %llu after", out1,
		       again.enabled - again.running);
	}
	for (int i = 0; i < 3; i++)
		w1[i] = writes_of(pid, i);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	/* Every write is followed by a call of exec_target(), but maybe the last. */
	truth[SINGLE_X] = (w1[0] - w0[0]) + (w1[1] - w0[1]) + (w1[2] - w0[2]);
	for (int i = SINGLE_W0; i < NR_EV; i++)
		truth[i] = w1[i - SINGLE_W0] - w0[i - SINGLE_W0];

	for (int i = 0; i < NR_EV; i++) {
		unsigned long long c = r1[i].count - r0[i].count;
		unsigned long long e = r1[i].enabled - r0[i].enabled;
		unsigned long long run = r1[i].running - r0[i].running;

		printf("# %s ev%d: count %llu of %lld, enabled %llu ns, running %llu ns (%.2f%%)\n",
		       kind, i, c, truth[i], e, run, e ? 100.0 * run / e : 0.0);
	}
	if (dr) {
		for (int i = 0; i < NR_EV; i++)
			close(ev_fd[i]);
		return 0;
	}

	/*
	 * The slots' time adds up: CPU 0's four perf events ran at most four
	 * slots' worth of the time, less what the ptrace breakpoint held
	 * (most of the second half: the child runs on CPU 0 all along).
	 */
	{
		unsigned long long sum = 0, e = r1[0].enabled - r0[0].enabled;

		for (int i = 0; i < NR_EV; i++)
			sum += r1[i].running - r0[i].running;
		snprintf(name, sizeof(name), "%s-running-fits-the-slots", kind);
		result(sum + held * 9 / 10 <= NR_PERF * e, name,
		       "perf running %llu + ptrace ~%lld > %d x %llu ns?", sum, held * 9 / 10,
		       NR_PERF, e);
	}

	/* An event that reports full running time has counted every hit. */
	for (int i = 0; i < NR_EV; i++) {
		unsigned long long run = r1[i].running - r0[i].running;
		unsigned long long e = r1[i].enabled - r0[i].enabled;
		long long c = r1[i].count - r0[i].count;

		if (run != e)
			continue;
		snprintf(name, sizeof(name), "%s-ev%d-full-running-means-every-hit", kind, i);
		result(i == SINGLE_X ? c <= truth[i] && c >= truth[i] - 2 : c == truth[i], name,
		       "count %lld of %lld", c, truth[i]);
	}

	/* The singles ran all along and counted every hit. */
	for (int i = SINGLE_X; i <= SINGLE_W0; i++) {
		unsigned long long run = r1[i].running - r0[i].running;
		unsigned long long e = r1[i].enabled - r0[i].enabled;
		long long c = r1[i].count - r0[i].count;
		/* The child may have stopped between a write and its call. */
		int exact = i == SINGLE_X ? c <= truth[i] && c >= truth[i] - 2 : c == truth[i];

		snprintf(name, sizeof(name), "%s-single%d-ran-and-counted-all", kind, i);
		result(run == e && exact, name, "running %llu of %llu ns, count %lld of %lld",
		       run, e, c, truth[i]);
	}

	/* The group: evicted whole, honest times, scaling close to the truth. */
	{
		struct reading *l0 = &r0[GROUP_LEADER], *l1 = &r1[GROUP_LEADER];
		struct reading *m0 = &r0[GROUP_MEMBER], *m1 = &r1[GROUP_MEMBER];
		unsigned long long lrun = l1->running - l0->running, len = l1->enabled - l0->enabled;
		/* Read one after the other: compare the time they did not run. */
		unsigned long long lout = len - lrun;
		unsigned long long mout = (m1->enabled - m0->enabled) - (m1->running - m0->running);
		double scaled = lrun ? (double)(l1->count - l0->count) * len / lrun : 0;
		long long truth_l = truth[GROUP_LEADER];

		snprintf(name, sizeof(name), "%s-group-evicted-stops-running", kind);
		result(lrun < len * 9 / 10, name, "running %llu of %llu ns", lrun, len);
		snprintf(name, sizeof(name), "%s-group-members-equal-time-out", kind);
		result(lout == mout, name, "leader %llu, member %llu ns not running", lout, mout);
		/*
		 * Both missed the same hits: the child may stop between its
		 * writes of the two variables, so each is compared with its
		 * own truth, give or take that write.
		 */
		long long lmiss = truth_l - (long long)(l1->count - l0->count);
		long long mmiss = truth[GROUP_MEMBER] - (long long)(m1->count - m0->count);

		snprintf(name, sizeof(name), "%s-group-members-miss-the-same", kind);
		result(llabs(lmiss - mmiss) <= 1, name, "leader %llu (missed %lld), member %llu (missed %lld)",
		       l1->count - l0->count, lmiss, m1->count - m0->count, mmiss);
		snprintf(name, sizeof(name), "%s-group-scaled-within-20pct", kind);
		result(scaled > truth_l * 0.8 && scaled < truth_l * 1.2, name,
		       "scaled %.0f, true %lld", scaled, truth_l);
	}

	/* The child is gone: every event back, readable, counting exactly. */
	for (int i = 0; i < NR_EV; i++)
		read_ev(i, &r1[i]);
	pin_to(0);
	exercise();
	pin_to(1);
	all = 1;
	for (int i = 0; i < NR_EV; i++) {
		long long want = (long long)ROUNDS * per_round(i);

		all &= read_ev(i, &r2[i]) && (long long)(r2[i].count - r1[i].count) == want;
	}
	snprintf(name, sizeof(name), "%s-all-back-and-exact", kind);
	result(all, name, "%llu %llu %llu %llu", r2[0].count - r1[0].count,
	       r2[1].count - r1[1].count, r2[2].count - r1[2].count, r2[3].count - r1[3].count);
	for (int i = 0; i < NR_EV; i++)
		close(ev_fd[i]);
	return 1;
}

static __attribute__((noinline)) void never_called2(void)
{
	__asm__ volatile("" ::: "memory");
}

/*
 * Two ptrace breakpoints against a CPU-wide group of three and a single
 * execute breakpoint (the newest): the first takes the single's slot, the
 * second the group's, which leaves two slots free.  The single must get
 * one back at once, not wait while they stay free.
 */
static void scenario_room_left(void)
{
	struct reading a0, a1;
	int fd[4], all = 1, dr;
	long long w0, w1;
	pid_t pid;
	int status;

	for (int i = 0; i < 3; i++) {
		fd[i] = open_ev(SINGLE_W0 + (i > 0), 1, i ? fd[0] : -1);
		all &= fd[i] >= 0;
	}
	ev_fd[SINGLE_X] = fd[3] = open_ev(SINGLE_X, 1, -1);
	all &= fd[3] >= 0;
	result(all, "room-left-open-group-of-3-and-single", "%s", all ? "" : strerror(errno));
	if (!all)
		return;
	pid = fork();
	if (pid == 0)
		child();
	waitpid(pid, &status, 0);
	dr = set_dr(pid, 0, (unsigned long)never_called) ||
	     set_dr(pid, 1, (unsigned long)never_called2) ||
	     set_dr(pid, 7, 0x5UL);	/* L0, L1: execute */
	result(!dr, "room-left-two-ptrace-breakpoints", "%s", dr ? strerror(errno) : "");
	read_ev(SINGLE_X, &a0);
	w0 = writes_of(pid, 0);
	run_child(pid, 400);
	read_ev(SINGLE_X, &a1);
	w1 = writes_of(pid, 0);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	printf("# room-left single: count %llu of ~%lld, running %llu of %llu ns\n",
	       a1.count - a0.count, 3 * (w1 - w0), a1.running - a0.running,
	       a1.enabled - a0.enabled);
	if (!dr)
		result((a1.running - a0.running) * 100 >= (a1.enabled - a0.enabled) * 95,
		       "room-left-single-runs", "running %llu of %llu ns",
		       a1.running - a0.running, a1.enabled - a0.enabled);
	for (int i = 0; i < 4; i++)
		close(fd[i]);
}

/*
 * For perf stat: "addr" prints the watched addresses (a static, non-PIE
 * binary: the same in every run); "tracer" runs the child and its tracer
 * alone, under perf stat's own events.
 */
static int tool_mode(const char *mode)
{
	int status;
	pid_t pid;

	if (!strcmp(mode, "addr")) {
		for (int i = 0; i < 3; i++)
			printf("%p\n", (void *)&watched[i].v);
		printf("%p\n", (void *)exec_target);
		return 0;
	}
	pid = fork();
	if (pid == 0)
		child();
	waitpid(pid, &status, 0);
	run_child(pid, 400);
	if (set_dr(pid, 0, (unsigned long)never_called) || set_dr(pid, 7, 1UL))
		printf("# ptrace breakpoint: %s\n", strerror(errno));
	run_child(pid, 400);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && (!strcmp(argv[1], "addr") || !strcmp(argv[1], "tracer"))) {
		pin_to(1);
		return tool_mode(argv[1]);
	}
	/* The tracer off CPU 0: it must not take the child's time there. */
	pin_to(1);
	show_slots("before");
	if (argc > 1 && !strcmp(argv[1], "room-left"))
		scenario_room_left();
	else
		scenario(argc < 2 || strcmp(argv[1], "flexible"));
	show_slots("after");
	return failures ? 1 : 0;
}

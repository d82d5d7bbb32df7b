/*
 * The debugger's lock-free path into a CPU's breakpoint table
 * (kernel/events/hw_breakpoint_sched.c), as a Promela model for spin.
 *
 * W is the CPU's own writer: hw_bp_sched_add()/hw_bp_sched_del() under
 *   raw_write_seqcount_begin/end, then writer_end() draining the queue.
 * D is the debugger on the same CPU (kgdb, from NMI): debugger_op().  It
 *   can run between any two steps of W, and runs to completion before W
 *   resumes (an NMI is not interrupted by the code it interrupted): its
 *   body is one atomic block, enabled at every point of W.
 *
 * The table is a pair (lo, hi) that a change writes in two steps; it is
 * consistent when lo == hi.  Each change carries the number of its request,
 * so the order in which requests reach the table is visible.
 *
 * scripts/model.sh also checks three broken variants (MUTANT_*), each of
 * which spin must reject: the debugger ignoring the sequence count, or the
 * queue, and a writer that does not drain.
 *
 * Checked: D only ever changes a consistent table; D never waits (it has
 * no blocking statement: wait-free by construction); the queue never
 * overflows; and once W is done, every debugger request was applied,
 * exactly once, in the order D made them, with the sequence count even
 * and the queue empty.
 */
#define WRITES	3	/* updates by the CPU's own writer */
#define DREQS	3	/* debugger requests */
#define QLEN	4	/* HW_BP_SCHED_DBG_OPS, scaled down */

byte seq;		/* sc->seq.sequence */
byte head, tail;	/* sc->dbg_head, sc->dbg_tail */
byte q[QLEN];		/* sc->dbg_op[]: request numbers */
byte lo, hi;		/* the table */
byte applied;		/* debugger requests applied so far */
byte last_dbg;		/* number of the last debugger request applied */
bool wdone, ddone;

/* apply(r): one change of the table, in two steps. */
inline change(r) {
	lo = r;
	hi = r
}

/* A debugger request reaching the table: in order, once. */
inline apply_dbg(r) {
	assert(r == last_dbg + 1);
	last_dbg = r;
	applied++;
	change(r)
}

active proctype W()
{
	byte i = 0, r;

	do
	:: i < WRITES ->
		seq++;				/* raw_write_seqcount_begin */
		change(100 + i);		/* __hw_bp_sched_add/del */
		seq++;				/* raw_write_seqcount_end */
		do				/* writer_end(): drain */
#ifdef MUTANT_NO_DRAIN
		:: false ->
#else
		:: head != tail ->
#endif
			r = q[head % QLEN];
			seq++;
			apply_dbg(r);
			seq++;
			head++
		:: else -> break
		od;
		i++
	:: else -> break
	od;
	wdone = true
}

active proctype D()
{
	byte n = 0;

	do
	:: n < DREQS ->
		atomic {			/* the NMI: runs to completion */
			n++;
			if
#if defined(MUTANT_IGNORE_SEQ)
			:: head == tail ->
#elif defined(MUTANT_IGNORE_QUEUE)
			:: (seq % 2 == 0) ->
#else
			:: (seq % 2 == 0) && head == tail ->
#endif
				assert(lo == hi);	/* the table is consistent */
				seq++;
				apply_dbg(n);
				seq++
			:: else ->
				assert(tail - head < QLEN);	/* no overflow */
				q[tail % QLEN] = n;
				tail++
			fi
		}
	:: n == DREQS -> break
	od;
	ddone = true
}

/* When both are done: nothing lost, nothing left over. */
active proctype Check()
{
	(wdone && ddone);
	assert(applied == DREQS);
	assert(head == tail);
	assert(seq % 2 == 0);
	assert(lo == hi)
}

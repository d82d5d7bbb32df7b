/*
 * The debugger's lock-free path into a CPU's breakpoint table
 * (kernel/events/hw_breakpoint_sched.c), as a Promela model for spin.
 *
 * W is the CPU's own writer: hw_bp_sched_add()/hw_bp_sched_del() under
 *   raw_write_seqcount_begin(), then writer_end(): close the section and
 *   look; only if the debugger asked for something meanwhile, open it
 *   again and go writer_end_slow()'s way: reconcile while the debugger
 *   asked for something new, close the section, and look again.
 * D is the debugger entered from #DB on this CPU (kgdb at a breakpoint):
 *   while it runs, W does not (provided), but an NMI may interrupt it.
 * N is the debugger entered by NMI (kgdb's roundup, the torture test): it
 *   may interrupt W or D anywhere and runs to completion (atomic).
 * Both debuggers call debugger_want(): write the desired state, bump the
 * request count, and if the section count is even, open a section of
 * their own and run writer_end_slow() (a request is outstanding: theirs).
 *
 * The desired state is one number: the last request made (its fields).
 * The table has the writer's part (w_lo, w_hi) and the debugger's (lo,
 * hi), each written in two steps; it is consistent when both pairs are
 * equal.
 *
 * scripts/model.sh also checks three broken variants (MUTANT_*), each of
 * which spin must reject: the debugger reconciling whatever the count,
 * a writer that does not look again after closing its section (neither
 * in writer_end() nor in writer_end_slow()), and a writer_end_slow()
 * that reconciles once instead of until nothing is new.
 *
 * Checked: the table is only ever changed while consistent; the debugger
 * never waits (no blocking statement: wait-free by construction); and once
 * everyone is done, the table holds the last request made, every request
 * was seen (done == req), and the count is even.
 */
#define WRITES	2	/* updates by the CPU's own writer */
#define DREQS	2	/* requests of each debugger */

byte seq;		/* sc->seq.sequence */
byte want;		/* sc->dbg[]: the last request made */
byte req, done;		/* sc->dbg_req, sc->dbg_done */
byte w_lo, w_hi;	/* the table: the writer's part */
byte lo, hi;		/* the table: the debugger's breakpoints */
byte nreq;		/* requests made so far, both debuggers */
bool in_db;		/* D is running: W is not */
bool wdone, ddone, ndone;

/*
 * reconcile(): the table follows the desired state, in two steps.  It
 * reads the request once; one made meanwhile is seen by the next pass.
 */
inline reconcile(v) {
	assert(w_lo == w_hi && lo == hi);
	v = want;
	lo = v;
	hi = v
}

/* writer_end_slow(), entered with the section open (seq odd). */
inline writer_end_slow(r, v) {
	do
	:: r = req;
		if
		:: r != done ->
			reconcile(v);
			done = r
#ifdef MUTANT_ONE_PASS
			; seq++; break
#endif
		:: else ->
			seq++;			/* publish, raw_write_seqcount_end */
			if
#ifdef MUTANT_NO_RECHECK
			:: true -> break
#else
			:: req == done -> break
			:: else -> seq++	/* raw_write_seqcount_begin */
#endif
			fi
		fi
	od
}

/*
 * writer_end(), entered with the section open: close it, then look (the
 * common case: nothing asked, two steps); open it again to reconcile.
 */
inline writer_end(r, v) {
	seq++;				/* raw_write_seqcount_end */
	if
#ifdef MUTANT_NO_RECHECK
	:: true -> skip
#else
	:: req == done -> skip
	:: else ->
		seq++;			/* raw_write_seqcount_begin */
		writer_end_slow(r, v)
#endif
	fi
}

/* debugger_want(): say what is wanted, reconcile if the table is ours. */
inline debugger_want(r, v) {
	nreq++;
	want = nreq;
	req++;
	if
#ifdef MUTANT_IGNORE_SEQ
	:: true ->
#else
	:: seq % 2 == 0 ->
#endif
		seq++;
		writer_end_slow(r, v)
	:: else -> skip			/* the writer reconciles */
	fi
}

active proctype W() provided (!in_db)
{
	byte i = 0, r, v;

	do
	:: i < WRITES ->
		seq++;				/* raw_write_seqcount_begin */
		w_lo = 100 + i;			/* __hw_bp_sched_add/del */
		w_hi = 100 + i;
		writer_end(r, v);
		i++
	:: else -> break
	od;
	wdone = true
}

active proctype D()
{
	byte n = 0, r, v;

	do
	:: n < DREQS ->
		atomic { in_db = true; n++ };	/* the #DB: W stops here */
		debugger_want(r, v);
		in_db = false
	:: n == DREQS -> break
	od;
	ddone = true
}

active proctype N()
{
	byte n = 0, r, v;

	do
	:: n < DREQS ->
		atomic {			/* the NMI: runs to completion */
			n++;
			debugger_want(r, v)
		}
	:: n == DREQS -> break
	od;
	ndone = true
}

/* When everyone is done: nothing lost, nothing left over. */
active proctype Check()
{
	(wdone && ddone && ndone);
	assert(req == done);
	assert(seq % 2 == 0);
	assert(lo == hi && lo == want && want == nreq)
}

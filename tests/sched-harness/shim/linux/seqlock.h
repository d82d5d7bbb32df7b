/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for the sequence count: one CPU, so plain counters. */
#ifndef SHIM_LINUX_SEQLOCK_H
#define SHIM_LINUX_SEQLOCK_H

typedef struct { unsigned int sequence; } seqcount_t;

#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_wmb() barrier()
#define smp_rmb() barrier()

/*
 * With SHIM_SEQ_HOOKS (model.c), the bracket calls back where an NMI may
 * land: right after the count turned odd, right before it turns even
 * again (the writer has looked for the debugger's requests for the last
 * time: one made now is left to its look after the count turned even) and
 * right after it turned even.  Without it (the cost driver), the bracket
 * is exactly the kernel's.
 */
enum shim_seq_point {
	SHIM_SEQ_BEGUN,		/* the count just turned odd */
	SHIM_SEQ_CLOSING,	/* still odd, about to turn even */
	SHIM_SEQ_ENDED,		/* the count just turned even */
};

#ifdef SHIM_SEQ_HOOKS
void shim_seq_hook(seqcount_t *s, enum shim_seq_point where);
#else
#define shim_seq_hook(s, where) do { } while (0)
#endif

#define raw_write_seqcount_begin(s) \
	do { (s)->sequence++; barrier(); shim_seq_hook(s, SHIM_SEQ_BEGUN); } while (0)
#define raw_write_seqcount_end(s) do {					\
	shim_seq_hook(s, SHIM_SEQ_CLOSING);				\
	barrier();							\
	(s)->sequence++;						\
	shim_seq_hook(s, SHIM_SEQ_ENDED);				\
} while (0)
#define raw_read_seqcount(s) READ_ONCE((s)->sequence)
#define raw_read_seqcount_begin(s) (raw_read_seqcount(s) & ~1U)
#define read_seqcount_begin(s) raw_read_seqcount_begin(s)
#define read_seqcount_retry(s, start) (READ_ONCE((s)->sequence) != (start))

#endif

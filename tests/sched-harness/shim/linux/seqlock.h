/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for the sequence count: one CPU, so plain counters. */
#ifndef SHIM_LINUX_SEQLOCK_H
#define SHIM_LINUX_SEQLOCK_H

typedef struct { unsigned int sequence; } seqcount_t;

#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_wmb() barrier()
#define smp_rmb() barrier()

/*
 * With SHIM_SEQ_HOOKS (model.c), each bracket calls back right after the
 * count changes: the fuzzer plays NMIs there too, in particular just
 * after the writer's count turned even but with requests still queued;
 * and each latch flip tells the model which copy readers now get.
 * Without it (the cost driver), the bracket is exactly the kernel's.
 */
#ifdef SHIM_SEQ_HOOKS
void shim_seq_hook(seqcount_t *s, int begin);
void shim_latch_hook(unsigned int seq);
#else
#define shim_seq_hook(s, begin) do { } while (0)
#define shim_latch_hook(seq) do { } while (0)
#endif

#define raw_write_seqcount_begin(s) \
	do { (s)->sequence++; barrier(); shim_seq_hook(s, 1); } while (0)
#define raw_write_seqcount_end(s) \
	do { barrier(); (s)->sequence++; shim_seq_hook(s, 0); } while (0)
#define raw_read_seqcount(s) READ_ONCE((s)->sequence)
#define raw_read_seqcount_begin(s) (raw_read_seqcount(s) & ~1U)
#define read_seqcount_begin(s) raw_read_seqcount_begin(s)
#define read_seqcount_retry(s, start) (READ_ONCE((s)->sequence) != (start))

/* The latch API of 6.1.192, for a reader that copies a CPU's table. */
typedef struct { seqcount_t seqcount; } seqcount_latch_t;
#define SEQCNT_LATCH_ZERO(name) { .seqcount = { 0 } }
#define seqcount_latch_init(s) ((s)->seqcount.sequence = 0)
#define raw_read_seqcount_latch(s) READ_ONCE((s)->seqcount.sequence)
#define read_seqcount_latch(s) raw_read_seqcount_latch(s)
#define raw_read_seqcount_latch_retry(s, start) \
	(READ_ONCE((s)->seqcount.sequence) != (start))
#define read_seqcount_latch_retry(s, start) raw_read_seqcount_latch_retry(s, start)
#define raw_write_seqcount_latch(s) do {					\
	smp_wmb(); (s)->seqcount.sequence++; smp_wmb();			\
	shim_latch_hook((s)->seqcount.sequence);			\
} while (0)

#endif

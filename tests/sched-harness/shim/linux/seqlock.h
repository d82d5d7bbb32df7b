/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for the sequence count: one CPU, so plain counters. */
#ifndef SHIM_LINUX_SEQLOCK_H
#define SHIM_LINUX_SEQLOCK_H

typedef struct { unsigned int sequence; } seqcount_t;

#define barrier() __asm__ __volatile__("" ::: "memory")
#define raw_write_seqcount_begin(s) do { (s)->sequence++; barrier(); } while (0)
#define raw_write_seqcount_end(s) do { barrier(); (s)->sequence++; } while (0)
#define raw_read_seqcount(s) READ_ONCE((s)->sequence)

#endif

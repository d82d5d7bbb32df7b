/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in: one CPU, so compiler barriers are all there is. */
#ifndef SHIM_LINUX_COMPILER_H
#define SHIM_LINUX_COMPILER_H

#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_wmb() barrier()
#define smp_rmb() barrier()
/* KCSAN's annotations: no checker here. */
#define data_race(expr) (expr)
#define ASSERT_EXCLUSIVE_WRITER(var) do { } while (0)

#endif

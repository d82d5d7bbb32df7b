/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static keys for the user-space harness: a flag tested at run time
 * (the kernel patches a jump instead; callgrind counts the test here).
 */
#ifndef SHIM_LINUX_JUMP_LABEL_H
#define SHIM_LINUX_JUMP_LABEL_H

#include <stdbool.h>

struct static_key_false {
	bool enabled;
};

#define DECLARE_STATIC_KEY_FALSE(name) extern struct static_key_false name
#define DEFINE_STATIC_KEY_FALSE(name) struct static_key_false name = { false }

#ifdef SHIM_STATIC_KEY
/*
 * The cost driver (callgrind): the key fixed when it is built, and tested
 * with the instruction x86-64's arch_static_branch() leaves at the site,
 * a 5-byte nop while the key is off, a jmp once it is on.  Nothing else
 * at run time, as in the kernel.
 */
static inline __attribute__((always_inline)) bool shim_static_branch(void)
{
#if SHIM_STATIC_KEY
	asm goto("jmp %l[on]" : : : : on);
#else
	asm goto(".byte 0x0f, 0x1f, 0x44, 0x00, 0x00" : : : : on);
#endif
	return false;
on:
	return true;
}
#define static_branch_unlikely(key) shim_static_branch()
#define static_key_enabled(key) (SHIM_STATIC_KEY != 0)
#else
#define static_branch_unlikely(key) __builtin_expect(READ_ONCE((key)->enabled), 0)
#define static_key_enabled(key) READ_ONCE((key)->enabled)
#endif

#endif

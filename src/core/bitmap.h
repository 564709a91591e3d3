/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bitmap.h - bit operations and searches on arrays of unsigned long.
 *
 * Mirrors include/linux/bitops.h and lib/find_bit.c (v6.12): bit n lives
 * in word n / BITS_PER_LONG at position n % BITS_PER_LONG.  set_bit() and
 * friends are atomic (relaxed, as on x86 they are locked RMWs without
 * ordering promises beyond that); test_and_set_bit() and
 * test_and_clear_bit() are fully ordered; the __ versions are not atomic.
 * The find_* searches return @size when nothing is found.
 */
#ifndef KCORE_SRC_CORE_BITMAP_H
#define KCORE_SRC_CORE_BITMAP_H

#include "compiler.h"
#include <stdbool.h>
#include <string.h>

#define BITS_TO_LONGS(n) DIV_ROUND_UP((n), BITS_PER_LONG)
#define BIT_WORD(n) ((n) / BITS_PER_LONG)
#define BIT_MASK(n) (1UL << ((n) % BITS_PER_LONG))

static inline void set_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void clear_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) >> (nr % BITS_PER_LONG)) & 1;
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long old = __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
	return old & BIT_MASK(nr);
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long old = __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
	return old & BIT_MASK(nr);
}

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline void bitmap_zero(unsigned long *dst, unsigned long nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_fill(unsigned long *dst, unsigned long nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* The first set (or clear) bit at or after @offset, below @size; else @size. */
unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset) KCORE_HIDDEN;
unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset) KCORE_HIDDEN;
/* Number of set bits among the first @nbits. */
unsigned long bitmap_weight(const unsigned long *addr, unsigned long nbits) KCORE_HIDDEN;
/* Sets / clears bits [start, start + len). */
void bitmap_set(unsigned long *addr, unsigned long start, unsigned long len) KCORE_HIDDEN;
void bitmap_clear(unsigned long *addr, unsigned long start, unsigned long len) KCORE_HIDDEN;

static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_zero_bit(addr, size, 0);
}

#define for_each_set_bit(bit, addr, size)                                   \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size);       \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#endif /* KCORE_SRC_CORE_BITMAP_H */

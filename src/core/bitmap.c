// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bitmap.c - word-at-a-time bit searches.
 *
 * Mirrors lib/find_bit.c (v6.12) in behaviour: each search looks at one
 * word per step, masks the bits below the start in the first word and the
 * bits past @size in the last, and returns @size when nothing matches.
 * The loads are relaxed atomics so concurrent set_bit()/clear_bit() on the
 * same map are not data races (the answer is then a snapshot, as in the
 * kernel).
 */
#include "bitmap.h"

static inline unsigned long load_word(const unsigned long *addr, unsigned long idx)
{
	return __atomic_load_n(&addr[idx], __ATOMIC_RELAXED);
}

static unsigned long find_next(const unsigned long *addr, unsigned long size,
			       unsigned long offset, unsigned long invert)
{
	if (unlikely(offset >= size))
		return size;

	unsigned long idx = BIT_WORD(offset);
	unsigned long word = (load_word(addr, idx) ^ invert) & (~0UL << (offset % BITS_PER_LONG));
	unsigned long last = BIT_WORD(size - 1);

	while (!word) {
		if (++idx > last)
			return size;
		word = load_word(addr, idx) ^ invert;
	}
	unsigned long bit = idx * BITS_PER_LONG + (unsigned long)__builtin_ctzl(word);
	return min(bit, size);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{
	return find_next(addr, size, offset, 0UL);
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	return find_next(addr, size, offset, ~0UL);
}

unsigned long bitmap_weight(const unsigned long *addr, unsigned long nbits)
{
	unsigned long w = 0, full = nbits / BITS_PER_LONG;

	for (unsigned long i = 0; i < full; i++)
		w += (unsigned long)__builtin_popcountl(load_word(addr, i));
	if (nbits % BITS_PER_LONG)
		w += (unsigned long)__builtin_popcountl(load_word(addr, full) &
						       (BIT_MASK(nbits) - 1));
	return w;
}

void bitmap_set(unsigned long *addr, unsigned long start, unsigned long len)
{
	for (unsigned long i = start; i < start + len; i++)
		__set_bit(i, addr);
}

void bitmap_clear(unsigned long *addr, unsigned long start, unsigned long len)
{
	for (unsigned long i = start; i < start + len; i++)
		__clear_bit(i, addr);
}

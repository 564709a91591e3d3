// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pidmap.c - per-namespace pid bitmaps.
 *
 * Mirrors the pidmap allocator of kernel/pid.c as of v2.6.24 (4 KiB pages
 * of 32768 bits, allocated on first use and kept until the namespace goes,
 * nr_free per page, next_pidmap() for readdir), with the allocation order
 * of v6.14's IDR (idr_alloc_cyclic() from the cursor, wrap to
 * RESERVED_PIDS once the cursor has passed it, to 1 before; set_tid takes
 * an exact number).
 *
 * Locking: every bit is set and cleared under pidmap_lock, so the
 * allocator's own scans read plain memory; next_pidmap() reads lock-free
 * with relaxed atomic loads (a snapshot, as in the kernel), pages are
 * published with a release store and never freed before the namespace.
 *
 * KCORE: the v2.6.24 allocator set bits lock-free and raced on last_pid;
 * here allocation holds pidmap_lock throughout, as v6.14's does around
 * idr_alloc_cyclic(), which makes the cursor exact.
 */
#include <kcore/pid.h>

#include "core/bitmap.h"
#include "pid_internal.h"
#include <errno.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define WORDS_PER_PAGE (BITS_PER_PAGE / BITS_PER_LONG)

/*
 * First word index in [i, n) of @w that is not all ones, or n.  The hot
 * case of a nearly full page is a bandwidth-bound scan, so it goes 128
 * bytes per step with AVX2 where the CPU has it.
 */
static size_t scan_full_generic(const unsigned long *w, size_t i, size_t n)
{
	for (; i + 8 <= n; i += 8)
		if ((w[i] & w[i + 1] & w[i + 2] & w[i + 3] & w[i + 4] & w[i + 5] & w[i + 6] &
		     w[i + 7]) != ~0UL)
			break;
	for (; i < n; i++)
		if (w[i] != ~0UL)
			break;
	return i;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static size_t scan_full_avx2(const unsigned long *w, size_t i,
							     size_t n)
{
	const __m256i ones = _mm256_set1_epi64x(-1);

	while ((i & 3) && i < n) {
		if (w[i] != ~0UL)
			return i;
		i++;
	}
	for (; i + 16 <= n; i += 16) {
		const __m256i *p = (const __m256i *)(const void *)(w + i);
		__m256i x = _mm256_and_si256(_mm256_and_si256(_mm256_load_si256(p), _mm256_load_si256(p + 1)),
					     _mm256_and_si256(_mm256_load_si256(p + 2), _mm256_load_si256(p + 3)));
		if (!_mm256_testc_si256(x, ones))
			break;
	}
	return scan_full_generic(w, i, n);
}

static size_t (*scan_full)(const unsigned long *w, size_t i, size_t n);

__attribute__((constructor)) static void pick_scan(void)
{
	__builtin_cpu_init();
	scan_full = __builtin_cpu_supports("avx2") ? scan_full_avx2 : scan_full_generic;
}
#else
#define scan_full scan_full_generic
#endif

/* First clear bit of @page in [off, end), or end.  Caller holds pidmap_lock. */
static unsigned int page_find_zero(const unsigned long *page, unsigned int off, unsigned int end)
{
	size_t i = off / BITS_PER_LONG, last = (end + BITS_PER_LONG - 1) / BITS_PER_LONG;
	unsigned long word = ~page[i] & (~0UL << (off % BITS_PER_LONG));

	while (!word) {
		if (++i >= last)
			return end;
		i = scan_full(page, i, last);
		if (i >= last)
			return end;
		word = ~page[i];
	}
	return (unsigned int)min(i * BITS_PER_LONG + (size_t)__builtin_ctzl(word), (size_t)end);
}

/* page_find_zero() for the white-box bench. */
unsigned int kcore__pid_pidmap_scan(const unsigned long *page, unsigned int off, unsigned int end)
{
	return page_find_zero(page, off, end);
}

/* Makes sure pidmap[idx] has its page.  Caller holds pidmap_lock. */
static int pidmap_page(struct kcore_pid_namespace *ns, unsigned int idx)
{
	struct pidmap *map = &ns->pidmap[idx];
	unsigned long *page;

	if (map->page)
		return 0;
	page = kcore__aligned_alloc(64, BITS_PER_PAGE / 8);
	if (!page)
		return -ENOMEM;
	map->nr_free = BITS_PER_PAGE;
	if (idx == 0) {
		/* Number 0 is never handed out (the swapper's, or nobody's). */
		__set_bit(0, page);
		map->nr_free--;
	}
	/* Pairs with the acquire in kcore_next_pidmap(). */
	smp_store_release(&map->page, page);
	return 0;
}

/* Takes the first free number in [from, to); -ENOSPC when there is none. */
static int find_and_set(struct kcore_pid_namespace *ns, int from, int to)
{
	int nr = from;

	while (nr < to) {
		unsigned int idx = (unsigned int)nr / BITS_PER_PAGE;
		unsigned int off = (unsigned int)nr % BITS_PER_PAGE;
		unsigned int end = (unsigned int)min(to - (int)(idx * BITS_PER_PAGE), BITS_PER_PAGE);
		struct pidmap *map = &ns->pidmap[idx];

		if (!map->page) {
			/* A page never used is all free: nr itself is ours. */
			int err = pidmap_page(ns, idx);

			if (err)
				return err;
		}
		if (map->nr_free > 0) {
			unsigned int bit = page_find_zero(map->page, off, end);

			if (bit < end) {
				set_bit(bit, map->page);
				map->nr_free--;
				return (int)(idx * BITS_PER_PAGE + bit);
			}
		}
		nr = (int)((idx + 1) * BITS_PER_PAGE);
	}
	return -ENOSPC;
}

/**
 * kcore__pid_alloc_pidmap() - the next free number of @ns (cyclic).
 * @ns: the namespace.
 *
 * Context: pidmap_lock held.
 * Return: the number, -ENOSPC when every number below pid_max is taken,
 * -ENOMEM when a bitmap page cannot be allocated.
 */
int kcore__pid_alloc_pidmap(struct kcore_pid_namespace *ns)
{
	int pid_max = READ_ONCE(ns->pid_max);
	int cursor = ns->cursor;
	int pid_min = cursor > RESERVED_PIDS ? RESERVED_PIDS : 1;
	int start = max(cursor, pid_min);
	int nr;

	lockdep_assert_held(&ns->ps->pidmap_lock);
	nr = find_and_set(ns, start, pid_max);
	if (nr == -ENOSPC && start > pid_min)
		nr = find_and_set(ns, pid_min, min(start, pid_max));
	if (nr >= 0)
		ns->cursor = nr + 1;
	return nr;
}

/**
 * kcore__pid_alloc_pidmap_nr() - take exactly @nr (set_tid).
 * @ns: the namespace.
 * @nr: a number in [1, pid_max).
 *
 * The cursor does not move, as with idr_alloc().
 *
 * Context: pidmap_lock held.
 * Return: @nr, -EEXIST when it is taken, -ENOMEM.
 */
int kcore__pid_alloc_pidmap_nr(struct kcore_pid_namespace *ns, int nr)
{
	unsigned int idx = (unsigned int)nr / BITS_PER_PAGE;
	struct pidmap *map = &ns->pidmap[idx];
	int err;

	lockdep_assert_held(&ns->ps->pidmap_lock);
	err = pidmap_page(ns, idx);
	if (err)
		return err;
	if (test_bit((unsigned int)nr % BITS_PER_PAGE, map->page))
		return -EEXIST;
	set_bit((unsigned int)nr % BITS_PER_PAGE, map->page);
	map->nr_free--;
	return nr;
}

/**
 * kcore__pid_free_pidmap() - give @nr back.
 * @ns: the namespace.
 * @nr: an allocated number.
 *
 * Context: pidmap_lock held.
 */
void kcore__pid_free_pidmap(struct kcore_pid_namespace *ns, int nr)
{
	struct pidmap *map = &ns->pidmap[(unsigned int)nr / BITS_PER_PAGE];

	lockdep_assert_held(&ns->ps->pidmap_lock);
	if (WARN_ON(nr <= 0 || !map->page))
		return;
	clear_bit((unsigned int)nr % BITS_PER_PAGE, map->page);
	map->nr_free++;
}

/* pidmap[0] exists from the namespace's birth, number 0 taken. */
int kcore__pid_pidmap_init(struct kcore_pid_namespace *ns)
{
	return pidmap_page(ns, 0);
}

void kcore__pid_pidmap_free_pages(struct kcore_pid_namespace *ns)
{
	for (unsigned int i = 0; i < PIDMAP_ENTRIES; i++) {
		kfree(ns->pidmap[i].page);
		ns->pidmap[i].page = NULL;
	}
}

int kcore_next_pidmap(struct kcore_pid_namespace *ns, unsigned int last)
{
	unsigned int offset, idx;

	if (!ns)
		return -EINVAL;
	/* The CVE-2011-1593 guard: no index past the map. */
	if (last >= PID_MAX_LIMIT - 1)
		return -1;
	offset = last + 1;
	for (idx = offset / BITS_PER_PAGE; idx < PIDMAP_ENTRIES; idx++, offset = 0) {
		/* Pairs with the release in pidmap_page(). */
		const unsigned long *page = smp_load_acquire(&ns->pidmap[idx].page);
		unsigned long bit;

		if (!page)
			continue;
		bit = find_next_bit(page, BITS_PER_PAGE, offset % BITS_PER_PAGE);
		if (bit < BITS_PER_PAGE)
			return (int)(idx * BITS_PER_PAGE + bit);
	}
	return -1;
}

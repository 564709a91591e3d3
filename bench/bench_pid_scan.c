// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_pid_scan.c - the allocator's worst case: one free bit at the very
 * end of a full 32768-bit pidmap page, found by a scan from the start.
 * Target P6: within 1.5x of memchr() over 4 KiB (the bandwidth limit of
 * looking at every byte once).  White-box: calls the page scan directly.
 */
#include "pid/pid_internal.h"

#include "benches.h"
#include <stdlib.h>
#include <string.h>

static unsigned long *page;
static unsigned char *bytes;

static uint64_t loop_scan(void *arg, uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		__asm__ __volatile__("" : : "r"(page) : "memory");
		s += kcore__pid_pidmap_scan(page, 0, BITS_PER_PAGE);
	}
	return s;
}

static uint64_t loop_memchr(void *arg, uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		__asm__ __volatile__("" : : "r"(bytes) : "memory");
		s += (uintptr_t)memchr(bytes, 1, 4096);
	}
	return s;
}

int bench_pid_scan(struct bench_ctx *ctx)
{
	page = aligned_alloc(64, 4096);
	bytes = aligned_alloc(64, 4096);
	memset(page, 0xff, 4096);
	page[BITS_PER_PAGE / BITS_PER_LONG - 1] &= ~(1UL << 63);
	memset(bytes, 0, 4096);
	if (kcore__pid_pidmap_scan(page, 0, BITS_PER_PAGE) != BITS_PER_PAGE - 1)
		abort();
	bench_compare(ctx, "pid_scan", "pidmap_full_page_scan", loop_scan, NULL, "memchr_4KiB",
		      loop_memchr, NULL, 1.5);
	free(page);
	free(bytes);
	return 0;
}

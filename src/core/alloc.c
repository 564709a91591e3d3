// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * alloc.c - the allocation wrapper: fail-nth injection and live counting.
 *
 * Mirrors the per-task fail-nth of the kernel's fault injection
 * (Documentation/fault-injection, v6.12): writing N arms a countdown and the
 * N-th fault-injectable call from then on fails, once.  Here every library
 * allocation is such a call.
 */
#include <kcore/core.h>

#include "alloc.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong outstanding;
static __thread unsigned int fail_countdown;

bool kcore__should_fail(void)
{
	if (likely(!fail_countdown))
		return false;
	return --fail_countdown == 0;
}

void kcore_fail_nth(unsigned int n)
{
	fail_countdown = n;
}

bool kcore_fail_nth_pending(void)
{
	return fail_countdown != 0;
}

unsigned long kcore_alloc_outstanding(void)
{
	return atomic_load(&outstanding);
}

static void *counted(void *p)
{
	if (p)
		atomic_fetch_add_explicit(&outstanding, 1, memory_order_relaxed);
	return p;
}

void *kcore__malloc(size_t size)
{
	if (kcore__should_fail())
		return NULL;
	return counted(malloc(size ? size : 1));
}

void *kcore__zalloc(size_t size)
{
	if (kcore__should_fail())
		return NULL;
	return counted(calloc(1, size ? size : 1));
}

void *kcore__calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kcore__zalloc(n * size);
}

void *kcore__aligned_alloc(size_t align, size_t size)
{
	void *p = NULL;

	if (kcore__should_fail())
		return NULL;
	size = ALIGN(size ? size : 1, align);
	if (posix_memalign(&p, align, size))
		return NULL;
	memset(p, 0, size);
	return counted(p);
}

void *kcore__realloc(void *p, size_t size)
{
	if (!p)
		return kcore__malloc(size);
	if (kcore__should_fail())
		return NULL;
	return realloc(p, size ? size : 1);
}

char *kcore__strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kcore__malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void kcore__free(void *p)
{
	if (!p)
		return;
	atomic_fetch_sub_explicit(&outstanding, 1, memory_order_relaxed);
	free(p);
}

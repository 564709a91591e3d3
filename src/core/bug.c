// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bug.c - BUG_ON and WARN_ON reporting.
 *
 * WARN_ON prints one report per call site (the kernel's WARN_ON_ONCE shape
 * is what tests find useful) and always bumps the process-wide counter.
 */
#include <kcore/core.h>

#include "bug.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_ulong warn_count;

void kcore__bug(const char *file, const char *func, int line, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%s@%d: %s\n", file, func, line, cond);
	abort();
}

void kcore__warn(const char *file, const char *func, int line, const char *cond, bool *once)
{
	atomic_fetch_add(&warn_count, 1);
	if (__atomic_exchange_n(once, true, __ATOMIC_RELAXED))
		return;
	fprintf(stderr, "WARNING: at %s:%s@%d: %s\n", file, func, line, cond);
}

unsigned long kcore_warn_count(void)
{
	return atomic_load(&warn_count);
}

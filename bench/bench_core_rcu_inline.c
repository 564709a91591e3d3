// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_core_rcu_inline.c - the internal inline RCU wrapper (what the pid
 * hash and the other hot paths use) against bare liburcu.  White-box: it
 * includes src/core/rcu.h and links the static library.
 */
#include "core/rcu.h"

#include "benches.h"

static volatile uint64_t shared_value = 1;

static uint64_t loop_wrapper(void *arg, uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		rcu_read_lock();
		s += shared_value;
		rcu_read_unlock();
	}
	return s;
}

static uint64_t loop_urcu(void *arg, uint64_t n)
{
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		urcu_memb_read_lock();
		s += shared_value;
		urcu_memb_read_unlock();
	}
	return s;
}

int bench_core_rcu_inline(struct bench_ctx *ctx)
{
	rcu_read_lock(); /* registers this thread (both loops need it) */
	rcu_read_unlock();
	bench_compare(ctx, "core_rcu_inline", "kcore_inline", loop_wrapper, NULL, "urcu_memb",
		      loop_urcu, NULL, 1.10);
	return 0;
}

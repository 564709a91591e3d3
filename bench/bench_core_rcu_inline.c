// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_core_rcu_inline.c - the internal inline RCU wrapper (what the pid
 * hash and the other hot paths use) against bare liburcu.  White-box: it
 * includes src/core/rcu.h and links the static library.
 */
#include "core/rcu.h"

#include "benches.h"
#include "rcu_loop.h"

BENCH_RCU_READ_LOOP(loop_wrapper, rcu_read_lock, rcu_read_unlock)
BENCH_RCU_READ_LOOP(loop_urcu, urcu_memb_read_lock, urcu_memb_read_unlock)

int bench_core_rcu_inline(struct bench_ctx *ctx)
{
	rcu_read_lock(); /* registers this thread (both loops need it) */
	rcu_read_unlock();
	bench_compare(ctx, "core_rcu_inline", "kcore_inline", loop_wrapper, NULL, "urcu_memb",
		      loop_urcu, NULL, 1.10);
	return 0;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_core_rcu.c - the RCU read-side wrapper against bare liburcu.
 *
 * Target (P3): the wrapper's read_lock+unlock pair within 1.10x of a bare,
 * inlined liburcu memb pair.  Each iteration also loads one shared value
 * inside the section, as a real lookup would.
 */
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>

#include <kcore/kcore.h>

#include "benches.h"
#include "rcu_loop.h"
#include <pthread.h>
#include <stdlib.h>

BENCH_RCU_READ_LOOP(loop_kcore, kcore_rcu_read_lock, kcore_rcu_read_unlock)
BENCH_RCU_READ_LOOP(loop_urcu, urcu_memb_read_lock, urcu_memb_read_unlock)

int bench_core_rcu_read(struct bench_ctx *ctx)
{
	urcu_memb_register_thread();
	bench_compare(ctx, "core_rcu_read", "kcore_public", loop_kcore, NULL, "urcu_memb",
		      loop_urcu, NULL, 1.10);
	urcu_memb_unregister_thread();
	return 0;
}

/* Scaling: per-thread sums, no shared sink (false sharing would hide scaling). */
struct reader {
	pthread_rwlock_t *lock;
	uint64_t sum;
	char pad[64];
};

static uint64_t loop_kcore_thread(void *arg, uint64_t n)
{
	struct reader *r = arg;

	r->sum += loop_kcore(NULL, n);
	return 0;
}

static uint64_t loop_rwlock_thread(void *arg, uint64_t n)
{
	struct reader *r = arg;
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		pthread_rwlock_rdlock(r->lock);
		s += bench_rcu_shared_value;
		pthread_rwlock_unlock(r->lock);
	}
	r->sum += s;
	return 0;
}

int bench_core_rcu_scaling(struct bench_ctx *ctx)
{
	pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
	struct reader *rd = aligned_alloc(64, 2 * sizeof(*rd));
	void *args[2] = { &rd[0], &rd[1] };
	double one, two, rw2;

	if (!rd)
		return 1;
	rd[0].lock = rd[1].lock = &lock;
	one = bench_throughput(ctx, "core_rcu_scaling.kcore_1thr", 1, loop_kcore_thread, args);
	two = bench_throughput(ctx, "core_rcu_scaling.kcore_2thr", 2, loop_kcore_thread, args);
	rw2 = bench_throughput(ctx, "core_rcu_scaling.rwlock_2thr", 2, loop_rwlock_thread, args);
	bench_report_ratio(ctx, "core_rcu_scaling", "kcore_2thr", "kcore_1thr",
			   one > 0 ? two / one : 0, 1.90, true, false);
	bench_report_ratio(ctx, "core_rcu_scaling", "kcore_2thr", "rwlock_2thr",
			   rw2 > 0 ? two / rw2 : 0, 20.0, true, false);
	free(rd);
	return 0;
}

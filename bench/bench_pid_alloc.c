// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_pid_alloc.c - the cost of an alloc_pid + free_pid cycle.
 *
 * Targets: P7 at 90 % occupancy within 2x of the same at 1 % (the bitmap
 * is filled uniformly at random, so the next-fit search meets the density
 * it would in a busy system); alloc cost flat (<= 1.5x) from pid_max 1024
 * to 4194304 at the same number of live pids.  Freed pids go through
 * call_rcu like every free_pid.
 */
#include <kcore/kcore.h>

#include "benches.h"
#include <stdlib.h>

struct alloc_env {
	struct kcore_system *sys;
	struct kcore_pid_namespace *ns;
	struct kcore_pid **live;
	int nlive;
};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A system whose initial namespace has @pid_max and @permille of it live,
   spread uniformly. */
static struct alloc_env *env_create(int pid_max, int permille)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .pid_max = pid_max };
	struct alloc_env *e = calloc(1, sizeof(*e));
	int total = pid_max - 1, keep = (int)((int64_t)(pid_max - 1) * permille / 1000);
	uint64_t seed = 42;

	e->sys = kcore_system_create(&cfg);
	if (KCORE_IS_ERR(e->sys))
		abort();
	e->ns = kcore_init_pid_ns(e->sys);
	e->live = calloc((size_t)(permille ? total : 256), sizeof(*e->live));
	if (permille) {
		/* Fill everything, then free a random (1 - permille) share. */
		for (int i = 0; i < total; i++)
			e->live[i] = kcore_alloc_pid(e->ns, NULL, 0);
		for (int i = total - 1; i > 0; i--) {
			int j = (int)(splitmix(&seed) % (uint64_t)(i + 1));
			struct kcore_pid *t = e->live[i];

			e->live[i] = e->live[j];
			e->live[j] = t;
		}
		for (int i = keep; i < total; i++)
			kcore_free_pid(e->live[i]);
		e->nlive = keep;
	} else {
		for (int i = 0; i < keep; i++)
			e->live[i] = kcore_alloc_pid(e->ns, NULL, 0);
		e->nlive = keep;
	}
	kcore_rcu_barrier();
	return e;
}

static void env_destroy(struct alloc_env *e)
{
	for (int i = 0; i < e->nlive; i++)
		kcore_free_pid(e->live[i]);
	kcore_system_destroy(e->sys);
	free(e->live);
	free(e);
}

static uint64_t loop_cycle(void *arg, uint64_t n)
{
	struct alloc_env *e = arg;
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct kcore_pid *p = kcore_alloc_pid(e->ns, NULL, 0);

		s += (uintptr_t)p;
		kcore_free_pid(p);
	}
	return s;
}

int bench_pid_alloc_occupancy(struct bench_ctx *ctx)
{
	struct alloc_env *busy = env_create(32768, 900), *idle = env_create(32768, 10);

	bench_compare(ctx, "pid_alloc_occupancy", "alloc+free@90%", loop_cycle, busy, "alloc+free@1%",
		      loop_cycle, idle, 2.0);
	env_destroy(busy);
	env_destroy(idle);
	return 0;
}

int bench_pid_alloc_pid_max(struct bench_ctx *ctx)
{
	/* 100 live pids in both. */
	struct alloc_env *big = env_create(4194304, 0), *small = env_create(1024, 0);

	for (int i = 0; i < 100; i++) {
		kcore_free_pid(kcore_alloc_pid(big->ns, NULL, 0)); /* moves nothing; warms the path */
		big->live[big->nlive++] = kcore_alloc_pid(big->ns, NULL, 0);
		small->live[small->nlive++] = kcore_alloc_pid(small->ns, NULL, 0);
	}
	bench_compare(ctx, "pid_alloc_pid_max", "pid_max=4M", loop_cycle, big, "pid_max=1K", loop_cycle,
		      small, 1.5);
	env_destroy(big);
	env_destroy(small);
	return 0;
}

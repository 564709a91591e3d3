// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_pid_lookup.c - pid lookups under RCU with 64K live pids.
 *
 * Targets: P2 hit latency within 1.25x of liburcu's cds_lfht_lookup on the
 * same keys; P1 1 -> 2 reader threads >= 1.9x; P5 >= 20x a
 * pthread_rwlock-protected chained hash at 2 threads; P4 >= 0.9x of the
 * lookup throughput while a writer churns 10k alloc+free per second.
 * Every loop does read_lock, one lookup, read_unlock, per key.
 */
#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>
#include <urcu/rculfhash.h>

#include <kcore/kcore.h>

#include "benches.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NPIDS 65536
#define NKEYS 65536
#define GOLDEN 0x61C8864680B583EBull

struct lookup_env {
	struct kcore_system *sys;
	struct kcore_pid_namespace *ns;
	struct kcore_pid **pids;
	int *keys;                    /* a fixed pseudo-random order of 1..NPIDS */
	struct cds_lfht *lfht;
	struct lf_node *lf_nodes;
	/* the rwlock baseline: a chained hash with the kernel's bucket count rule */
	pthread_rwlock_t rw;
	struct rw_node **rw_buckets;
	struct rw_node *rw_nodes;
	unsigned int rw_shift;
};

struct lf_node {
	struct cds_lfht_node node;
	int key;
};

struct rw_node {
	struct rw_node *next;
	int key;
};

static unsigned long hash_key(int key)
{
	return (unsigned long)((uint64_t)(unsigned int)key * GOLDEN);
}

static int lf_match(struct cds_lfht_node *node, const void *key)
{
	return caa_container_of(node, struct lf_node, node)->key == *(const int *)key;
}

static struct lookup_env *env_create(void)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .pid_max = 131072 };
	struct lookup_env *e = calloc(1, sizeof(*e));

	e->sys = kcore_system_create(&cfg);
	if (KCORE_IS_ERR(e->sys))
		abort();
	e->ns = kcore_init_pid_ns(e->sys);
	e->pids = calloc(NPIDS, sizeof(*e->pids));
	e->keys = calloc(NKEYS, sizeof(*e->keys));
	for (int i = 0; i < NPIDS; i++) {
		e->pids[i] = kcore_alloc_pid(e->ns, NULL, 0);
		if (KCORE_IS_ERR(e->pids[i]))
			abort();
	}
	for (int i = 0; i < NKEYS; i++)
		e->keys[i] = (int)(((uint64_t)i * 40503u) % NPIDS) + 1;

	if (kcore_thread_register()) /* the same liburcu memb reader the baseline uses */
		abort();
	e->lfht = cds_lfht_new_flavor(NPIDS, NPIDS, 0, 0, &urcu_memb_flavor, NULL);
	e->lf_nodes = calloc(NPIDS, sizeof(*e->lf_nodes));
	for (int i = 0; i < NPIDS; i++) {
		e->lf_nodes[i].key = i + 1;
		cds_lfht_node_init(&e->lf_nodes[i].node);
		urcu_memb_read_lock();
		cds_lfht_add(e->lfht, hash_key(i + 1), &e->lf_nodes[i].node);
		urcu_memb_read_unlock();
	}
	pthread_rwlock_init(&e->rw, NULL);
	e->rw_shift = 16;
	e->rw_buckets = calloc(1u << e->rw_shift, sizeof(*e->rw_buckets));
	e->rw_nodes = calloc(NPIDS, sizeof(*e->rw_nodes));
	for (int i = 0; i < NPIDS; i++) {
		unsigned long b = hash_key(i + 1) >> (64 - e->rw_shift);

		e->rw_nodes[i].key = i + 1;
		e->rw_nodes[i].next = e->rw_buckets[b];
		e->rw_buckets[b] = &e->rw_nodes[i];
	}
	return e;
}

static void env_destroy(struct lookup_env *e)
{
	for (int i = 0; i < NPIDS; i++)
		kcore_free_pid(e->pids[i]);
	kcore_system_destroy(e->sys);
	cds_lfht_destroy(e->lfht, NULL);
	kcore_thread_unregister();
	free(e->lf_nodes);
	free(e->rw_buckets);
	free(e->rw_nodes);
	free(e->pids);
	free(e->keys);
	free(e);
}

static uint64_t loop_kcore(void *arg, uint64_t n)
{
	struct lookup_env *e = arg;
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		kcore_rcu_read_lock();
		s += (uintptr_t)kcore_find_pid_ns(e->keys[i & (NKEYS - 1)], e->ns);
		kcore_rcu_read_unlock();
	}
	return s;
}

static uint64_t loop_lfht(void *arg, uint64_t n)
{
	struct lookup_env *e = arg;
	struct cds_lfht_iter iter;
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		int key = e->keys[i & (NKEYS - 1)];

		urcu_memb_read_lock();
		cds_lfht_lookup(e->lfht, hash_key(key), lf_match, &key, &iter);
		s += (uintptr_t)cds_lfht_iter_get_node(&iter);
		urcu_memb_read_unlock();
	}
	return s;
}

static uint64_t loop_rwlock(void *arg, uint64_t n)
{
	struct lookup_env *e = arg;
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		int key = e->keys[i & (NKEYS - 1)];
		struct rw_node *p;

		pthread_rwlock_rdlock(&e->rw);
		for (p = e->rw_buckets[hash_key(key) >> (64 - e->rw_shift)]; p && p->key != key; p = p->next)
			;
		s += (uintptr_t)p;
		pthread_rwlock_unlock(&e->rw);
	}
	return s;
}

/* Per-thread state for the throughput runs; padded against false sharing. */
struct worker {
	struct lookup_env *e;
	bench_loop_fn fn;
	uint64_t sum;
	char pad[64];
};

static uint64_t worker_loop(void *arg, uint64_t n)
{
	struct worker *w = arg;

	w->sum += w->fn(w->e, n);
	return 0;
}

static double throughput(struct bench_ctx *ctx, const char *name, unsigned int threads,
			 struct lookup_env *e, bench_loop_fn fn)
{
	struct worker w[2] = { { .e = e, .fn = fn }, { .e = e, .fn = fn } };
	void *args[2] = { &w[0], &w[1] };

	return bench_throughput(ctx, name, threads, worker_loop, args);
}

int bench_pid_lookup(struct bench_ctx *ctx)
{
	struct lookup_env *e = env_create();

	bench_compare(ctx, "pid_lookup", "kcore_find_pid_ns", loop_kcore, e, "cds_lfht_lookup",
		      loop_lfht, e, 1.25);
	env_destroy(e);
	return 0;
}

int bench_pid_lookup_scaling(struct bench_ctx *ctx)
{
	struct lookup_env *e = env_create();
	double k1 = throughput(ctx, "pid_lookup_1t", 1, e, loop_kcore);
	double k2 = throughput(ctx, "pid_lookup_2t", 2, e, loop_kcore);
	double r2 = throughput(ctx, "rwlock_hash_2t", 2, e, loop_rwlock);

	bench_report_ratio(ctx, "pid_lookup_scaling", "2 threads", "1 thread", k2 / k1, 1.9, true, false);
	bench_report_ratio(ctx, "pid_lookup_vs_rwlock", "kcore 2t", "rwlock hash 2t", k2 / r2, 20.0, true,
			   false);
	env_destroy(e);
	return 0;
}

/* A writer doing 10 alloc+free every millisecond: 10k/s. */
struct churn {
	struct lookup_env *e;
	atomic_int stop;
	unsigned long done;
};

static void *churner(void *arg)
{
	struct churn *c = arg;
	uint64_t t0 = bench_now_ns();

	while (!atomic_load(&c->stop)) {
		/* Paced by the clock: 10 per elapsed millisecond. */
		uint64_t due = (bench_now_ns() - t0) / 100000;

		while (c->done < due) {
			struct kcore_pid *p = kcore_alloc_pid(c->e->ns, NULL, 0);

			if (!KCORE_IS_ERR(p))
				kcore_free_pid(p);
			c->done++;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 500000 }, NULL);
	}
	return NULL;
}

int bench_pid_lookup_churn(struct bench_ctx *ctx)
{
	struct lookup_env *e = env_create();
	struct churn c = { .e = e };
	pthread_t th;
	double quiet, busy;
	uint64_t t0;

	quiet = throughput(ctx, "pid_lookup_quiet", 1, e, loop_kcore);
	pthread_create(&th, NULL, churner, &c);
	t0 = bench_now_ns();
	busy = throughput(ctx, "pid_lookup_churn", 1, e, loop_kcore);
	atomic_store(&c.stop, 1);
	pthread_join(th, NULL);
	printf("  writer: %.0f alloc+free/s\n", (double)c.done * 1e9 / (double)(bench_now_ns() - t0));
	bench_report_ratio(ctx, "pid_lookup_churn", "with writer", "quiet", busy / quiet, 0.9, true, false);
	env_destroy(e);
	return 0;
}

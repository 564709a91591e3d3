// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_stress.c - lock-free lookups on several threads while others churn.
 *
 * Readers: find_pid_ns / find_get_pid / pid_task / find_ge_pid walks under
 * RCU, checking that what they find is consistent (its number in the
 * namespace is the one looked up; a readdir walk is ascending and sees
 * every long-lived pid exactly once).  Writers: bare alloc/free in the
 * initial and a nested namespace (growing the hash on the way), and a task
 * churner forking processes, threads, namespaces, exec'ing, setsid,
 * exiting and reaping.  Time-bounded (KCORE_TEST_DURATION_MS, default
 * 1000 ms per test at scale 1); clean under ASan and TSan.
 */
#include "kctest.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define THREAD_FLAGS (KCORE_CLONE_THREAD | KCORE_CLONE_SIGHAND | KCORE_CLONE_VM)
#define NSTABLE 64
#define NCHURN 2048

struct shared {
	struct kcore_system *sys;
	struct kcore_pid_namespace *root, *child;
	struct kcore_pid *stable[NSTABLE];
	int stable_nr[NSTABLE];
	atomic_int stop;
	atomic_ulong reads, hits, walks, writes, forks;
	uint64_t seed;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *reader(void *arg)
{
	struct shared *sh = arg;
	uint64_t seed = sh->seed ^ (uint64_t)(uintptr_t)&seed;
	unsigned long reads = 0, hits = 0, walks = 0;
	int bad = 0;

	while (!atomic_load(&sh->stop)) {
		for (int i = 0; i < 256; i++) {
			struct kcore_pid_namespace *ns = (i & 1) ? sh->child : sh->root;
			int nr = 1 + (int)(kctest_rand(&seed) % 6000);
			struct kcore_pid *p;

			kcore_rcu_read_lock();
			p = kcore_find_pid_ns(nr, ns);
			if (p) {
				struct kcore_task_struct *t = kcore_pid_task(p, KCORE_PIDTYPE_PID);

				hits++;
				if (kcore_pid_nr_ns(p, ns) != nr)
					bad++;
				if (t && !kcore_task_comm(t)[0])
					bad++;
				if (t && kcore_task_real_parent(t) == NULL)
					bad++;
			}
			kcore_rcu_read_unlock();
			reads++;
			if ((i & 63) == 0) {
				p = kcore_find_get_pid(nr, ns);
				if (p && kcore_pid_nr_ns(p, ns) != nr)
					bad++;
				kcore_put_pid(p);
			}
		}
		/* A readdir walk over the initial namespace. */
		int seen = 0, last = 0, n = 1;
		struct kcore_pid *p;

		for (;;) {
			kcore_rcu_read_lock();
			p = kcore_find_ge_pid(n, sh->root);
			if (p)
				n = kcore_pid_nr(p);
			kcore_rcu_read_unlock();
			if (!p)
				break;
			if (n <= last)
				bad++;
			last = n;
			for (int k = 0; k < NSTABLE; k++)
				if (sh->stable_nr[k] == n)
					seen++;
			n++;
		}
		if (seen != NSTABLE)
			bad++;
		walks++;
	}
	atomic_fetch_add(&sh->reads, reads);
	atomic_fetch_add(&sh->hits, hits);
	atomic_fetch_add(&sh->walks, walks);
	return (void *)(intptr_t)bad;
}

static void *pid_churner(void *arg)
{
	struct shared *sh = arg;
	static __thread struct kcore_pid *mine[NCHURN];
	uint64_t seed = sh->seed ^ (uint64_t)(uintptr_t)&seed;
	unsigned long writes = 0;
	int bad = 0;

	for (int i = 0; i < NCHURN; i++)
		mine[i] = NULL;
	while (!atomic_load(&sh->stop)) {
		int k = (int)(kctest_rand(&seed) % NCHURN);

		if (mine[k]) {
			kcore_free_pid(mine[k]);
			kcore_put_pid(mine[k]);
			mine[k] = NULL;
		} else {
			struct kcore_pid *p = kcore_alloc_pid((k & 1) ? sh->child : sh->root, NULL, 0);

			if (KCORE_IS_ERR(p)) {
				if (KCORE_PTR_ERR(p) != -EAGAIN)
					bad++;
				continue;
			}
			kcore_get_pid(p); /* a reference that outlives the number */
			mine[k] = p;
		}
		writes++;
	}
	for (int i = 0; i < NCHURN; i++)
		if (mine[i]) {
			kcore_free_pid(mine[i]);
			kcore_put_pid(mine[i]);
		}
	atomic_fetch_add(&sh->writes, writes);
	return (void *)(intptr_t)bad;
}

/* Forks, threads, namespaces, exec, setsid, exit and reap. */
static void *task_churner(void *arg)
{
	struct shared *sh = arg;
	struct kcore_task_struct *init = kcore_task_fork(kcore_init_task(sh->sys), 0, NULL, 0);
	uint64_t seed = sh->seed ^ 0x5eed;
	unsigned long forks = 0;
	int bad = 0;

	if (KCORE_IS_ERR(init))
		return (void *)1;
	while (!atomic_load(&sh->stop)) {
		struct kcore_task_struct *p, *t, *c, *g;
		unsigned long flags = (kctest_rand(&seed) & 3) == 0 ? KCORE_CLONE_NEWPID : 0;

		p = kcore_task_fork(init, flags, NULL, 0);
		if (KCORE_IS_ERR(p)) {
			bad += KCORE_PTR_ERR(p) != -EAGAIN;
			continue;
		}
		t = kcore_task_fork(p, THREAD_FLAGS, NULL, 0);
		c = kcore_task_fork(p, 0, NULL, 0);
		g = KCORE_IS_ERR(c) ? c : kcore_task_fork(c, 0, NULL, 0);
		if (!KCORE_IS_ERR(c) && kcore_task_setsid(c) <= 0)
			bad++;
		if (!KCORE_IS_ERR(t) && (kctest_rand(&seed) & 1)) {
			bad += kcore_task_exec(t) != 0; /* p is released here */
			p = t;
		} else if (!KCORE_IS_ERR(t)) {
			bad += kcore_task_exit(t, 0) != 0; /* t is released here */
		}
		/* The process exits; c and g get reparented. */
		bad += kcore_task_exit(p, 1) != 0;
		bad += kcore_task_reap(p) != 0;
		if (!(flags & KCORE_CLONE_NEWPID)) {
			/* Still alive: children of init now. */
			if (!KCORE_IS_ERR(g)) {
				bad += kcore_task_exit(g, 0) != 0;
				bad += kcore_task_reap(g) != 0;
			}
			if (!KCORE_IS_ERR(c)) {
				bad += kcore_task_exit(c, 0) != 0;
				bad += kcore_task_reap(c) != 0;
			}
		}
		forks++;
	}
	atomic_fetch_add(&sh->forks, forks);
	return (void *)(intptr_t)bad;
}

static void test_pid_stress__lookups_vs_churn(void **state)
{
	struct shared sh = { .sys = kctest_sys(state) };
	pthread_t th[6];
	unsigned int duration = kctest_duration_ms(1000);
	uintptr_t bad = 0;
	uint64_t end;

	sh.seed = kctest_seed();
	sh.root = kcore_init_pid_ns(sh.sys);
	sh.child = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, sh.root);
	assert_false(KCORE_IS_ERR(sh.child));
	for (int i = 0; i < NSTABLE; i++) {
		sh.stable[i] = kcore_alloc_pid(i & 1 ? sh.child : sh.root, NULL, 0);
		assert_false(KCORE_IS_ERR(sh.stable[i]));
		sh.stable_nr[i] = kcore_pid_nr(sh.stable[i]);
	}
	pthread_create(&th[0], NULL, reader, &sh);
	pthread_create(&th[1], NULL, reader, &sh);
	pthread_create(&th[2], NULL, reader, &sh);
	pthread_create(&th[3], NULL, pid_churner, &sh);
	pthread_create(&th[4], NULL, pid_churner, &sh);
	pthread_create(&th[5], NULL, task_churner, &sh);
	end = now_ms() + duration;
	while (now_ms() < end)
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	atomic_store(&sh.stop, 1);
	for (int i = 0; i < 6; i++) {
		void *r;

		pthread_join(th[i], &r);
		bad += (uintptr_t)r;
	}
	fprintf(stderr, "reads=%lu hits=%lu walks=%lu writes=%lu forks=%lu\n",
		atomic_load(&sh.reads), atomic_load(&sh.hits), atomic_load(&sh.walks),
		atomic_load(&sh.writes), atomic_load(&sh.forks));
	assert_int_equal(bad, 0);
	/* Floors: a run that did nothing proves nothing. */
	assert_true(atomic_load(&sh.reads) > 10000);
	assert_true(atomic_load(&sh.hits) > 100);
	assert_true(atomic_load(&sh.writes) > 1000);
	assert_true(atomic_load(&sh.forks) > 20);
	assert_true(atomic_load(&sh.walks) > 3);
	for (int i = 0; i < NSTABLE; i++)
		kcore_free_pid(sh.stable[i]);
	kcore_put_pid_ns(sh.child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pid_stress__lookups_vs_churn, kctest_sys_setup,
						kctest_sys_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

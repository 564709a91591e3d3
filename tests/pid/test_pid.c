// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_pid.c - struct pid: lifetime, numbers, hash lookups, find_ge_pid
 * and the readdir guarantee, bad input.
 */
#include "kctest.h"

#include <errno.h>
#include <stdlib.h>

static void test_pid_pid__alloc_lookup_free(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *p = kcore_alloc_pid(ns, NULL, 0), *q;

	assert_false(KCORE_IS_ERR(p));
	assert_int_equal(kcore_pid_nr(p), 1);
	assert_int_equal(kcore_pid_nr_ns(p, ns), 1);
	kcore_rcu_read_lock();
	assert_ptr_equal(kcore_find_pid_ns(1, ns), p);
	assert_null(kcore_find_pid_ns(2, ns));
	assert_null(kcore_find_pid_ns(0, ns)); /* pid 0 is never hashed */
	assert_null(kcore_find_pid_ns(-1, ns));
	assert_null(kcore_find_pid_ns(1, NULL));
	assert_null(kcore_pid_task(p, KCORE_PIDTYPE_PID)); /* a bare pid */
	kcore_rcu_read_unlock();
	q = kcore_find_get_pid(1, ns);
	assert_ptr_equal(q, p);
	assert_null(kcore_find_get_pid(7, ns));
	kcore_free_pid(p);
	/* Unhashed at once; the number is free again. */
	kcore_rcu_read_lock();
	assert_null(kcore_find_pid_ns(1, ns));
	kcore_rcu_read_unlock();
	assert_int_equal(kcore_next_pidmap(ns, 0), -1);
	/* The reference keeps the stale struct with its old number. */
	assert_int_equal(kcore_pid_nr(q), 1);
	kcore_rcu_barrier();
	assert_int_equal(kcore_pid_nr(q), 1);
	kcore_put_pid(q);
}

static void test_pid_pid__get_put_refcount(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *p = kcore_alloc_pid(ns, NULL, 0);
	unsigned long before;

	assert_ptr_equal(kcore_get_pid(p), p);
	assert_ptr_equal(kcore_get_pid(p), p);
	assert_null(kcore_get_pid(NULL));
	kcore_put_pid(NULL);
	kcore_put_pid(p);
	kcore_free_pid(p);
	kcore_rcu_barrier();
	before = kcore_alloc_outstanding();
	kcore_put_pid(p); /* last reference: memory goes now */
	assert_int_equal(kcore_alloc_outstanding(), before - 1);
}

static void test_pid_pid__free_pid_bad_input(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(sys);
	struct kcore_task_struct *sw = kcore_init_task(sys);
	struct kcore_pid *p = kcore_alloc_pid(ns, NULL, 0), *q;

	kcore_free_pid(NULL);
	kcore_free_pid(kcore_task_pid(sw)); /* pid 0: left alone */
	assert_int_equal(kcore_pid_nr(kcore_task_pid(sw)), 0);
	kcore_get_pid(p);
	kcore_free_pid(p);
	kcore_free_pid(p); /* numbers already released: nothing happens */
	q = kcore_alloc_pid(ns, NULL, 0);
	assert_int_equal(kcore_pid_nr(q), 2);
	kcore_free_pid(q);
	kcore_put_pid(p);
	assert_true(KCORE_IS_ERR(kcore_alloc_pid(NULL, NULL, 0)));
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(NULL, NULL, 0)), -EINVAL);
	assert_int_equal(kcore_pid_nr(NULL), 0);
	assert_int_equal(kcore_pid_nr_ns(NULL, ns), 0);
	assert_null(kcore_init_pid_ns(NULL));
	assert_null(kcore_init_task(NULL));
}

static void test_pid_pid__hash_grows(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	enum { N = 20000 };
	struct kcore_pid **p = calloc(N, sizeof(*p));

	assert_non_null(p);
	for (int i = 0; i < N; i++) {
		p[i] = kcore_alloc_pid(ns, NULL, 0);
		assert_false(KCORE_IS_ERR(p[i]));
		if (i % 3000 == 0)
			kcore_rcu_barrier(); /* lets the old table go so it can grow again */
	}
	kcore_rcu_read_lock();
	for (int i = 0; i < N; i++)
		assert_ptr_equal(kcore_find_pid_ns(i + 1, ns), p[i]);
	assert_null(kcore_find_pid_ns(N + 1, ns));
	kcore_rcu_read_unlock();
	for (int i = 0; i < N; i += 2)
		kcore_free_pid(p[i]);
	kcore_rcu_read_lock();
	for (int i = 0; i < N; i++)
		assert_ptr_equal(kcore_find_pid_ns(i + 1, ns), i % 2 ? p[i] : NULL);
	kcore_rcu_read_unlock();
	for (int i = 1; i < N; i += 2)
		kcore_free_pid(p[i]);
	free(p);
}

static void test_pid_pid__find_ge_pid(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *p[5];
	int tids[5] = { 3, 10, 40000, 70000, 7 };

	assert_int_equal(kcore_pid_ns_set_pid_max(ns, 100000), 0);
	for (int i = 0; i < 5; i++) {
		p[i] = kcore_alloc_pid(ns, &tids[i], 1);
		assert_false(KCORE_IS_ERR(p[i]));
	}
	kcore_rcu_read_lock();
	assert_ptr_equal(kcore_find_ge_pid(0, ns), p[0]);
	assert_ptr_equal(kcore_find_ge_pid(3, ns), p[0]);
	assert_ptr_equal(kcore_find_ge_pid(4, ns), p[4]);
	assert_ptr_equal(kcore_find_ge_pid(8, ns), p[1]);
	assert_ptr_equal(kcore_find_ge_pid(11, ns), p[2]);
	assert_ptr_equal(kcore_find_ge_pid(40001, ns), p[3]);
	assert_null(kcore_find_ge_pid(70001, ns));
	assert_null(kcore_find_ge_pid(5000000, ns));
	assert_null(kcore_find_ge_pid(1, NULL));
	kcore_rcu_read_unlock();
	for (int i = 0; i < 5; i++)
		kcore_free_pid(p[i]);
}

/* The readdir walk: every pid alive throughout is seen once, ascending,
   while others come and go between steps. */
static void test_pid_pid__readdir_guarantee(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	enum { N = 400 };
	struct kcore_pid *stay[N], *churn[N] = { 0 };
	uint64_t seed = kctest_seed();
	int seen[N] = { 0 }, nr = 0, last = 0, steps = 0;
	struct kcore_pid *p;

	for (int i = 0; i < N; i++) {
		stay[i] = kcore_alloc_pid(ns, NULL, 0);
		churn[i] = kcore_alloc_pid(ns, NULL, 0);
	}
	for (;;) {
		kcore_rcu_read_lock();
		p = kcore_find_ge_pid(nr, ns);
		if (p)
			nr = kcore_pid_nr(p);
		kcore_rcu_read_unlock();
		if (!p)
			break;
		assert_true(nr > last);
		last = nr;
		for (int i = 0; i < N; i++)
			if (stay[i] == p)
				seen[i]++;
		nr++;
		steps++;
		/* Churn: free one, allocate one (it may land anywhere). */
		int k = (int)(kctest_rand(&seed) % N);

		if (churn[k]) {
			kcore_free_pid(churn[k]);
			churn[k] = NULL;
		} else {
			churn[k] = kcore_alloc_pid(ns, NULL, 0);
			assert_false(KCORE_IS_ERR(churn[k]));
		}
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(seen[i], 1);
	assert_true(steps >= N);
	for (int i = 0; i < N; i++) {
		kcore_free_pid(stay[i]);
		kcore_free_pid(churn[i]);
	}
}

static void test_pid_pid__vnr_and_find_vpid(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(sys);
	struct kcore_pid *p = kcore_alloc_pid(ns, NULL, 0);

	kcore_set_current(NULL);
	assert_int_equal(kcore_pid_vnr(p), 1);
	kcore_rcu_read_lock();
	assert_null(kcore_find_vpid(1)); /* no current task */
	kcore_set_current(kcore_init_task(sys));
	assert_ptr_equal(kcore_current(), kcore_init_task(sys));
	assert_ptr_equal(kcore_find_vpid(1), p);
	kcore_rcu_read_unlock();
	assert_int_equal(kcore_pid_vnr(p), 1);
	assert_int_equal(kcore_pid_vnr(NULL), 0);
	kcore_set_current(NULL);
	kcore_free_pid(p);
}

static void test_pid_pid__foreign_namespace(void **state)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL };
	struct kcore_system *other = kcore_system_create(&cfg);
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *ons = kcore_init_pid_ns(other);
	struct kcore_pid *p = kcore_alloc_pid(ns, NULL, 0), *q = kcore_alloc_pid(ons, NULL, 0);

	/* Same number, two machines: neither sees the other's. */
	assert_int_equal(kcore_pid_nr(p), 1);
	assert_int_equal(kcore_pid_nr(q), 1);
	assert_int_equal(kcore_pid_nr_ns(p, ons), 0);
	assert_int_equal(kcore_pid_nr_ns(q, ns), 0);
	kcore_rcu_read_lock();
	assert_ptr_equal(kcore_find_pid_ns(1, ns), p);
	assert_ptr_equal(kcore_find_pid_ns(1, ons), q);
	kcore_rcu_read_unlock();
	kcore_free_pid(q);
	kcore_free_pid(p);
	kcore_system_destroy(other);
}

static void test_pid_pid__shutdown_frees_held(void **state)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL };
	struct kcore_system *sys = kcore_system_create(&cfg);
	unsigned long before;
	struct kcore_pid *p;

	(void)state;
	assert_false(KCORE_IS_ERR(sys));
	before = kcore_alloc_outstanding();
	p = kcore_alloc_pid(kcore_init_pid_ns(sys), NULL, 0);
	kcore_get_pid(p); /* a reference the program never drops */
	assert_true(kcore_alloc_outstanding() > before);
	kcore_system_destroy(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(test_pid_pid__##n, kctest_sys_setup, kctest_sys_teardown)
		T(alloc_lookup_free),
		T(get_put_refcount),
		T(free_pid_bad_input),
		T(hash_grows),
		T(find_ge_pid),
		T(readdir_guarantee),
		T(vnr_and_find_vpid),
		T(foreign_namespace),
		T(shutdown_frees_held),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

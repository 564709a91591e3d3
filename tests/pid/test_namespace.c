// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_namespace.c - pid namespaces: nesting limit, numbers at every level,
 * visibility, per-namespace pid_max, dead namespaces, references.
 */
#include "kctest.h"

#include <errno.h>

static void test_pid_namespace__nesting_limit(void **state)
{
	struct kcore_pid_namespace *ns[33], *root = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *parent = root, *e;
	struct kcore_pid *p;

	assert_int_equal(kcore_pid_ns_level(root), 0);
	for (int i = 0; i < 32; i++) {
		ns[i] = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, parent);
		assert_false(KCORE_IS_ERR(ns[i]));
		assert_int_equal(kcore_pid_ns_level(ns[i]), i + 1);
		assert_int_equal(kcore_pid_ns_get_pid_max(ns[i]), 4194304);
		parent = ns[i];
	}
	e = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, parent);
	assert_int_equal(KCORE_PTR_ERR(e), -ENOSPC);
	/* A pid at level 32 has 33 numbers, allocated at every level at once. */
	p = kcore_alloc_pid(ns[31], NULL, 0);
	assert_false(KCORE_IS_ERR(p));
	assert_int_equal(kcore_pid_nr_ns(p, ns[31]), 1);
	assert_int_equal(kcore_pid_nr_ns(p, root), 1);
	for (int i = 0; i < 32; i++)
		assert_int_equal(kcore_pid_nr_ns(p, ns[i]), 1);
	kcore_rcu_read_lock();
	for (int i = 0; i < 32; i++)
		assert_ptr_equal(kcore_find_pid_ns(1, ns[i]), p);
	assert_ptr_equal(kcore_find_pid_ns(1, root), p);
	kcore_rcu_read_unlock();
	kcore_free_pid(p);
	for (int i = 31; i >= 0; i--)
		kcore_put_pid_ns(ns[i]);
}

static void test_pid_namespace__copy_pid_ns_args(void **state)
{
	struct kcore_pid_namespace *root = kcore_init_pid_ns(kctest_sys(state));

	assert_int_equal(KCORE_PTR_ERR(kcore_copy_pid_ns(KCORE_CLONE_NEWPID, NULL)), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_copy_pid_ns(KCORE_CLONE_THREAD, root)), -EINVAL);
	assert_ptr_equal(kcore_copy_pid_ns(0, root), root);
	kcore_put_pid_ns(root);
	assert_ptr_equal(kcore_get_pid_ns(NULL), NULL);
	kcore_put_pid_ns(NULL);
	assert_int_equal(kcore_pid_ns_level(NULL), 0);
	assert_null(kcore_pid_ns_child_reaper(NULL));
	/* The swapper is the initial namespace's reaper until pid 1 exists. */
	assert_ptr_equal(kcore_pid_ns_child_reaper(root), kcore_init_task(kctest_sys(state)));
}

static void test_pid_namespace__visibility(void **state)
{
	struct kcore_pid_namespace *root = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *a = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid_namespace *b = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid_namespace *a1 = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, a);
	struct kcore_pid *r = kcore_alloc_pid(root, NULL, 0);
	struct kcore_pid *pa = kcore_alloc_pid(a, NULL, 0);
	struct kcore_pid *pa1 = kcore_alloc_pid(a1, NULL, 0);

	assert_int_equal(kcore_pid_nr(r), 1);
	assert_int_equal(kcore_pid_nr_ns(pa, a), 1);
	assert_int_equal(kcore_pid_nr(pa), 2);
	assert_int_equal(kcore_pid_nr_ns(pa1, a1), 1);
	assert_int_equal(kcore_pid_nr_ns(pa1, a), 2);
	assert_int_equal(kcore_pid_nr(pa1), 3);
	/* Not visible from a sibling or a child namespace. */
	assert_int_equal(kcore_pid_nr_ns(pa, b), 0);
	assert_int_equal(kcore_pid_nr_ns(pa, a1), 0);
	assert_int_equal(kcore_pid_nr_ns(r, a), 0);
	assert_int_equal(kcore_pid_nr_ns(pa1, b), 0);
	assert_int_equal(kcore_pid_nr_ns(pa, NULL), 0);
	kcore_rcu_read_lock();
	assert_null(kcore_find_pid_ns(1, b));
	assert_ptr_equal(kcore_find_pid_ns(2, a), pa1);
	assert_ptr_equal(kcore_find_pid_ns(2, root), pa);
	kcore_rcu_read_unlock();
	kcore_free_pid(r);
	kcore_free_pid(pa);
	kcore_free_pid(pa1);
	kcore_put_pid_ns(a1);
	kcore_put_pid_ns(b);
	kcore_put_pid_ns(a);
}

static void test_pid_namespace__effective_pid_max(void **state)
{
	struct kcore_pid_namespace *root = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *c = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid *p[400], *e;
	int n = 0;

	/* The ancestor's lower limit caps the child. */
	assert_int_equal(kcore_pid_ns_set_pid_max(root, 350), 0);
	for (;;) {
		e = kcore_alloc_pid(c, NULL, 0);
		if (KCORE_IS_ERR(e))
			break;
		p[n++] = e;
	}
	assert_int_equal(KCORE_PTR_ERR(e), -EAGAIN);
	assert_int_equal(n, 349);
	for (int i = 1; i < n; i++) /* p[0] stays: an emptied namespace without init is dead */
		kcore_free_pid(p[i]);
	/* The child's own limit applies at its level. */
	assert_int_equal(kcore_pid_ns_set_pid_max(root, 32768), 0);
	assert_int_equal(kcore_pid_ns_set_pid_max(c, 301), 0);
	assert_int_equal(kcore_pid_ns_set_last_pid(c, 299), 0);
	e = kcore_alloc_pid(c, NULL, 0);
	assert_int_equal(kcore_pid_nr_ns(e, c), 300);
	kcore_free_pid(e);
	kcore_free_pid(p[0]);
	kcore_put_pid_ns(c);
}

static void test_pid_namespace__failed_first_alloc_resets(void **state)
{
	struct kcore_pid_namespace *root = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *c = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid *p[301], *e;
	int n = 0;

	assert_int_equal(kcore_pid_ns_set_pid_max(root, 301), 0);
	while (n < 300)
		p[n++] = kcore_alloc_pid(root, NULL, 0);
	/* Level 1 gets 1, level 0 is full: the whole allocation fails and
	   the child namespace hands out 1 again. */
	e = kcore_alloc_pid(c, NULL, 0);
	assert_int_equal(KCORE_PTR_ERR(e), -EAGAIN);
	assert_int_equal(kcore_next_pidmap(c, 0), -1);
	kcore_free_pid(p[n - 1]); /* 300: the cursor is past RESERVED_PIDS */
	e = kcore_alloc_pid(c, NULL, 0);
	assert_false(KCORE_IS_ERR(e));
	assert_int_equal(kcore_pid_nr_ns(e, c), 1);
	assert_int_equal(kcore_pid_nr(e), 300);
	kcore_free_pid(e);
	for (int i = 0; i < n - 1; i++)
		kcore_free_pid(p[i]);
	kcore_put_pid_ns(c);
}

static void test_pid_namespace__first_pid_gone_kills_ns(void **state)
{
	struct kcore_pid_namespace *root = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *c = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid *p = kcore_alloc_pid(c, NULL, 0), *q;

	/* The namespace's only pid goes before any init existed: the kernel
	   marks it dead (free_pid()'s PIDNS_ADDING case) and forks get ENOMEM. */
	kcore_free_pid(p);
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(c, NULL, 0)), -ENOMEM);
	/* The initial namespace is exempt (its pid 1 never goes in the kernel). */
	p = kcore_alloc_pid(root, NULL, 0);
	kcore_free_pid(p);
	q = kcore_alloc_pid(root, NULL, 0);
	assert_false(KCORE_IS_ERR(q));
	kcore_free_pid(q);
	kcore_put_pid_ns(c);
}

static void test_pid_namespace__pid_pins_namespace(void **state)
{
	struct kcore_pid_namespace *root = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *c = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid_namespace *g = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, c);
	struct kcore_pid *p = kcore_alloc_pid(g, NULL, 0);
	unsigned long before;

	kcore_get_pid(p);
	kcore_put_pid_ns(g);
	kcore_put_pid_ns(c);
	/* Still usable through the pid. */
	assert_int_equal(kcore_pid_nr_ns(p, g), 1);
	assert_int_equal(kcore_pid_ns_level(g), 2);
	kcore_free_pid(p);
	kcore_rcu_barrier();
	before = kcore_alloc_outstanding();
	kcore_put_pid(p); /* frees the pid, then both namespaces */
	kcore_rcu_barrier();
	assert_true(kcore_alloc_outstanding() < before - 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(test_pid_namespace__##n, kctest_sys_setup, kctest_sys_teardown)
		T(nesting_limit),
		T(copy_pid_ns_args),
		T(visibility),
		T(effective_pid_max),
		T(failed_first_alloc_resets),
		T(first_pid_gone_kills_ns),
		T(pid_pins_namespace),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_oom.c - fail-nth sweeps: every allocation of alloc_pid, fork (plain,
 * thread, new namespace, into an unshared namespace), unshare and
 * copy_pid_ns fails in turn; each failure is -ENOMEM with nothing left
 * behind (no allocation, no reserved number, cursor unchanged).
 */
#include "kctest.h"

#include <errno.h>

#define THREAD_FLAGS (KCORE_CLONE_THREAD | KCORE_CLONE_SIGHAND | KCORE_CLONE_VM)

struct snap {
	unsigned long allocs;
	int last_pid, next;
};

static struct snap take(struct kcore_pid_namespace *ns)
{
	struct snap s;

	kcore_rcu_barrier(); /* pid puts, which queue namespace frees */
	kcore_rcu_barrier();
	s.allocs = kcore_alloc_outstanding();
	s.last_pid = kcore_pid_ns_get_last_pid(ns);
	s.next = kcore_next_pidmap(ns, 0);
	return s;
}

static void same(struct kcore_pid_namespace *ns, struct snap a)
{
	struct snap b = take(ns);

	assert_int_equal(b.allocs, a.allocs);
	assert_int_equal(b.last_pid, a.last_pid);
	assert_int_equal(b.next, a.next);
}

static void test_pid_oom__alloc_pid(void **state)
{
	struct kcore_pid_namespace *root = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid_namespace *c = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid_namespace *g = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, c);
	struct kcore_pid_namespace *c2 = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, root);
	struct kcore_pid_namespace *g2 = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, c2);
	struct kcore_pid *keep = kcore_alloc_pid(g, NULL, 0), *p;
	int tids[3] = { 1, 1, 100000 }; /* no init below: only 1 there */
	unsigned int n;
	struct snap s;

	/* A three-level pid whose numbers land on fresh bitmap pages. */
	assert_int_equal(kcore_pid_ns_set_pid_max(root, 200000), 0);
	s = take(g2);
	KCTEST_OOM_SWEEP(n, p = kcore_alloc_pid(g2, tids, 3),
			 { assert_int_equal(KCORE_PTR_ERR(p), -ENOMEM); same(g2, s); },
			 { assert_false(KCORE_IS_ERR(p)); });
	assert_int_equal(n, 3); /* the pid, a bitmap page */
	assert_int_equal(kcore_pid_nr(p), 100000);
	assert_int_equal(kcore_pid_nr_ns(p, c2), 1);
	kcore_free_pid(p);
	kcore_put_pid_ns(g2);
	kcore_put_pid_ns(c2);
	/* Without set_tid. */
	assert_int_equal(kcore_pid_ns_set_last_pid(root, 150000), 0);
	s = take(g);
	/* As idr_alloc_cyclic(): an inner level's cursor keeps the step it
	   took when an outer level fails (the number itself is given back). */
	KCTEST_OOM_SWEEP(n, p = kcore_alloc_pid(g, NULL, 0),
			 { assert_int_equal(KCORE_PTR_ERR(p), -ENOMEM);
			   s.last_pid = kcore_pid_ns_get_last_pid(g); same(g, s); },
			 { assert_false(KCORE_IS_ERR(p)); });
	assert_int_equal(kcore_pid_nr(p), 150001);
	kcore_free_pid(p);
	kcore_free_pid(keep);
	kcore_put_pid_ns(g);
	kcore_put_pid_ns(c);
}

static void test_pid_oom__alloc_pid_hash_growth(void **state)
{
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(kctest_sys(state));
	struct kcore_pid *p[4097], *q;
	unsigned int n;
	struct snap s;

	for (int i = 0; i < 4096; i++)
		p[i] = kcore_alloc_pid(ns, NULL, 0);
	/* The next one grows the hash: its table allocation can fail too. */
	s = take(ns);
	KCTEST_OOM_SWEEP(n, q = kcore_alloc_pid(ns, NULL, 0),
			 { assert_int_equal(KCORE_PTR_ERR(q), -ENOMEM); same(ns, s); },
			 { assert_false(KCORE_IS_ERR(q)); });
	assert_int_equal(n, 3);
	kcore_free_pid(q);
	for (int i = 0; i < 4096; i++)
		kcore_free_pid(p[i]);
}

static void sweep_fork(struct kcore_task_struct *parent, unsigned long flags, int want_min)
{
	struct kcore_pid_namespace *ns = kcore_task_active_pid_ns(parent);
	struct kcore_task_struct *c;
	unsigned int n;
	struct snap s = take(ns);

	KCTEST_OOM_SWEEP(n, c = kcore_task_fork(parent, flags, NULL, 0),
			 { assert_int_equal(KCORE_PTR_ERR(c), -ENOMEM); same(ns, s); },
			 { assert_false(KCORE_IS_ERR(c)); });
	assert_true((int)n >= want_min);
	(void)c;
}

static void test_pid_oom__fork(void **state)
{
	struct kcore_task_struct *sw = kcore_init_task(kctest_sys(state));
	struct kcore_task_struct *init = kcore_task_fork(sw, 0, NULL, 0), *p, *c;

	/* The first fork of a fresh system: a failure must give pid 1 again. */
	assert_int_equal(kcore_pid_nr(kcore_task_pid(init)), 1);
	p = kcore_task_fork(init, 0, NULL, 0);
	sweep_fork(p, 0, 2);
	sweep_fork(p, THREAD_FLAGS, 1);
	sweep_fork(p, KCORE_CLONE_NEWPID, 3);
	/* Into an unshared namespace: a failed first fork leaves it usable. */
	assert_int_equal(kcore_task_unshare(p, KCORE_CLONE_NEWPID), 0);
	sweep_fork(p, 0, 2);
	c = kcore_task_fork(p, 0, NULL, 0);
	assert_false(KCORE_IS_ERR(c));
	assert_int_equal(kcore_task_pid_nr_ns(c, KCORE_PIDTYPE_PID, kcore_task_active_pid_ns(c)), 2);
}

static void test_pid_oom__first_fork(void **state)
{
	struct kcore_task_struct *sw = kcore_init_task(kctest_sys(state)), *c;
	unsigned int n;

	KCTEST_OOM_SWEEP(n, c = kcore_task_fork(sw, 0, NULL, 0),
			 { assert_int_equal(KCORE_PTR_ERR(c), -ENOMEM);
			   assert_int_equal(kcore_pid_ns_get_last_pid(kcore_task_active_pid_ns(sw)), -1); },
			 { assert_false(KCORE_IS_ERR(c)); });
	assert_int_equal(kcore_pid_nr(kcore_task_pid(c)), 1);
}

static void test_pid_oom__unshare_and_copy_pid_ns(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *init = kcore_task_fork(kcore_init_task(sys), 0, NULL, 0), *p;
	struct kcore_pid_namespace *ns;
	unsigned int n;
	unsigned long before;
	int err;

	p = kcore_task_fork(init, 0, NULL, 0);
	kcore_rcu_barrier();
	before = kcore_alloc_outstanding();
	KCTEST_OOM_SWEEP(n, err = kcore_task_unshare(p, KCORE_CLONE_NEWPID),
			 { assert_int_equal(err, -ENOMEM);
			   kcore_rcu_barrier();
			   assert_int_equal(kcore_alloc_outstanding(), before); },
			 { assert_int_equal(err, 0); });
	assert_int_equal(n, 3);
	KCTEST_OOM_SWEEP(n, ns = kcore_copy_pid_ns(KCORE_CLONE_NEWPID, kcore_init_pid_ns(sys)),
			 { assert_int_equal(KCORE_PTR_ERR(ns), -ENOMEM); },
			 { assert_false(KCORE_IS_ERR(ns)); });
	kcore_put_pid_ns(ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(test_pid_oom__##n, kctest_sys_setup, kctest_sys_teardown)
		T(alloc_pid),
		T(alloc_pid_hash_growth),
		T(fork),
		T(first_fork),
		T(unshare_and_copy_pid_ns),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

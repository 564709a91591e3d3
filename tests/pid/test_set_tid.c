// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_set_tid.c - every errno of set_tid, as
 * tools/testing/selftests/clone3/clone3_set_tid.c describes them (run as
 * root, so CAP_CHECKPOINT_RESTORE holds), on bare pids and through fork.
 */
#include "kctest.h"

#include <errno.h>
#include <string.h>

#define MAX_LEVEL 32

static long fork_err(struct kcore_task_struct *parent, unsigned long flags, const int *set_tid,
		     size_t n)
{
	struct kcore_task_struct *c = kcore_task_fork(parent, flags, set_tid, n);

	return KCORE_IS_ERR(c) ? KCORE_PTR_ERR(c) : 0;
}

static void reap(struct kcore_task_struct *t)
{
	assert_int_equal(kcore_task_exit(t, 0), 0);
	assert_int_equal(kcore_task_reap(t), 0);
}

static void test_pid_set_tid__sizes(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys);
	int set_tid[MAX_LEVEL * 2];

	memset(set_tid, 0, sizeof(set_tid));
	assert_int_equal(fork_err(sw, 0, set_tid, MAX_LEVEL + 1), -EINVAL);
	assert_int_equal(fork_err(sw, 0, set_tid, MAX_LEVEL * 2), -EINVAL);
	assert_int_equal(fork_err(sw, 0, set_tid, MAX_LEVEL * 2 + 1), -EINVAL);
	assert_int_equal(fork_err(sw, 0, set_tid, MAX_LEVEL * 42), -EINVAL);
	assert_int_equal(fork_err(sw, 0, set_tid, MAX_LEVEL - 1), -EINVAL);
	memset(set_tid, 0xff, sizeof(set_tid));
	assert_int_equal(fork_err(sw, 0, set_tid, MAX_LEVEL + 1), -EINVAL);
	assert_int_equal(fork_err(sw, 0, set_tid, MAX_LEVEL - 1), -EINVAL);
	/* clone3 argument pairing. */
	assert_int_equal(fork_err(sw, 0, NULL, 1), -EINVAL);
	assert_int_equal(fork_err(sw, 0, set_tid, 0), -EINVAL);
	/* Bare pids: the same size rule against the namespace level. */
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(kcore_init_pid_ns(sys), set_tid, 2)), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(kcore_init_pid_ns(sys), NULL, 1)), -EINVAL);
}

static void test_pid_set_tid__values(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys), *init, *c;
	int set_tid[MAX_LEVEL * 2] = { 0 };
	int pid_max = kcore_pid_ns_get_pid_max(kcore_init_pid_ns(sys));

	set_tid[0] = 0;
	assert_int_equal(fork_err(sw, 0, set_tid, 1), -EINVAL);
	set_tid[0] = -1;
	assert_int_equal(fork_err(sw, 0, set_tid, 1), -EINVAL);
	/* Claims two levels where there is one. */
	assert_int_equal(fork_err(sw, 0, set_tid, 2), -EINVAL);
	/* A new namespace has no pid 1 yet: -1 (and anything but 1) fails. */
	assert_int_equal(fork_err(sw, KCORE_CLONE_NEWPID, set_tid, 1), -EINVAL);
	/* pid 1 of this namespace: the first fork. */
	init = kcore_task_fork(sw, 0, NULL, 0);
	assert_int_equal(kcore_pid_nr(kcore_task_pid(init)), 1);
	set_tid[0] = 1;
	assert_int_equal(fork_err(sw, 0, set_tid, 1), -EEXIST);
	/* 1 in a new namespace works. */
	c = kcore_task_fork(sw, KCORE_CLONE_NEWPID, set_tid, 1);
	assert_false(KCORE_IS_ERR(c));
	assert_int_equal(kcore_task_pid_nr_ns(c, KCORE_PIDTYPE_PID, kcore_task_active_pid_ns(c)), 1);
	reap(c);
	set_tid[0] = pid_max;
	assert_int_equal(fork_err(sw, 0, set_tid, 1), -EINVAL);
	assert_int_equal(fork_err(sw, KCORE_CLONE_NEWPID, set_tid, 1), -EINVAL);
	set_tid[0] = pid_max - 1;
	c = kcore_task_fork(sw, 0, set_tid, 1);
	assert_int_equal(kcore_pid_nr(kcore_task_pid(c)), pid_max - 1);
	reap(c);
	(void)init;
}

static void test_pid_set_tid__nested(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys), *init, *c, *nsinit, *g;
	int set_tid[MAX_LEVEL * 2] = { 0 };
	int pid, last;

	init = kcore_task_fork(sw, 0, NULL, 0);
	c = kcore_task_fork(init, 0, NULL, 0);
	pid = kcore_pid_nr(kcore_task_pid(c));
	reap(c);
	/* Its pid is free again: take it explicitly; the cursor stays. */
	last = kcore_pid_ns_get_last_pid(kcore_init_pid_ns(sys));
	set_tid[0] = pid;
	c = kcore_task_fork(init, 0, set_tid, 1);
	assert_int_equal(kcore_pid_nr(kcore_task_pid(c)), pid);
	assert_int_equal(kcore_pid_ns_get_last_pid(kcore_init_pid_ns(sys)), last);
	reap(c);
	/* No pid 1 in the new namespace. */
	assert_int_equal(fork_err(init, KCORE_CLONE_NEWPID, set_tid, 1), -EINVAL);
	/* 1 in the new namespace and 'pid' in ours. */
	set_tid[0] = 1;
	set_tid[1] = pid;
	c = kcore_task_fork(init, KCORE_CLONE_NEWPID, set_tid, 2);
	assert_false(KCORE_IS_ERR(c));
	assert_int_equal(kcore_pid_nr(kcore_task_pid(c)), pid);
	reap(c);

	assert_int_equal(kcore_task_unshare(init, KCORE_CLONE_NEWPID), 0);
	set_tid[0] = pid;
	assert_int_equal(fork_err(init, 0, set_tid, 1), -EINVAL);
	nsinit = kcore_task_fork(init, 0, NULL, 0);
	assert_false(KCORE_IS_ERR(nsinit));
	assert_int_equal(kcore_task_pid_nr_ns(nsinit, KCORE_PIDTYPE_PID,
					      kcore_task_active_pid_ns(nsinit)), 1);
	set_tid[0] = 2;
	g = kcore_task_fork(nsinit, 0, set_tid, 1);
	assert_int_equal(kcore_task_pid_nr_ns(g, KCORE_PIDTYPE_PID, kcore_task_active_pid_ns(g)), 2);
	reap(g);
	set_tid[0] = 1;
	set_tid[1] = -1;
	set_tid[2] = pid;
	assert_int_equal(fork_err(nsinit, KCORE_CLONE_NEWPID, set_tid, 3), -EINVAL);
	set_tid[1] = 42;
	assert_int_equal(fork_err(nsinit, KCORE_CLONE_NEWPID, set_tid, 4), -EINVAL);
	g = kcore_task_fork(nsinit, KCORE_CLONE_NEWPID, set_tid, 3);
	assert_false(KCORE_IS_ERR(g));
	/* NSpid: pid 42 1 */
	assert_int_equal(kcore_task_pid_nr_ns(g, KCORE_PIDTYPE_PID, kcore_init_pid_ns(sys)), pid);
	assert_int_equal(kcore_task_pid_nr_ns(g, KCORE_PIDTYPE_PID, kcore_task_active_pid_ns(nsinit)), 42);
	assert_int_equal(kcore_task_pid_nr_ns(g, KCORE_PIDTYPE_PID, kcore_task_active_pid_ns(g)), 1);
	/* In use at a middle level: EEXIST. */
	set_tid[1] = 42;
	set_tid[2] = pid + 1;
	assert_int_equal(fork_err(nsinit, KCORE_CLONE_NEWPID, set_tid, 3), -EEXIST);
	reap(g);
	reap(nsinit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(test_pid_set_tid__##n, kctest_sys_setup, kctest_sys_teardown)
		T(sizes),
		T(values),
		T(nested),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

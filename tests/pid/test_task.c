// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_task.c - fork, exit, reap, exec (de_thread), setsid, setpgid,
 * unshare, the namespace init and its death, signals, comm, current.
 */
#include "kctest.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#define THREAD_FLAGS (KCORE_CLONE_THREAD | KCORE_CLONE_SIGHAND | KCORE_CLONE_VM)

static struct kcore_task_struct *fork_ok(struct kcore_task_struct *parent, unsigned long flags)
{
	struct kcore_task_struct *c = kcore_task_fork(parent, flags, NULL, 0);

	assert_false(KCORE_IS_ERR(c));
	return c;
}

static int nr(struct kcore_task_struct *t, enum kcore_pid_type type)
{
	return kcore_pid_nr(type == KCORE_PIDTYPE_PID ? kcore_task_pid(t) :
			    type == KCORE_PIDTYPE_TGID ? kcore_task_tgid(t) :
			    type == KCORE_PIDTYPE_PGID ? kcore_task_pgrp(t) : kcore_task_session(t));
}

static void test_pid_task__swapper(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys);

	assert_non_null(kcore_task_pid(sw));
	assert_int_equal(nr(sw, KCORE_PIDTYPE_PID), 0);
	assert_int_equal(nr(sw, KCORE_PIDTYPE_PGID), 0);
	assert_int_equal(nr(sw, KCORE_PIDTYPE_SID), 0);
	assert_ptr_equal(kcore_task_active_pid_ns(sw), kcore_init_pid_ns(sys));
	assert_string_equal(kcore_task_comm(sw), "swapper/0");
	assert_null(kcore_task_mm(sw));
	assert_ptr_equal(kcore_task_real_parent(sw), sw);
	kcore_rcu_read_lock();
	assert_ptr_equal(kcore_pid_task(kcore_task_pid(sw), KCORE_PIDTYPE_PID), sw);
	kcore_rcu_read_unlock();
	assert_int_equal(kcore_task_exit(sw, 0), -EINVAL);
	assert_int_equal(kcore_task_reap(sw), -EINVAL);
	assert_int_equal(kcore_task_exec(sw), -EINVAL);
	assert_int_equal(kcore_task_setsid(sw), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(sw, THREAD_FLAGS, NULL, 0)), -EINVAL);
}

static void test_pid_task__fork_tree(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys), *init, *a, *b, *sib;

	init = fork_ok(sw, 0);
	assert_int_equal(nr(init, KCORE_PIDTYPE_PID), 1);
	assert_ptr_equal(kcore_pid_ns_child_reaper(kcore_init_pid_ns(sys)), init);
	assert_int_equal(nr(init, KCORE_PIDTYPE_PGID), 0); /* inherits pgrp 0 */
	assert_int_equal(kcore_task_setsid(init), 1);
	assert_int_equal(nr(init, KCORE_PIDTYPE_SID), 1);
	assert_int_equal(nr(init, KCORE_PIDTYPE_PGID), 1);
	assert_string_equal(kcore_task_comm(init), "swapper/0");
	assert_int_equal(kcore_task_set_comm(init, "init-with-a-long-name"), 0);
	assert_string_equal(kcore_task_comm(init), "init-with-a-lon");
	a = fork_ok(init, 0);
	assert_string_equal(kcore_task_comm(a), "init-with-a-lon");
	b = fork_ok(a, 0);
	assert_int_equal(nr(a, KCORE_PIDTYPE_PID), 2);
	assert_int_equal(nr(b, KCORE_PIDTYPE_PID), 3);
	assert_int_equal(nr(b, KCORE_PIDTYPE_TGID), 3);
	assert_int_equal(nr(b, KCORE_PIDTYPE_PGID), 1);
	assert_int_equal(nr(b, KCORE_PIDTYPE_SID), 1);
	assert_ptr_equal(kcore_task_real_parent(b), a);
	/* CLONE_PARENT: a sibling of b. */
	sib = kcore_task_fork(b, KCORE_CLONE_PARENT, NULL, 0);
	assert_ptr_equal(kcore_task_real_parent(sib), a);
	/* An init may not make siblings. */
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(init, KCORE_CLONE_PARENT, NULL, 0)), -EINVAL);
	/* a exits: b and sib go to init. */
	assert_int_equal(kcore_task_exit(a, 3), 0);
	assert_ptr_equal(kcore_task_real_parent(b), init);
	assert_ptr_equal(kcore_task_real_parent(sib), init);
	assert_int_equal(kcore_task_exit_code(a), 3 << 8);
	assert_int_equal(kcore_task_exit_code(b), -1);
	/* Zombie keeps its pid until reaped. */
	kcore_rcu_read_lock();
	assert_ptr_equal(kcore_pid_task(kcore_find_pid_ns(2, kcore_init_pid_ns(sys)), KCORE_PIDTYPE_PID), a);
	kcore_rcu_read_unlock();
	assert_int_equal(kcore_task_exit(a, 0), -ESRCH);
	kcore_get_task_struct(a);
	assert_int_equal(kcore_task_reap(a), 0);
	assert_int_equal(kcore_task_reap(a), -ESRCH);
	assert_null(kcore_task_pid(a));
	assert_null(kcore_get_task_pid(a, KCORE_PIDTYPE_PID));
	assert_null(kcore_task_active_pid_ns(a));
	assert_int_equal(kcore_task_pid_nr_ns(a, KCORE_PIDTYPE_PID, NULL), 0);
	kcore_put_task_struct(a);
	kcore_rcu_read_lock();
	assert_null(kcore_find_pid_ns(2, kcore_init_pid_ns(sys)));
	kcore_rcu_read_unlock();
	assert_int_equal(kcore_task_reap(b), -EBUSY);
	/* The global init cannot exit. */
	assert_int_equal(kcore_task_exit(init, 0), -EPERM);
	assert_int_equal(kcore_task_exit_code(init), -1);
}

static void test_pid_task__bad_input(void **state)
{
	struct kcore_task_struct *sw = kcore_init_task(kctest_sys(state));

	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(NULL, 0, NULL, 0)), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(sw, 0x1, NULL, 0)), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(sw, KCORE_CLONE_THREAD | KCORE_CLONE_VM, NULL, 0)), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(sw, KCORE_CLONE_SIGHAND, NULL, 0)), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(sw, THREAD_FLAGS | KCORE_CLONE_NEWPID, NULL, 0)), -EINVAL);
	assert_int_equal(kcore_task_exit(NULL, 0), -EINVAL);
	assert_int_equal(kcore_task_reap(NULL), -EINVAL);
	assert_int_equal(kcore_task_exec(NULL), -EINVAL);
	assert_int_equal(kcore_task_setsid(NULL), -EINVAL);
	assert_int_equal(kcore_task_setpgid(NULL, 0), -EINVAL);
	assert_int_equal(kcore_task_unshare(NULL, 0), -EINVAL);
	assert_int_equal(kcore_task_unshare(sw, 0x1), -EINVAL);
	assert_int_equal(kcore_task_set_comm(NULL, "x"), -EINVAL);
	assert_int_equal(kcore_task_set_comm(sw, NULL), -EINVAL);
	assert_int_equal(kcore_send_sig(NULL, 1), -EINVAL);
	assert_int_equal(kcore_send_sig(sw, -1), -EINVAL);
	assert_int_equal(kcore_send_sig(sw, 65), -EINVAL);
	assert_int_equal(kcore_task_exit_code(NULL), -EINVAL);
	assert_int_equal(kcore_pid_for_each_task(NULL, KCORE_PIDTYPE_PID, NULL, NULL), -EINVAL);
	assert_null(kcore_task_pid(NULL));
	assert_null(kcore_task_tgid(NULL));
	assert_null(kcore_task_pgrp(NULL));
	assert_null(kcore_task_session(NULL));
	assert_null(kcore_get_task_pid(NULL, KCORE_PIDTYPE_PID));
	assert_null(kcore_get_task_pid(sw, KCORE_PIDTYPE_MAX));
	assert_null(kcore_pid_task(NULL, KCORE_PIDTYPE_PID));
	assert_null(kcore_pid_task(kcore_task_pid(sw), (enum kcore_pid_type)7));
	assert_null(kcore_task_active_pid_ns(NULL));
	assert_null(kcore_task_real_parent(NULL));
	assert_null(kcore_task_mm(NULL));
	assert_string_equal(kcore_task_comm(NULL), "");
	assert_int_equal(kcore_task_pid_nr_ns(NULL, KCORE_PIDTYPE_PID, NULL), 0);
	assert_int_equal(kcore_task_pid_nr_ns(sw, KCORE_PIDTYPE_MAX, NULL), 0);
	assert_false(kcore_signal_pending(NULL));
	kcore_flush_signals(NULL);
	assert_null(kcore_get_task_struct(NULL));
	kcore_put_task_struct(NULL);
}

static void test_pid_task__threads_and_exec(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *sw = kcore_init_task(sys), *init, *p, *t1, *t2, *kid;
	struct kcore_pid_namespace *ns = kcore_init_pid_ns(sys);

	init = fork_ok(sw, 0);
	p = fork_ok(init, 0);                 /* 2 */
	t1 = fork_ok(p, THREAD_FLAGS);        /* 3 */
	t2 = fork_ok(p, THREAD_FLAGS);        /* 4 */
	assert_int_equal(nr(t1, KCORE_PIDTYPE_PID), 3);
	assert_int_equal(nr(t1, KCORE_PIDTYPE_TGID), 2);
	assert_ptr_equal(kcore_task_real_parent(t1), init);
	kid = fork_ok(t2, 0);                 /* 5, child of thread t2 */
	assert_ptr_equal(kcore_task_real_parent(kid), t2);
	kcore_rcu_read_lock();
	/* Only the leader is on the TGID list. */
	assert_ptr_equal(kcore_pid_task(kcore_task_tgid(t1), KCORE_PIDTYPE_TGID), p);
	kcore_rcu_read_unlock();
	assert_int_equal(kcore_task_reap(t1), -EINVAL);
	/* t1 exits: autoreaped, its tid is free at once. */
	kcore_get_task_struct(t1);
	assert_int_equal(kcore_task_exit(t1, 0), 0);
	assert_null(kcore_task_pid(t1));
	assert_int_equal(kcore_task_reap(t1), -ESRCH);
	kcore_put_task_struct(t1);
	kcore_rcu_read_lock();
	assert_null(kcore_find_pid_ns(3, ns));
	kcore_rcu_read_unlock();
	/* t2 execs: takes pid 2, its tid 4 is freed, p is released. */
	kcore_get_task_struct(p);
	assert_int_equal(kcore_task_exec(t2), 0);
	assert_int_equal(nr(t2, KCORE_PIDTYPE_PID), 2);
	assert_int_equal(nr(t2, KCORE_PIDTYPE_TGID), 2);
	assert_ptr_equal(kcore_task_real_parent(t2), init);
	assert_null(kcore_task_pid(p));
	kcore_put_task_struct(p);
	kcore_rcu_read_lock();
	assert_null(kcore_find_pid_ns(4, ns));
	assert_ptr_equal(kcore_pid_task(kcore_find_pid_ns(2, ns), KCORE_PIDTYPE_PID), t2);
	assert_ptr_equal(kcore_pid_task(kcore_find_pid_ns(2, ns), KCORE_PIDTYPE_TGID), t2);
	kcore_rcu_read_unlock();
	assert_ptr_equal(kcore_task_real_parent(kid), t2);
	/* An exec'd child refuses setpgid from its parent (EACCES). */
	assert_int_equal(kcore_sys_setpgid(init, 2, 2), -EACCES);
	/* Exec by the leader itself kills the other threads only. */
	t1 = fork_ok(t2, THREAD_FLAGS);
	assert_int_equal(kcore_task_exec(t2), 0);
	assert_int_equal(nr(t2, KCORE_PIDTYPE_PID), 2);
	assert_int_equal(kcore_task_exit(t2, 0), 0);
	assert_int_equal(kcore_task_exec(t2), -ESRCH);
	assert_ptr_equal(kcore_task_real_parent(kid), init);
	assert_int_equal(kcore_task_reap(t2), 0);
}

static void test_pid_task__leader_exits_first(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *init = fork_ok(kcore_init_task(sys), 0), *p, *t;

	p = fork_ok(init, 0);
	t = fork_ok(p, THREAD_FLAGS);
	assert_int_equal(kcore_task_exit(p, 0), 0);
	/* A zombie leader with a live thread is not reapable yet. */
	assert_int_equal(kcore_task_reap(p), -EBUSY);
	assert_int_equal(kcore_task_exit(t, 0), 0);
	assert_int_equal(kcore_task_reap(p), 0);
}

static int count_cb(struct kcore_task_struct *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
	return 0;
}

static int stop_cb(struct kcore_task_struct *t, void *arg)
{
	(void)arg;
	return kcore_pid_nr(kcore_task_pid(t)) == 3 ? 42 : 0;
}

static void test_pid_task__setsid_setpgid(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *init = fork_ok(kcore_init_task(sys), 0), *a, *b, *c, *d;
	struct kcore_pid *pg;
	int n = 0;

	assert_int_equal(kcore_task_setsid(init), 1);
	a = fork_ok(init, 0); /* 2 */
	b = fork_ok(init, 0); /* 3 */
	c = fork_ok(a, 0);    /* 4 */
	assert_int_equal(kcore_task_setsid(init), -EPERM); /* already leads a session */
	/* a makes its own group; b joins it. */
	assert_int_equal(kcore_task_setpgid(a, 0), 0);
	assert_int_equal(nr(a, KCORE_PIDTYPE_PGID), 2);
	assert_int_equal(kcore_task_setpgid(b, 2), 0);
	assert_int_equal(nr(b, KCORE_PIDTYPE_PGID), 2);
	/* The parent moves its child c into group 2. */
	assert_int_equal(kcore_sys_setpgid(a, 4, 2), 0);
	assert_int_equal(nr(c, KCORE_PIDTYPE_PGID), 2);
	pg = kcore_task_pgrp(a);
	assert_int_equal(kcore_pid_for_each_task(pg, KCORE_PIDTYPE_PGID, count_cb, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(kcore_pid_for_each_task(pg, KCORE_PIDTYPE_PGID, stop_cb, NULL), 42);
	n = 0;
	assert_int_equal(kcore_pid_for_each_task(kcore_task_session(init), KCORE_PIDTYPE_SID, count_cb, &n), 0);
	assert_int_equal(n, 4); /* init, a, b, c */
	n = 0;
	assert_int_equal(kcore_pid_for_each_task(kcore_task_pid(a), KCORE_PIDTYPE_PID, count_cb, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(kcore_pid_for_each_task(pg, KCORE_PIDTYPE_MAX, count_cb, &n), -EINVAL);
	assert_int_equal(kcore_pid_for_each_task(pg, KCORE_PIDTYPE_PGID, NULL, NULL), -EINVAL);
	/* Rules. */
	assert_int_equal(kcore_task_setpgid(a, -1), -EINVAL);
	assert_int_equal(kcore_task_setpgid(b, 77), -EPERM);   /* no such group */
	assert_int_equal(kcore_sys_setpgid(b, 4, 0), -ESRCH);  /* not b's child */
	assert_int_equal(kcore_sys_setpgid(b, 99, 0), -ESRCH); /* no such process */
	assert_int_equal(kcore_task_setpgid(init, 0), -EPERM);   /* session leader */
	d = fork_ok(c, THREAD_FLAGS);
	assert_int_equal(kcore_sys_setpgid(a, 5, 0), -EINVAL);  /* a thread, not a leader */
	/* setsid with a group numbered like us fails: a leads group 2. */
	assert_int_equal(kcore_task_setsid(a), -EPERM);
	/* c starts a session (from its thread d): sid = pgid = 4. */
	assert_int_equal(kcore_task_setsid(d), 4);
	assert_int_equal(nr(c, KCORE_PIDTYPE_SID), 4);
	assert_int_equal(nr(c, KCORE_PIDTYPE_PGID), 4);
	assert_int_equal(nr(d, KCORE_PIDTYPE_SID), 4);
	/* Another session: its parent may not move it (EPERM). */
	assert_int_equal(kcore_sys_setpgid(a, 4, 2), -EPERM);
	/* A group with no member left frees its number; the group id stays
	   while a member is attached, even after the leader is gone. */
	assert_int_equal(kcore_task_exit(a, 0), 0);
	assert_int_equal(kcore_task_reap(a), 0);
	kcore_rcu_read_lock();
	assert_non_null(kcore_find_pid_ns(2, kcore_init_pid_ns(sys)));
	kcore_rcu_read_unlock();
	assert_int_equal(kcore_task_exit(b, 0), 0);
	assert_int_equal(kcore_task_reap(b), 0);
	kcore_rcu_read_lock();
	assert_null(kcore_find_pid_ns(2, kcore_init_pid_ns(sys)));
	kcore_rcu_read_unlock();
	(void)d;
}

static void test_pid_task__namespace_init_and_zap(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *init = fork_ok(kcore_init_task(sys), 0), *nsinit, *x, *y, *inner, *z;
	struct kcore_pid_namespace *ns, *ins;

	nsinit = fork_ok(init, KCORE_CLONE_NEWPID); /* 2 outside, 1 inside */
	ns = kcore_task_active_pid_ns(nsinit);
	assert_int_equal(kcore_pid_ns_level(ns), 1);
	assert_ptr_equal(kcore_pid_ns_child_reaper(ns), nsinit);
	assert_int_equal(kcore_task_pid_nr_ns(nsinit, KCORE_PIDTYPE_PID, ns), 1);
	assert_int_equal(kcore_task_pid_nr_ns(nsinit, KCORE_PIDTYPE_PID, kcore_init_pid_ns(sys)), 2);
	/* The parent is outside: invisible from inside (0). */
	assert_int_equal(kcore_task_pid_nr_ns(init, KCORE_PIDTYPE_PID, ns), 0);
	kcore_set_current(nsinit);
	assert_int_equal(kcore_task_pid_nr_ns(nsinit, KCORE_PIDTYPE_PID, NULL), 1);
	assert_int_equal(kcore_pid_vnr(kcore_task_pid(nsinit)), 1);
	kcore_set_current(NULL);
	x = fork_ok(nsinit, 0);
	y = fork_ok(x, 0);
	inner = fork_ok(y, KCORE_CLONE_NEWPID);
	ins = kcore_task_active_pid_ns(inner);
	z = fork_ok(inner, 0);
	assert_int_equal(kcore_task_pid_nr_ns(z, KCORE_PIDTYPE_PID, ins), 2);
	assert_int_equal(kcore_task_pid_nr_ns(z, KCORE_PIDTYPE_PID, ns), 5);
	/* x exits: y goes to the namespace's init, not to the global one. */
	assert_int_equal(kcore_task_exit(x, 0), 0);
	assert_ptr_equal(kcore_task_real_parent(y), nsinit);
	assert_int_equal(kcore_task_reap(x), 0);
	kcore_get_pid_ns(ns);
	kcore_get_task_struct(z);
	/* The namespace's init exits: everything in it dies and is reaped. */
	assert_int_equal(kcore_task_exit(nsinit, 0), 0);
	assert_int_equal(kcore_task_exit_code(z), SIGKILL);
	assert_true(kcore_signal_pending(z));
	assert_null(kcore_task_pid(z));
	kcore_put_task_struct(z);
	assert_int_equal(kcore_next_pidmap(ns, 1), -1);
	assert_int_equal(kcore_next_pidmap(ns, 0), 1); /* init itself, a zombie */
	/* Dead: ENOMEM for new pids. */
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(ns, NULL, 0)), -ENOMEM);
	assert_int_equal(kcore_task_reap(nsinit), 0);
	assert_null(kcore_pid_ns_child_reaper(ns));
	assert_int_equal(kcore_next_pidmap(ns, 0), -1);
	assert_int_equal(KCORE_PTR_ERR(kcore_alloc_pid(ns, NULL, 0)), -ENOMEM);
	kcore_put_pid_ns(ns);
}

static void test_pid_task__unshare(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_task_struct *init = fork_ok(kcore_init_task(sys), 0), *p, *c1, *c2, *t;

	p = fork_ok(init, 0);
	assert_int_equal(kcore_task_unshare(p, 0), 0);
	assert_int_equal(kcore_task_unshare(p, KCORE_CLONE_NEWPID), 0);
	/* p stays where it is. */
	assert_int_equal(kcore_pid_ns_level(kcore_task_active_pid_ns(p)), 0);
	/* A second unshare before forking: EINVAL; so are NEWPID and THREAD forks. */
	assert_int_equal(kcore_task_unshare(p, KCORE_CLONE_NEWPID), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(p, KCORE_CLONE_NEWPID, NULL, 0)), -EINVAL);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(p, THREAD_FLAGS, NULL, 0)), -EINVAL);
	c1 = fork_ok(p, 0);
	c2 = fork_ok(p, 0);
	assert_int_equal(kcore_pid_ns_level(kcore_task_active_pid_ns(c1)), 1);
	assert_int_equal(kcore_task_pid_nr_ns(c1, KCORE_PIDTYPE_PID, kcore_task_active_pid_ns(c1)), 1);
	assert_int_equal(kcore_task_pid_nr_ns(c2, KCORE_PIDTYPE_PID, kcore_task_active_pid_ns(c1)), 2);
	assert_ptr_equal(kcore_pid_ns_child_reaper(kcore_task_active_pid_ns(c1)), c1);
	/* unshare(THREAD) needs a single-threaded task. */
	t = fork_ok(c2, THREAD_FLAGS);
	assert_int_equal(kcore_task_unshare(c2, KCORE_CLONE_THREAD), -EINVAL);
	assert_int_equal(kcore_task_unshare(c1, KCORE_CLONE_THREAD | KCORE_CLONE_VM), 0);
	(void)t;
	/* The 33rd level through unshare and fork. */
	struct kcore_task_struct *cur = c1;

	for (int i = 2; i <= 32; i++) {
		cur = fork_ok(cur, KCORE_CLONE_NEWPID);
		assert_int_equal(kcore_pid_ns_level(kcore_task_active_pid_ns(cur)), i);
	}
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(cur, KCORE_CLONE_NEWPID, NULL, 0)), -ENOSPC);
	assert_int_equal(kcore_task_unshare(cur, KCORE_CLONE_NEWPID), -ENOSPC);
	/* Exiting the level-1 init kills the whole nest. */
	assert_int_equal(kcore_task_exit(c1, 0), 0);
	assert_int_equal(kcore_task_reap(c1), 0);
}

static void test_pid_task__signals(void **state)
{
	struct kcore_task_struct *init = fork_ok(kcore_init_task(kctest_sys(state)), 0);

	assert_false(kcore_signal_pending(init));
	assert_int_equal(kcore_send_sig(init, 0), 0);
	assert_false(kcore_signal_pending(init));
	assert_int_equal(kcore_send_sig(init, SIGUSR1), 0);
	assert_int_equal(kcore_send_sig(init, 64), 0);
	assert_true(kcore_signal_pending(init));
	kcore_flush_signals(init);
	assert_false(kcore_signal_pending(init));
}

static void test_pid_task__get_task_pid_refs(void **state)
{
	struct kcore_task_struct *init = fork_ok(kcore_init_task(kctest_sys(state)), 0), *a;
	struct kcore_pid *p;

	a = fork_ok(init, 0);
	p = kcore_get_task_pid(a, KCORE_PIDTYPE_PID);
	assert_int_equal(kcore_pid_nr(p), 2);
	assert_int_equal(kcore_task_exit(a, 0), 0);
	assert_int_equal(kcore_task_reap(a), 0);
	/* Stale: the number survives in the struct, no task. */
	assert_int_equal(kcore_pid_nr(p), 2);
	kcore_rcu_read_lock();
	assert_null(kcore_pid_task(p, KCORE_PIDTYPE_PID));
	kcore_rcu_read_unlock();
	kcore_put_pid(p);
}

static void test_pid_task__dead_ns_fork_enomem(void **state)
{
	struct kcore_task_struct *init = fork_ok(kcore_init_task(kctest_sys(state)), 0), *p, *c;

	p = fork_ok(init, 0);
	assert_int_equal(kcore_task_unshare(p, KCORE_CLONE_NEWPID), 0);
	c = fork_ok(p, 0);
	assert_int_equal(kcore_task_exit(c, 0), 0);
	/* regression_enomem: forking into a namespace whose init died. */
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(p, 0, NULL, 0)), -ENOMEM);
	assert_int_equal(kcore_task_reap(c), 0);
	assert_int_equal(KCORE_PTR_ERR(kcore_task_fork(p, 0, NULL, 0)), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(n) cmocka_unit_test_setup_teardown(test_pid_task__##n, kctest_sys_setup, kctest_sys_teardown)
		T(swapper),
		T(fork_tree),
		T(bad_input),
		T(threads_and_exec),
		T(leader_exits_first),
		T(setsid_setpgid),
		T(namespace_init_and_zap),
		T(unshare),
		T(signals),
		T(get_task_pid_refs),
		T(dead_ns_fork_enomem),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_invariants.c - random task and pid operations with the module's
 * invariants checked after every step (white-box):
 *  - nr_free of every bitmap page equals its clear bits;
 *  - every hashed key's number is reserved in its namespace's bitmap
 *    (published is a subset of reserved) and names the right struct pid;
 *  - pid_allocated of a namespace counts the pids hashed in it;
 *  - every task that is not released can be found by its number, is the
 *    only task on its PID list, sits on its TGID/PGID/SID lists when it
 *    leads its group, and is on its parent's children list;
 *  - a struct pid whose numbers are not released is hashed.
 */
#include "kctest.h"

#include "core/bitmap.h"
#include "pid/pid_internal.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREAD_FLAGS (KCORE_CLONE_THREAD | KCORE_CLONE_SIGHAND | KCORE_CLONE_VM)
#define POOL 96

static struct kcore_pid *hashed(struct pid_sys *ps, struct kcore_pid_namespace *ns, int nr)
{
	struct kcore_pid *p;

	(void)ps;
	kcore_rcu_read_lock();
	p = kcore_find_pid_ns(nr, ns);
	kcore_rcu_read_unlock();
	return p;
}

static bool on_list(struct hlist_head *head, struct hlist_node *n)
{
	for (struct hlist_node *p = head->first; p; p = p->next)
		if (p == n)
			return true;
	return false;
}

static void check(struct pid_sys *ps)
{
	struct kcore_pid_namespace *ns;
	struct kcore_task_struct *t;
	struct kcore_pid *pid;
	struct pid_hash *h;

	spin_lock(&ps->tasklist_lock);
	spin_lock(&ps->pidmap_lock);
	h = ps->hash;
	list_for_each_entry(ns, &ps->namespaces, node) {
		unsigned int hashed_here = 0;

		for (unsigned int i = 0; i < PIDMAP_ENTRIES; i++) {
			if (!ns->pidmap[i].page)
				continue;
			assert_int_equal(ns->pidmap[i].nr_free,
					 BITS_PER_PAGE - (int)bitmap_weight(ns->pidmap[i].page, BITS_PER_PAGE));
		}
		for (unsigned long i = 0; i < (1UL << h->shift); i++) {
			uint64_t key = h->slots[i].key;
			int nr = (int)(uint32_t)key;

			if (key <= 1 || (key >> 32) != ns->id)
				continue;
			hashed_here++;
			assert_true(test_bit((unsigned int)nr % BITS_PER_PAGE,
					     ns->pidmap[nr / BITS_PER_PAGE].page));
			assert_int_equal(h->slots[i].pid->numbers[ns->level].nr, nr);
			assert_ptr_equal(h->slots[i].pid->numbers[ns->level].ns, ns);
		}
		assert_int_equal(ns->pid_allocated & ~PIDNS_ADDING, hashed_here);
	}
	list_for_each_entry(pid, &ps->pids, node) {
		if (pid->released || pid == ps->init_struct_pid)
			continue;
		for (unsigned int i = 0; i <= pid->level; i++)
			assert_ptr_equal(hashed(ps, pid->numbers[i].ns, pid->numbers[i].nr), pid);
	}
	list_for_each_entry(t, &ps->tasklist, tasks) {
		struct kcore_pid_namespace *ans = ns_of_pid(t->thread_pid);

		assert_int_not_equal(t->exit_state, EXIT_DEAD);
		assert_non_null(t->thread_pid);
		assert_false(t->thread_pid->released);
		assert_ptr_equal(hashed(ps, ans, t->thread_pid->numbers[ans->level].nr), t->thread_pid);
		assert_ptr_equal(t->thread_pid->tasks[PIDTYPE_PID].first, &t->pid_links[PIDTYPE_PID]);
		assert_null(t->pid_links[PIDTYPE_PID].next);
		assert_int_not_equal(t->real_parent->exit_state, EXIT_DEAD);
		if (t->group_leader == t) {
			struct kcore_task_struct *c;
			bool found = false;

			for (int ty = PIDTYPE_TGID; ty < PIDTYPE_MAX; ty++)
				assert_true(on_list(&t->signal->pids[ty]->tasks[ty], &t->pid_links[ty]));
			assert_ptr_equal(t->signal->pids[PIDTYPE_TGID], t->thread_pid);
			list_for_each_entry(c, &t->real_parent->children, sibling)
				found |= c == t;
			assert_true(found);
		} else {
			assert_ptr_equal(t->real_parent, t->group_leader->real_parent);
		}
	}
	spin_unlock(&ps->pidmap_lock);
	spin_unlock(&ps->tasklist_lock);
}

/* @ok ends with 0, which is always allowed. */
static bool allowed(long err, const long *ok)
{
	if (!err)
		return true;
	for (; *ok; ok++)
		if (err == *ok)
			return true;
	return false;
}

static void test_pid_invariants__random_ops(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct pid_sys *ps = kcore__sys_module(sys, KCORE__MOD_pid);
	struct kcore_task_struct *pool[POOL];
	uint64_t seed = kctest_seed();
	int n = 0, steps = 2000 * (int)kctest_scale(), forks = 0, reaps = 0;
	static const long fork_ok[] = { -EINVAL, -ESRCH, -ENOMEM, -ENOSPC, -EAGAIN, 0 };
	static const long exit_ok[] = { -ESRCH, -EPERM, 0 };
	static const long reap_ok[] = { -EBUSY, -ESRCH, -EINVAL, 0 };
	static const long sid_ok[] = { -EPERM, -ESRCH, 0 };
	static const long pgid_ok[] = { -EPERM, -ESRCH, -EINVAL, -EACCES, 0 };
	static const long unshare_ok[] = { -EINVAL, -ESRCH, -ENOSPC, 0 };

	assert_int_equal(kcore_pid_ns_set_pid_max(kcore_init_pid_ns(sys), 400), 0);
	pool[n++] = kcore_init_task(sys);
	for (int s = 0; s < steps; s++) {
		int a = (int)(kctest_rand(&seed) % (uint64_t)n), r = (int)(kctest_rand(&seed) % 100);
		struct kcore_task_struct *t = pool[a], *c;
		long err;

		if (a && !kcore_task_pid(t) && (r & 1)) {
			/* Mostly drop released tasks (after a last call on some). */
			kcore_put_task_struct(t);
			pool[a] = pool[--n];
			continue;
		}
		if (r < 35 && n < POOL) {
			static const unsigned long flags[] = { 0, 0, 0, THREAD_FLAGS, KCORE_CLONE_NEWPID,
							      KCORE_CLONE_PARENT };
			c = kcore_task_fork(t, flags[kctest_rand(&seed) % 6], NULL, 0);
			if (KCORE_IS_ERR(c)) {
				assert_true(allowed(KCORE_PTR_ERR(c), fork_ok));
				if (getenv("INV_DEBUG"))
					fprintf(stderr, "fork(%d) -> %ld n=%d\n", kcore_pid_nr(kcore_task_pid(t)), KCORE_PTR_ERR(c), n);
			} else {
				kcore_get_task_struct(c);
				pool[n++] = c;
				forks++;
			}
		} else if (r < 55) {
			err = kcore_task_exit(t, r);
			if (!allowed(err, exit_ok) && t != pool[0])
				fail_msg("exit: %ld", err);
		} else if (r < 75) {
			err = kcore_task_reap(t);
			assert_true(allowed(err, reap_ok));
			reaps += !err;
		} else if (r < 80) {
			err = kcore_task_exec(t);
			if (!allowed(err, exit_ok) && t != pool[0])
				fail_msg("exec: %ld", err);
		} else if (r < 85) {
			err = kcore_task_setsid(t);
			assert_true(err > 0 || allowed(err, sid_ok) || t == pool[0]);
		} else if (r < 92) {
			int target = (int)(kctest_rand(&seed) % 40), pg = (int)(kctest_rand(&seed) % 40);

			assert_true(allowed(kcore_sys_setpgid(t, target, pg), pgid_ok) || t == pool[0]);
		} else if (r < 95 && a) { /* the swapper keeps forking into the initial namespace */
			assert_true(allowed(kcore_task_unshare(t, KCORE_CLONE_NEWPID), unshare_ok));
		} else {
			/* Drop a released task from the pool. */
			if (a && !kcore_task_pid(t)) {
				kcore_put_task_struct(t);
				pool[a] = pool[--n];
			}
		}
		check(ps);
	}
	for (int i = 1; i < n; i++)
		kcore_put_task_struct(pool[i]);
	fprintf(stderr, "%d forks, %d reaps\n", forks, reaps);
	assert_true(forks > steps / 10 && reaps > steps / 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pid_invariants__random_ops, kctest_sys_setup,
						kctest_sys_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * task.c - tasks: fork, exit, reap, exec, setsid, setpgid, unshare, and
 * the links between tasks and their pids.
 *
 * Mirrors, as of v6.14: kernel/fork.c copy_process() (flag checks,
 * CLONE_PARENT/THREAD parents, pid attachment, child reaper of a new
 * namespace), kernel/exit.c do_exit()/exit_notify()/forget_original_parent()
 * /find_child_reaper()/release_task() (autoreaped threads, zombies),
 * kernel/pid_namespace.c zap_pid_ns_processes(), fs/exec.c de_thread(),
 * kernel/sys.c setsid()/setpgid(), kernel/nsproxy.c + fork.c unshare
 * checks, and kernel/pid.c attach_pid()/detach_pid()/change_pid()/
 * transfer_pid() (v2.6.24 shape: transfer_pid() also moves PIDTYPE_PID,
 * where v6.14's de_thread() swaps thread pids with exchange_tids(); what a
 * program sees is the same).
 *
 * SIM: tasks do not run.  "Exit" is a call; a task killed by its
 * namespace's init exiting (SIGKILL) exits on the spot; wait(2) is
 * kcore_task_reap().  Signals only mark themselves pending.
 *
 * Locking: every change happens under tasklist_lock (taking pidmap_lock
 * inside it for pids).  Readers use RCU: pid->tasks[] lists are RCU
 * hlists, task memory is freed after a grace period once the last
 * reference goes, and task pid pointers are read with acquire loads.
 */
#include <kcore/pid.h>
#include <kcore/vm.h>

#include "pid_internal.h"
#include <errno.h>
#include <signal.h>
#include <string.h>

#define CLONE_FLAGS_KNOWN (KCORE_CLONE_VM | KCORE_CLONE_SIGHAND | KCORE_CLONE_PARENT | \
			   KCORE_CLONE_THREAD | KCORE_CLONE_NEWPID)

static __thread struct kcore_task_struct *current_task;

/* ---- mm ------------------------------------------------------------------ */

/*
 * All mm handling of fork, exec and exit, through <kcore/vm.h>.  As API.md
 * says: a task forked from one without an mm gets a new empty mm (KCORE:
 * the kernel's first user process gets its mm at exec), CLONE_VM shares
 * the parent's mm (and from an mm-less parent makes a kernel thread, as
 * kernel_thread() does), anything else gets a copy-on-write duplicate
 * (dup_mm).  Exit drops the task's user of its mm (exit_mm).
 */
static int task_copy_mm(struct kcore_task_struct *child, struct kcore_task_struct *parent,
			unsigned long clone_flags)
{
	struct kcore_mm_struct *mm;

	child->mm = NULL;
	if (clone_flags & KCORE_CLONE_VM) {
		if (parent->mm) {
			kcore_mmget(parent->mm);
			child->mm = parent->mm;
		}
		return 0;
	}
	mm = parent->mm ? kcore_dup_mm(parent->mm) : kcore_mm_alloc(child->ps->sys);
	if (KCORE_IS_ERR(mm))
		return (int)KCORE_PTR_ERR(mm);
	child->mm = mm;
	return 0;
}

static void task_exit_mm(struct kcore_task_struct *t)
{
	struct kcore_mm_struct *mm = t->mm;

	t->mm = NULL;
	if (mm)
		kcore_mmput(mm);
}

/* ---- pid links ---------------------------------------------------------- */

static struct kcore_pid **task_pid_ptr(struct kcore_task_struct *t, enum kcore_pid_type type)
{
	return type == PIDTYPE_PID ? &t->thread_pid : &t->signal->pids[type];
}

static void attach_pid(struct kcore_task_struct *t, enum kcore_pid_type type)
{
	struct kcore_pid *pid = *task_pid_ptr(t, type);

	lockdep_assert_held(&t->ps->tasklist_lock);
	hlist_add_head_rcu(&t->pid_links[type], &pid->tasks[type]);
}

/* Unlinks @t from its @type pid and sets the pointer to @new; frees the old
   pid once no task uses it any more. */
static void __change_pid(struct kcore_task_struct *t, enum kcore_pid_type type,
			 struct kcore_pid *new)
{
	struct kcore_pid **pid_ptr = task_pid_ptr(t, type), *pid = *pid_ptr;
	struct pid_sys *ps = t->ps;

	lockdep_assert_held(&ps->tasklist_lock);
	pid_hlist_del_rcu(&t->pid_links[type]);
	rcu_assign_pointer(*pid_ptr, new);
	if (!pid || pid == ps->init_struct_pid)
		return;
	for (int i = 0; i < PIDTYPE_MAX; i++)
		if (pid_has_task(pid, (enum kcore_pid_type)i))
			return;
	spin_lock(&ps->pidmap_lock);
	kcore__pid_free_pid_locked(pid);
	spin_unlock(&ps->pidmap_lock);
}

static void detach_pid(struct kcore_task_struct *t, enum kcore_pid_type type)
{
	__change_pid(t, type, NULL);
}

static void change_pid(struct kcore_task_struct *t, enum kcore_pid_type type,
		       struct kcore_pid *pid)
{
	__change_pid(t, type, pid);
	attach_pid(t, type);
}

/* @new takes @old's place on its @type list (de_thread()). */
static void transfer_pid(struct kcore_task_struct *old, struct kcore_task_struct *new,
			 enum kcore_pid_type type)
{
	pid_hlist_replace_rcu(&old->pid_links[type], &new->pid_links[type]);
}

/* ---- lifetime ----------------------------------------------------------- */

static void free_task_memory(struct kcore_task_struct *t)
{
	struct signal_struct *sig = t->signal;

	if (sig && sig != &t->ps->init_signals &&
	    __atomic_sub_fetch(&sig->count, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sig);
	kfree(t);
}

static void delayed_put_task_struct(struct kcore__rcu_head *head)
{
	struct kcore_task_struct *t = container_of(head, struct kcore_task_struct, rcu);
	struct pid_sys *ps = t->ps;

	spin_lock(&ps->tasklist_lock);
	list_del(&t->all);
	spin_unlock(&ps->tasklist_lock);
	kcore_put_pid_ns(t->pid_ns_for_children);
	free_task_memory(t);
}

struct kcore_task_struct *kcore_get_task_struct(struct kcore_task_struct *t)
{
	if (t)
		__atomic_fetch_add(&t->usage, 1, __ATOMIC_RELAXED);
	return t;
}

void kcore_put_task_struct(struct kcore_task_struct *t)
{
	if (!t)
		return;
	if (__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL) == 0) {
		if (WARN_ON(t == t->ps->init_task))
			return;
		call_rcu(&t->rcu, delayed_put_task_struct);
	}
}

static bool thread_group_leader(struct kcore_task_struct *t)
{
	return t->group_leader == t;
}

static bool task_alive(struct kcore_task_struct *t)
{
	return !(t->flags & PF_EXITING);
}

static struct kcore_pid_namespace *active_ns(struct kcore_task_struct *t)
{
	return ns_of_pid(rcu_dereference(t->thread_pid));
}

/* release_task(): the last of a task as far as the tasklist goes. */
static void release_task(struct kcore_task_struct *t)
{
	struct pid_sys *ps = t->ps;
	struct kcore_pid_namespace *ns = active_ns(t);

	lockdep_assert_held(&ps->tasklist_lock);
	t->exit_state = EXIT_DEAD;
	if (ns && ns->child_reaper == t)
		rcu_assign_pointer(ns->child_reaper, NULL);
	detach_pid(t, PIDTYPE_PID);
	if (thread_group_leader(t)) {
		detach_pid(t, PIDTYPE_TGID);
		detach_pid(t, PIDTYPE_PGID);
		detach_pid(t, PIDTYPE_SID);
		list_del_init(&t->sibling);
	}
	list_del(&t->thread_node);
	list_del(&t->tasks);
	kcore_put_task_struct(t);
}

/* ---- exit --------------------------------------------------------------- */

static struct kcore_task_struct *find_alive_thread(struct kcore_task_struct *t)
{
	struct kcore_task_struct *th;

	list_for_each_entry(th, &t->signal->thread_head, thread_node)
		if (task_alive(th))
			return th;
	return NULL;
}

static void do_exit_locked(struct kcore_task_struct *t, int status);

/*
 * zap_pid_ns_processes(): the namespace's init is gone.  No pid may be
 * added any more; every other task in the namespace (nested ones
 * included) is killed, and the init reaps them.
 */
static void zap_pid_ns_processes(struct kcore_pid_namespace *ns, struct kcore_task_struct *init)
{
	struct pid_sys *ps = ns->ps;
	struct kcore_task_struct *c, *n;
	int nr;

	spin_lock(&ps->pidmap_lock);
	ns->pid_allocated &= ~PIDNS_ADDING;
	spin_unlock(&ps->pidmap_lock);

	rcu_read_lock();
	for (nr = kcore_next_pidmap(ns, 1); nr > 0; nr = kcore_next_pidmap(ns, (unsigned int)nr)) {
		struct kcore_task_struct *task = kcore_pid_task(kcore_find_pid_ns(nr, ns), PIDTYPE_PID);

		if (task && task_alive(task)) {
			__atomic_fetch_or(&task->sigpending, 1UL << (SIGKILL - 1), __ATOMIC_RELAXED);
			do_exit_locked(task, SIGKILL);
		}
	}
	rcu_read_unlock();

	/* Reap: every task of the namespace is now a zombie child of init. */
	list_for_each_entry_safe(c, n, &init->children, sibling)
		if (c->exit_state == EXIT_ZOMBIE && !c->signal->nr_threads)
			release_task(c);
}

/* find_child_reaper(): who adopts the children of @father. */
static struct kcore_task_struct *find_child_reaper(struct kcore_task_struct *father)
{
	struct kcore_pid_namespace *ns = active_ns(father);
	struct kcore_task_struct *reaper = ns->child_reaper;

	if (reaper != father)
		return reaper;
	reaper = find_alive_thread(father);
	if (reaper) {
		rcu_assign_pointer(ns->child_reaper, reaper);
		return reaper;
	}
	zap_pid_ns_processes(ns, father);
	return father;
}

static void forget_original_parent(struct kcore_task_struct *father)
{
	struct kcore_task_struct *reaper = find_child_reaper(father), *c, *n, *alive;

	if (list_empty(&father->children))
		return;
	alive = find_alive_thread(father);
	if (alive)
		reaper = alive;
	if (reaper == father)
		return; /* zapped: every child was reaped */
	if (!reaper) {
		/* SIM: a namespace whose first task did not get 1 (ns_last_pid
		   written before it, which the kernel cannot do from outside)
		   has no init; its orphans go up to the nearest one. */
		struct kcore_pid_namespace *ns = active_ns(father)->parent;

		while (!ns->child_reaper)
			ns = ns->parent;
		reaper = ns->child_reaper;
	}
	list_for_each_entry_safe(c, n, &father->children, sibling) {
		struct kcore_task_struct *th;

		list_for_each_entry(th, &c->signal->thread_head, thread_node)
			rcu_assign_pointer(th->real_parent, reaper);
		list_move_tail(&c->sibling, &reaper->children);
	}
}

static void do_exit_locked(struct kcore_task_struct *t, int status)
{
	lockdep_assert_held(&t->ps->tasklist_lock);
	t->flags |= PF_EXITING;
	t->exit_code = status;
	task_exit_mm(t);
	t->signal->nr_threads--;
	forget_original_parent(t);
	if (thread_group_leader(t))
		t->exit_state = EXIT_ZOMBIE;
	else
		release_task(t); /* threads are autoreaped */
}

static bool is_global_init_group(struct kcore_task_struct *t)
{
	struct kcore_task_struct *r = t->ps->init_ns->child_reaper;

	return r && r != t->ps->init_task && r->signal == t->signal;
}

int kcore_task_exit(struct kcore_task_struct *t, int code)
{
	struct pid_sys *ps;

	if (!t || t == t->ps->init_task)
		return -EINVAL;
	ps = t->ps;
	spin_lock(&ps->tasklist_lock);
	if (!task_alive(t)) {
		spin_unlock(&ps->tasklist_lock);
		return -ESRCH;
	}
	if (t->signal->nr_threads == 1 && is_global_init_group(t)) {
		spin_unlock(&ps->tasklist_lock);
		/* KCORE: the kernel panics here; the machine keeps running. */
		pr_emerg(ps->sys, "Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08x\n",
			 (code & 0xff) << 8);
		return -EPERM;
	}
	do_exit_locked(t, (code & 0xff) << 8);
	spin_unlock(&ps->tasklist_lock);
	return 0;
}

int kcore_task_reap(struct kcore_task_struct *t)
{
	struct pid_sys *ps;
	int err = 0;

	if (!t || t == t->ps->init_task)
		return -EINVAL;
	ps = t->ps;
	spin_lock(&ps->tasklist_lock);
	if (t->exit_state == EXIT_DEAD)
		err = -ESRCH;
	else if (!thread_group_leader(t))
		err = -EINVAL;
	else if (t->exit_state != EXIT_ZOMBIE || t->signal->nr_threads)
		err = -EBUSY;
	else
		release_task(t);
	spin_unlock(&ps->tasklist_lock);
	return err;
}

/* ---- fork --------------------------------------------------------------- */

struct kcore_task_struct *kcore_task_fork(struct kcore_task_struct *parent, unsigned long clone_flags,
					  const int *set_tid, size_t set_tid_size)
{
	struct kcore_pid_namespace *pid_ns, *new_ns = NULL;
	struct kcore_task_struct *p;
	struct signal_struct *sig = NULL;
	struct kcore_pid *pid;
	struct pid_sys *ps;
	int err;

	if (!parent || (clone_flags & ~(unsigned long)CLONE_FLAGS_KNOWN))
		return KCORE_ERR_PTR(-EINVAL);
	ps = parent->ps;
	/* Thread groups share signal handlers; sharing them needs the mm. */
	if ((clone_flags & KCORE_CLONE_THREAD) && !(clone_flags & KCORE_CLONE_SIGHAND))
		return KCORE_ERR_PTR(-EINVAL);
	if ((clone_flags & KCORE_CLONE_SIGHAND) && !(clone_flags & KCORE_CLONE_VM))
		return KCORE_ERR_PTR(-EINVAL);
	if ((clone_flags & KCORE_CLONE_THREAD) && (clone_flags & KCORE_CLONE_NEWPID))
		return KCORE_ERR_PTR(-EINVAL);
	/* KCORE: the swapper's thread group stays alone (idle threads are
	   made by fork_idle() in the kernel, not by CLONE_THREAD). */
	if ((clone_flags & KCORE_CLONE_THREAD) && parent == ps->init_task)
		return KCORE_ERR_PTR(-EINVAL);
	/* clone3's set_tid checks (copy_clone_args_from_user()). */
	if (set_tid_size > MAX_PID_NS_LEVEL || (set_tid && !set_tid_size) ||
	    (!set_tid && set_tid_size))
		return KCORE_ERR_PTR(-EINVAL);

	p = knew(struct kcore_task_struct);
	if (!p)
		return KCORE_ERR_PTR(-ENOMEM);
	if (!(clone_flags & KCORE_CLONE_THREAD)) {
		sig = knew(struct signal_struct);
		if (!sig) {
			kfree(p);
			return KCORE_ERR_PTR(-ENOMEM);
		}
	}
	p->ps = ps;
	err = task_copy_mm(p, parent, clone_flags);
	if (err)
		goto free_task;

	spin_lock(&ps->tasklist_lock);
	err = -ESRCH;
	if (!task_alive(parent))
		goto unlock;
	err = -EINVAL;
	/* Inits may not make siblings (no multi-rooted trees). */
	if ((clone_flags & KCORE_CLONE_PARENT) && parent->signal->unkillable)
		goto unlock;
	pid_ns = parent->pid_ns_for_children;
	if ((clone_flags & (KCORE_CLONE_THREAD | KCORE_CLONE_NEWPID)) && pid_ns != active_ns(parent))
		goto unlock;
	if (clone_flags & KCORE_CLONE_NEWPID) {
		new_ns = kcore__pid_ns_create(ps, pid_ns);
		if (KCORE_IS_ERR(new_ns)) {
			err = (int)KCORE_PTR_ERR(new_ns);
			new_ns = NULL;
			goto unlock;
		}
		pid_ns = new_ns;
	}
	pid = kcore__pid_alloc(pid_ns, set_tid, set_tid_size);
	if (KCORE_IS_ERR(pid)) {
		err = (int)KCORE_PTR_ERR(pid);
		goto unlock;
	}

	/* Nothing fails from here on. */
	p->usage = 1;
	p->flags = PF_FORKNOEXEC;
	memcpy(p->comm, parent->comm, sizeof(p->comm));
	p->thread_pid = pid;
	p->pid_ns_for_children = new_ns ? new_ns : kcore_get_pid_ns(pid_ns);
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	if (clone_flags & (KCORE_CLONE_PARENT | KCORE_CLONE_THREAD))
		p->real_parent = parent->real_parent;
	else
		p->real_parent = parent;
	if (clone_flags & KCORE_CLONE_THREAD) {
		p->group_leader = parent->group_leader;
		p->signal = parent->signal;
		__atomic_fetch_add(&p->signal->count, 1, __ATOMIC_RELAXED);
		p->signal->nr_threads++;
	} else {
		p->group_leader = p;
		p->signal = sig;
		sig->count = 1;
		sig->nr_threads = 1;
		INIT_LIST_HEAD(&sig->thread_head);
		sig->pids[PIDTYPE_TGID] = pid;
		sig->pids[PIDTYPE_PGID] = parent->signal->pids[PIDTYPE_PGID];
		sig->pids[PIDTYPE_SID] = parent->signal->pids[PIDTYPE_SID];
		if (pid->numbers[pid->level].nr == 1) {
			/* is_child_reaper(): the namespace's init. */
			sig->unkillable = true;
			rcu_assign_pointer(pid_ns->child_reaper, p);
			WRITE_ONCE(pid_ns->reaper_seen, true);
		}
		attach_pid(p, PIDTYPE_TGID);
		attach_pid(p, PIDTYPE_PGID);
		attach_pid(p, PIDTYPE_SID);
		list_add_tail(&p->sibling, &p->real_parent->children);
	}
	attach_pid(p, PIDTYPE_PID);
	list_add_tail(&p->thread_node, &p->signal->thread_head);
	list_add_tail(&p->tasks, &ps->tasklist);
	list_add_tail(&p->all, &ps->alltasks);
	spin_unlock(&ps->tasklist_lock);
	return p;

unlock:
	spin_unlock(&ps->tasklist_lock);
	kcore_put_pid_ns(new_ns);
	task_exit_mm(p);
free_task:
	kfree(sig);
	kfree(p);
	return KCORE_ERR_PTR(err);
}

/* ---- exec, sessions, groups, unshare ------------------------------------ */

int kcore_task_exec(struct kcore_task_struct *t)
{
	struct kcore_task_struct *leader, *th, *n;
	struct kcore_mm_struct *new_mm, *old_mm;
	struct pid_sys *ps;

	if (!t || t == t->ps->init_task)
		return -EINVAL;
	ps = t->ps;
	/* exec_mmap(): the new image gets a fresh, empty address space,
	   allocated before anything changes so failure leaves t as it was. */
	new_mm = kcore_mm_alloc(ps->sys);
	if (KCORE_IS_ERR(new_mm))
		return (int)KCORE_PTR_ERR(new_mm);
	spin_lock(&ps->tasklist_lock);
	if (!task_alive(t)) {
		spin_unlock(&ps->tasklist_lock);
		kcore_mmput(new_mm);
		return -ESRCH;
	}
	leader = t->group_leader;
	/* Kill every other thread; they are autoreaped. */
	list_for_each_entry_safe(th, n, &t->signal->thread_head, thread_node)
		if (th != t && th != leader && task_alive(th))
			do_exit_locked(th, SIGKILL);
	if (leader != t) {
		struct kcore_pid *tpid = t->thread_pid;

		if (task_alive(leader))
			do_exit_locked(leader, SIGKILL);
		/* t takes the leader's pid and place; the leader gets t's old
		   thread pid and goes with it. */
		pid_hlist_del_rcu(&t->pid_links[PIDTYPE_PID]);
		transfer_pid(leader, t, PIDTYPE_PID);
		rcu_assign_pointer(t->thread_pid, leader->thread_pid);
		rcu_assign_pointer(leader->thread_pid, tpid);
		hlist_add_head_rcu(&leader->pid_links[PIDTYPE_PID], &tpid->tasks[PIDTYPE_PID]);
		transfer_pid(leader, t, PIDTYPE_TGID);
		transfer_pid(leader, t, PIDTYPE_PGID);
		transfer_pid(leader, t, PIDTYPE_SID);
		rcu_assign_pointer(t->real_parent, leader->real_parent);
		t->group_leader = t;
		leader->group_leader = t;
		list_add_tail(&t->sibling, &leader->sibling);
		list_del_init(&leader->sibling);
		release_task(leader);
	}
	t->flags &= ~PF_FORKNOEXEC;
	old_mm = t->mm;
	t->mm = new_mm;
	spin_unlock(&ps->tasklist_lock);
	if (old_mm)
		kcore_mmput(old_mm);
	return 0;
}

int kcore_task_setsid(struct kcore_task_struct *t)
{
	struct kcore_task_struct *leader;
	struct kcore_pid *sid;
	struct pid_sys *ps;
	int err = -EPERM;

	if (!t || t == t->ps->init_task)
		return -EINVAL;
	ps = t->ps;
	spin_lock(&ps->tasklist_lock);
	if (!task_alive(t)) {
		spin_unlock(&ps->tasklist_lock);
		return -ESRCH;
	}
	leader = t->group_leader;
	sid = leader->thread_pid;
	/* Not a session leader already, and no group numbered like us. */
	if (!leader->signal->leader && !kcore_pid_task(sid, PIDTYPE_PGID)) {
		leader->signal->leader = true;
		change_pid(leader, PIDTYPE_SID, sid);
		change_pid(leader, PIDTYPE_PGID, sid);
		err = kcore_pid_nr_ns(sid, active_ns(t));
	}
	spin_unlock(&ps->tasklist_lock);
	return err;
}

int kcore_sys_setpgid(struct kcore_task_struct *caller, int pid, int pgid)
{
	struct kcore_task_struct *group_leader, *p, *g;
	struct kcore_pid_namespace *ns;
	struct kcore_pid *pgrp;
	struct pid_sys *ps;
	int err;

	if (!caller || caller == caller->ps->init_task)
		return -EINVAL;
	ps = caller->ps;
	spin_lock(&ps->tasklist_lock);
	err = -ESRCH;
	if (!task_alive(caller))
		goto out;
	group_leader = caller->group_leader;
	ns = active_ns(caller);
	if (!pid)
		pid = kcore_pid_nr_ns(group_leader->thread_pid, ns);
	if (!pgid)
		pgid = pid;
	err = -EINVAL;
	if (pgid < 0)
		goto out;
	rcu_read_lock();
	err = -ESRCH;
	p = kcore_pid_task(kcore_find_pid_ns(pid, ns), PIDTYPE_PID);
	if (!p)
		goto out_rcu;
	err = -EINVAL;
	if (!thread_group_leader(p))
		goto out_rcu;
	if (p->real_parent->signal == group_leader->signal) {
		err = -EPERM;
		if (p->signal->pids[PIDTYPE_SID] != group_leader->signal->pids[PIDTYPE_SID])
			goto out_rcu;
		err = -EACCES;
		if (!(p->flags & PF_FORKNOEXEC))
			goto out_rcu;
	} else {
		err = -ESRCH;
		if (p != group_leader)
			goto out_rcu;
	}
	err = -EPERM;
	if (p->signal->leader)
		goto out_rcu;
	pgrp = p->thread_pid;
	if (pgid != pid) {
		pgrp = kcore_find_pid_ns(pgid, ns);
		g = kcore_pid_task(pgrp, PIDTYPE_PGID);
		if (!g || g->signal->pids[PIDTYPE_SID] != group_leader->signal->pids[PIDTYPE_SID])
			goto out_rcu;
	}
	if (p->signal->pids[PIDTYPE_PGID] != pgrp)
		change_pid(p, PIDTYPE_PGID, pgrp);
	err = 0;
out_rcu:
	rcu_read_unlock();
out:
	spin_unlock(&ps->tasklist_lock);
	return err;
}

int kcore_task_setpgid(struct kcore_task_struct *t, int pgid)
{
	return kcore_sys_setpgid(t, 0, pgid);
}

int kcore_task_unshare(struct kcore_task_struct *t, unsigned long flags)
{
	struct kcore_pid_namespace *old, *new;
	struct pid_sys *ps;
	int err = 0;

	if (!t || (flags & ~(unsigned long)(KCORE_CLONE_NEWPID | KCORE_CLONE_THREAD |
					    KCORE_CLONE_SIGHAND | KCORE_CLONE_VM)))
		return -EINVAL;
	ps = t->ps;
	spin_lock(&ps->tasklist_lock);
	if (!task_alive(t)) {
		err = -ESRCH;
		goto out;
	}
	if ((flags & (KCORE_CLONE_THREAD | KCORE_CLONE_SIGHAND | KCORE_CLONE_VM)) &&
	    t->signal->nr_threads > 1) {
		err = -EINVAL;
		goto out;
	}
	if (flags & KCORE_CLONE_NEWPID) {
		old = t->pid_ns_for_children;
		/* A second unshare before forking into the first is refused. */
		if (old != active_ns(t)) {
			err = -EINVAL;
			goto out;
		}
		new = kcore__pid_ns_create(ps, old);
		if (KCORE_IS_ERR(new)) {
			err = (int)KCORE_PTR_ERR(new);
			goto out;
		}
		t->pid_ns_for_children = new;
		kcore_put_pid_ns(old);
	}
out:
	spin_unlock(&ps->tasklist_lock);
	return err;
}

/* ---- getters ------------------------------------------------------------ */

struct kcore_task_struct *kcore_init_task(struct kcore_system *sys)
{
	struct pid_sys *ps = sys ? kcore__sys_module(sys, KCORE__MOD_pid) : NULL;

	return ps ? ps->init_task : NULL;
}

struct kcore_pid_namespace *kcore_task_active_pid_ns(struct kcore_task_struct *t)
{
	return t ? active_ns(t) : NULL;
}

static struct kcore_pid *task_pid_type(struct kcore_task_struct *t, enum kcore_pid_type type)
{
	if (!t || (unsigned int)type >= PIDTYPE_MAX)
		return NULL;
	return rcu_dereference(*task_pid_ptr(t, type));
}

struct kcore_pid *kcore_task_pid(struct kcore_task_struct *t)
{
	return task_pid_type(t, PIDTYPE_PID);
}

struct kcore_pid *kcore_task_tgid(struct kcore_task_struct *t)
{
	return task_pid_type(t, PIDTYPE_TGID);
}

struct kcore_pid *kcore_task_pgrp(struct kcore_task_struct *t)
{
	return task_pid_type(t, PIDTYPE_PGID);
}

struct kcore_pid *kcore_task_session(struct kcore_task_struct *t)
{
	return task_pid_type(t, PIDTYPE_SID);
}

struct kcore_pid *kcore_get_task_pid(struct kcore_task_struct *t, enum kcore_pid_type type)
{
	struct kcore_pid *pid;

	rcu_read_lock();
	pid = get_pid(task_pid_type(t, type));
	rcu_read_unlock();
	return pid;
}

struct kcore_task_struct *kcore_pid_task(struct kcore_pid *pid, enum kcore_pid_type type)
{
	struct hlist_node *first;

	if (!pid || (unsigned int)type >= PIDTYPE_MAX)
		return NULL;
	first = rcu_dereference(pid->tasks[type].first);
	return first ? container_of(first - type, struct kcore_task_struct, pid_links[0]) : NULL;
}

int kcore_task_pid_nr_ns(struct kcore_task_struct *t, enum kcore_pid_type type,
			 struct kcore_pid_namespace *ns)
{
	int nr;

	if (!t)
		return 0;
	rcu_read_lock();
	if (!ns) {
		struct kcore_task_struct *cur = kcore_current();

		ns = active_ns(cur ? cur : t);
	}
	nr = kcore_pid_nr_ns(task_pid_type(t, type), ns);
	rcu_read_unlock();
	return nr;
}

int kcore_pid_for_each_task(struct kcore_pid *pid, enum kcore_pid_type type,
			    int (*fn)(struct kcore_task_struct *t, void *arg), void *arg)
{
	struct hlist_node *n;
	int ret = 0;

	if (!pid || !fn || (unsigned int)type >= PIDTYPE_MAX)
		return -EINVAL;
	rcu_read_lock();
	for (n = rcu_dereference(pid->tasks[type].first); n; n = rcu_dereference(n->next)) {
		ret = fn(container_of(n - type, struct kcore_task_struct, pid_links[0]), arg);
		if (ret)
			break;
	}
	rcu_read_unlock();
	return ret;
}

struct kcore_task_struct *kcore_task_real_parent(struct kcore_task_struct *t)
{
	return t ? rcu_dereference(t->real_parent) : NULL;
}

const char *kcore_task_comm(struct kcore_task_struct *t)
{
	return t ? t->comm : "";
}

int kcore_task_set_comm(struct kcore_task_struct *t, const char *comm)
{
	if (!t || !comm)
		return -EINVAL;
	spin_lock(&t->ps->tasklist_lock);
	strncpy(t->comm, comm, TASK_COMM_LEN - 1);
	t->comm[TASK_COMM_LEN - 1] = '\0';
	spin_unlock(&t->ps->tasklist_lock);
	return 0;
}

struct kcore_mm_struct *kcore_task_mm(struct kcore_task_struct *t)
{
	return t ? t->mm : NULL;
}

int kcore_task_exit_code(struct kcore_task_struct *t)
{
	int code;

	if (!t)
		return -EINVAL;
	spin_lock(&t->ps->tasklist_lock);
	code = (t->flags & PF_EXITING) ? t->exit_code : -1;
	spin_unlock(&t->ps->tasklist_lock);
	return code;
}

void kcore_set_current(struct kcore_task_struct *t)
{
	current_task = t;
}

struct kcore_task_struct *kcore_current(void)
{
	return current_task;
}

int kcore_send_sig(struct kcore_task_struct *t, int sig)
{
	if (!t || sig < 0 || sig > 64)
		return -EINVAL;
	if (sig)
		__atomic_fetch_or(&t->sigpending, 1UL << (sig - 1), __ATOMIC_RELEASE);
	return 0;
}

bool kcore_signal_pending(struct kcore_task_struct *t)
{
	return t && __atomic_load_n(&t->sigpending, __ATOMIC_ACQUIRE) != 0;
}

void kcore_flush_signals(struct kcore_task_struct *t)
{
	if (t)
		__atomic_store_n(&t->sigpending, 0, __ATOMIC_RELEASE);
}

/* ---- module ------------------------------------------------------------- */

int kcore__pid_tasks_init(struct pid_sys *ps)
{
	struct kcore_pid *pid;
	struct kcore_task_struct *t;

	pid = kzalloc(sizeof(*pid) + sizeof(struct upid));
	if (!pid)
		return -ENOMEM;
	t = knew(struct kcore_task_struct);
	if (!t) {
		kfree(pid);
		return -ENOMEM;
	}
	/* init_struct_pid: number 0, never hashed. */
	pid->count = 1;
	pid->numbers[0].ns = ps->init_ns;
	ps->init_struct_pid = pid;
	spin_lock(&ps->pidmap_lock);
	list_add(&pid->node, &ps->pids);
	spin_unlock(&ps->pidmap_lock);

	t->ps = ps;
	t->usage = 1;
	strcpy(t->comm, "swapper/0");
	t->thread_pid = pid;
	t->signal = &ps->init_signals;
	t->signal->count = 1;
	t->signal->nr_threads = 1;
	INIT_LIST_HEAD(&t->signal->thread_head);
	for (int i = PIDTYPE_TGID; i < PIDTYPE_MAX; i++)
		t->signal->pids[i] = pid;
	t->group_leader = t;
	t->real_parent = t;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->tasks);
	INIT_LIST_HEAD(&t->all);
	t->pid_ns_for_children = ps->init_ns;
	list_add_tail(&t->thread_node, &t->signal->thread_head);
	/* Attached like v2.6.22's INIT_STRUCT_PID, so pid_task() sees it. */
	spin_lock(&ps->tasklist_lock);
	for (int i = 0; i < PIDTYPE_MAX; i++)
		attach_pid(t, (enum kcore_pid_type)i);
	spin_unlock(&ps->tasklist_lock);
	ps->init_task = t;
	ps->init_ns->child_reaper = t;
	ps->init_ns->reaper_seen = true;
	return 0;
}

void kcore__pid_tasks_exit(struct pid_sys *ps)
{
	struct kcore_task_struct *t, *n;

	/* Pending frees first, so what is left is alive or referenced. */
	rcu_barrier();
	spin_lock(&ps->tasklist_lock);
	list_for_each_entry_safe(t, n, &ps->tasklist, tasks) {
		if (t->exit_state != EXIT_DEAD) {
			t->exit_state = EXIT_DEAD;
			/* The vm module exits before this one (modules.def order)
			   and frees every mm it owns: drop the pointer only. */
			t->mm = NULL;
			detach_pid(t, PIDTYPE_PID);
			if (thread_group_leader(t)) {
				detach_pid(t, PIDTYPE_TGID);
				detach_pid(t, PIDTYPE_PGID);
				detach_pid(t, PIDTYPE_SID);
			}
		}
		list_del(&t->tasks);
	}
	list_for_each_entry_safe(t, n, &ps->alltasks, all) {
		list_del(&t->all);
		free_task_memory(t);
	}
	spin_unlock(&ps->tasklist_lock);
	free_task_memory(ps->init_task);
	ps->init_task = NULL;
}

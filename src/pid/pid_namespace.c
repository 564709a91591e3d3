// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pid_namespace.c - pid namespaces: create, reference, sysctls.
 *
 * Mirrors kernel/pid_namespace.c as of v6.14 (create_pid_namespace() with
 * the MAX_PID_NS_LEVEL check giving ENOSPC, pid_allocated starting at
 * PIDNS_ADDING, a child starting with pid_max = PID_MAX_LIMIT, the
 * ns_last_pid and pid_max sysctl handlers and their ranges), with the
 * v2.6.24 pidmap array in the namespace.  zap_pid_ns_processes() lives in
 * task.c with the rest of exit.
 *
 * Memory: the last reference unlinks the namespace from the system's
 * registry and drops its parent at once, and frees the memory after a
 * grace period (readers may still be scanning its bitmaps).
 */
#include <kcore/pid.h>

#include "pid_internal.h"
#include <errno.h>

static struct kcore_pid_namespace *ns_alloc(struct pid_sys *ps, struct kcore_pid_namespace *parent)
{
	struct kcore_pid_namespace *ns = knew(struct kcore_pid_namespace);

	if (!ns)
		return NULL;
	ns->ps = ps;
	ns->count = 1;
	ns->level = parent ? parent->level + 1 : 0;
	ns->parent = parent;
	ns->pid_allocated = PIDNS_ADDING;
	ns->pid_max = parent ? PID_MAX_LIMIT : ps->sys->cfg.pid_max;
	/* pidmap[0] exists from the start, with number 0 taken. */
	spin_lock(&ps->pidmap_lock);
	if (kcore__pid_pidmap_init(ns) < 0) {
		spin_unlock(&ps->pidmap_lock);
		kfree(ns);
		return NULL;
	}
	ns->id = ++ps->next_ns_id;
	if (!ns->id) /* KCORE: ids are unique for 2^32 - 1 namespaces per system */
		ns->id = ++ps->next_ns_id;
	list_add_tail(&ns->node, &ps->namespaces);
	spin_unlock(&ps->pidmap_lock);
	return ns;
}

int kcore__pid_ns_init_root(struct pid_sys *ps)
{
	ps->init_ns = ns_alloc(ps, NULL);
	return ps->init_ns ? 0 : -ENOMEM;
}

struct kcore_pid_namespace *kcore__pid_ns_create(struct pid_sys *ps,
						 struct kcore_pid_namespace *parent)
{
	struct kcore_pid_namespace *ns;

	if (parent->level + 1 > MAX_PID_NS_LEVEL)
		return KCORE_ERR_PTR(-ENOSPC);
	ns = ns_alloc(ps, parent);
	if (!ns)
		return KCORE_ERR_PTR(-ENOMEM);
	kcore_get_pid_ns(parent);
	return ns;
}

/* Frees the memory of a namespace no longer in the registry. */
void kcore__pid_ns_free(struct kcore_pid_namespace *ns)
{
	kcore__pid_pidmap_free_pages(ns);
	kfree(ns);
}

static void delayed_free_pidns(struct kcore__rcu_head *head)
{
	kcore__pid_ns_free(container_of(head, struct kcore_pid_namespace, rcu));
}

struct kcore_pid_namespace *kcore_init_pid_ns(struct kcore_system *sys)
{
	struct pid_sys *ps = sys ? kcore__sys_module(sys, KCORE__MOD_pid) : NULL;

	return ps ? ps->init_ns : NULL;
}

struct kcore_pid_namespace *kcore_copy_pid_ns(unsigned long flags,
					      struct kcore_pid_namespace *old_ns)
{
	if (!old_ns || (flags & ~(unsigned long)KCORE_CLONE_NEWPID))
		return KCORE_ERR_PTR(-EINVAL);
	if (!(flags & KCORE_CLONE_NEWPID))
		return kcore_get_pid_ns(old_ns);
	return kcore__pid_ns_create(old_ns->ps, old_ns);
}

unsigned int kcore_pid_ns_level(struct kcore_pid_namespace *ns)
{
	return ns ? ns->level : 0;
}

struct kcore_pid_namespace *kcore_get_pid_ns(struct kcore_pid_namespace *ns)
{
	if (ns)
		__atomic_fetch_add(&ns->count, 1, __ATOMIC_RELAXED);
	return ns;
}

void kcore_put_pid_ns(struct kcore_pid_namespace *ns)
{
	while (ns && ns != ns->ps->init_ns) {
		struct kcore_pid_namespace *parent = ns->parent;
		struct pid_sys *ps = ns->ps;

		if (__atomic_sub_fetch(&ns->count, 1, __ATOMIC_ACQ_REL) != 0)
			return;
		spin_lock(&ps->pidmap_lock);
		list_del(&ns->node);
		spin_unlock(&ps->pidmap_lock);
		call_rcu(&ns->rcu, delayed_free_pidns);
		ns = parent;
	}
}

struct kcore_task_struct *kcore_pid_ns_child_reaper(struct kcore_pid_namespace *ns)
{
	return ns ? rcu_dereference(ns->child_reaper) : NULL;
}

int kcore_pid_ns_set_last_pid(struct kcore_pid_namespace *ns, int last)
{
	if (!ns || last < 0 || last > READ_ONCE(ns->pid_max))
		return -EINVAL;
	spin_lock(&ns->ps->pidmap_lock);
	ns->cursor = last + 1;
	spin_unlock(&ns->ps->pidmap_lock);
	return 0;
}

int kcore_pid_ns_get_last_pid(struct kcore_pid_namespace *ns)
{
	int cursor;

	if (!ns)
		return -EINVAL;
	spin_lock(&ns->ps->pidmap_lock);
	cursor = ns->cursor;
	spin_unlock(&ns->ps->pidmap_lock);
	return cursor - 1;
}

int kcore_pid_ns_set_pid_max(struct kcore_pid_namespace *ns, int pid_max)
{
	if (!ns || pid_max < ns->ps->pid_max_min || pid_max > PID_MAX_LIMIT)
		return -EINVAL;
	WRITE_ONCE(ns->pid_max, pid_max);
	return 0;
}

int kcore_pid_ns_get_pid_max(struct kcore_pid_namespace *ns)
{
	return ns ? READ_ONCE(ns->pid_max) : -EINVAL;
}
